package flow

import (
	"errors"
	"path"
	"regexp"
	"slices"
	"strings"

	"github.com/xaatools/xaa/flow/wire"
	"github.com/xaatools/xaa/inspect"
)

// Explanation says what an error means and how to fix it.
type Explanation struct {
	// ID is the catalogue entry, stable ("token_exchange.invalid_audience").
	ID string `json:"id"`
	// Meaning is one line: what the server (or xaa) is saying.
	Meaning string `json:"explanation"`
	// Causes are the likely reasons, most likely first.
	Causes []string `json:"causes,omitempty"`
	// Fix says what to change, down to the Okta Admin Console screen where
	// one is involved.
	Fix string `json:"fix"`
	// Spec cites where the behaviour is defined, when it is a rule.
	Spec string `json:"spec,omitempty"`
}

// rule is one catalogue entry: when it applies, and what it says. A rule
// never matches on the HTTP status alone (the specs and the servers
// disagree on statuses); it needs an error code, a description pattern, a
// check, a fetch failure, an MCP code or a sentinel error.
type rule struct {
	id    string
	steps []StepID // nil: any step
	// Matchers; every one that is set must match.
	status   int            // HTTP status
	code     string         // OAuth error code
	desc     *regexp.Regexp // error_description (or MCP message)
	check    string         // check ID, a path.Match pattern ("discovery.*.issuer")
	fetch    *wire.FetchErrorKind
	mcpCode  int64
	sentinel error
	// rows are the troubleshooting table rows (protocol reference §8) and
	// okta the Okta internal codes (§7) the entry covers.
	rows []int
	okta []string
	Explanation
}

// signal reports whether the rule has a matcher other than the status.
func (r *rule) signal() bool {
	return r.code != "" || r.desc != nil || r.check != "" || r.fetch != nil || r.mcpCode != 0 || r.sentinel != nil
}

func (r *rule) matches(step StepID, err error) bool {
	if r.steps != nil && !slices.Contains(r.steps, step) {
		return false
	}
	if !r.signal() {
		return false
	}
	var oe *wire.OAuthError
	var fe *wire.FetchError
	var ce *wire.CheckError
	var me *wire.MCPError
	switch {
	case r.sentinel != nil:
		return errors.Is(err, r.sentinel) && r.matchText(err.Error())
	case r.check != "":
		if !errors.As(err, &ce) {
			return false
		}
		ok, _ := path.Match(r.check, ce.Check.ID)
		return ok
	case r.fetch != nil:
		if !errors.As(err, &fe) || fe.Kind != *r.fetch {
			return false
		}
		return r.status == 0 || r.status == fe.Status
	case r.mcpCode != 0 || (errors.As(err, &me) && r.code == ""):
		if !errors.As(err, &me) {
			return false
		}
		if r.mcpCode != 0 && me.Code != r.mcpCode {
			return false
		}
		if r.status != 0 && me.Status != r.status {
			return false
		}
		return r.matchText(me.Message)
	}
	if !errors.As(err, &oe) {
		return false
	}
	if r.code != "" && !strings.EqualFold(oe.Code, r.code) {
		return false
	}
	if r.status != 0 && oe.Status != r.status {
		return false
	}
	return r.matchText(oe.Description)
}

func (r *rule) matchText(s string) bool { return r.desc == nil || r.desc.MatchString(s) }

// Explain returns what err means at the given step and how to fix it, from
// the catalogue; a failed check without an entry is explained by its own
// hint; nil when nothing applies. Specific entries (an Okta
// description) win over generic ones (an error code).
func Explain(step StepID, err error) *Explanation {
	if err == nil {
		return nil
	}
	for i := range catalogue {
		if catalogue[i].matches(step, err) {
			e := catalogue[i].Explanation
			e.ID = catalogue[i].id
			return &e
		}
	}
	var ce *wire.CheckError
	if errors.As(err, &ce) && ce.Check.Hint != "" {
		// inspect's checks carry their own hint: the failed rule and its fix.
		return &Explanation{ID: "check." + ce.Check.ID, Meaning: ce.Check.Title + ": this check did not pass.", Fix: ce.Check.Hint, Spec: ce.Check.Spec}
	}
	return nil
}

// ExplainCheck explains a check that did not pass, when the catalogue has
// an entry for it.
func ExplainCheck(step StepID, c inspect.Check) *Explanation {
	if c.Status == inspect.StatusPass || c.Status == inspect.StatusSkip {
		return nil
	}
	return Explain(step, &wire.CheckError{Check: c})
}

func re(pattern string) *regexp.Regexp { return regexp.MustCompile(`(?i)` + pattern) }

func fetchKind(k wire.FetchErrorKind) *wire.FetchErrorKind { return &k }
