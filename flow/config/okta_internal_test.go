package config

import "testing"

func TestOktaCustomASPath(t *testing.T) {
	for path, want := range map[string]bool{
		"/oauth2/default":            true,
		"/oauth2/default/":           true,
		"/oauth2/aus1a2b3c4d5e6f7g8": true,
		"/oauth2/":                   false,
		"/oauth2":                    false,
		"":                           false,
		"/oauth2/default/v1/token":   false,
		"/x/oauth2/default":          false,
	} {
		if got := OktaCustomASPath(path); got != want {
			t.Errorf("OktaCustomASPath(%q) = %t, want %t", path, got, want)
		}
	}
}

// TestOktaIdP: an Okta org by its host, its custom authorization server
// path or its org token endpoint; not oidc-provider's layout (/token) on
// loopback.
func TestOktaIdP(t *testing.T) {
	for _, c := range []struct {
		issuer, mdIssuer, token string
		want                    bool
	}{
		{"https://dev-123.okta.com", "", "", true},
		{"https://id.example.com/oauth2/default", "", "", true},
		{"http://127.0.0.1:4000", "http://127.0.0.1:4000", "http://127.0.0.1:4000/oauth2/v1/token", true},
		{"http://127.0.0.1:4000", "http://127.0.0.1:4000", "http://127.0.0.1:4000/token", false},
		{"http://127.0.0.1:4000", "", "", false},
	} {
		if got := OktaIdP(c.issuer, c.mdIssuer, c.token); got != c.want {
			t.Errorf("OktaIdP(%q, %q, %q) = %t, want %t", c.issuer, c.mdIssuer, c.token, got, c.want)
		}
	}
}
