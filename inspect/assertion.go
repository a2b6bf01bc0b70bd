package inspect

import (
	"fmt"
	"slices"
	"strings"
	"time"
)

const specAssertion = "RFC 7523 §3"

// AssertionExpect is what a client assertion (private_key_jwt, RFC 7523
// §2.2) is judged against by the server that receives it.
type AssertionExpect struct {
	Now time.Time
	// ClientID is the client_id sent beside the assertion; "" when none.
	ClientID string
	// Audiences are the aud values the server accepts, the one it prefers
	// first (its token endpoint; some servers also take their issuer).
	Audiences []string
	// MaxLifetime bounds how far ahead exp may be; 0 means no bound.
	MaxLifetime time.Duration
}

// CheckClientAssertion judges the claims of a client assertion (RFC 7523
// §3): iss and sub both the client id (and equal to a client_id sent with
// it), an aud the server accepts, an exp that is present and not too far
// ahead, and a jti to make replays detectable. The signature and the
// time claims are CheckJWT's.
func CheckClientAssertion(t *Token, e AssertionExpect) Report {
	iss, _ := t.Claims.String("iss")
	sub, _ := t.Claims.String("sub")
	var r Report
	c := Check{ID: "client_assertion.iss_sub", Title: "iss and sub are both the client id", Expected: "iss = sub = client id",
		Actual: fmt.Sprintf("iss %q, sub %q", iss, sub), Spec: specAssertion, Status: StatusPass}
	switch {
	case iss == "" || sub == "":
		c.Status, c.Hint = StatusFail, "iss and sub must both be the client id (RFC 7523 §3)"
	case iss != sub:
		c.Status, c.Hint = StatusFail, fmt.Sprintf("iss %q and sub %q differ; both must be the client id (RFC 7523 §3)", iss, sub)
	}
	r = append(r, c)

	c = Check{ID: "client_assertion.client_id", Title: "the assertion is the client_id's", Expected: e.ClientID, Actual: iss, Spec: "RFC 7521 §4.2", Status: StatusPass}
	switch {
	case e.ClientID == "":
		c.Status, c.Expected, c.Hint = StatusSkip, "(no client_id sent)", "nothing to compare: the request names its client only in the assertion"
	case e.ClientID != iss:
		c.Status, c.Hint = StatusFail, fmt.Sprintf("it is issued by %q but client_id is %q", iss, e.ClientID)
	}
	r = append(r, c)

	exp, hasExp := t.Claims.Time("exp")
	c = Check{ID: "client_assertion.exp", Title: "exp is present", Expected: "an expiry", Spec: specAssertion, Status: StatusPass, Actual: FormatTime(exp)}
	if !hasExp {
		c.Status, c.Actual, c.Hint = StatusFail, "(absent)", "exp is missing; RFC 7523 §3 requires it"
	}
	r = append(r, c)
	if hasExp && e.MaxLifetime > 0 {
		ahead := exp.Sub(e.Now)
		c = Check{ID: "client_assertion.lifetime", Title: "exp is not too far ahead", Expected: "at most " + HumanDuration(e.MaxLifetime),
			Actual: HumanDuration(ahead) + " ahead", Spec: specAssertion, Status: StatusPass}
		if ahead > e.MaxLifetime {
			c.Status, c.Hint = StatusFail, fmt.Sprintf("exp is %s ahead; make it at most %s", HumanDuration(ahead), HumanDuration(e.MaxLifetime))
		}
		r = append(r, c)
	}

	auds, _, _ := t.Claims.Strings("aud")
	c = Check{ID: "client_assertion.aud", Title: "aud is this server", Expected: strings.Join(e.Audiences, " or "), Actual: strings.Join(auds, ", "), Spec: specAssertion, Status: StatusFail}
	for _, a := range e.Audiences {
		if slices.Contains(auds, a) {
			c.Status = StatusPass
		}
	}
	if c.Status == StatusFail {
		c.Hint = fmt.Sprintf("aud is %q; it must be %s", c.Actual, c.Expected)
	}
	r = append(r, c)

	jti, _ := t.Claims.String("jti")
	c = Check{ID: "client_assertion.jti", Title: "jti makes the assertion single-use", Expected: "a unique jti", Actual: jti, Spec: specAssertion, Status: StatusPass}
	if jti == "" {
		c.Status, c.Actual, c.Hint = StatusWarn, "(absent)", "without a jti the server cannot detect a replayed assertion; Okta requires one"
	}
	return append(r, c)
}
