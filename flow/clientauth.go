package flow

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rsa"
	"crypto/x509"
	"encoding/json"
	"encoding/pem"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"

	jose "github.com/go-jose/go-jose/v4"
	"golang.org/x/oauth2"
)

// PrivateKey is a client's signing key for private_key_jwt (RFC 7523 §2.2).
type PrivateKey struct {
	key crypto.Signer
	// Algorithm is the JWS alg the key signs with (RS256, ES256, EdDSA …).
	Algorithm string
	// KeyID is the kid put into assertions; "" sends none.
	KeyID string
}

// ParsePrivateKey reads a private key from PEM (PKCS #8, PKCS #1, SEC 1)
// or a private JWK. kid, when given, wins over the JWK's own kid. The error
// names the problem without echoing the key.
func ParsePrivateKey(data []byte, kid string) (*PrivateKey, error) {
	trimmed := strings.TrimSpace(string(data))
	var signer crypto.Signer
	switch {
	case strings.HasPrefix(trimmed, "{"):
		var jwk jose.JSONWebKey
		if err := jwk.UnmarshalJSON([]byte(trimmed)); err != nil {
			return nil, fmt.Errorf("the private key file is JSON but not a JWK: %v", jsonErrorKind(err))
		}
		if jwk.IsPublic() {
			return nil, errors.New("the JWK is a public key: private_key_jwt needs the private key (with its d member)")
		}
		s, ok := jwk.Key.(crypto.Signer)
		if !ok {
			return nil, fmt.Errorf("the JWK's key type %T cannot sign", jwk.Key)
		}
		signer = s
		if kid == "" {
			kid = jwk.KeyID
		}
	case strings.HasPrefix(trimmed, "-----BEGIN"):
		block, _ := pem.Decode([]byte(trimmed))
		if block == nil {
			return nil, errors.New("the PEM block is damaged: copy the whole file, BEGIN and END lines included")
		}
		s, err := parsePEMKey(block)
		if err != nil {
			return nil, err
		}
		signer = s
	default:
		return nil, errors.New("the private key file is neither PEM (-----BEGIN PRIVATE KEY-----) nor a JWK ({\"kty\":…})")
	}
	alg, err := signingAlgorithm(signer)
	if err != nil {
		return nil, err
	}
	return &PrivateKey{key: signer, Algorithm: alg, KeyID: kid}, nil
}

func jsonErrorKind(err error) string {
	var se *json.SyntaxError
	if errors.As(err, &se) {
		return fmt.Sprintf("invalid JSON at byte %d", se.Offset)
	}
	return "missing or invalid members"
}

func parsePEMKey(block *pem.Block) (crypto.Signer, error) {
	switch block.Type {
	case "PRIVATE KEY":
		k, err := x509.ParsePKCS8PrivateKey(block.Bytes)
		if err != nil {
			return nil, errors.New("the PKCS #8 private key does not parse")
		}
		s, ok := k.(crypto.Signer)
		if !ok {
			return nil, fmt.Errorf("a %T cannot sign", k)
		}
		return s, nil
	case "RSA PRIVATE KEY":
		k, err := x509.ParsePKCS1PrivateKey(block.Bytes)
		if err != nil {
			return nil, errors.New("the PKCS #1 RSA private key does not parse")
		}
		return k, nil
	case "EC PRIVATE KEY":
		k, err := x509.ParseECPrivateKey(block.Bytes)
		if err != nil {
			return nil, errors.New("the SEC 1 EC private key does not parse")
		}
		return k, nil
	case "PUBLIC KEY", "CERTIFICATE":
		return nil, fmt.Errorf("the PEM holds a %s: private_key_jwt needs the private key", strings.ToLower(block.Type))
	}
	return nil, fmt.Errorf("unsupported PEM block %q: use PRIVATE KEY, RSA PRIVATE KEY or EC PRIVATE KEY", block.Type)
}

func signingAlgorithm(s crypto.Signer) (string, error) {
	switch k := s.(type) {
	case *rsa.PrivateKey:
		if k.N.BitLen() < 2048 {
			return "", fmt.Errorf("the RSA key has %d bits; authorization servers require at least 2048", k.N.BitLen())
		}
		return "RS256", nil
	case *ecdsa.PrivateKey:
		switch k.Curve {
		case elliptic.P256():
			return "ES256", nil
		case elliptic.P384():
			return "ES384", nil
		case elliptic.P521():
			return "ES512", nil
		}
		return "", errors.New("the EC key is on an unsupported curve")
	case ed25519.PrivateKey:
		return "EdDSA", nil
	}
	return "", fmt.Errorf("unsupported key type %T", s)
}

// ClientAssertion signs a client assertion JWT (RFC 7523 §3): iss and sub
// are the client id, aud the given audience, a five-minute exp, and a
// random jti.
func (k *PrivateKey) ClientAssertion(env Env, clientID, audience string) (string, error) {
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
	signer, err := jose.NewSigner(jose.SigningKey{Algorithm: jose.SignatureAlgorithm(k.Algorithm), Key: k.key}, opts)
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
	cc            ClientConfig
	tokenEndpoint string
	issuer        string
}

// assertionAudience is the aud of a client assertion: the token endpoint
// being called (Okta requires it) unless the issuer was asked for
// (draft-ietf-oauth-rfc7523bis).
func (a clientAuth) assertionAudience() string {
	if a.cc.AssertionAudience == AssertionAudienceIssuer {
		return a.issuer
	}
	return a.tokenEndpoint
}

// formParams returns the body parameters of the client authentication.
func (a clientAuth) formParams(env Env) (url.Values, error) {
	v := url.Values{}
	switch a.cc.authMethod() {
	case AuthClientSecretPost:
		v.Set("client_id", a.cc.ClientID)
		v.Set("client_secret", a.cc.ClientSecret.Reveal())
	case AuthPrivateKeyJWT:
		key, err := ParsePrivateKey([]byte(a.cc.PrivateKeyPEM.Reveal()), a.cc.KeyID)
		if err != nil {
			return nil, fmt.Errorf("%w: %v", ErrClientAuth, err)
		}
		assertion, err := key.ClientAssertion(env, a.cc.ClientID, a.assertionAudience())
		if err != nil {
			return nil, err
		}
		v.Set("client_id", a.cc.ClientID)
		v.Set("client_assertion_type", "urn:ietf:params:oauth:client-assertion-type:jwt-bearer")
		v.Set("client_assertion", assertion)
	case AuthNone:
		v.Set("client_id", a.cc.ClientID)
	}
	return v, nil
}

// header sets the Basic credentials, form-encoding id and secret before
// base64 as RFC 6749 §2.3.1 requires.
func (a clientAuth) header(req *http.Request) {
	if a.cc.authMethod() == AuthClientSecretBasic {
		req.SetBasicAuth(url.QueryEscape(a.cc.ClientID), url.QueryEscape(a.cc.ClientSecret.Reveal()))
	}
}

// oauth2Style is the explicit x/oauth2 auth style (auto-detection would
// retry with the other style and double the requests).
func (a clientAuth) oauth2Style() oauth2.AuthStyle {
	if a.cc.authMethod() == AuthClientSecretBasic {
		return oauth2.AuthStyleInHeader
	}
	return oauth2.AuthStyleInParams
}
