package playground_test

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/xaatools/xaa/flow/playground"
	"github.com/xaatools/xaa/inspect"
)

// TestOktaProfile: org authorization server paths with the issuer at the
// root, Okta-style ids, and Okta's texts for natural mistakes.
func TestOktaProfile(t *testing.T) {
	e := start(t, playground.Options{Profile: playground.ProfileOkta})
	meta := e.metadata(e.cfg.IdP.Issuer + "/.well-known/openid-configuration")
	for k, want := range map[string]string{
		"issuer":                 e.cfg.IdP.Issuer,
		"authorization_endpoint": e.cfg.IdP.Issuer + "/oauth2/v1/authorize",
		"token_endpoint":         e.cfg.IdP.Issuer + "/oauth2/v1/token",
		"jwks_uri":               e.cfg.IdP.Issuer + "/oauth2/v1/keys",
	} {
		if meta[k] != want {
			t.Errorf("%s = %v, want %s", k, meta[k], want)
		}
	}
	login := e.login("alice")
	idTok, _ := inspect.Decode(login.str("id_token"))
	if sub, _ := idTok.Claims.String("sub"); !regexp.MustCompile(`^00u[a-z0-9]{17}$`).MatchString(sub) {
		t.Errorf("sub = %q, want an Okta user id (00u…)", sub)
	}
	ex := e.exchange(login.str("id_token"), nil)
	jag, _ := inspect.Decode(ex.str("access_token"))
	if jti, _ := jag.Claims.String("jti"); !strings.HasPrefix(jti, "IDAAG.") {
		t.Errorf("ID-JAG jti = %q, want Okta's IDAAG. prefix", jti)
	}
	if r := e.bearer(ex.str("access_token"), nil); r.status != http.StatusOK {
		t.Errorf("jwt-bearer with an Okta-profile ID-JAG: HTTP %d %s", r.status, r.raw)
	}
	cases := []struct {
		name   string
		params url.Values
		status int
		code   string
		want   string
	}{
		{"wrong audience", url.Values{"audience": {e.cfg.ResourceAS.Issuer + "/"}}, 400, "invalid_target", "Token Exchange requests must include a valid audience of the authorization server."},
		{"wrong resource", url.Values{"resource": {"https://api.other.example"}}, 400, "invalid_target", "'resource' is invalid or not supported."},
		{"URN typo", url.Values{"requested_token_type": {"urn:ietf:params:oauth:token-type:id_jag"}}, 400, "invalid_request", "'requested_token_type' is invalid or not supported."},
		{"subject token type", url.Values{"subject_token_type": {inspect.TokenTypeSAML2}}, 400, "invalid_request", "'subject_token_type' is invalid or not supported."},
		{"garbage subject token", url.Values{"subject_token": {"abc"}}, 400, "invalid_request", "'subject_token' is invalid."},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := e.exchange(login.str("id_token"), c.params)
			if r.status != c.status || r.str("error") != c.code || r.str("error_description") != c.want {
				t.Errorf("got HTTP %d %s %q, want HTTP %d %s %q", r.status, r.str("error"), r.str("error_description"), c.status, c.code, c.want)
			}
		})
	}
	t.Run("bob", func(t *testing.T) {
		got := e.tryFlow("bob")
		wantError(t, got.resp, 400, "invalid_target", "The resource app is not completely configured or user is not assigned to the app.")
	})
	t.Run("carol", func(t *testing.T) {
		if got := e.tryFlow("carol"); got.err != "access_denied: User is not assigned to the client application." {
			t.Errorf("carol: got %q, want Okta's access_denied", got.err)
		}
	})
	t.Run("client assertion for the issuer", func(t *testing.T) {
		now := time.Now()
		a := assertion(t, clientKey(t, e), map[string]any{"iss": playground.IdPClientID, "sub": playground.IdPClientID,
			"aud": e.cfg.IdP.Issuer, "exp": now.Add(time.Minute).Unix(), "jti": now.String()})
		f := url.Values{"grant_type": {"refresh_token"}, "refresh_token": {login.str("refresh_token")},
			"client_assertion_type": {inspect.ClientAssertionTypeJWTBearer}, "client_assertion": {a}}
		r := e.post(meta["token_endpoint"].(string), f, nil)
		if r.status != http.StatusUnauthorized || r.str("error_description") != "The audience claim for client_assertion must be the endpoint invoked for the request." {
			t.Errorf("got HTTP %d %s, want Okta's client_assertion_invalid_audience", r.status, r.raw)
		}
	})
	t.Run("multiple credentials", func(t *testing.T) {
		f := url.Values{"grant_type": {"refresh_token"}, "refresh_token": {login.str("refresh_token")}, "client_id": {e.cfg.IdP.ClientID}}
		r := e.post(meta["token_endpoint"].(string), f, e.idpBasic())
		if r.status != http.StatusUnauthorized || !strings.HasPrefix(r.str("error_description"), "Cannot supply multiple client credentials.") {
			t.Errorf("Basic plus client_id in the body: got HTTP %d %s, want Okta's multiple_client_credentials", r.status, r.raw)
		}
	})
}

