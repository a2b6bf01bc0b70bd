package playground_test

import (
	"crypto/ecdsa"
	"crypto/x509"
	"encoding/pem"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	jose "github.com/go-jose/go-jose/v4"
	"github.com/go-jose/go-jose/v4/jwt"

	"github.com/xaatools/xaa/flow/playground"
	"github.com/xaatools/xaa/inspect"
)

// clientKey writes the config and reads back the demo client's private key.
func clientKey(t *testing.T, e *env) *ecdsa.PrivateKey {
	t.Helper()
	path := filepath.Join(t.TempDir(), "xaa.yaml")
	if err := e.p.WriteConfig(path); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(playground.ConfigFilesFor(path).ClientKey)
	if err != nil {
		t.Fatal(err)
	}
	block, _ := pem.Decode(data)
	k, err := x509.ParsePKCS8PrivateKey(block.Bytes)
	if err != nil {
		t.Fatal(err)
	}
	return k.(*ecdsa.PrivateKey)
}

// assertion signs an RFC 7523 client assertion.
func assertion(t *testing.T, key any, claims map[string]any) string {
	t.Helper()
	s, err := jose.NewSigner(jose.SigningKey{Algorithm: jose.ES256, Key: key}, nil)
	if err != nil {
		t.Fatal(err)
	}
	tok, err := jwt.Signed(s).Claims(claims).Serialize()
	if err != nil {
		t.Fatal(err)
	}
	return tok
}

