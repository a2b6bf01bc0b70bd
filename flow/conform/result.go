package conform

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/xaatools/xaa/flow"
	"github.com/xaatools/xaa/flow/explain"
	"github.com/xaatools/xaa/flow/wire"
	"github.com/xaatools/xaa/inspect"
)

// Verdict is the outcome of one conformance case.
type Verdict int

// The verdicts. Accepted is right for the baseline, a policy choice for a
// probe, and harmless for a scope case that granted nothing the ID-JAG
// withholds; Lenient is a strictness case accepted (looser than the RFC,
// not a vulnerability); Vulnerable is a broken ID-JAG turned into an access token;
// Refused is the baseline rejected (nothing else can then be judged);
// Inconclusive means no usable answer came back (down, slow, garbage, a
// server error); Skipped means the config cannot express the case.
const (
	VerdictAccepted Verdict = iota
	VerdictRejected
	VerdictVulnerable
	VerdictRefused
	VerdictInconclusive
	VerdictSkipped
	VerdictLenient
	// VerdictWrong is an answer check of the IdP scorecard that found the
	// IdP's good answer breaking a rule (token_type Bearer, a long-lived
	// ID-JAG …): a failure, though not a token it should have refused.
	VerdictWrong
)

// String returns the identifier used in JSON.
func (v Verdict) String() string {
	switch v {
	case VerdictAccepted:
		return "accepted"
	case VerdictRejected:
		return "rejected"
	case VerdictVulnerable:
		return "vulnerable"
	case VerdictRefused:
		return "refused"
	case VerdictInconclusive:
		return "inconclusive"
	case VerdictLenient:
		return "lenient"
	case VerdictWrong:
		return "wrong"
	}
	return "skipped"
}

// MarshalText encodes the verdict as its identifier.
func (v Verdict) MarshalText() ([]byte, error) { return []byte(v.String()), nil }

// CaseResult is one case as it ran: what was sent, what came back, and the
// verdict.
type CaseResult struct {
	Case    Case
	Verdict Verdict
	// Summary is the verdict in one line ("rejected: invalid_grant").
	Summary string
	// UnexpectedError is set when the token was rejected, but not with one
	// of Case.ExpectedErrors.
	UnexpectedError bool
	// Sent is the token sent, decoded and checked the way the AS should
	// (nil when nothing was sent).
	Sent *inspect.Analysis
	// Scope is the scope parameter sent; Withheld a scope the ID-JAG does
	// not grant (scope cases).
	Scope, Withheld string
	// Err is what the AS answered instead of a token: an *OAuthError, a
	// *FetchError; Explanation says what it means.
	Err         error
	Explanation *explain.Explanation
	// AccessToken is what the AS issued, decoded (not verified); nil unless
	// the token was accepted. GrantedScope is the scope it granted.
	AccessToken  *inspect.Analysis
	GrantedScope string
	// Exchanges are the HTTP round trips, secrets redacted.
	Exchanges []*wire.Exchange
	Notes     []string
	Started   time.Time
	Duration  time.Duration
	// refusal is the AS's refusal in a few words ("invalid_grant (HTTP 400)").
	refusal string
}

// Status maps the verdict to a check status, for glyphs and colours:
// accepted and rejected pass (rejected with an unexpected error warns),
// vulnerable and refused fail, inconclusive and lenient warn.
func (r *CaseResult) Status() inspect.Status {
	switch r.Verdict {
	case VerdictAccepted:
		return inspect.StatusPass
	case VerdictRejected:
		if r.UnexpectedError {
			return inspect.StatusWarn
		}
		return inspect.StatusPass
	case VerdictVulnerable, VerdictRefused, VerdictWrong:
		return inspect.StatusFail
	case VerdictInconclusive, VerdictLenient:
		return inspect.StatusWarn
	}
	return inspect.StatusSkip
}

func (r *CaseResult) inconclusive(format string, args ...any) {
	r.Verdict, r.Summary = VerdictInconclusive, fmt.Sprintf(format, args...)
}