// TestOktaCustomAuthorizationServer: /oauth2/default logs users in but
// refuses to issue ID-JAGs, and its ID tokens are refused by the org
// authorization server's token exchange — the way Okta behaves.
func TestOktaCustomAuthorizationServer(t *testing.T) {
	e := start(t, playground.Options{Profile: playground.ProfileOkta})
	custom := e.cfg.IdP.Issuer + "/oauth2/default"
	for _, u := range []string{custom + "/.well-known/openid-configuration", e.cfg.IdP.Issuer + "/.well-known/oauth-authorization-server/oauth2/default"} {
		if m := e.metadata(u); m["issuer"] != custom || m["identity_chaining_requested_token_types_supported"] != nil {
			t.Errorf("%s: issuer %v, chaining %v; want %s and no ID-JAG support", u, m["issuer"], m["identity_chaining_requested_token_types_supported"], custom)
		}
	}
	meta := e.metadata(custom + "/.well-known/openid-configuration")
	verifier, challenge := pkce()
	q := url.Values{"response_type": {"code"}, "client_id": {e.cfg.IdP.ClientID}, "redirect_uri": {e.cfg.IdP.RedirectURI},
		"scope": {"openid"}, "code_challenge": {challenge}, "code_challenge_method": {"S256"}}
	if err := e.p.LoginBrowser("alice")(meta["authorization_endpoint"].(string) + "?" + q.Encode()); err != nil {
		t.Fatal(err)
	}
	cb := <-e.callback
	if cb.Get("iss") != custom {
		t.Errorf("callback iss = %q, want %s", cb.Get("iss"), custom)
	}
	tokens := e.post(meta["token_endpoint"].(string), url.Values{"grant_type": {"authorization_code"}, "code": {cb.Get("code")},
		"redirect_uri": {e.cfg.IdP.RedirectURI}, "code_verifier": {verifier}}, e.idpBasic())
	if tokens.status != http.StatusOK {
		t.Fatalf("login at the custom AS: %s", tokens.raw)
	}
	f := url.Values{"grant_type": {inspect.GrantTypeTokenExchange}, "requested_token_type": {inspect.TokenTypeIDJAG},
		"subject_token": {tokens.str("id_token")}, "subject_token_type": {inspect.TokenTypeIDToken}, "audience": {e.cfg.ResourceAS.Issuer}}
	r := e.post(meta["token_endpoint"].(string), f, e.idpBasic())
	if r.str("error") != "invalid_request" || r.str("error_description") != "'requested_token_type' is invalid or not supported." {
		t.Errorf("exchange at the custom AS: got %s, want Okta's invalid requested_token_type", r.raw)
	}
	r = e.exchange(tokens.str("id_token"), nil)
	if r.str("error") != "invalid_request" || r.str("error_description") != "'subject_token' is invalid: the authorization server that issued it is not valid." {
		t.Errorf("custom-AS ID token at the org AS: got %s, want Okta's wrong authorization server", r.raw)
	}
}
