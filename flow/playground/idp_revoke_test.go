package playground_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/xaatools/xaa/flow/playground"
	"github.com/xaatools/xaa/inspect"
)

// TestRevokeRefreshToken: the IdP's RFC 7009 endpoint forgets a refresh
// token of the authenticated client, after which the token exchange
// refuses it; under idp-skip-refresh-revoked it forgets nothing.
func TestRevokeRefreshToken(t *testing.T) {
	for _, c := range []struct {
		faults []string
		status int
	}{{nil, http.StatusBadRequest}, {[]string{playground.FaultIdPSkipRefreshRevoked}, http.StatusOK}} {
		e := start(t, playground.Options{Faults: c.faults})
		md := e.metadata(e.cfg.IdP.Issuer + "/.well-known/openid-configuration")
		revoke, _ := md["revocation_endpoint"].(string)
		if !strings.HasSuffix(revoke, "/revoke") {
			t.Fatalf("revocation_endpoint = %q", revoke)
		}
		rt := e.login("alice").str("refresh_token")
		if r := e.post(revoke, url.Values{"token": {rt}, "token_type_hint": {"refresh_token"}}, e.idpBasic()); r.status != http.StatusOK {
			t.Fatalf("revoke: HTTP %d %s", r.status, r.raw)
		}
		if r := e.post(revoke, url.Values{"token": {"not-a-token"}}, e.idpBasic()); r.status != http.StatusOK {
			t.Errorf("revoking an unknown token: HTTP %d, want 200 (RFC 7009 §2.2)", r.status)
		}
		ex := e.exchange(rt, url.Values{"subject_token_type": {inspect.TokenTypeRefreshToken}})
		if ex.status != c.status {
			t.Errorf("faults %v: exchange of the revoked refresh token: HTTP %d %s, want %d", c.faults, ex.status, ex.raw, c.status)
		}
	}
}
