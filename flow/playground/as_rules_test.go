package playground_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/xaatools/xaa/flow/playground"
)

// ruleCase is an ID-JAG that breaks exactly one validation rule of the
// resource AS (draft §4.4.1), and the AS fault that switches the rule off.
type ruleCase struct {
	checkID string
	fault   string
	// mutate breaks the rule in a valid ID-JAG for alice.
	mutate func(m *playground.MintRequest, now time.Time)
	// params are extra jwt-bearer parameters.
	params url.Values
	// want is a further part of the error description.
	want string
}

func ruleCases(e *env) []ruleCase {
	return []ruleCase{
		{checkID: "id_jag.typ", fault: playground.FaultASSkipTyp, want: "oauth-id-jag+jwt",
			mutate: func(m *playground.MintRequest, _ time.Time) { m.Header["typ"] = "JWT" }},
		{checkID: "id_jag.alg", fault: playground.FaultASSkipAlg, want: "PS256",
			mutate: func(m *playground.MintRequest, _ time.Time) { m.Header["alg"] = "PS256" }},
		{checkID: "id_jag.iss", fault: playground.FaultASSkipIss, want: "https://idp.evil.example",
			mutate: func(m *playground.MintRequest, _ time.Time) { m.Claims["iss"] = "https://idp.evil.example" }},
		{checkID: "id_jag.signature", fault: playground.FaultASSkipSignature, want: "does not verify",
			mutate: func(m *playground.MintRequest, _ time.Time) { m.Key = playground.MintUnpublishedRS256 }},
		{checkID: "id_jag.aud", fault: playground.FaultASSkipAud, want: "trailing slash",
			mutate: func(m *playground.MintRequest, _ time.Time) { m.Claims["aud"] = e.cfg.ResourceAS.Issuer + "/" }},
		{checkID: "id_jag.exp", fault: playground.FaultASSkipExp, want: "expired",
			mutate: func(m *playground.MintRequest, now time.Time) {
				m.Claims["iat"], m.Claims["exp"] = now.Add(-10*time.Minute).Unix(), now.Add(-6*time.Minute).Unix()
			}},
		{checkID: "id_jag.iat", fault: playground.FaultASSkipIat, want: "in the future",
			mutate: func(m *playground.MintRequest, now time.Time) {
				m.Claims["iat"], m.Claims["exp"] = now.Add(10*time.Minute).Unix(), now.Add(12*time.Minute).Unix()
			}},
		{checkID: "id_jag.nbf", fault: playground.FaultASSkipNbf, want: "not valid",
			mutate: func(m *playground.MintRequest, now time.Time) { m.Claims["nbf"] = now.Add(3 * time.Minute).Unix() }},
		{checkID: "id_jag.lifetime", fault: playground.FaultASSkipLifetime, want: "1h",
			mutate: func(m *playground.MintRequest, now time.Time) { m.Claims["exp"] = now.Add(time.Hour).Unix() }},
		{checkID: "id_jag.jti", fault: playground.FaultASSkipJTI, want: "(absent)",
			mutate: func(m *playground.MintRequest, _ time.Time) { m.Claims["jti"] = nil }},
		{checkID: "id_jag.client_id", fault: playground.FaultASSkipClientID, want: playground.IdPClientID,
			mutate: func(m *playground.MintRequest, _ time.Time) { m.Claims["client_id"] = playground.IdPClientID }},
		{checkID: "id_jag.sub", fault: playground.FaultASSkipSub, want: "sub is required",
			mutate: func(m *playground.MintRequest, _ time.Time) { m.Claims["sub"] = nil }},
		{checkID: "id_jag.scope", fault: playground.FaultASSkipScope, want: "not granted: todos.write",
			mutate: func(m *playground.MintRequest, _ time.Time) { m.Claims["scope"] = "todos.read" },
			params: url.Values{"scope": {"todos.write"}}},
		{checkID: "id_jag.resource", fault: playground.FaultASSkipResource, want: "https://api.other.example",
			mutate: func(m *playground.MintRequest, _ time.Time) { m.Claims["resource"] = "https://api.other.example" }},
	}
}

// TestASRules: for every rule, an ID-JAG that breaks only that rule is
// refused with invalid_grant naming the rule, and accepted once the fault
// that switches the rule off is on.
func TestASRules(t *testing.T) {
	strict := start(t, playground.Options{})
	covered := map[string]bool{}
	for _, c := range ruleCases(strict) {
		covered[c.fault] = true
		t.Run(c.checkID, func(t *testing.T) {
			r := strict.bearer(mintBroken(t, strict, c), c.params)
			t.Logf("%s", r.str("error_description"))
			wantError(t, r, http.StatusBadRequest, "invalid_grant", c.checkID+" failed")
			if !strings.Contains(r.str("error_description"), c.want) {
				t.Errorf("description %q does not name %q", r.str("error_description"), c.want)
			}
		})
		t.Run(c.fault, func(t *testing.T) {
			lax := start(t, playground.Options{Faults: []string{c.fault}})
			var lc ruleCase
			for _, x := range ruleCases(lax) {
				if x.fault == c.fault {
					lc = x
				}
			}
			r := lax.bearer(mintBroken(t, lax, lc), lc.params)
			if r.status != http.StatusOK || r.str("access_token") == "" {
				t.Errorf("with %s: got HTTP %d %s, want an access token", c.fault, r.status, r.raw)
			}
		})
	}
	for _, f := range playground.Faults() {
		// as-skip-single-assertion bends the request, not the ID-JAG: TestRepeatedAssertion.
		if f.Party == playground.PartyAS && !covered[f.Name] && f.Name != playground.FaultASSkipSingleAssertion {
			t.Errorf("AS fault %s has no rule case", f.Name)
		}
	}
}

