package wire

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"time"

	"github.com/xaatools/xaa/flow/config"
	"github.com/xaatools/xaa/inspect"

	jose "github.com/go-jose/go-jose/v4"
	"golang.org/x/oauth2"
)

// ClientAssertion signs a client assertion JWT (RFC 7523 §3) with the
// client's clock and randomness: iss and sub are the client id, aud the
// given audience, a five-minute exp, and a random jti.
func (c *Client) ClientAssertion(k *config.PrivateKey, clientID, audience string) (string, error) {
	jti, err := c.Random(18)
	if err != nil {
		return "", err
	}
	now := c.Now()
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

// ClientAuth is how one token request authenticates its client: the
// client's registration, and the server's token endpoint and issuer (a
// client assertion's audience is one of them).
type ClientAuth struct {
	Client        config.ClientConfig
	TokenEndpoint string
	Issuer        string
}

// AssertionAudience is the aud of a client assertion: the token endpoint
// being called (Okta requires it) unless the issuer was asked for
// (draft-ietf-oauth-rfc7523bis).
func (a ClientAuth) AssertionAudience() string {
	if a.Client.AssertionAudience == config.AssertionAudienceIssuer {
		return a.Issuer
	}
	return a.TokenEndpoint
}

// FormParams returns the body parameters of the client authentication; c
// signs the client assertion of private_key_jwt.
func (a ClientAuth) FormParams(c *Client) (url.Values, error) {
	v := url.Values{}
	switch a.Client.Method() {
	case config.AuthClientSecretPost:
		v.Set("client_id", a.Client.ClientID)
		v.Set("client_secret", a.Client.ClientSecret.Reveal())
	case config.AuthPrivateKeyJWT:
		if a.Client.Key == nil {
			return nil, fmt.Errorf("%w: no private key loaded for %s (set private_key)", ErrClientAuth, a.Client.ClientID)
		}
		assertion, err := c.ClientAssertion(a.Client.Key, a.Client.ClientID, a.AssertionAudience())
		if err != nil {
			return nil, err
		}
		v.Set("client_id", a.Client.ClientID)
		v.Set("client_assertion_type", inspect.ClientAssertionTypeJWTBearer)
		v.Set("client_assertion", assertion)
	case config.AuthNone:
		v.Set("client_id", a.Client.ClientID)
	}
	return v, nil
}

// Header sets the Basic credentials, form-encoding id and secret before
// base64 as RFC 6749 §2.3.1 requires.
func (a ClientAuth) Header(req *http.Request) {
	if a.Client.Method() == config.AuthClientSecretBasic {
		req.SetBasicAuth(url.QueryEscape(a.Client.ClientID), url.QueryEscape(a.Client.ClientSecret.Reveal()))
	}
}

// OAuth2Style is the explicit x/oauth2 auth style (auto-detection would
// retry with the other style and double the requests).
func (a ClientAuth) OAuth2Style() oauth2.AuthStyle {
	if a.Client.Method() == config.AuthClientSecretBasic {
		return oauth2.AuthStyleInHeader
	}
	return oauth2.AuthStyleInParams
}
