package inspect

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"
)

// Options configure Analyze.
type Options struct {
	// Want is the kind the caller expects (an ID-JAG at the resource AS);
	// KindUnknown means "whatever the token is".
	Want Kind
	// Keys verify the signature; nil leaves it unverified.
	Keys *KeySet
	// KeySource names where Keys came from, for the verdict line.
	KeySource string
	// KeyProblem says why there are no keys ("--offline", "the issuer is
	// unreachable: …"); it becomes the verdict when Keys is nil.
	KeyProblem string
	// KeysSelfAsserted says Keys were found through the token's own iss,
	// not an issuer the caller pinned: a verified signature then proves
	// self-consistency only, and the signature check says so (warn).
	KeysSelfAsserted bool
	// Expect holds the values the claims are compared against.
	Expect Expect
}

// TimeClaim is a time-valued claim rendered for people.
type TimeClaim struct {
	Claim string    `json:"claim"`
	Time  time.Time `json:"utc"`
	// Relative is "expires in 4m12s", "issued 2m ago".
	Relative string `json:"relative"`
}

// Analysis is everything xaa knows about one token: the decoded token, the
// signature verdict and every check.
type Analysis struct {
	Token *Token
	// For says which of several servers the token is for ("the MCP
	// server"), when a step got one each; set by the caller.
	For       string
	Signature Signature
	Checks    Report
	// Times are the token's time claims, in claim order, relative to Expect.Now.
	Times []TimeClaim
	// Reveal puts the raw token into the JSON encoding. Off by default:
	// tokens are credentials.
	Reveal bool
}

// Analyze decodes nothing itself: it verifies t against o.Keys and runs the
// checks for the kind o.Want (or t's own kind), after a check that decoding
// went cleanly and, when o.Want is set, that t is of that kind.
func Analyze(t *Token, o Options) Analysis {
	if o.Expect.Now.IsZero() {
		o.Expect.Now = time.Now()
	}
	a := Analysis{Token: t}
	a.Signature = Verify(t, o.Keys, VerifyOptions{Algorithms: o.Expect.Algorithms, KeySource: o.KeySource, KeyProblem: o.KeyProblem, SelfAsserted: o.KeysSelfAsserted})
	a.Checks = make(Report, 0, 20) // the ID-JAG rules and the two above, without regrowing
	a.Checks = append(a.Checks, decodeCheck(t))
	kind := t.Kind
	kindFailed := false
	if o.Want != KindUnknown {
		c := CheckKind(t, o.Want)
		kindFailed = c.Status == StatusFail
		a.Checks = append(a.Checks, c)
		if t.Format == FormatJWS {
			kind = o.Want
		}
	}
	switch kind {
	case KindIDToken:
		a.Checks = append(a.Checks, CheckIDToken(t, a.Signature, o.Expect)...)
	case KindIDJAG:
		a.Checks = checkIDJAG(a.Checks, t, a.Signature, o.Expect)
		if kindFailed { // the kind check above already names the mix-up
			a.Checks = slices.DeleteFunc(a.Checks, func(c Check) bool { return c.ID == "id_jag.kind" })
		}
	case KindAccessToken:
		if t.Format == FormatJWS {
			a.Checks = append(a.Checks, CheckAccessToken(t, a.Signature, o.Expect)...)
		}
	case KindUnknown:
		if t.Format == FormatJWS {
			a.Checks = append(a.Checks, CheckJWT(t, a.Signature, o.Expect)...)
		}
	}
	a.Checks = append(a.Checks, envelopeChecks(t)...)
	for _, m := range t.Claims {
		if IsTimeClaim(m.Name) {
			if tm, ok := t.Claims.Time(m.Name); ok {
				a.Times = append(a.Times, TimeClaim{Claim: m.Name, Time: tm, Relative: DescribeTime(m.Name, tm, o.Expect.Now)})
			}
		}
	}
	return a
}

// envelopeChecks checks the identifiers in the token response or form body
// the token came in (issued_token_type, grant_type …), where misspelt URNs
// hide.
func envelopeChecks(t *Token) Report {
	var r Report
	for _, m := range t.Envelope {
		if _, ok := knownURNs[m.Name]; ok {
			if v, ok := t.Envelope.String(m.Name); ok {
				r = append(r, CheckURN(m.Name, v))
			}
		}
	}
	return r
}

// decodeCheck turns decode problems into a check.
func decodeCheck(t *Token) Check {
	c := Check{ID: "decode", Title: "token decodes cleanly", Expected: "a " + t.Format.String() + " with no problems", Spec: "RFC 7515 §7.1"}
	if t.Format == FormatBroken {
		c.Expected = "a JWS of 3 segments or a JWE of 5, each base64url-encoded"
	}
	switch {
	case t.Format == FormatOpaque:
		c.Status = StatusSkip
		c.Expected = ""
		c.Actual = "opaque: nothing to decode"
		return c
	case len(t.Problems) == 0:
		c.Status = StatusPass
		c.Actual = fmt.Sprintf("%d segments decoded", len(t.Segments))
		return c
	}
	msgs := make([]string, len(t.Problems))
	c.Status = StatusWarn
	for i, p := range t.Problems {
		msgs[i] = p.Message
		if p.Status == StatusFail {
			c.Status = StatusFail
		}
	}
	c.Actual = strings.Join(msgs, "; ")
	if c.Status == StatusFail {
		c.Hint = "copy the whole token again: log lines and terminals often cut tokens short or wrap them"
	}
	return c
}

// MarshalJSON writes the stable JSON shape of `xaa decode --json` and of the
// tokens in `xaa run --json`: name, kind, header, claims, signature, checks.
// It writes the members itself, into a buffer sized once, rather than
// marshalling a struct: encoding/json would copy a megabyte of claims
// several times over.
func (a Analysis) MarshalJSON() ([]byte, error) {
	t := a.Token
	size := 4096 + t.Header.jsonSize() + t.Claims.jsonSize()
	if a.Reveal {
		size += len(t.Raw) + 16
	}
	b := make([]byte, 0, size)
	var err error
	member := func(name string, v any) {
		if err != nil {
			return
		}
		if len(b) > 0 {
			b = append(b, ',')
		} else {
			b = append(b, '{')
		}
		b = append(b, '"')
		b = append(b, name...)
		b = append(b, '"', ':')
		if o, ok := v.(Object); ok {
			b = o.appendJSON(b)
			return
		}
		var j []byte
		j, err = json.Marshal(v)
		b = append(b, j...)
	}
	if t.Name != "" {
		member("name", t.Name)
	}
	if a.For != "" {
		member("for", a.For)
	}
	member("kind", t.Kind)
	member("kind_reason", t.KindReason)
	member("format", t.Format.String())
	if a.Reveal && t.Raw != "" {
		member("token", t.Raw)
	}
	member("header", t.Header)
	member("claims", t.Claims)
	if len(a.Times) > 0 {
		member("times", a.Times)
	}
	member("signature", a.Signature)
	member("checks", a.Checks)
	if len(t.Problems) > 0 {
		member("problems", t.Problems)
	}
	if len(t.Notes) > 0 {
		member("notes", t.Notes)
	}
	return append(b, '}'), err
}
