package playground_test

import (
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/xaatools/xaa/flow/playground"
	"github.com/xaatools/xaa/inspect"
)

// TestIdPMetadata checks the discovery fields clients depend on.
func TestIdPMetadata(t *testing.T) {
	e := start(t, playground.Options{})
	for _, path := range []string{"/.well-known/openid-configuration", "/.well-known/oauth-authorization-server"} {
		t.Run(path, func(t *testing.T) {
			m := e.metadata(e.cfg.IdP.Issuer + path)
			checks := map[string]string{
				"issuer":                           e.cfg.IdP.Issuer,
				"code_challenge_methods_supported": "[S256]",
				"identity_chaining_requested_token_types_supported": "[" + inspect.TokenTypeIDJAG + "]",
				"token_endpoint_auth_methods_supported":             "[client_secret_basic client_secret_post private_key_jwt]",
				"grant_types_supported":                             "[authorization_code refresh_token " + inspect.GrantTypeTokenExchange + "]",
			}
			for k, want := range checks {
				if got := flat(m[k]); got != want {
					t.Errorf("%s = %s, want %s", k, got, want)
				}
			}
		})
	}
	as := e.metadata(e.cfg.ResourceAS.Issuer + "/.well-known/oauth-authorization-server")
	for k, want := range map[string]string{
		"issuer":                                 e.cfg.ResourceAS.Issuer,
		"grant_types_supported":                  "[" + inspect.GrantTypeJWTBearer + "]",
		"authorization_grant_profiles_supported": "[" + inspect.GrantProfileIDJAG + "]",
		"token_endpoint_auth_methods_supported":  "[client_secret_basic client_secret_post private_key_jwt]",
		"authorization_endpoint":                 e.cfg.ResourceAS.Issuer + "/authorize",
	} {
		if got := flat(as[k]); got != want {
			t.Errorf("AS %s = %s, want %s", k, got, want)
		}
	}
	// The AS's authorization endpoint exists for the TypeScript MCP SDK's
	// metadata schema, and says it grants nothing there.
	res, err := http.Get(e.cfg.ResourceAS.Issuer + "/authorize?response_type=code&client_id=" + e.cfg.ResourceAS.ClientID)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if res.StatusCode != http.StatusBadRequest || !strings.Contains(string(body), "unsupported_response_type") {
		t.Errorf("AS /authorize = %d %s, want 400 unsupported_response_type", res.StatusCode, body)
	}
	prm := e.metadata(e.p.ResourceURL() + "/.well-known/oauth-protected-resource/mcp")
	if prm["resource"] != e.cfg.Resource.MCPURL || flat(prm["authorization_servers"]) != "["+e.cfg.ResourceAS.Issuer+"]" {
		t.Errorf("MCP protected resource metadata = %v, want resource %s at %s", prm, e.cfg.Resource.MCPURL, e.cfg.ResourceAS.Issuer)
	}
}

// flat renders a JSON value compactly for comparison.
func flat(v any) string {
	switch v := v.(type) {
	case []any:
		parts := make([]string, len(v))
		for i, x := range v {
			parts[i] = flat(x)
		}
		return "[" + strings.Join(parts, " ") + "]"
	case string:
		return v
	case nil:
		return "(absent)"
	}
	return "?"
}

