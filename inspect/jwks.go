package inspect

import (
	"bytes"
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/rsa"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"errors"
	"fmt"
	"strings"
	"time"

	jose "github.com/go-jose/go-jose/v4"
)

// maxKeys bounds how many keys a JWKS may hold; real ones hold a handful.
const maxKeys = 100

// Key is one key of a JWKS as a person would want to see it, plus the parsed
// public key when it is usable.
type Key struct {
	KID string `json:"kid,omitempty"`
	KTY string `json:"kty,omitempty"`
	Alg string `json:"alg,omitempty"`
	Use string `json:"use,omitempty"`
	// Thumbprint is the RFC 7638 SHA-256 thumbprint, base64url: a key's
	// identity that does not depend on the kid someone chose.
	Thumbprint string `json:"thumbprint,omitempty"`
	// X5T and X5TS256 are the certificate thumbprints the JWK declares.
	X5T     string `json:"x5t,omitempty"`
	X5TS256 string `json:"x5t#S256,omitempty"`
	// Size describes the key strength: "RSA 2048", "P-256", "Ed25519".
	Size string `json:"size,omitempty"`
	// Problem says why the key cannot be used; empty when it can.
	Problem string `json:"problem,omitempty"`
	// public is the public key, nil when Problem is set.
	public crypto.PublicKey
	// bytes is the RSA modulus size in bytes, for exact signature lengths.
	modulusBytes int
}

// Usable reports whether the key can verify signatures.
func (k Key) Usable() bool { return k.public != nil }

// Label names the key briefly: its kid, else the start of its thumbprint.
func (k Key) Label() string {
	if k.KID != "" {
		return k.KID
	}
	return ShortThumbprint(k.Thumbprint)
}

// ShortThumbprint shortens a thumbprint for display ("3f2a9c1d…").
func ShortThumbprint(tp string) string {
	if len(tp) > 8 {
		return tp[:8] + "…"
	}
	return tp
}

// KeySet is a parsed JWKS. Keys that cannot be parsed are kept, with their
// Problem, so that a broken key is shown rather than silently dropped.
type KeySet struct {
	Keys []Key `json:"keys"`
	// PrivateKeys is set when the document carried private key material,
	// which a published JWKS must never do.
	PrivateKeys bool `json:"private_keys,omitempty"`
}

// HasKID reports whether the set holds a key with the given kid.
func (ks *KeySet) HasKID(kid string) bool {
	for _, k := range ks.keysOrNone() {
		if k.KID == kid {
			return true
		}
	}
	return false
}

// KeyRefresh says when a key set held by a verifier is fetched again: once
// it is older than TTL, or when a token names a kid the set does not hold
// (the issuer may have rotated its keys, OIDC Core §10.1.1) — then at most
// once per MinInterval, so tokens with made-up kids cannot make the
// verifier hammer the issuer's key server.
type KeyRefresh struct {
	TTL, MinInterval time.Duration
}

// Due reports whether keys, fetched age ago, should be fetched again to
// verify a token with the given kid. No keys are always due.
func (p KeyRefresh) Due(keys *KeySet, kid string, age time.Duration) bool {
	switch {
	case keys == nil:
		return true
	case p.TTL > 0 && age >= p.TTL:
		return true
	}
	return kid != "" && !keys.HasKID(kid) && age >= p.MinInterval
}

// CheckKeySet judges a fetched key set: it must hold at least one public
// key a verifier can use (RFC 7517 §5). source names where it came from.
func CheckKeySet(ks *KeySet, source string) Check {
	c := Check{ID: "keys.usable", Title: "the key set holds usable signing keys", Expected: "at least one usable public key", Spec: "RFC 7517 §5"}
	for _, k := range ks.keysOrNone() {
		if k.Usable() {
			c.Status, c.Actual = StatusPass, ks.Summary()+" at "+source
			return c
		}
	}
	c.Status, c.Actual, c.Hint = StatusFail, ks.Summary(), "the key set holds no key a verifier can use"
	return c
}

func (ks *KeySet) keysOrNone() []Key {
	if ks == nil {
		return nil
	}
	return ks.Keys
}

// Summary lists the keys in one line: "k1 (RSA 2048, RS256), k2 (P-256)".
func (ks *KeySet) Summary() string {
	if ks == nil || len(ks.Keys) == 0 {
		return "no keys"
	}
	parts := make([]string, 0, len(ks.Keys))
	for _, k := range ks.Keys {
		desc := k.Size
		if k.Alg != "" {
			desc += ", " + k.Alg
		}
		if k.Problem != "" {
			desc = "unusable: " + k.Problem
		}
		parts = append(parts, fmt.Sprintf("%s (%s)", k.Label(), desc))
	}
	return strings.Join(parts, ", ")
}

