// Package explain is xaa's catalogue of what a failure means and how to
// fix it: an OAuth error code and description, a failed check, a network
// failure, an MCP error — each mapped, at the step where it arose, to one
// line of meaning, the likely causes and the fix, down to the Okta Admin
// Console screen. It is the one source for `xaa run`, the terminal UI, the
// doctor and the conformance scorecard.
package explain

import (
	"errors"
	"fmt"
	"path"
	"regexp"
	"slices"
	"strings"
	"sync"

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

// Step names the step of the flow an error arose at, by its stable id.
// flow.StepID satisfies fmt.Stringer with the same ids, so either can be
// passed to Error.
type Step string

// The steps, as the catalogue knows them.
const (
	Discovery     Step = "discovery"
	Login         Step = "login"
	TokenExchange Step = "token_exchange"
	JWTBearer     Step = "jwt_bearer"
	Resource      Step = "resource"
)

// String returns the step's id.
func (s Step) String() string { return string(s) }

// rule is one catalogue entry: when it applies, and what it says. A rule
// never matches on the HTTP status alone (the specs and the servers
// disagree on statuses); it needs an error code, a description pattern, a
// check, a fetch failure, an MCP code or a sentinel error.
type rule struct {
	id    string
	steps []Step // nil: any step
	// Matchers; every one that is set must match.
	status   int      // HTTP status
	code     string   // OAuth error code
	desc     *pattern // error_description (or MCP message)
	check    string   // check ID, a path.Match pattern ("discovery.*.issuer")
	fetch    *wire.FetchErrorKind
	mcpCode  int64
	sentinel error
	// when narrows the rule to what the flow knew (Facts); nil: always.
	when func(Facts) bool
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

func (r *rule) matches(step Step, err error, f Facts) bool {
	if r.steps != nil && !slices.Contains(r.steps, step) {
		return false
	}
	if r.when != nil && !r.when(f) {
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

func (r *rule) matchText(s string) bool { return r.desc == nil || r.desc.match(s) }

// Facts are what the flow knew when an error arose, beyond the error
// itself; they tell apart causes that the server words the same way.
type Facts struct {
	// AudienceRequested is the audience the token exchange asked for.
	AudienceRequested string
	// ASIssuer is the resource AS's issuer from its metadata.
	ASIssuer string
	// IDJAGAud is the aud of the ID-JAG the IdP issued.
	IDJAGAud []string
	// IdPNotOkta: the IdP is known not to be an Okta org (config.OktaIdP),
	// so Okta's features and console screens do not explain its answers.
	IdPNotOkta bool
	// TokenEndpoint is the resource AS's token endpoint the request went to.
	TokenEndpoint string
	// description is the server's error_description, for rules that
	// compare it with what the flow knew.
	description string
}

// idpNotOkta: the IdP is not an Okta org.
func idpNotOkta(f Facts) bool { return f.IdPNotOkta }

// askedForTheAS: the token exchange asked for the resource AS's own
// issuer, so a wrong audience is the IdP's doing, not the request's.
func askedForTheAS(f Facts) bool {
	return f.AudienceRequested != "" && f.AudienceRequested == f.ASIssuer
}

// idpRewroteAudience: the IdP was asked for the AS's issuer and wrote
// another aud into the ID-JAG.
func idpRewroteAudience(f Facts) bool {
	return askedForTheAS(f) && len(f.IDJAGAud) > 0 && !slices.Contains(f.IDJAGAud, f.AudienceRequested)
}

// wantsTokenEndpoint: the server's error names the token endpoint the
// request went to, as the aud it wants (fosite's RFC 7523 handler, so Ory
// Hydra, says "MUST contain an 'aud' (audience) claim containing a value
// '<token URL>'").
func wantsTokenEndpoint(f Facts) bool {
	return f.TokenEndpoint != "" && strings.Contains(f.description, f.TokenEndpoint)
}

// Error returns what err means at the given step and how to fix it, from
// the catalogue; a failed check without an entry is explained by its own
// hint; nil when nothing applies. Specific entries (an Okta
// description) win over generic ones (an error code).
func Error(at fmt.Stringer, err error) *Explanation { return ErrorGiven(at, err, Facts{}) }

// ErrorGiven is Error knowing what the flow knew: entries that apply only
// to some Facts ("the IdP was asked for the right audience") come first.
func ErrorGiven(at fmt.Stringer, err error, f Facts) *Explanation {
	if err == nil {
		return nil
	}
	step := Step(at.String())
	if oe := (*wire.OAuthError)(nil); errors.As(err, &oe) {
		f.description = oe.Description
	}
	for i := range catalogue {
		if catalogue[i].matches(step, err, f) {
			e := catalogue[i].Explanation
			e.ID = catalogue[i].id
			if f.IdPNotOkta {
				e.Fix = forAnyIdP.Replace(e.Fix)
			}
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

// Check explains a check that did not pass, when the catalogue has an
// entry for it.
func Check(at fmt.Stringer, c inspect.Check) *Explanation { return CheckGiven(at, c, Facts{}) }

// CheckGiven is Check knowing what the flow knew.
func CheckGiven(at fmt.Stringer, c inspect.Check, f Facts) *Explanation {
	if c.Status == inspect.StatusPass || c.Status == inspect.StatusSkip {
		return nil
	}
	return ErrorGiven(at, &wire.CheckError{Check: c}, f)
}

// pattern is a case-insensitive regular expression compiled on first use:
// the catalogue's fifty-odd patterns would otherwise cost every process,
// including those that never explain anything, milliseconds at start-up.
type pattern struct {
	src  string
	once sync.Once
	re   *regexp.Regexp
}

func re(src string) *pattern { return &pattern{src: `(?i)` + src} }

func (p *pattern) match(s string) bool {
	p.once.Do(func() { p.re = regexp.MustCompile(p.src) })
	return p.re.MatchString(s)
}

func fetchKind(k wire.FetchErrorKind) *wire.FetchErrorKind { return &k }

// ErrorJSON is a step's error with its explanation.
type ErrorJSON struct {
	// Error is the OAuth error code, or the kind of failure ("network.dns",
	// "check.id_jag.aud") when the server did not send one.
	Error            string   `json:"error"`
	ErrorDescription string   `json:"error_description,omitempty"`
	Status           int      `json:"status,omitempty"`
	Message          string   `json:"message"`
	Explanation      string   `json:"explanation,omitempty"`
	Causes           []string `json:"causes,omitempty"`
	Fix              string   `json:"fix,omitempty"`
	ExplanationID    string   `json:"explanation_id,omitempty"`
	Spec             string   `json:"spec,omitempty"`
}

// NewErrorJSON describes a failure and its explanation for the JSON
// outputs: tokens in messages shortened unless reveal is set.
func NewErrorJSON(err error, ex *Explanation, reveal bool) *ErrorJSON {
	j := &ErrorJSON{Message: wire.DisplayText(err.Error(), reveal)}
	var oe *wire.OAuthError
	var fe *wire.FetchError
	var ce *wire.CheckError
	var me *wire.MCPError
	switch {
	case errors.As(err, &oe):
		j.Error, j.ErrorDescription, j.Status = oe.Code, wire.DisplayText(oe.Description, reveal), oe.Status
	case errors.As(err, &ce):
		j.Error = "check." + ce.Check.ID
	case errors.As(err, &fe):
		j.Error, j.Status = "network."+fe.Kind.String(), fe.Status
	case errors.As(err, &me):
		j.Error, j.Status = "mcp", me.Status
	default:
		j.Error = "xaa"
	}
	if ex != nil {
		j.Explanation, j.Causes, j.Fix, j.ExplanationID, j.Spec = ex.Meaning, ex.Causes, ex.Fix, ex.ID, ex.Spec
	}
	return j
}
