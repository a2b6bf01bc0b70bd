package playground_test

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/xaatools/xaa/flow/playground"
	"github.com/xaatools/xaa/inspect"
)

// TestFullFlow runs the four steps by plain HTTP and checks every token
// with inspect.
func TestFullFlow(t *testing.T) {
	e := start(t, playground.Options{})
	login := e.login("alice")
	idTok := login.str("id_token")
	if login.str("refresh_token") == "" {
		t.Errorf("login with offline_access: no refresh_token in %s", login.raw)
	}
	tok, err := inspect.Decode(idTok)
	if err != nil {
		t.Fatal(err)
	}
	idpKeys, err := inspect.ParseJWKS([]byte(e.get(e.cfg.IdP.Issuer+"/jwks", "").raw))
	if err != nil {
		t.Fatal(err)
	}
	a := inspect.Analyze(tok, inspect.Options{Want: inspect.KindIDToken, Keys: idpKeys,
		Expect: inspect.Expect{Issuer: e.cfg.IdP.Issuer, ClientID: e.cfg.IdP.ClientID, Nonce: "nonce-1"}})
	if f, bad := a.Checks.FirstFailure(); bad || !a.Signature.Verified() {
		t.Errorf("ID token: %+v, signature %s", f, a.Signature.Verdict())
	}

	ex := e.exchange(idTok, nil)
	if ex.status != http.StatusOK {
		t.Fatalf("token exchange: HTTP %d %s", ex.status, ex.raw)
	}
	if got, want := ex.str("issued_token_type"), inspect.TokenTypeIDJAG; got != want {
		t.Errorf("issued_token_type = %q, want %q", got, want)
	}
	if got := ex.str("token_type"); got != "N_A" {
		t.Errorf("token_type = %q, want N_A", got)
	}
	if got := ex.header.Get("Cache-Control"); got != "no-store" {
		t.Errorf("Cache-Control = %q, want no-store", got)
	}
	jag, _ := inspect.Decode(ex.str("access_token"))
	a = inspect.Analyze(jag, inspect.Options{Want: inspect.KindIDJAG, Keys: idpKeys, Expect: inspect.Expect{
		Issuer: e.cfg.IdP.Issuer, Audience: e.cfg.ResourceAS.Issuer, ClientID: e.cfg.ResourceAS.ClientID,
		Scope: "todos.read todos.write", Resources: []string{e.p.ResourceURL()}}})
	if f, bad := a.Checks.FirstFailure(); bad || !a.Signature.Verified() {
		t.Errorf("ID-JAG: %+v, signature %s", f, a.Signature.Verdict())
	}
	if email, _ := jag.Claims.String("email"); email != "alice@example.com" {
		t.Errorf("ID-JAG email = %q, want alice@example.com", email)
	}

	br := e.bearer(ex.str("access_token"), nil)
	if br.status != http.StatusOK {
		t.Fatalf("jwt-bearer: HTTP %d %s", br.status, br.raw)
	}
	if br.str("token_type") != "Bearer" || br.body["refresh_token"] != nil {
		t.Errorf("jwt-bearer response = %s, want a Bearer token and no refresh_token", br.raw)
	}
	at := br.str("access_token")
	atTok, _ := inspect.Decode(at)
	asKeys, _ := inspect.ParseJWKS([]byte(e.get(e.cfg.ResourceAS.Issuer+"/jwks", "").raw))
	a = inspect.Analyze(atTok, inspect.Options{Want: inspect.KindAccessToken, Keys: asKeys,
		Expect: inspect.Expect{Issuer: e.cfg.ResourceAS.Issuer, Audience: e.p.ResourceURL()}})
	if f, bad := a.Checks.FirstFailure(); bad || a.Checks.Worst() != inspect.StatusPass {
		t.Errorf("access token: %+v (worst %s)", f, a.Checks.Worst())
	}

	list := e.get(e.cfg.Resource.APIURL, at)
	if list.status != http.StatusOK || !strings.Contains(list.raw, "Decode the ID-JAG") {
		t.Fatalf("GET todos: HTTP %d %s", list.status, list.raw)
	}
	req, _ := http.NewRequest(http.MethodPost, e.cfg.Resource.APIURL, strings.NewReader(`{"title":"ship it"}`))
	req.Header.Set("Authorization", "Bearer "+at)
	req.Header.Set("Content-Type", "application/json")
	add := e.do(req)
	if add.status != http.StatusCreated || add.str("title") != "ship it" {
		t.Fatalf("POST todos: HTTP %d %s", add.status, add.raw)
	}
	var todos struct{ Todos []playground.Todo }
	json.Unmarshal([]byte(e.get(e.cfg.Resource.APIURL, at).raw), &todos)
	if n := len(todos.Todos); n != 3 {
		t.Errorf("after adding one todo the list has %d, want 3", n)
	}
}
