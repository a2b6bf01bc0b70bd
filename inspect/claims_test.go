package inspect_test

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/xaatools/xaa/inspect"
)

// analyze mints claims as typ with the "rs" key and analyzes them as want.
func analyze(t *testing.T, typ string, c []any, want inspect.Kind, e inspect.Expect) inspect.Analysis {
	t.Helper()
	tok := mustDecode(t, key(t, "rs").Mint(t, typ, claims(c...), nil))
	e.Now = now
	return inspect.Analyze(tok, inspect.Options{Want: want, Keys: mustJWKS(t, jwks(t, "rs")), Expect: e})
}

// failing lists the IDs of the checks that did not pass or skip.
func failing(r inspect.Report) map[string]inspect.Status {
	out := map[string]inspect.Status{}
	for _, c := range r {
		if c.Status == inspect.StatusFail || c.Status == inspect.StatusWarn {
			out[c.ID] = c.Status
		}
	}
	return out
}

var jagExpect = inspect.Expect{
	Issuer: idpIssuer, Audience: asIssuer, ClientID: asClient, Resources: []string{resourceID},
	Scope: "todos.read", TokenEndpoint: asToken,
}

func TestCheckIDJAGValid(t *testing.T) {
	a := analyze(t, "oauth-id-jag+jwt", jagClaims(), inspect.KindIDJAG, jagExpect)
	if f := failing(a.Checks); len(f) != 0 {
		t.Fatalf("valid ID-JAG has failing checks %v:\n%+v", f, a.Checks)
	}
	var ids []string
	for _, c := range a.Checks {
		ids = append(ids, c.ID)
	}
	want := "decode kind id_jag.kind id_jag.typ id_jag.alg id_jag.iss id_jag.signature id_jag.aud id_jag.exp id_jag.iat id_jag.lifetime id_jag.jti id_jag.client_id id_jag.sub id_jag.scope id_jag.resource_format id_jag.resource"
	if got := strings.Join(ids, " "); got != want {
		t.Errorf("check order:\n got %s\nwant %s", got, want)
	}
}

