package flow

import (
	"fmt"
	"strings"
	"time"

	"github.com/xaatools/xaa/flow/config"
	"github.com/xaatools/xaa/flow/explain"
	"github.com/xaatools/xaa/flow/wire"
	"github.com/xaatools/xaa/inspect"
)

// StepID names one step of the flow.
type StepID int

// The steps, in the order they run.
const (
	StepDiscovery     StepID = iota // metadata and keys of every party
	StepLogin                       // OIDC authorization code + PKCE at the IdP
	StepTokenExchange               // RFC 8693 at the IdP: ID token → ID-JAG
	StepJWTBearer                   // RFC 7523 at the resource AS: ID-JAG → access token
	StepResource                    // REST and/or MCP call with the access token
)

// Steps returns every step in running order.
func Steps() []StepID {
	return []StepID{StepDiscovery, StepLogin, StepTokenExchange, StepJWTBearer, StepResource}
}

// Number is how every view numbers the step: discovery 0, then the four
// steps of Cross App Access 1–4 (login, token exchange, jwt-bearer grant,
// resource call), as the draft and the Okta guides count them.
func (s StepID) Number() int { return int(s) }

// String returns the stable identifier used in JSON and on the command line.
func (s StepID) String() string {
	switch s {
	case StepDiscovery:
		return "discovery"
	case StepLogin:
		return "login"
	case StepTokenExchange:
		return "token_exchange"
	case StepJWTBearer:
		return "jwt_bearer"
	case StepResource:
		return "resource"
	}
	return fmt.Sprintf("step(%d)", int(s))
}

// Name returns the step's short name for people ("Token exchange").
func (s StepID) Name() string {
	switch s {
	case StepDiscovery:
		return "Discovery"
	case StepLogin:
		return "Login"
	case StepTokenExchange:
		return "Token exchange"
	case StepJWTBearer:
		return "JWT bearer"
	case StepResource:
		return "Resource"
	}
	return s.String()
}

// Title returns the step's name for people, with what it does.
func (s StepID) Title() string {
	switch s {
	case StepDiscovery:
		return "Discovery"
	case StepLogin:
		return "Login (authorization code + PKCE)"
	case StepTokenExchange:
		return "Token exchange (ID token → ID-JAG)"
	case StepJWTBearer:
		return "JWT bearer grant (ID-JAG → access token)"
	case StepResource:
		return "Resource call"
	}
	return s.String()
}

// TitleFor is Title for a run whose token exchange sends subject (one of
// config.SubjectIDToken and config.SubjectRefreshToken).
func (s StepID) TitleFor(subject string) string {
	if s == StepTokenExchange && subject == config.SubjectRefreshToken {
		return "Token exchange (refresh token → ID-JAG)"
	}
	return s.Title()
}

// MarshalText encodes the step as its identifier.
func (s StepID) MarshalText() ([]byte, error) { return []byte(s.String()), nil }

// UnmarshalText decodes an identifier written by MarshalText.
func (s *StepID) UnmarshalText(b []byte) error {
	id, err := ParseStepID(string(b))
	if err != nil {
		return err
	}
	*s = id
	return nil
}

// ParseStepID parses a step identifier ("token_exchange"); "-" and "_" are
// interchangeable.
func ParseStepID(s string) (StepID, error) {
	norm := strings.ReplaceAll(strings.ToLower(strings.TrimSpace(s)), "-", "_")
	for _, id := range Steps() {
		if id.String() == norm {
			return id, nil
		}
	}
	names := make([]string, 0, 5)
	for _, id := range Steps() {
		names = append(names, id.String())
	}
	return 0, fmt.Errorf("unknown step %q: use one of %s", s, strings.Join(names, ", "))
}

// Step is the full record of one step: what was sent and received, the
// tokens and checks, and what went wrong. A step returns it even when it
// fails, because the failure is the interesting part.
type Step struct {
	ID StepID
	// Status is pass, warn or fail, or skipped when the step did not run
	// (an input it needs is missing, or the run started later).
	Status inspect.Status
	// Started is when the step began (Env.Now) and Duration how long it took.
	Started  time.Time
	Duration time.Duration
	// Exchanges are the HTTP round trips, in order, secrets redacted.
	Exchanges []*wire.Exchange
	// Tokens are the tokens the step received (or was given), analysed.
	Tokens []inspect.Analysis
	// Checks are the step's own checks (metadata, responses, chain).
	Checks inspect.Report
	// Err is why the step failed: an *OAuthError, a *FetchError, a
	// *CheckError or a *LocalError. Nil when it did not fail.
	Err error
	// Explanation says what Err means and how to fix it; nil when the
	// catalogue has nothing better than Err's own message.
	Explanation *explain.Explanation
	// Facts are what the step knew beyond its error (the audience asked
	// for, the one the ID-JAG carries): explanations of its error and its
	// checks are chosen with them.
	Facts explain.Facts
	// Notes are facts worth showing that are not checks ("opened the
	// browser", "tools: list_todos, add_todo").
	Notes []string
	// In is the state the step started from and Out the state it hands on.
	// Resend runs a step again from In.
	In, Out State
	// Overrides are the parameters changed for this run of the step.
	Overrides Overrides
	// AuthMethod is the client authentication the step's token request
	// used (client_secret_basic, private_key_jwt, …); empty for the steps
	// that send none (discovery, the resource call).
	AuthMethod string
	// Subject is what a token exchange sent as its subject token
	// (config.SubjectIDToken or config.SubjectRefreshToken); "" for a
	// given token of another type, and for the other steps.
	Subject string
	// Missing are the inputs a skipped step lacked, each with where it can
	// come from.
	Missing []Input
	// Resource is what the resource step got back; nil for other steps.
	Resource *ResourceResult
}

