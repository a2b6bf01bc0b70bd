package playground_test

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/xaatools/xaa/flow/playground"
)

// TestTrustIssuer: a resource AS started with TrustIssuers accepts ID-JAGs
// from another IdP, whose keys it finds by discovery, and provisions its
// users on first use; an IdP it does not trust is refused on iss.
func TestTrustIssuer(t *testing.T) {
	other := start(t, playground.Options{KeyDir: t.TempDir()})
	clock := &fakeClock{t: time.Now()}
	e := start(t, playground.Options{TrustIssuers: []string{other.cfg.IdP.Issuer}, Now: clock.now})

	foreign := func(t *testing.T, from, e *env, user string) string {
		m, err := from.p.IDJAGTemplate(user)
		if err != nil {
			t.Fatal(err)
		}
		m.Claims["aud"], m.Claims["resource"] = e.cfg.ResourceAS.Issuer, e.p.ResourceURL()
		tok, err := from.p.Mint(m)
		if err != nil {
			t.Fatal(err)
		}
		return tok
	}
	t.Run("trusted", func(t *testing.T) {
		r := e.bearer(foreign(t, other, e, "dave"), nil)
		if r.status != http.StatusOK {
			t.Fatalf("ID-JAG from a trusted issuer: HTTP %d %s", r.status, r.raw)
		}
		if got := e.get(e.cfg.Resource.APIURL, r.str("access_token")); got.status != http.StatusOK {
			t.Errorf("its access token at the API: HTTP %d %s", got.status, got.raw)
		}
	})
	t.Run("rotated keys are refetched", func(t *testing.T) {
		if err := other.p.RotateKeys(); err != nil {
			t.Fatal(err)
		}
		// Keys fetched less than 30 s ago are not fetched again, even for
		// an unknown kid; after that, an unknown kid triggers one refetch.
		wantError(t, e.bearer(foreign(t, other, e, "alice"), nil), 400, "invalid_grant", "is not in the JWKS")
		clock.advance(31 * time.Second)
		if r := e.bearer(foreign(t, other, e, "alice"), nil); r.status != http.StatusOK {
			t.Errorf("after rotation and 31 s: HTTP %d %s, want the keys refetched", r.status, r.raw)
		}
	})
	t.Run("untrusted", func(t *testing.T) {
		stranger := start(t, playground.Options{})
		r := e.bearer(foreign(t, stranger, e, "alice"), nil)
		wantError(t, r, 400, "invalid_grant", "id_jag.iss failed")
		if !strings.Contains(r.str("error_description"), other.cfg.IdP.Issuer) {
			t.Errorf("description %q does not list the trusted issuers", r.str("error_description"))
		}
	})
	t.Run("unreachable", func(t *testing.T) {
		down := start(t, playground.Options{})
		issuer := down.cfg.IdP.Issuer
		down.p.Close()
		lonely := start(t, playground.Options{TrustIssuers: []string{issuer}})
		jag := foreign(t, down, lonely, "alice")
		r := lonely.bearer(jag, nil)
		wantError(t, r, 400, "invalid_grant", "cannot be fetched")
	})
}

// TestTrustIssuerInactive: with okta-idp-inactive the org lists the trusted
// issuer's identity provider INACTIVE, and its resource AS refuses that
// issuer's ID-JAGs as Okta does; its own IdP's still work.
func TestTrustIssuerInactive(t *testing.T) {
	other := start(t, playground.Options{})
	e := start(t, playground.Options{Profile: playground.ProfileOkta, TrustIssuers: []string{other.cfg.IdP.Issuer}, Faults: []string{playground.FaultOktaIdPInactive}})
	m, err := other.p.IDJAGTemplate("alice")
	if err != nil {
		t.Fatal(err)
	}
	m.Claims["aud"], m.Claims["resource"] = e.cfg.ResourceAS.Issuer, e.p.ResourceURL()
	tok, err := other.p.Mint(m)
	if err != nil {
		t.Fatal(err)
	}
	wantError(t, e.bearer(tok, nil), 401, "invalid_token", "The issuer of the token is not permitted to use the JWT Bearer Grant.")
	if got := e.tryFlow("alice"); got.step != "" {
		t.Errorf("the org's own IdP: flow stopped at %q (%s)", got.step, got.resp.raw)
	}
}