// judge sets the verdict from the AS's answer to the (last) request;
// facts are what the run knew, to explain a refusal.
func (r *CaseResult) judge(tr *wire.TokenResponse, err error, now time.Time, facts explain.Facts) {
	if err != nil {
		r.judgeRefusal(err, facts)
		return
	}
	at := tr.Str("access_token")
	if at == "" {
		r.inconclusive("HTTP %d without an access_token: neither a token response nor an error response (RFC 6749 §5.1, §5.2)", tr.Status)
		return
	}
	r.GrantedScope = tr.Str("scope")
	if r.GrantedScope == "" {
		r.GrantedScope = r.Scope
		if r.Scope != "" {
			r.Notes = append(r.Notes, "the response names no scope, which means the requested scope was granted (RFC 6749 §5.1)")
		}
	}
	if t, err := inspect.Decode(at); err == nil {
		t.Name = "access_token"
		a := inspect.Analyze(t, inspect.Options{Expect: inspect.Expect{Now: now},
			KeyProblem: "not verified: the scorecard only needs to know that the AS issued it"})
		r.AccessToken = &a
	}
	withheld := r.Withheld != "" && slices.Contains(strings.Fields(r.GrantedScope), r.Withheld)
	switch {
	case r.Case.Kind == CaseBaseline:
		r.Verdict, r.Summary = VerdictAccepted, "accepted: an access token was issued"
	case withheld:
		r.Verdict = VerdictVulnerable
		r.Summary = fmt.Sprintf("accepted: vulnerable — it granted %s, which the ID-JAG does not grant", r.Withheld)
	case r.Withheld != "":
		r.Verdict = VerdictAccepted
		r.Summary = fmt.Sprintf("accepted, granting only %q: %s", r.GrantedScope, r.Case.onAccept)
	case r.Case.Kind == CasePolicy:
		r.Verdict, r.Summary = VerdictAccepted, "accepted: "+r.Case.onAccept
	case r.Case.Kind == CaseStrictness:
		r.Verdict, r.Summary = VerdictLenient, "accepted: lenient — "+r.Case.onAccept
	default:
		r.Verdict, r.Summary = VerdictVulnerable, "accepted: vulnerable — the AS issued an access token for it"
	}
}

// judgeRefusal sets the verdict when no token came back.
func (r *CaseResult) judgeRefusal(err error, facts explain.Facts) {
	r.Err = err
	step, server := flow.StepJWTBearer, "AS"
	if r.Case.Party == PartyIdP {
		step, server = flow.StepTokenExchange, "IdP"
	}
	r.Explanation = explain.ErrorGiven(step, err, facts)
	var oe *wire.OAuthError
	var fe *wire.FetchError
	switch {
	case errors.As(err, &oe) && (oe.Status >= 500 || oe.Code == "server_error" || oe.Code == "temporarily_unavailable"):
		r.inconclusive("the %s failed (%s, HTTP %d) instead of judging the request", server, oe.Code, oe.Status)
	case errors.As(err, &oe):
		r.refused(oe.Code, oe.Status)
	case errors.As(err, &fe) && fe.Kind == wire.FetchStatus && fe.Status >= 400 && fe.Status < 500:
		r.refused("", fe.Status)
	case errors.Is(err, context.Canceled):
		r.inconclusive("interrupted before the %s answered", server)
	default:
		r.inconclusive("no usable answer: %v", err)
	}
}

// refused records a rejection with an error code ("" when the body had
// none) and its HTTP status.
func (r *CaseResult) refused(code string, status int) {
	what := fmt.Sprintf("%s (HTTP %d)", code, status)
	if code == "" {
		what = fmt.Sprintf("HTTP %d without an error code (RFC 6749 §5.2 asks for a JSON error)", status)
	}
	r.refusal = what
	switch {
	case r.Case.Kind == CaseBaseline && r.Case.Party == PartyIdP:
		r.Verdict = VerdictRefused
		r.Summary = "refused the valid token exchange: " + what + " — until the IdP issues an ID-JAG for the configured client, audience and user, the other verdicts prove nothing"
		return
	case r.Case.Kind == CaseBaseline && r.Explanation != nil && r.Explanation.ID == explainAudTokenEndpoint:
		r.Verdict = VerdictRefused
		r.Summary = "refused the valid ID-JAG: " + what + " — this AS takes only its token endpoint URL as aud, never its issuer, which is an ID-JAG's aud (" + draftAS + "): it refuses every ID-JAG, so the other verdicts prove nothing"
		return
	case r.Case.Kind == CaseBaseline:
		r.Verdict = VerdictRefused
		r.Summary = "refused the valid ID-JAG: " + what + " — configure the AS as the setup says; until it accepts this token the other verdicts prove nothing"
		return
	case r.Case.Kind == CasePolicy || r.Case.Kind == CaseStrictness:
		r.Verdict, r.Summary = VerdictRejected, "rejected with "+what+": "+r.Case.onReject
	default:
		r.Verdict, r.Summary = VerdictRejected, "rejected as it should: "+what
	}
	if !slices.Contains(r.Case.ExpectedErrors, code) {
		r.UnexpectedError = true
		spec := draftAS + ", RFC 7523 §3.1"
		if r.Case.Party == PartyIdP {
			spec = "RFC 8693 §2.2.2, RFC 6749 §5.2"
		}
		r.Summary = "rejected with " + what + ", but " + strings.Join(r.Case.ExpectedErrors, " or ") + " is expected (" + spec + ")"
		if r.Case.Kind == CasePolicy || r.Case.Kind == CaseStrictness {
			r.Summary += ": " + r.Case.onReject
		}
	}
}