// TestClientAuthentication: the token endpoints accept exactly one of
// client_secret_basic, client_secret_post and private_key_jwt, and name
// what is wrong otherwise (RFC 6749 §2.3, RFC 7523 §2.2).
func TestClientAuthentication(t *testing.T) {
	e := start(t, playground.Options{})
	key := clientKey(t, e)
	tokenURL := e.idpTokenURL()
	refresh := e.login("alice").str("refresh_token")
	claims := func(change func(map[string]any)) map[string]any {
		now := time.Now()
		c := map[string]any{"iss": playground.IdPClientID, "sub": playground.IdPClientID, "aud": tokenURL,
			"iat": now.Unix(), "exp": now.Add(time.Minute).Unix(), "jti": inspect.ShortenToken(now.String()) + now.String()}
		if change != nil {
			change(c)
		}
		return c
	}
	jwtAuth := func(a string) url.Values {
		return url.Values{"client_assertion_type": {inspect.ClientAssertionTypeJWTBearer}, "client_assertion": {a}}
	}
	replayed := assertion(t, key, claims(nil))
	cases := []struct {
		name   string
		auth   url.Values
		basic  []string
		status int
		code   string
		want   string
	}{
		{name: "client_secret_basic", basic: e.idpBasic(), status: 200},
		{name: "client_secret_post", auth: url.Values{"client_id": {e.cfg.IdP.ClientID}, "client_secret": {e.cfg.IdP.ClientSecret.Reveal()}}, status: 200},
		{name: "private_key_jwt, aud token endpoint", auth: jwtAuth(replayed), status: 200},
		{name: "private_key_jwt, aud issuer", auth: jwtAuth(assertion(t, key, claims(func(c map[string]any) { c["aud"] = e.cfg.IdP.Issuer }))), status: 200},
		{name: "replayed assertion", auth: jwtAuth(replayed), status: 401, code: "invalid_client", want: "was already used"},
		{name: "assertion for another audience", auth: jwtAuth(assertion(t, key, claims(func(c map[string]any) { c["aud"] = e.cfg.ResourceAS.Issuer + "/token" }))), status: 401, code: "invalid_client", want: "it must be " + tokenURL},
		{name: "expired assertion", auth: jwtAuth(assertion(t, key, claims(func(c map[string]any) { c["exp"] = time.Now().Add(-time.Hour).Unix() }))), status: 401, code: "invalid_client", want: "exp is in the future"},
		{name: "assertion valid for hours", auth: jwtAuth(assertion(t, key, claims(func(c map[string]any) { c["exp"] = time.Now().Add(3 * time.Hour).Unix() }))), status: 401, code: "invalid_client", want: "make it at most 1h"},
		{name: "assertion without exp", auth: jwtAuth(assertion(t, key, claims(func(c map[string]any) { delete(c, "exp") }))), status: 401, code: "invalid_client", want: "exp is missing"},
		{name: "assertion iss differs from sub", auth: jwtAuth(assertion(t, key, claims(func(c map[string]any) { c["sub"] = "alice" }))), status: 401, code: "invalid_client", want: "differ"},
		{name: "assertion signed by another key", auth: jwtAuth(assertion(t, newECKey(t), claims(nil))), status: 401, code: "invalid_client", want: "signature verifies"},
		{name: "wrong client_assertion_type", auth: url.Values{"client_assertion_type": {"urn:ietf:params:oauth:client-assertion-type:jwt_bearer"}, "client_assertion": {replayed}}, status: 400, code: "invalid_request", want: "client_assertion_type"},
		{name: "basic and post", basic: e.idpBasic(), auth: url.Values{"client_secret": {e.cfg.IdP.ClientSecret.Reveal()}}, status: 400, code: "invalid_request", want: "client_secret_basic and client_secret_post at once"},
		{name: "post and private_key_jwt", auth: url.Values{"client_id": {e.cfg.IdP.ClientID}, "client_secret": {e.cfg.IdP.ClientSecret.Reveal()}, "client_assertion_type": {inspect.ClientAssertionTypeJWTBearer}, "client_assertion": {replayed}}, status: 400, code: "invalid_request", want: "use exactly one"},
		{name: "basic with another client_id in the body", basic: e.idpBasic(), auth: url.Values{"client_id": {"other"}}, status: 400, code: "invalid_request", want: "differs from"},
		{name: "no authentication", status: 401, code: "invalid_client", want: "no client authentication"},
		{name: "client_id only", auth: url.Values{"client_id": {e.cfg.IdP.ClientID}}, status: 401, code: "invalid_client", want: "sent only its client_id"},
		{name: "wrong secret", basic: []string{e.cfg.IdP.ClientID, "nope"}, status: 401, code: "invalid_client", want: "client secret for xaa-agent is wrong"},
		{name: "resource AS secret at the IdP", basic: []string{e.cfg.IdP.ClientID, e.cfg.ResourceAS.ClientSecret.Reveal()}, status: 401, code: "invalid_client", want: "it is the secret of xaa-agent-at-todos"},
		{name: "resource AS client at the IdP", basic: e.asBasic(), status: 401, code: "invalid_client", want: "is registered at the other party; here use xaa-agent"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			f := url.Values{"grant_type": {"refresh_token"}, "refresh_token": {refresh}}
			for k, v := range c.auth {
				f[k] = v
			}
			r := e.post(tokenURL, f, c.basic)
			if c.status == 200 {
				if r.status != http.StatusOK {
					t.Errorf("got HTTP %d %s, want tokens", r.status, r.raw)
				}
				return
			}
			wantError(t, r, c.status, c.code, c.want)
			if c.basic != nil && c.status == 401 && !strings.HasPrefix(r.header.Get("WWW-Authenticate"), "Basic") {
				t.Errorf("401 after Basic authentication without WWW-Authenticate: Basic (RFC 6749 §5.2)")
			}
		})
	}
	t.Run("malformed Basic header", func(t *testing.T) {
		req, _ := http.NewRequest(http.MethodPost, tokenURL, strings.NewReader("grant_type=refresh_token&refresh_token=x"))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("Authorization", "Basic !!!")
		wantError(t, e.do(req), 401, "invalid_client", "not valid base64")
	})
	t.Run("at the resource AS", func(t *testing.T) {
		wantError(t, e.bearer("x", nil), 400, "invalid_grant", "not one compact JWS")
		r := e.post(e.cfg.ResourceAS.Issuer+"/token", url.Values{"grant_type": {inspect.GrantTypeJWTBearer}, "assertion": {"x"}}, e.idpBasic())
		wantError(t, r, 401, "invalid_client", "xaa-agent is registered at the other party; here use xaa-agent-at-todos")
		r = e.post(e.cfg.ResourceAS.Issuer+"/token", url.Values{"grant_type": {inspect.GrantTypeJWTBearer}, "assertion": {"x"}},
			[]string{e.cfg.ResourceAS.ClientID, e.cfg.IdP.ClientSecret.Reveal()})
		wantError(t, r, 401, "invalid_client", "it is the secret of xaa-agent")
		now := time.Now()
		a := assertion(t, key, map[string]any{"iss": playground.ASClientID, "sub": playground.ASClientID, "aud": e.cfg.ResourceAS.Issuer + "/token",
			"exp": now.Add(time.Minute).Unix(), "jti": now.String()})
		r = e.post(e.cfg.ResourceAS.Issuer+"/token", url.Values{"grant_type": {inspect.GrantTypeJWTBearer}, "assertion": {e.idJAG()},
			"client_assertion_type": {inspect.ClientAssertionTypeJWTBearer}, "client_assertion": {a}}, nil)
		if r.status != http.StatusOK {
			t.Errorf("private_key_jwt at the resource AS: HTTP %d %s", r.status, r.raw)
		}
	})
}
