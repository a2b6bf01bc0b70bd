package flow

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"time"

	"github.com/xaatools/xaa/flow/config"

	jose "github.com/go-jose/go-jose/v4"
	"golang.org/x/oauth2"
)

// ClientAssertion signs a client assertion JWT (RFC 7523 §3): iss and sub
// are the client id, aud the given audience, a five-minute exp, and a
// random jti.
func ClientAssertion(k *config.PrivateKey, env Env, clientID, audience string) (string, error) {
	jti, err := env.randomString(18)
	if err != nil {
		return "", err
	}
	now := env.now()
	claims := map[string]any{
		"iss": clientID, "sub": clientID, "aud": audience,
		"iat": now.Unix(), "exp": now.Add(5 * time.Minute).Unix(), "jti": jti,
	}
	opts := (&jose.SignerOptions{}).WithType("JWT")
	if k.KeyID != "" {
		opts = opts.WithHeader("kid", k.KeyID)
	}
	signer, err := jose.NewSigner(jose.SigningKey{Algorithm: jose.SignatureAlgorithm(k.Algorithm), Key: k.Signer()}, opts)
	if err != nil {
		return "", fmt.Errorf("%w: %v", ErrClientAuth, err)
	}
	payload, _ := json.Marshal(claims)
	jws, err := signer.Sign(payload)
	if err != nil {
		return "", fmt.Errorf("%w: %v", ErrClientAuth, err)
	}
	return jws.CompactSerialize()
}

// clientAuth is how one request authenticates its client.
type clientAuth struct {
	cc            config.ClientConfig
	tokenEndpoint string
	issuer        string
}

// assertionAudience is the aud of a client assertion: the token endpoint
// being called (Okta requires it) unless the issuer was asked for
// (draft-ietf-oauth-rfc7523bis).
func (a clientAuth) assertionAudience() string {
	if a.cc.AssertionAudience == config.AssertionAudienceIssuer {
		return a.issuer
	}
	return a.tokenEndpoint
}

// formParams returns the body parameters of the client authentication.
func (a clientAuth) formParams(env Env) (url.Values, error) {
	v := url.Values{}
	switch a.cc.Method() {
	case config.AuthClientSecretPost:
		v.Set("client_id", a.cc.ClientID)
		v.Set("client_secret", a.cc.ClientSecret.Reveal())
	case config.AuthPrivateKeyJWT:
		if a.cc.Key == nil {
			return nil, fmt.Errorf("%w: no private key loaded for %s (set private_key)", ErrClientAuth, a.cc.ClientID)
		}
		assertion, err := ClientAssertion(a.cc.Key, env, a.cc.ClientID, a.assertionAudience())
		if err != nil {
			return nil, err
		}
		v.Set("client_id", a.cc.ClientID)
		v.Set("client_assertion_type", "urn:ietf:params:oauth:client-assertion-type:jwt-bearer")
		v.Set("client_assertion", assertion)
	case config.AuthNone:
		v.Set("client_id", a.cc.ClientID)
	}
	return v, nil
}

// header sets the Basic credentials, form-encoding id and secret before
// base64 as RFC 6749 §2.3.1 requires.
func (a clientAuth) header(req *http.Request) {
	if a.cc.Method() == config.AuthClientSecretBasic {
		req.SetBasicAuth(url.QueryEscape(a.cc.ClientID), url.QueryEscape(a.cc.ClientSecret.Reveal()))
	}
}

// oauth2Style is the explicit x/oauth2 auth style (auto-detection would
// retry with the other style and double the requests).
func (a clientAuth) oauth2Style() oauth2.AuthStyle {
	if a.cc.Method() == config.AuthClientSecretBasic {
		return oauth2.AuthStyleInHeader
	}
	return oauth2.AuthStyleInParams
}