func TestCheckIDJAGRules(t *testing.T) {
	tests := []struct {
		name   string
		typ    string
		change []any
		expect func(*inspect.Expect)
		id     string
		status inspect.Status
		hint   string
	}{
		{name: "typ JWT", typ: "JWT", id: "id_jag.typ", status: inspect.StatusFail, hint: "RFC 8725 §3.11"},
		{name: "typ missing", typ: "", id: "id_jag.typ", status: inspect.StatusFail, hint: "must declare its type"},
		{name: "legacy typ", typ: "authorization-grant+jwt", id: "id_jag.typ", status: inspect.StatusFail, hint: "pre-draft typ"},
		{name: "ID token claims", change: []any{"nonce", "abc", "at_hash", "xyz"}, id: "id_jag.kind", status: inspect.StatusFail, hint: "not the id_token from login"},
		{name: "untrusted issuer", change: []any{"iss", "https://evil.example.com"}, id: "id_jag.iss", status: inspect.StatusFail},
		{name: "iss missing", change: []any{"iss", nil}, id: "id_jag.iss", status: inspect.StatusFail, hint: "iss is required"},
		{name: "aud trailing slash", change: []any{"aud", asIssuer + "/"}, id: "id_jag.aud", status: inspect.StatusFail, hint: "trailing slash"},
		{name: "aud http", change: []any{"aud", "http://as.example.com"}, id: "id_jag.aud", status: inspect.StatusFail, hint: "differs in scheme (http instead of https)"},
		{name: "aud token endpoint", change: []any{"aud", asToken}, id: "id_jag.aud", status: inspect.StatusFail, hint: "token endpoint"},
		{name: "aud two values", change: []any{"aud", []string{asIssuer, "https://other"}}, id: "id_jag.aud", status: inspect.StatusFail, hint: "aud has 2 values"},
		{name: "aud other AS", change: []any{"aud", "https://other.example.com"}, id: "id_jag.aud", status: inspect.StatusFail, hint: "byte for byte"},
		{name: "aud missing", change: []any{"aud", nil}, id: "id_jag.aud", status: inspect.StatusFail},
		{name: "expired", change: []any{"exp", now.Add(-2 * time.Hour).Unix(), "iat", now.Add(-2*time.Hour - time.Minute).Unix()}, id: "id_jag.exp", status: inspect.StatusFail, hint: "mint a fresh one"},
		{name: "expired within skew", change: []any{"exp", now.Add(-30 * time.Second).Unix(), "iat", now.Add(-4 * time.Minute).Unix()}, id: "id_jag.exp", status: inspect.StatusWarn, hint: "within the 1m clock skew"},
		{name: "exp missing", change: []any{"exp", nil}, id: "id_jag.exp", status: inspect.StatusFail},
		{name: "iat in the future", change: []any{"iat", now.Add(3 * time.Minute).Unix()}, id: "id_jag.iat", status: inspect.StatusFail, hint: "clock is ahead"},
		{name: "nbf in the future", change: []any{"nbf", now.Add(2 * time.Minute).Unix()}, id: "id_jag.nbf", status: inspect.StatusFail},
		{name: "lifetime too long", change: []any{"exp", now.Add(59 * time.Minute).Unix()}, id: "id_jag.lifetime", status: inspect.StatusWarn, hint: "refuses more than 5 minutes"},
		{name: "lifetime too long for Okta", change: []any{"exp", now.Add(59 * time.Minute).Unix()}, expect: func(e *inspect.Expect) { e.Okta = true }, id: "id_jag.lifetime", status: inspect.StatusFail, hint: "longer than 5 minutes"},
		{name: "exp before iat", change: []any{"iat", now.Add(5 * time.Minute).Unix()}, expect: func(e *inspect.Expect) { e.Skew = 10 * time.Minute }, id: "id_jag.lifetime", status: inspect.StatusFail, hint: "exp must be later"},
		{name: "jti missing", change: []any{"jti", nil}, id: "id_jag.jti", status: inspect.StatusFail, hint: "replayed"},
		{name: "client_id is the IdP client", change: []any{"client_id", idpClient}, id: "id_jag.client_id", status: inspect.StatusFail, hint: "client ID registered in this app"},
		{name: "sub missing", change: []any{"sub", nil}, id: "id_jag.sub", status: inspect.StatusFail},
		{name: "sub empty", change: []any{"sub", ""}, id: "id_jag.sub", status: inspect.StatusFail},
		{name: "scope array", change: []any{"scope", []string{"todos.read"}}, id: "id_jag.scope", status: inspect.StatusFail, hint: "not a JSON array"},
		{name: "scopes claim", change: []any{"scope", nil, "scopes", []string{"todos.read"}}, id: "id_jag.scope", status: inspect.StatusFail, hint: "draft-parecki-00"},
		{name: "scope not granted", change: []any{"scope", "todos.write"}, id: "id_jag.scope", status: inspect.StatusFail, hint: "not granted: todos.read"},
		{name: "resource other", change: []any{"resource", "https://api.example.com/other"}, id: "id_jag.resource", status: inspect.StatusFail, hint: "minted for another resource"},
		{name: "resource slash", change: []any{"resource", resourceID + "/"}, id: "id_jag.resource", status: inspect.StatusFail, hint: "trailing slash"},
		{name: "resource absent", change: []any{"resource", nil}, id: "id_jag.resource", status: inspect.StatusWarn},
		{name: "resource with a fragment", change: []any{"resource", []string{resourceID, "https://api.example.com/x#frag"}}, id: "id_jag.resource_format", status: inspect.StatusFail, hint: "MUST NOT have a fragment"},
		{name: "resource with a query", change: []any{"resource", []string{resourceID, "https://api.example.com/x?v=1"}}, id: "id_jag.resource_format", status: inspect.StatusWarn, hint: "SHOULD NOT have a query"},
		{name: "resource twice", change: []any{"resource", []string{resourceID, resourceID}}, id: "id_jag.resource_format", status: inspect.StatusFail, hint: "absolute URI"},
		{name: "resource relative", change: []any{"resource", []string{resourceID, "/todos"}}, id: "id_jag.resource_format", status: inspect.StatusFail, hint: "absolute URI"},
		{name: "resource empty array", change: []any{"resource", []string{}}, id: "id_jag.resource_format", status: inspect.StatusFail, hint: "non-empty array"},
		{name: "resource a number", change: []any{"resource", 7}, id: "id_jag.resource_format", status: inspect.StatusFail, hint: "non-empty array"},
		{name: "resource one of two missing", change: []any{"resource", "https://api.example.com/other"}, expect: func(e *inspect.Expect) { e.Resources = append(e.Resources, "https://api.example.com/other") }, id: "id_jag.resource", status: inspect.StatusFail, hint: "is missing"},
		{name: "sub_id underscore", change: []any{"sub_id", map[string]string{"format": "saml_nameid"}}, id: "id_jag.sub_id", status: inspect.StatusWarn, hint: "saml-nameid (hyphen)"},
		{name: "sub_id saml-nameid without nameid", change: []any{"sub_id", map[string]string{"format": "saml-nameid", "issuer": "https://idp.example.com"}}, id: "id_jag.sub_id", status: inspect.StatusFail, hint: "MUST have format, issuer and nameid"},
		{name: "sub_id unknown format", change: []any{"sub_id", map[string]string{"format": "employee_number"}}, id: "id_jag.sub_id", status: inspect.StatusWarn, hint: "may not know this format"},
		{name: "sub_id a string", change: []any{"sub_id", "alice"}, id: "id_jag.sub_id", status: inspect.StatusFail, hint: "subject identifier object"},
		{name: "authorization_details an object", change: []any{"authorization_details", map[string]string{"type": "payment"}}, id: "id_jag.authorization_details", status: inspect.StatusFail, hint: "non-empty JSON array"},
		{name: "authorization_details empty", change: []any{"authorization_details", []any{}}, id: "id_jag.authorization_details", status: inspect.StatusFail, hint: "non-empty JSON array"},
		{name: "authorization_details without type", change: []any{"authorization_details", []any{map[string]string{"type": "a"}, map[string]string{"actions": "read"}}}, id: "id_jag.authorization_details", status: inspect.StatusFail, hint: "needs a string type"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			typ := "oauth-id-jag+jwt"
			if tt.typ != "" || tt.name == "typ missing" {
				typ = tt.typ
			}
			e := jagExpect
			if tt.expect != nil {
				tt.expect(&e)
			}
			a := analyze(t, typ, override(jagClaims(), tt.change...), inspect.KindIDJAG, e)
			f := failing(a.Checks)
			if f[tt.id] != tt.status {
				t.Fatalf("%s = %v, want %v; all failing: %v", tt.id, f[tt.id], tt.status, f)
			}
			delete(f, tt.id)
			delete(f, "kind") // typ and ID-token mix-ups also fail the kind check
			if len(f) != 0 {
				t.Errorf("other checks failed too: %v", f)
			}
			c, _ := a.Checks.Find(tt.id)
			if !strings.Contains(c.Hint, tt.hint) {
				t.Errorf("hint = %q, want it to contain %q", c.Hint, tt.hint)
			}
			if c.Spec == "" || c.Title == "" || c.Actual == "" {
				t.Errorf("check %+v lacks spec, title or actual", c)
			}
		})
	}
}