// finish sets the status from the error and the checks and records the
// duration. From the token exchange on, the checks of the tokens received
// and of their chain are advice: the requesting app treats the ID-JAG and
// the access token as opaque, and the server that consumes each one (the
// resource AS, the resource) gives the verdict in the next step. So a
// failed advisory check makes the step warn, not fail, and the flow goes on
// to hear that verdict.
// Title is the step's title as it ran: a token exchange names the subject
// it sent.
func (s *Step) Title() string { return s.ID.TitleFor(s.Subject) }

func (s *Step) finish(now time.Time) *Step {
	s.Duration = now.Sub(s.Started)
	worst, advised := inspect.StatusPass, false
	consider := func(c inspect.Check, advisory bool) {
		st := c.Status
		if st == inspect.StatusSkip {
			return
		}
		if advisory && st == inspect.StatusFail {
			st, advised = inspect.StatusWarn, true
		}
		worst = max(worst, st)
	}
	for _, a := range s.Tokens {
		for _, c := range a.Checks {
			consider(c, s.advisory())
		}
	}
	for _, c := range s.Checks {
		consider(c, s.advisory() && strings.HasPrefix(c.ID, "chain."))
	}
	switch {
	case s.Err != nil || worst == inspect.StatusFail:
		s.Status = inspect.StatusFail
	case worst == inspect.StatusWarn:
		s.Status = inspect.StatusWarn
	default:
		s.Status = inspect.StatusPass
	}
	if s.Err == nil && worst == inspect.StatusFail {
		s.Err = firstFailedCheck(s)
	}
	if advised && s.Err == nil {
		s.note("some checks of the tokens failed; they are advice here — the %s gives the verdict", s.ID.consumer())
	}
	if s.Err != nil && s.Explanation == nil {
		s.Explanation = explain.ErrorGiven(s.ID, s.Err, s.Facts)
	}
	return s
}

// advisory reports whether the step's token and chain checks are advice.
func (s *Step) advisory() bool {
	return s.ID == StepTokenExchange || s.ID == StepJWTBearer || s.ID == StepResource
}

// consumer names who judges the tokens a step receives.
func (id StepID) consumer() string {
	switch id {
	case StepTokenExchange:
		return "resource AS (jwt_bearer step)"
	case StepJWTBearer:
		return "resource (resource step)"
	}
	return "resource"
}

// firstFailedCheck wraps the first failing check that is not advice,
// token checks first.
func firstFailedCheck(s *Step) error {
	if !s.advisory() {
		for _, a := range s.Tokens {
			if c, ok := a.Checks.FirstFailure(); ok {
				return &wire.CheckError{Check: c, Token: a.Token.Kind.String()}
			}
		}
	}
	for _, c := range s.Checks {
		if c.Status == inspect.StatusFail && !(s.advisory() && strings.HasPrefix(c.ID, "chain.")) {
			return &wire.CheckError{Check: c}
		}
	}
	return nil
}

// fail records err as the step's error unless it has one already: the
// first failure is the one to explain.
func (s *Step) fail(err error) {
	if s.Err == nil {
		s.Err = err
	}
}

// check appends a check to the step.
func (s *Step) check(id string, st inspect.Status, title, expected, actual, hint, spec string) {
	s.Checks = append(s.Checks, inspect.Check{ID: id, Status: st, Title: title, Expected: expected, Actual: actual, Hint: hint, Spec: spec})
}

// adopt appends checks judged elsewhere (inspect's), renamed into the
// step's namespace: "as_metadata.grant_profile" under "discovery.as"
// becomes "discovery.as.grant_profile".
func (s *Step) adopt(prefix string, checks ...inspect.Check) {
	for _, c := range checks {
		_, name, _ := strings.Cut(c.ID, ".")
		c.ID = prefix + "." + name
		s.Checks = append(s.Checks, c)
	}
}

// note appends a note.
func (s *Step) note(format string, args ...any) {
	s.Notes = append(s.Notes, fmt.Sprintf(format, args...))
}

// Token returns the first analysed token of the given kind.
func (s *Step) Token(kind inspect.Kind) (inspect.Analysis, bool) {
	for _, a := range s.Tokens {
		if a.Token.Kind == kind {
			return a, true
		}
	}
	return inspect.Analysis{}, false
}