// ParseJWKS parses a JSON Web Key Set (RFC 7517 §5). It also accepts a
// single JWK, and PEM public keys or certificates, since those are what
// people have at hand. Each key is parsed on its own so one bad key does not
// hide the others.
func ParseJWKS(data []byte) (*KeySet, error) {
	if len(data) > MaxInputBytes {
		return nil, fmt.Errorf("key set is %s; xaa reads at most 1 MiB", byteSize(len(data)))
	}
	trimmed := bytes.TrimSpace(data)
	switch {
	case len(trimmed) == 0:
		return nil, errors.New("key set is empty")
	case bytes.HasPrefix(trimmed, []byte("-----BEGIN")):
		return parsePEM(trimmed)
	case trimmed[0] == '<':
		return nil, errors.New("this is an HTML or XML page, not a JWKS — check the jwks_uri")
	case trimmed[0] != '{':
		return nil, fmt.Errorf("a JWKS is a JSON object {\"keys\": […]}; this starts with %q", preview(trimmed))
	}
	obj, err := parseObject(trimmed)
	if err != nil {
		return nil, fmt.Errorf("JWKS is not valid JSON: %w", err)
	}
	raw, ok := obj.Raw("keys")
	if !ok {
		if obj.Has("kty") { // a single JWK
			ks := &KeySet{}
			ks.add(trimmed)
			return ks, nil
		}
		if obj.Has("jwks_uri") {
			return nil, errors.New("this is authorization server metadata, not a JWKS — fetch its jwks_uri")
		}
		return nil, errors.New("JWKS has no \"keys\" member (RFC 7517 §5)")
	}
	var keys []json.RawMessage
	if err := json.Unmarshal(raw, &keys); err != nil {
		return nil, errors.New("JWKS \"keys\" is not an array (RFC 7517 §5.1)")
	}
	if len(keys) > maxKeys {
		return nil, fmt.Errorf("JWKS holds %d keys; xaa reads at most %d", len(keys), maxKeys)
	}
	ks := &KeySet{}
	for _, k := range keys {
		ks.add(k)
	}
	return ks, nil
}

// add parses one JWK and appends it, usable or not.
func (ks *KeySet) add(raw []byte) {
	var meta struct {
		KID  string `json:"kid"`
		KTY  string `json:"kty"`
		Alg  string `json:"alg"`
		Use  string `json:"use"`
		X5T  string `json:"x5t"`
		S256 string `json:"x5t#S256"`
		D    string `json:"d"`
	}
	k := Key{}
	if err := json.Unmarshal(raw, &meta); err != nil {
		k.Problem = "not a JSON object"
		ks.Keys = append(ks.Keys, k)
		return
	}
	k.KID, k.KTY, k.Alg, k.Use, k.X5T, k.X5TS256 = meta.KID, meta.KTY, meta.Alg, meta.Use, meta.X5T, meta.S256
	var jwk jose.JSONWebKey
	if err := jwk.UnmarshalJSON(raw); err != nil {
		k.Problem = strings.TrimPrefix(err.Error(), "go-jose/go-jose: ")
		ks.Keys = append(ks.Keys, k)
		return
	}
	if !jwk.IsPublic() {
		if _, symmetric := jwk.Key.([]byte); symmetric {
			k.Problem = "a symmetric (oct) key: it cannot verify public-key signatures, and publishing it gives the secret away"
			ks.PrivateKeys = true
			ks.Keys = append(ks.Keys, k)
			return
		}
		ks.PrivateKeys = true
		jwk = jwk.Public()
	}
	k.setPublic(jwk.Key)
	if tp, err := jwk.Thumbprint(crypto.SHA256); err == nil {
		k.Thumbprint = base64.RawURLEncoding.EncodeToString(tp)
	}
	ks.Keys = append(ks.Keys, k)
}

// setPublic records the public key and its size.
func (k *Key) setPublic(pub crypto.PublicKey) {
	switch p := pub.(type) {
	case *rsa.PublicKey:
		k.modulusBytes = (p.N.BitLen() + 7) / 8
		k.Size = fmt.Sprintf("RSA %d", p.N.BitLen())
		k.KTY = "RSA"
	case *ecdsa.PublicKey:
		k.Size = p.Curve.Params().Name
		k.KTY = "EC"
	case ed25519.PublicKey:
		k.Size = "Ed25519"
		k.KTY = "OKP"
	default:
		k.Problem = fmt.Sprintf("unsupported key type %T", pub)
		return
	}
	k.public = pub
}

// parsePEM reads PEM public keys and certificates.
func parsePEM(data []byte) (*KeySet, error) {
	ks := &KeySet{}
	for {
		block, rest := pem.Decode(data)
		if block == nil {
			break
		}
		data = rest
		var pub crypto.PublicKey
		var err error
		switch block.Type {
		case "PUBLIC KEY":
			pub, err = x509.ParsePKIXPublicKey(block.Bytes)
		case "RSA PUBLIC KEY":
			pub, err = x509.ParsePKCS1PublicKey(block.Bytes)
		case "CERTIFICATE":
			var cert *x509.Certificate
			if cert, err = x509.ParseCertificate(block.Bytes); err == nil {
				pub = cert.PublicKey
			}
		default:
			if strings.Contains(block.Type, "PRIVATE") {
				return nil, errors.New("this is a PRIVATE key; give xaa the public key or the JWKS, and keep the private key secret")
			}
			err = fmt.Errorf("unsupported PEM block %q", block.Type)
		}
		k := Key{}
		if err != nil {
			k.Problem = err.Error()
		} else {
			k.setPublic(pub)
			if k.public != nil {
				jwk := jose.JSONWebKey{Key: pub}
				if tp, err := jwk.Thumbprint(crypto.SHA256); err == nil {
					k.Thumbprint = base64.RawURLEncoding.EncodeToString(tp)
				}
			}
		}
		ks.Keys = append(ks.Keys, k)
		if len(ks.Keys) > maxKeys {
			return nil, fmt.Errorf("PEM holds more than %d keys", maxKeys)
		}
	}
	if len(ks.Keys) == 0 {
		return nil, errors.New("no PEM blocks found")
	}
	return ks, nil
}