// TestCheckIDJAGResourceNormalized: a resource that differs from the one
// requested only as RFC 3986 §6.2.2 allows is the same resource.
func TestCheckIDJAGResourceNormalized(t *testing.T) {
	upper := strings.Replace(resourceID, "https://api.example.com", "HTTPS://API.EXAMPLE.COM", 1)
	a := analyze(t, "oauth-id-jag+jwt", override(jagClaims(), "resource", []string{upper, "https://api.example.com/mcp"}), inspect.KindIDJAG, jagExpect)
	c, _ := a.Checks.Find("id_jag.resource")
	if c.Status != inspect.StatusPass || !strings.Contains(c.Actual, "normalization") {
		t.Errorf("id_jag.resource = %+v, want pass after normalization", c)
	}
}

// TestCheckIDJAGSubjectFormats: the formats a resource AS knows pass.
func TestCheckIDJAGSubjectFormats(t *testing.T) {
	for _, v := range []any{
		map[string]string{"format": "saml-nameid", "issuer": "https://idp.example.com", "nameid": "alice"},
		map[string]string{"format": "email", "email": "alice@example.com"},
	} {
		a := analyze(t, "oauth-id-jag+jwt", override(jagClaims(), "sub_id", v, "authorization_details", []any{map[string]string{"type": "todo_access"}}), inspect.KindIDJAG, jagExpect)
		for _, id := range []string{"id_jag.sub_id", "id_jag.authorization_details"} {
			if c, ok := a.Checks.Find(id); !ok || c.Status != inspect.StatusPass {
				t.Errorf("%v: %s = %+v, want pass", v, id, c)
			}
		}
	}
}