// afterRefusedBaseline judges the case again knowing that the valid
// ID-JAG was refused: a rejection then proves nothing (this token may
// have been refused for the baseline's reason), and the token endpoint as
// aud accepted is the AS's own audience rule — the reason for the
// refusal, which the baseline's notes then say — not a looser one.
func (r *CaseResult) afterRefusedBaseline(baseline *CaseResult) {
	switch {
	case r.Verdict == VerdictRejected:
		valid := "the valid ID-JAG"
		if r.Case.Party == PartyIdP {
			valid = "the valid token exchange"
		}
		r.Verdict, r.UnexpectedError = VerdictInconclusive, false
		r.Summary = "rejected with " + r.refusal + ", as was " + valid + ": it may be for the same reason, so this proves nothing"
	case r.Verdict == VerdictVulnerable && r.Case.ID == caseAudTokenEndpoint:
		r.Verdict = VerdictInconclusive
		r.Summary = "accepted, where the valid ID-JAG (aud = the issuer) was refused: this AS takes its token endpoint URL as aud (RFC 7523 §3) instead of its issuer (" + draftAS + "), another audience rather than a looser check"
		baseline.Notes = append(baseline.Notes, "the same ID-JAG with aud = the token endpoint URL was accepted ("+caseAudTokenEndpoint+"): this AS wants RFC 7523's token endpoint audience, not the resource AS issuer that "+draftAS+" makes an ID-JAG's aud")
	}
}

// explainAudTokenEndpoint is the explanation of an AS that wants its
// token endpoint as aud.
const explainAudTokenEndpoint = "jwt_bearer.aud_token_endpoint"

// Score is the summary of a run.
type Score struct {
	// Verdict is "pass" (the baseline accepted, no broken ID-JAG accepted,
	// every case answered), "vulnerable" (a broken ID-JAG was accepted) or
	// "inconclusive" (the baseline was refused, or a case got no usable
	// answer).
	Verdict string `json:"verdict"`
	// Baseline is the baseline's verdict.
	Baseline Verdict `json:"baseline"`
	// Strict counts the strict cases; Passed those handled right (rejected,
	// or a scope case that granted nothing withheld), UnexpectedErrors the
	// rejections with another error than expected.
	Strict           int `json:"strict"`
	Passed           int `json:"passed"`
	UnexpectedErrors int `json:"unexpected_errors"`
	// Vulnerable and Inconclusive count cases of every kind.
	Vulnerable   int `json:"vulnerable"`
	Inconclusive int `json:"inconclusive"`
	Skipped      int `json:"skipped"`
	// Policy counts the policy probes, PolicyAccepted those accepted.
	Policy         int `json:"policy"`
	PolicyAccepted int `json:"policy_accepted"`
	// Strictness counts the strictness cases, Lenient those accepted: a
	// finding apart from the security score, which it leaves as it is.
	Strictness int `json:"strictness"`
	Lenient    int `json:"lenient"`
	// Answers counts the IdP scorecard's answer checks, Wrong those that
	// found a rule broken.
	Answers int `json:"answers"`
	Wrong   int `json:"wrong"`
	// Party is who was tested: "as" or "idp" (PartyIdP).
	Party string `json:"party"`
}

// Score sums up the results.
func (c *Scorecard) Score() Score {
	s := Score{Baseline: VerdictInconclusive, Party: cmp.Or(c.Party, PartyAS)}
	for _, r := range c.Results {
		switch r.Case.Kind {
		case CaseBaseline:
			s.Baseline = r.Verdict
		case CaseStrict:
			s.Strict++
			if r.Verdict == VerdictRejected || r.Verdict == VerdictAccepted {
				s.Passed++
			}
		case CasePolicy:
			s.Policy++
			if r.Verdict == VerdictAccepted {
				s.PolicyAccepted++
			}
		case CaseStrictness:
			s.Strictness++
			if r.Verdict == VerdictLenient {
				s.Lenient++
			}
		case CaseAnswer:
			s.Answers++
		}
		if r.UnexpectedError {
			s.UnexpectedErrors++
		}
		switch r.Verdict {
		case VerdictVulnerable:
			s.Vulnerable++
		case VerdictInconclusive:
			s.Inconclusive++
		case VerdictSkipped:
			s.Skipped++
		case VerdictWrong:
			s.Wrong++
		}
	}
	switch {
	case s.Vulnerable > 0:
		s.Verdict = "vulnerable"
	case s.Wrong > 0:
		s.Verdict = "wrong"
	case s.Baseline != VerdictAccepted || s.Inconclusive > 0:
		s.Verdict = "inconclusive"
	default:
		s.Verdict = "pass"
	}
	return s
}

// OK reports whether the AS passed: the baseline accepted, every broken
// ID-JAG rejected, every case answered (a lenient strictness case is
// reported, and does not count).
func (c *Scorecard) OK() bool { return c.Score().Verdict == "pass" }

// Result returns the result of the case with the given ID, or nil.
func (c *Scorecard) Result(id string) *CaseResult {
	for _, r := range c.Results {
		if r.Case.ID == id {
			return r
		}
	}
	return nil
}
