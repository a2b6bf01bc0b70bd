package inspect_test

import (
	"strings"
	"testing"
	"time"

	"github.com/xaatools/xaa/inspect"
)

func TestCheckChain(t *testing.T) {
	rs := key(t, "rs")
	mint := func(typ string, c []any) *inspect.Token { return mustDecode(t, rs.Mint(t, typ, claims(c...), nil)) }
	good := func() inspect.Chain {
		return inspect.Chain{
			IDToken:     mint("JWT", idTokenClaims()),
			IDJAG:       mint("oauth-id-jag+jwt", jagClaims()),
			AccessToken: mint("at+jwt", accessTokenClaims()),
			IdPClientID: idpClient, ASIssuer: asIssuer, ASClientID: asClient,
		}
	}
	r := inspect.CheckChain(good())
	if f := failing(r); len(f) != 0 {
		t.Fatalf("good chain fails: %v\n%+v", f, r)
	}
	if len(r) != 9 {
		t.Errorf("good chain ran %d checks, want 9: %+v", len(r), r)
	}

	// An access token for one of the ID-JAG's two resources is a narrowed
	// grant, not a fault.
	narrowed := good()
	narrowed.IDJAG = mint("oauth-id-jag+jwt", override(jagClaims(), "resource", []string{resourceID, "https://api.example.com/mcp"}))
	if c, _ := inspect.CheckChain(narrowed).Find("chain.access_token_aud"); c.Status != inspect.StatusPass {
		t.Errorf("access token for one of two resources: %+v, want pass", c)
	}

	tests := []struct {
		name   string
		change func(*inspect.Chain)
		id     string
		status inspect.Status
		hint   string
	}{
		{"ID token for another client", func(c *inspect.Chain) { c.IDToken = mint("JWT", override(idTokenClaims(), "aud", "other")) }, "chain.id_token_aud", inspect.StatusFail, "ID Token aud doesn't match"},
		{"ID-JAG from another IdP", func(c *inspect.Chain) {
			c.IDJAG = mint("oauth-id-jag+jwt", override(jagClaims(), "iss", idpIssuer+"/"))
		}, "chain.iss", inspect.StatusFail, "trailing slash"},
		{"ID-JAG for another user", func(c *inspect.Chain) { c.IDJAG = mint("oauth-id-jag+jwt", override(jagClaims(), "sub", "00u999")) }, "chain.sub", inspect.StatusWarn, "pairwise"},
		{"ID-JAG after the ID token expired", func(c *inspect.Chain) {
			c.IDToken = mint("JWT", override(idTokenClaims(), "exp", now.Add(-time.Hour).Unix()))
		}, "chain.subject_fresh", inspect.StatusFail, "expired subject token"},
		{"ID-JAG aud is another AS", func(c *inspect.Chain) { c.ASIssuer = "http://as.example.com" }, "chain.id_jag_aud", inspect.StatusFail, "scheme"},
		{"ID-JAG client_id is the IdP client", func(c *inspect.Chain) { c.ASClientID = "registered-at-as"; c.IdPClientID = asClient }, "chain.id_jag_client_id", inspect.StatusFail, "IdP client id"},
		{"access token for another resource", func(c *inspect.Chain) {
			c.AccessToken = mint("at+jwt", override(accessTokenClaims(), "aud", "https://api.example.com/"))
		}, "chain.access_token_aud", inspect.StatusFail, "restrict it to the ID-JAG's resources"},
		{"access token with no aud", func(c *inspect.Chain) {
			c.AccessToken = mint("at+jwt", override(accessTokenClaims(), "aud", nil))
		}, "chain.access_token_aud", inspect.StatusFail, "restrict the access token"},
		{"opaque access token", func(c *inspect.Chain) { c.AccessToken = mustDecode(t, "test-token-1796000000000") },
			"chain.access_token_aud", inspect.StatusUnknown, "the resource server is the one to check it"},
		{"access token scope beyond the grant", func(c *inspect.Chain) {
			c.AccessToken = mint("at+jwt", override(accessTokenClaims(), "scope", "todos.read admin"))
		}, "chain.scope", inspect.StatusFail, "granted admin"},
		{"access token after the ID-JAG expired", func(c *inspect.Chain) {
			c.AccessToken = mint("at+jwt", override(accessTokenClaims(), "iat", now.Add(time.Hour).Unix()))
		}, "chain.grant_fresh", inspect.StatusFail, "expired ID-JAG"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := good()
			tt.change(&c)
			r := inspect.CheckChain(c)
			ch, _ := r.Find(tt.id)
			if ch.Status != tt.status {
				t.Fatalf("%s = %v, want %v; failing %v", tt.id, ch.Status, tt.status, failing(r))
			}
			if !strings.Contains(ch.Hint, tt.hint) {
				t.Errorf("hint = %q, want it to contain %q", ch.Hint, tt.hint)
			}
		})
	}
}

func TestCheckChainSkipsMissingTokens(t *testing.T) {
	if r := inspect.CheckChain(inspect.Chain{ASIssuer: asIssuer}); len(r) != 0 {
		t.Errorf("empty chain ran %+v", r)
	}
}