func TestCheckIDJAGSignature(t *testing.T) {
	tok := mustDecode(t, key(t, "rs2").WithKID("rsa-1").Mint(t, "oauth-id-jag+jwt", claims(jagClaims()...), nil))
	e := jagExpect
	e.Now = now
	a := inspect.Analyze(tok, inspect.Options{Want: inspect.KindIDJAG, Keys: mustJWKS(t, jwks(t, "rs")), Expect: e})
	if f := failing(a.Checks); len(f) != 1 || f["id_jag.signature"] != inspect.StatusFail {
		t.Errorf("failing = %v, want only id_jag.signature", f)
	}
	a = inspect.Analyze(tok, inspect.Options{Want: inspect.KindIDJAG, Expect: e, KeyProblem: "no usable keys at https://idp/keys: 404"})
	if f := failing(a.Checks); len(f) != 0 {
		t.Errorf("without keys failing = %v, want none", f)
	}
	if c, _ := a.Checks.Find("id_jag.signature"); c.Status != inspect.StatusUnknown || !strings.Contains(c.Actual, "unknown: no usable keys at https://idp/keys") {
		t.Errorf("without keys the signature check is %s %q, want unknown naming the key set", c.Status, c.Actual)
	}
	hs := mustDecode(t, hs256(`{"alg":"HS256","typ":"oauth-id-jag+jwt"}`, claims(jagClaims()...), []byte("secret")))
	a = inspect.Analyze(hs, inspect.Options{Want: inspect.KindIDJAG, Keys: mustJWKS(t, jwks(t, "rs")), Expect: e})
	if f := failing(a.Checks); f["id_jag.alg"] != inspect.StatusFail || f["id_jag.signature"] != inspect.StatusFail {
		t.Errorf("HS256 failing = %v, want alg and signature", f)
	}
}

func TestCheckIDToken(t *testing.T) {
	e := inspect.Expect{Issuer: idpIssuer, ClientID: idpClient, Nonce: "n-0S6_WzA2Mj"}
	if f := failing(analyze(t, "JWT", idTokenClaims(), inspect.KindIDToken, e).Checks); len(f) != 0 {
		t.Fatalf("valid ID token fails %v", f)
	}
	tests := []struct {
		name   string
		change []any
		id     string
		status inspect.Status
	}{
		{"wrong issuer", []any{"iss", idpIssuer + "/oauth2/default"}, "id_token.iss", inspect.StatusFail},
		{"other client", []any{"aud", "someone-else"}, "id_token.aud", inspect.StatusFail},
		{"azp other client", []any{"azp", "someone-else"}, "id_token.azp", inspect.StatusFail},
		{"several audiences without azp", []any{"aud", []string{idpClient, "other"}}, "id_token.azp", inspect.StatusWarn},
		{"expired", []any{"exp", now.Add(-time.Hour).Unix()}, "id_token.exp", inspect.StatusFail},
		{"issued in the future", []any{"iat", now.Add(time.Hour).Unix()}, "id_token.iat", inspect.StatusFail},
		{"wrong nonce", []any{"nonce", "other"}, "id_token.nonce", inspect.StatusFail},
		{"nonce missing", []any{"nonce", nil}, "id_token.nonce", inspect.StatusFail},
		{"sub missing", []any{"sub", nil}, "id_token.sub", inspect.StatusFail},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := failing(analyze(t, "JWT", override(idTokenClaims(), tt.change...), inspect.KindIDToken, e).Checks)
			if len(f) != 1 || f[tt.id] != tt.status {
				t.Errorf("failing = %v, want only %s %v", f, tt.id, tt.status)
			}
		})
	}
}

