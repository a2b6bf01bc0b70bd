package inspect_test

import (
	"testing"
	"time"

	jose "github.com/go-jose/go-jose/v4"

	"github.com/xaatools/xaa/inspect"
	"github.com/xaatools/xaa/inspect/inspecttest"
)

// statusOf returns the status of check id in r, failing the test when the
// check is absent.
func statusOf(t *testing.T, r inspect.Report, id string) inspect.Status {
	t.Helper()
	c, ok := r.Find(id)
	if !ok {
		t.Fatalf("no check %s in %v", id, r)
	}
	return c.Status
}

// TestClientWithoutTheProfile: the rule of draft §8 binds only a client
// that lists the profile (the TypeScript MCP SDK lists jwt-bearer alone).
func TestClientWithoutTheProfile(t *testing.T) {
	if r := inspect.CheckClientMetadata(&inspect.ClientMetadata{GrantTypes: []string{inspect.GrantTypeJWTBearer}}); len(r) != 0 {
		t.Errorf("client without the profile: %+v, want no check", r)
	}
}

func TestCheckMetadata(t *testing.T) {
	full := &inspect.ServerMetadata{
		GrantTypesSupported:                          []string{inspect.GrantTypeTokenExchange, inspect.GrantTypeJWTBearer},
		IdentityChainingRequestedTokenTypesSupported: []string{inspect.TokenTypeIDJAG},
		CodeChallengeMethodsSupported:                []string{"S256"},
		AuthorizationGrantProfilesSupported:          []string{inspect.GrantProfileIDJAG},
	}
	other := &inspect.ServerMetadata{
		GrantTypesSupported: []string{"authorization_code"}, IdentityChainingRequestedTokenTypesSupported: []string{},
		CodeChallengeMethodsSupported: []string{"plain"}, AuthorizationGrantProfilesSupported: []string{"urn:example"},
	}
	empty := &inspect.ServerMetadata{}
	cases := []struct {
		name string
		got  inspect.Report
		id   string
		want inspect.Status
	}{
		{"IdP lists the token exchange", inspect.CheckIdPMetadata(full), "idp_metadata.token_exchange", inspect.StatusPass},
		{"IdP lists other grants", inspect.CheckIdPMetadata(other), "idp_metadata.token_exchange", inspect.StatusWarn},
		{"IdP says nothing of grants", inspect.CheckIdPMetadata(empty), "idp_metadata.token_exchange", inspect.StatusUnknown},
		{"IdP lists the ID-JAG type", inspect.CheckIdPMetadata(full), "idp_metadata.id_jag", inspect.StatusPass},
		{"IdP lists no ID-JAG type", inspect.CheckIdPMetadata(other), "idp_metadata.id_jag", inspect.StatusWarn},
		{"IdP advertises S256", inspect.CheckIdPMetadata(full), "idp_metadata.pkce", inspect.StatusPass},
		{"IdP advertises plain only", inspect.CheckIdPMetadata(other), "idp_metadata.pkce", inspect.StatusWarn},
		{"IdP says nothing of PKCE (the Go SDK refuses it)", inspect.CheckIdPMetadata(empty), "idp_metadata.pkce", inspect.StatusWarn},
		{"AS lists jwt-bearer", inspect.CheckASMetadata(full, inspect.MetadataRFC8414), "as_metadata.jwt_bearer", inspect.StatusPass},
		{"AS lists other grants", inspect.CheckASMetadata(other, inspect.MetadataRFC8414), "as_metadata.jwt_bearer", inspect.StatusWarn},
		{"AS says nothing of grants", inspect.CheckASMetadata(empty, inspect.MetadataRFC8414), "as_metadata.jwt_bearer", inspect.StatusUnknown},
		{"AS lists the profile", inspect.CheckASMetadata(full, inspect.MetadataRFC8414), "as_metadata.grant_profile", inspect.StatusPass},
		{"client lists the profile and both grants", inspect.CheckClientMetadata(&inspect.ClientMetadata{GrantTypes: []string{inspect.GrantTypeTokenExchange, inspect.GrantTypeJWTBearer}, AuthorizationGrantProfilesSupported: []string{inspect.GrantProfileIDJAG}}), "client_metadata.grant_types", inspect.StatusPass},
		{"client lists the profile and jwt-bearer only", inspect.CheckClientMetadata(&inspect.ClientMetadata{GrantTypes: []string{inspect.GrantTypeJWTBearer}, AuthorizationGrantProfilesSupported: []string{inspect.GrantProfileIDJAG}}), "client_metadata.grant_types", inspect.StatusFail},
		{"AS lists the profile but not the grant", inspect.CheckASMetadata(&inspect.ServerMetadata{GrantTypesSupported: []string{"authorization_code"}, AuthorizationGrantProfilesSupported: []string{inspect.GrantProfileIDJAG}}, inspect.MetadataRFC8414), "as_metadata.jwt_bearer", inspect.StatusFail},
		{"AS lists the profile and no grants", inspect.CheckASMetadata(&inspect.ServerMetadata{AuthorizationGrantProfilesSupported: []string{inspect.GrantProfileIDJAG}}, inspect.MetadataRFC8414), "as_metadata.jwt_bearer", inspect.StatusFail},
		{"AS lists another profile", inspect.CheckASMetadata(other, inspect.MetadataRFC8414), "as_metadata.grant_profile", inspect.StatusWarn},
		{"AS without the member", inspect.CheckASMetadata(empty, inspect.MetadataOIDC), "as_metadata.grant_profile", inspect.StatusWarn},
		{"default method absent member", inspect.Report{inspect.CheckAuthMethod(empty, "client_secret_basic")}, "metadata.auth_method", inspect.StatusPass},
		{"post when the default is all", inspect.Report{inspect.CheckAuthMethod(empty, "client_secret_post")}, "metadata.auth_method", inspect.StatusWarn},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := statusOf(t, c.got, c.id); got != c.want {
				t.Errorf("%s = %s, want %s", c.id, got, c.want)
			}
		})
	}
}