// TestAuthorizationEndpoint: errors about the client or redirect URI are
// shown on a page; the others are redirected to the client.
func TestAuthorizationEndpoint(t *testing.T) {
	e := start(t, playground.Options{})
	_, challenge := pkce()
	base := func() url.Values {
		return url.Values{"response_type": {"code"}, "client_id": {e.cfg.IdP.ClientID}, "redirect_uri": {e.cfg.IdP.RedirectURI},
			"scope": {"openid"}, "state": {"s"}, "code_challenge": {challenge}, "code_challenge_method": {"S256"}}
	}
	authz := e.cfg.IdP.Issuer + "/authorize"
	pageCases := []struct {
		name   string
		change func(url.Values)
		want   string
	}{
		{"unknown client", func(v url.Values) { v.Set("client_id", "nobody") }, `there is no client "nobody"`},
		{"resource AS client at the IdP", func(v url.Values) { v.Set("client_id", playground.ASClientID) }, "is the client at the resource AS"},
		{"missing redirect_uri", func(v url.Values) { v.Del("redirect_uri") }, "redirect_uri is missing"},
		{"redirect_uri with a trailing slash", func(v url.Values) { v.Set("redirect_uri", e.cfg.IdP.RedirectURI+"/") }, "trailing slash"},
		{"repeated parameter", func(v url.Values) { v.Add("scope", "email") }, "scope is sent 2 times"},
	}
	for _, c := range pageCases {
		t.Run(c.name, func(t *testing.T) {
			v := base()
			c.change(v)
			err := e.p.LoginBrowser("alice")(authz + "?" + v.Encode())
			if err == nil || !strings.Contains(err.Error(), "error page") || !strings.Contains(err.Error(), c.want) {
				t.Errorf("got %v, want an error page saying %q", err, c.want)
			}
		})
	}
	redirectCases := []struct {
		name   string
		change func(url.Values)
		code   string
		want   string
	}{
		{"no PKCE", func(v url.Values) { v.Del("code_challenge") }, "invalid_request", "code_challenge is missing"},
		{"plain PKCE", func(v url.Values) { v.Set("code_challenge_method", "plain") }, "invalid_request", "accepts only S256"},
		{"short challenge", func(v url.Values) { v.Set("code_challenge", "abc") }, "invalid_request", "43 characters"},
		{"implicit flow", func(v url.Values) { v.Set("response_type", "token") }, "unsupported_response_type", "authorization code flow"},
		{"no openid", func(v url.Values) { v.Set("scope", "email") }, "invalid_scope", "does not contain openid"},
		{"resource scope at login", func(v url.Values) { v.Set("scope", "openid todos.read") }, "invalid_scope", "asked for in the token exchange"},
	}
	for _, c := range redirectCases {
		t.Run(c.name, func(t *testing.T) {
			v := base()
			c.change(v)
			if err := e.p.LoginBrowser("alice")(authz + "?" + v.Encode()); err != nil {
				t.Fatalf("LoginBrowser: %v", err)
			}
			cb := <-e.callback
			if cb.Get("error") != c.code || !strings.Contains(cb.Get("error_description"), c.want) || cb.Get("state") != "s" || cb.Get("iss") != e.cfg.IdP.Issuer {
				t.Errorf("callback %v, want error %s containing %q with state s and iss", cb, c.code, c.want)
			}
		})
	}
	t.Run("user not assigned", func(t *testing.T) {
		got := e.tryFlow("carol")
		if got.step != playground.StepLogin || !strings.Contains(got.err, "access_denied: user carol is not assigned to the requesting app") {
			t.Errorf("carol: got step %q error %q, want access_denied at login", got.step, got.err)
		}
	})
	t.Run("unknown demo user", func(t *testing.T) {
		err := e.p.LoginBrowser("mallory")(authz + "?" + base().Encode())
		if err == nil || !strings.Contains(err.Error(), "alice, bob, carol, dave") {
			t.Errorf("got %v, want the list of demo users", err)
		}
	})
	t.Run("login page", func(t *testing.T) {
		v := base()
		v.Set("login_hint", "dave")
		r := e.get(authz+"?"+v.Encode(), "")
		for _, want := range []string{`value="dave"`, "alice-demo", `name="code_challenge"`} {
			if !strings.Contains(r.raw, want) {
				t.Errorf("login page lacks %s", want)
			}
		}
		if r.header.Get("Cache-Control") != "no-store" || !strings.Contains(r.header.Get("Content-Security-Policy"), "frame-ancestors 'none'") {
			t.Errorf("login page headers %v, want no-store and no framing", r.header)
		}
	})
	t.Run("wrong password", func(t *testing.T) {
		v := base()
		v.Set("username", "alice")
		v.Set("password", "guess")
		req, _ := http.NewRequest(http.MethodPost, authz, strings.NewReader(v.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		r := e.do(req)
		if r.status != http.StatusUnauthorized || !strings.Contains(r.raw, "Wrong password for alice") {
			t.Errorf("got HTTP %d, want 401 and the login page saying the password is wrong", r.status)
		}
	})
}

// TestCodeRedemption covers the rules of the authorization_code grant.
func TestCodeRedemption(t *testing.T) {
	clock := &fakeClock{t: time.Now()}
	e := start(t, playground.Options{Now: clock.now})
	code := func(t *testing.T) (string, string) {
		verifier, challenge := pkce()
		if err := e.p.LoginBrowser("alice")(e.authorizeURL("openid", challenge)); err != nil {
			t.Fatal(err)
		}
		return (<-e.callback).Get("code"), verifier
	}
	redeem := func(c, verifier, redirect string) response {
		return e.post(e.idpTokenURL(), url.Values{"grant_type": {"authorization_code"}, "code": {c}, "redirect_uri": {redirect}, "code_verifier": {verifier}}, e.idpBasic())
	}
	t.Run("single use", func(t *testing.T) {
		c, v := code(t)
		if r := redeem(c, v, e.cfg.IdP.RedirectURI); r.status != http.StatusOK {
			t.Fatalf("first use: %s", r.raw)
		}
		wantError(t, redeem(c, v, e.cfg.IdP.RedirectURI), 400, "invalid_grant", "single use")
	})
	t.Run("wrong verifier", func(t *testing.T) {
		c, _ := code(t)
		wantError(t, redeem(c, "x"+strings.Repeat("y", 42), e.cfg.IdP.RedirectURI), 400, "invalid_grant", "PKCE verification failed")
	})
	t.Run("missing verifier", func(t *testing.T) {
		c, _ := code(t)
		wantError(t, redeem(c, "", e.cfg.IdP.RedirectURI), 400, "invalid_request", "code_verifier is missing")
	})
	t.Run("other redirect_uri", func(t *testing.T) {
		c, v := code(t)
		wantError(t, redeem(c, v, e.cfg.IdP.RedirectURI+"?x=1"), 400, "invalid_grant", "differs from")
	})
	t.Run("expired", func(t *testing.T) {
		c, v := code(t)
		clock.advance(61 * time.Second)
		wantError(t, redeem(c, v, e.cfg.IdP.RedirectURI), 400, "invalid_grant", "older than 1m")
	})
}

// fakeClock is an injected clock tests move by hand.
type fakeClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *fakeClock) now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *fakeClock) advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// TestTokenExchangeRules: each way a token exchange can be wrong is refused
// with the RFC 8693 error and the problem named (protocol reference §4B).
func TestTokenExchangeRules(t *testing.T) {
	e := start(t, playground.Options{})
	login := e.login("alice")
	idToken := login.str("id_token")
	mintIDToken := func(t *testing.T, change func(map[string]any)) string {
		now := time.Now()
		claims := map[string]any{"iss": e.cfg.IdP.Issuer, "sub": "usr_alice", "aud": e.cfg.IdP.ClientID, "iat": now.Unix(), "exp": now.Add(time.Hour).Unix()}
		change(claims)
		tok, err := e.p.Mint(playground.MintRequest{Claims: claims})
		if err != nil {
			t.Fatal(err)
		}
		return tok
	}
	cases := []struct {
		name   string
		params url.Values
		code   string
		want   string
	}{
		{"missing requested_token_type", url.Values{"requested_token_type": nil}, "invalid_request", "requested_token_type parameter is missing"},
		{"underscore URN", url.Values{"requested_token_type": {"urn:ietf:params:oauth:token-type:id_jag"}}, "invalid_request", "underscore"},
		{"missing audience", url.Values{"audience": nil}, "invalid_request", "audience parameter is missing"},
		{"access token as subject type", url.Values{"subject_token_type": {inspect.TokenTypeAccessToken}}, "invalid_request", "exchanges ID tokens"},
		{"garbage subject token", url.Values{"subject_token": {"abc"}}, "invalid_request", "not a signed JWT"},
		{"ID token for another client", url.Values{"subject_token": {mintIDToken(t, func(c map[string]any) { c["aud"] = "someone-else" })}}, "invalid_request", "id_token.aud failed"},
		{"expired ID token", url.Values{"subject_token": {mintIDToken(t, func(c map[string]any) { c["exp"] = time.Now().Add(-time.Hour).Unix() })}}, "invalid_request", "id_token.exp failed"},
		{"ID token of another issuer", url.Values{"subject_token": {mintIDToken(t, func(c map[string]any) { c["iss"] = "https://other.example" })}}, "invalid_request", "exchanges only ID tokens it issued"},
		{"ID token of an unknown user", url.Values{"subject_token": {mintIDToken(t, func(c map[string]any) { c["sub"] = "usr_mallory" })}}, "invalid_request", "not a user of this IdP"},
		{"refresh token typed as ID token", url.Values{"subject_token": {login.str("refresh_token")}}, "invalid_request", "its subject_token_type is " + inspect.TokenTypeRefreshToken},
		{"ID token typed as refresh token", url.Values{"subject_token_type": {inspect.TokenTypeRefreshToken}}, "invalid_grant", "looks like a JWT"},
		{"audience with a trailing slash", url.Values{"audience": {e.cfg.ResourceAS.Issuer + "/"}}, "invalid_target", "trailing slash"},
		{"resource sent as audience", url.Values{"audience": {e.p.ResourceURL()}}, "invalid_target", "that is the resource"},
		{"resource not in the connection", url.Values{"resource": {"https://api.other.example"}}, "invalid_target", "not allowed by the connection"},
		{"scope not in the connection", url.Values{"scope": {"todos.delete"}}, "invalid_scope", "not allowed by the connection"},
		{"login scope in the exchange", url.Values{"scope": {"openid todos.read"}}, "invalid_scope", "belong in the authorization request"},
		{"actor token", url.Values{"actor_token": {"x"}, "actor_token_type": {inspect.TokenTypeJWT}}, "invalid_request", "actor tokens"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			params := url.Values{"subject_token": {idToken}}
			for k, v := range c.params {
				params[k] = v
			}
			wantError(t, e.exchange(idToken, params), 400, c.code, c.want)
		})
	}
	t.Run("ID-JAG as subject token", func(t *testing.T) {
		jag := e.exchange(idToken, nil).str("access_token")
		wantError(t, e.exchange(jag, url.Values{"subject_token": {jag}}), 400, "invalid_request", "this is an ID-JAG, not an ID token")
	})
	t.Run("refresh token as subject token", func(t *testing.T) {
		r := e.exchange("", url.Values{"subject_token": {login.str("refresh_token")}, "subject_token_type": {inspect.TokenTypeRefreshToken}})
		if r.status != http.StatusOK || r.str("issued_token_type") != inspect.TokenTypeIDJAG {
			t.Errorf("got HTTP %d %s, want an ID-JAG", r.status, r.raw)
		}
	})
	t.Run("no scope asks for the connection's", func(t *testing.T) {
		r := e.exchange(idToken, url.Values{"scope": nil, "resource": nil})
		if r.status != http.StatusOK || r.str("scope") != "todos.read todos.write" {
			t.Errorf("got HTTP %d %s, want both scopes", r.status, r.raw)
		}
		jag, _ := inspect.Decode(r.str("access_token"))
		if jag.Claims.Has("resource") {
			t.Errorf("no resource was asked for, but the ID-JAG has one")
		}
	})
	t.Run("bob is not assigned to the resource app", func(t *testing.T) {
		got := e.tryFlow("bob")
		if got.step != playground.StepTokenExchange {
			t.Fatalf("bob: flow stopped at %q, want token_exchange", got.step)
		}
		wantError(t, got.resp, 400, "invalid_target", "user bob is not assigned to the resource app")
	})
	t.Run("refresh grant", func(t *testing.T) {
		r := e.post(e.idpTokenURL(), url.Values{"grant_type": {"refresh_token"}, "refresh_token": {login.str("refresh_token")}, "scope": {"openid email"}}, e.idpBasic())
		if r.status != http.StatusOK || r.str("id_token") == "" || r.str("scope") != "openid email" {
			t.Errorf("refresh: HTTP %d %s", r.status, r.raw)
		}
		wantError(t, e.post(e.idpTokenURL(), url.Values{"grant_type": {"refresh_token"}, "refresh_token": {login.str("refresh_token")}, "scope": {"openid profile todos.read"}}, e.idpBasic()),
			400, "invalid_scope", "todos.read was not granted")
	})
}

// TestLoginBrowserCallbackDown: the scripted browser reports a callback
// nobody listens on.
func TestLoginBrowserCallbackDown(t *testing.T) {
	e := start(t, playground.Options{RedirectURIs: []string{"http://127.0.0.1:1/callback"}})
	_, challenge := pkce()
	q := url.Values{"response_type": {"code"}, "client_id": {e.cfg.IdP.ClientID}, "redirect_uri": {"http://127.0.0.1:1/callback"},
		"scope": {"openid"}, "code_challenge": {challenge}, "code_challenge_method": {"S256"}}
	err := e.p.LoginBrowser("alice")(e.cfg.IdP.Issuer + "/authorize?" + q.Encode())
	if err == nil || !strings.Contains(err.Error(), "the redirect to the callback http://127.0.0.1:1/callback failed") {
		t.Errorf("got %v, want the failed redirect named", err)
	}
}

// TestIndexPage: the IdP's home page lists the demo users.
func TestIndexPage(t *testing.T) {
	e := start(t, playground.Options{})
	resp, err := http.Get(e.cfg.IdP.Issuer + "/")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if !strings.Contains(string(b), "carol-demo") {
		t.Errorf("index page lacks the demo users")
	}
}
