package playground_test

import (
	"net/http"
	"net/url"
	"testing"

	"github.com/xaatools/xaa/flow/playground"
)

// TestRepeatedAssertion: the resource AS refuses a token request with two
// assertion parameters (RFC 7521 §4.1, RFC 6749 §3.2); under
// as-skip-single-assertion it redeems the first and ignores the rest, while
// other repeated parameters are still refused.
func TestRepeatedAssertion(t *testing.T) {
	mint := func(t *testing.T, e *env) string {
		t.Helper()
		m, err := e.p.IDJAGTemplate("alice")
		if err != nil {
			t.Fatal(err)
		}
		tok, err := e.p.Mint(m)
		if err != nil {
			t.Fatal(err)
		}
		return tok
	}
	t.Run("strict", func(t *testing.T) {
		e := start(t, playground.Options{})
		a, b := mint(t, e), mint(t, e)
		wantError(t, e.bearer(a, url.Values{"assertion": {a, b}}), http.StatusBadRequest, "invalid_request", "assertion is sent 2 times")
		if r := e.bearer(b, nil); r.status != http.StatusOK {
			t.Errorf("the second ID-JAG alone: HTTP %d %s; want it unspent by the refused request", r.status, r.raw)
		}
	})
	t.Run(playground.FaultASSkipSingleAssertion, func(t *testing.T) {
		e := start(t, playground.Options{Faults: []string{playground.FaultASSkipSingleAssertion}})
		valid := mint(t, e)
		if r := e.bearer(valid, url.Values{"assertion": {valid, "not-a-jwt"}}); r.status != http.StatusOK || r.str("access_token") == "" {
			t.Errorf("valid first: HTTP %d %s; want an access token", r.status, r.raw)
		}
		wantError(t, e.bearer(valid, url.Values{"assertion": {"not-a-jwt", mint(t, e)}}), http.StatusBadRequest, "invalid_grant", "not one compact JWS")
		wantError(t, e.bearer(mint(t, e), url.Values{"scope": {"todos.read", "todos.write"}}), http.StatusBadRequest, "invalid_request", "scope is sent 2 times")
	})
}