// mintBroken mints alice's ID-JAG with one rule broken.
func mintBroken(t *testing.T, e *env, c ruleCase) string {
	t.Helper()
	m, err := e.p.IDJAGTemplate("alice")
	if err != nil {
		t.Fatal(err)
	}
	c.mutate(&m, time.Now())
	tok, err := e.p.Mint(m)
	if err != nil {
		t.Fatalf("Mint: %v", err)
	}
	return tok
}

// TestASStateRules covers the rules that need the AS's state: replay, the
// local user, the ID token mix-up, and the request's own parameters.
func TestASStateRules(t *testing.T) {
	e := start(t, playground.Options{})
	template := func(t *testing.T, user string) playground.MintRequest {
		m, err := e.p.IDJAGTemplate(user)
		if err != nil {
			t.Fatal(err)
		}
		return m
	}
	mint := func(t *testing.T, m playground.MintRequest) string {
		tok, err := e.p.Mint(m)
		if err != nil {
			t.Fatal(err)
		}
		return tok
	}
	t.Run("replay", func(t *testing.T) {
		tok := mint(t, template(t, "alice"))
		if r := e.bearer(tok, nil); r.status != http.StatusOK {
			t.Fatalf("first use: HTTP %d %s", r.status, r.raw)
		}
		wantError(t, e.bearer(tok, nil), http.StatusBadRequest, "invalid_grant", "id_jag.jti failed: jti")
	})
	t.Run("unprovisioned user", func(t *testing.T) {
		wantError(t, e.bearer(mint(t, template(t, "dave")), nil), http.StatusBadRequest, "invalid_grant", "id_jag.sub failed: sub \"usr_dave\"")
	})
	t.Run("id token instead of id-jag", func(t *testing.T) {
		idTok := e.login("alice").str("id_token")
		wantError(t, e.bearer(idTok, nil), http.StatusBadRequest, "invalid_grant", "ID token")
	})
	t.Run("unknown scope", func(t *testing.T) {
		wantError(t, e.bearer(mint(t, template(t, "alice")), url.Values{"scope": {"todos.delete"}}), http.StatusBadRequest, "invalid_grant", "id_jag.scope")
	})
	t.Run("no scope at all", func(t *testing.T) {
		m := template(t, "alice")
		m.Claims["scope"] = "email"
		wantError(t, e.bearer(mint(t, m), nil), http.StatusBadRequest, "invalid_scope", "grants no scope of this resource")
	})
	t.Run("resource parameter not served", func(t *testing.T) {
		wantError(t, e.bearer(mint(t, template(t, "alice")), url.Values{"resource": {"https://api.other.example"}}), http.StatusBadRequest, "invalid_target", "not served")
	})
	t.Run("resource parameter narrows the token", func(t *testing.T) {
		r := e.bearer(mint(t, template(t, "alice")), url.Values{"resource": {e.p.ResourceURL()}, "scope": {"todos.read"}})
		if r.status != http.StatusOK || r.str("scope") != "todos.read" {
			t.Errorf("got HTTP %d %s, want todos.read granted", r.status, r.raw)
		}
	})
	t.Run("not a JWT", func(t *testing.T) {
		wantError(t, e.bearer("not-a-jwt", nil), http.StatusBadRequest, "invalid_grant", "not one compact JWS")
	})
	t.Run("alg none", func(t *testing.T) {
		m := template(t, "alice")
		m.Header["alg"] = "none"
		wantError(t, e.bearer(mint(t, m), nil), http.StatusBadRequest, "invalid_grant", "id_jag.alg failed")
	})
	t.Run("algorithm confusion", func(t *testing.T) {
		m := template(t, "alice")
		m.Header["alg"] = "HS256"
		wantError(t, e.bearer(mint(t, m), nil), http.StatusBadRequest, "invalid_grant", "id_jag.alg failed")
	})
	t.Run("ES256 key accepted", func(t *testing.T) {
		m := template(t, "alice")
		m.Key = playground.MintES256
		delete(m.Header, "alg")
		delete(m.Header, "kid")
		if r := e.bearer(mint(t, m), nil); r.status != http.StatusOK {
			t.Errorf("ES256 ID-JAG: HTTP %d %s", r.status, r.raw)
		}
	})
}

// TestSkipFaultsKeepOtherRules: switching one rule off leaves the others
// on — an expired ID-JAG accepted under as-skip-exp still cannot be
// replayed, and one without jti is still refused under as-skip-exp.
func TestSkipFaultsKeepOtherRules(t *testing.T) {
	e := start(t, playground.Options{Faults: []string{playground.FaultASSkipExp}})
	m, err := e.p.IDJAGTemplate("alice")
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now()
	m.Claims["iat"], m.Claims["exp"] = now.Add(-10*time.Minute).Unix(), now.Add(-6*time.Minute).Unix()
	expired, err := e.p.Mint(m)
	if err != nil {
		t.Fatal(err)
	}
	if r := e.bearer(expired, nil); r.status != http.StatusOK {
		t.Fatalf("expired ID-JAG under as-skip-exp: HTTP %d %s", r.status, r.raw)
	}
	wantError(t, e.bearer(expired, nil), 400, "invalid_grant", "id_jag.jti failed")
	m.Claims["jti"] = nil
	noJTI, _ := e.p.Mint(m)
	wantError(t, e.bearer(noJTI, nil), 400, "invalid_grant", "id_jag.jti failed")
}