func TestCheckAccessToken(t *testing.T) {
	e := inspect.Expect{Issuer: asIssuer, Audience: resourceID, ClientID: asClient, Scope: "todos.read"}
	if f := failing(analyze(t, "at+jwt", accessTokenClaims(), inspect.KindAccessToken, e).Checks); len(f) != 0 {
		t.Fatalf("valid access token fails %v", f)
	}
	tests := []struct {
		name   string
		typ    string
		change []any
		id     string
		status inspect.Status
	}{
		{"typ JWT", "JWT", nil, "access_token.typ", inspect.StatusWarn},
		{"wrong audience", "at+jwt", []any{"aud", resourceID + "/"}, "access_token.aud", inspect.StatusFail},
		{"wrong issuer", "at+jwt", []any{"iss", idpIssuer}, "access_token.iss", inspect.StatusFail},
		{"expired", "at+jwt", []any{"exp", now.Add(-time.Hour).Unix()}, "access_token.exp", inspect.StatusFail},
		{"no client_id", "at+jwt", []any{"client_id", nil}, "access_token.client_id", inspect.StatusFail},
		{"no jti", "at+jwt", []any{"jti", nil}, "access_token.jti", inspect.StatusFail},
		{"scope missing", "at+jwt", []any{"scope", "todos.write"}, "access_token.scope", inspect.StatusFail},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := failing(analyze(t, tt.typ, override(accessTokenClaims(), tt.change...), inspect.KindAccessToken, e).Checks)
			if len(f) != 1 || f[tt.id] != tt.status {
				t.Errorf("failing = %v, want only %s %v", f, tt.id, tt.status)
			}
		})
	}
}

func TestAnalyzeOpaqueAndGeneric(t *testing.T) {
	tok := mustDecode(t, `{"refresh_token":"8xLOxBtZp8wxLOxBtZp8"}`)
	a := inspect.Analyze(tok, inspect.Options{Expect: inspect.Expect{Now: now}})
	if len(a.Checks) != 1 || a.Checks[0].Status != inspect.StatusSkip {
		t.Errorf("opaque checks = %+v, want one skipped decode check", a.Checks)
	}
	a = analyze(t, "JWT", []any{"iss", "x", "exp", now.Add(-time.Hour).Unix()}, inspect.KindUnknown, inspect.Expect{})
	if f := failing(a.Checks); f["jwt.exp"] != inspect.StatusFail {
		t.Errorf("generic JWT failing = %v, want jwt.exp", f)
	}
}

func TestAnalysisJSON(t *testing.T) {
	a := analyze(t, "oauth-id-jag+jwt", jagClaims(), inspect.KindIDJAG, jagExpect)
	b, err := json.Marshal(a)
	if err != nil {
		t.Fatal(err)
	}
	var got map[string]any
	if err := json.Unmarshal(b, &got); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"kind", "header", "claims", "signature", "checks", "times"} {
		if _, ok := got[k]; !ok {
			t.Errorf("JSON lacks %q: %s", k, b)
		}
	}
	if got["kind"] != "id_jag" {
		t.Errorf("kind = %v", got["kind"])
	}
	sig := got["signature"].(map[string]any)
	if sig["status"] != "verified" || sig["kid"] != "rsa-1" || sig["matched_key"] == "" || len(sig["tried"].([]any)) != 1 {
		t.Errorf("signature = %v", sig)
	}
	if strings.Contains(string(b), a.Token.Raw) {
		t.Errorf("JSON contains the raw token without Reveal")
	}
	a.Reveal = true
	b, _ = json.Marshal(a)
	if !strings.Contains(string(b), a.Token.Raw) {
		t.Errorf("JSON lacks the raw token with Reveal")
	}
	if !strings.Contains(string(b), `"relative":"expires in 4m"`) {
		t.Errorf("JSON lacks the relative expiry: %s", b)
	}
}
