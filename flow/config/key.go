package config

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
	"strings"

	jose "github.com/go-jose/go-jose/v4"
)

// MaxKeyFileBytes bounds a private key file: a PEM or JWK is a few kilobytes.
const MaxKeyFileBytes = 64 << 10

// PrivateKey is a client's signing key for private_key_jwt (RFC 7523 §2.2),
// parsed once when the config is loaded.
type PrivateKey struct {
	signer crypto.Signer
	// Algorithm is the JWS alg the key signs with (RS256, ES256, EdDSA …).
	Algorithm string
	// KeyID is the kid put into assertions; "" sends none.
	KeyID string
}

// Signer returns the key for signing.
func (k *PrivateKey) Signer() crypto.Signer { return k.signer }

// String never shows the key material.
func (k *PrivateKey) String() string { return k.Algorithm + " private key " + Redacted }

// GoString keeps %#v from printing the key material.
func (k *PrivateKey) GoString() string { return k.String() }

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
	return &PrivateKey{signer: signer, Algorithm: alg, KeyID: kid}, nil
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