func TestCheckKeySetAndRefresh(t *testing.T) {
	key := inspecttest.Generate(t, jose.ES256, "k1")
	ks, err := inspect.ParseJWKS(inspecttest.JWKS(t, key))
	if err != nil {
		t.Fatal(err)
	}
	if c := inspect.CheckKeySet(ks, "https://idp/keys"); c.Status != inspect.StatusPass {
		t.Errorf("CheckKeySet(one EC key) = %s %s", c.Status, c.Actual)
	}
	if c := inspect.CheckKeySet(&inspect.KeySet{}, "https://idp/keys"); c.Status != inspect.StatusFail {
		t.Errorf("CheckKeySet(no keys) = %s, want fail", c.Status)
	}
	p := inspect.KeyRefresh{TTL: 10 * time.Minute, MinInterval: 30 * time.Second}
	for _, c := range []struct {
		name string
		keys *inspect.KeySet
		kid  string
		age  time.Duration
		want bool
	}{
		{"no keys yet", nil, "k1", 0, true},
		{"known kid, fresh", ks, "k1", time.Second, false},
		{"known kid, stale", ks, "k1", 11 * time.Minute, true},
		{"unknown kid, just fetched", ks, "k2", time.Second, false},
		{"unknown kid, fetched a while ago", ks, "k2", time.Minute, true},
		{"no kid", ks, "", time.Minute, false},
	} {
		if got := p.Due(c.keys, c.kid, c.age); got != c.want {
			t.Errorf("%s: Due = %t, want %t", c.name, got, c.want)
		}
	}
}

func TestCheckClientAssertion(t *testing.T) {
	now := time.Date(2026, 12, 4, 10, 0, 0, 0, time.UTC)
	key := inspecttest.Generate(t, jose.ES256, "k1")
	base := []any{"iss", "agent", "sub", "agent", "aud", "https://as/token", "jti", "j1", "iat", now.Unix(), "exp", now.Add(5 * time.Minute).Unix()}
	expect := inspect.AssertionExpect{Now: now, ClientID: "agent", Audiences: []string{"https://as/token", "https://as"}, MaxLifetime: time.Hour}
	cases := []struct {
		name   string
		claims []any
		id     string
		want   inspect.Status
	}{
		{"good", base, "client_assertion.aud", inspect.StatusPass},
		{"sub differs", inspecttest.Override(base, "sub", "alice"), "client_assertion.iss_sub", inspect.StatusFail},
		{"client_id differs", inspecttest.Override(base, "iss", "other", "sub", "other"), "client_assertion.client_id", inspect.StatusFail},
		{"aud is the issuer", inspecttest.Override(base, "aud", "https://as"), "client_assertion.aud", inspect.StatusPass},
		{"aud is elsewhere", inspecttest.Override(base, "aud", "https://elsewhere/token"), "client_assertion.aud", inspect.StatusFail},
		{"no exp", inspecttest.Override(base, "exp", nil), "client_assertion.exp", inspect.StatusFail},
		{"exp three hours ahead", inspecttest.Override(base, "exp", now.Add(3*time.Hour).Unix()), "client_assertion.lifetime", inspect.StatusFail},
		{"no jti", inspecttest.Override(base, "jti", nil), "client_assertion.jti", inspect.StatusWarn},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			tok, err := inspect.Decode(key.Mint(t, "JWT", inspecttest.Claims(c.claims...), nil))
			if err != nil {
				t.Fatal(err)
			}
			if got := statusOf(t, inspect.CheckClientAssertion(tok, expect), c.id); got != c.want {
				t.Errorf("%s = %s, want %s", c.id, got, c.want)
			}
		})
	}
}

func TestIsLoopbackURL(t *testing.T) {
	for raw, want := range map[string]bool{
		"http://127.0.0.1:8976/callback": true, "http://localhost/x": true, "http://[::1]:1/": true, "http://127.8.0.1/": true,
		"http://example.com/": false, "https://127.0.0.1.example.com/": false, "::bad": false,
	} {
		if got := inspect.IsLoopbackURL(raw); got != want {
			t.Errorf("IsLoopbackURL(%q) = %t, want %t", raw, got, want)
		}
	}
}
