// Package inspecttest mints tokens for tests: keys generated at test time
// (RS256, PS256, ES256, EdDSA), one fixed RSA key for golden files (RS256
// signatures are deterministic), JWKS documents, claim sets in a chosen
// order, and the hand-made tokens an attacker would send (alg none, HS256
// keyed with a public key).
//
// It is test support, like net/http/httptest: production code never
// imports it.
package inspecttest

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/hmac"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/x509"
	"crypto/x509/pkix"
	_ "embed"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"math/big"
	"strings"
	"testing"
	"time"

	jose "github.com/go-jose/go-jose/v4"
)

// fixedRSA is a 2048-bit RSA key that exists only to make golden files
// reproducible. It signs nothing but test tokens.
//
//go:embed fixed_rsa_test_key.pem
var fixedRSA []byte

// Key is a signing key with the kid it writes into tokens.
type Key struct {
	Alg     jose.SignatureAlgorithm
	KID     string
	Private crypto.Signer
}

// Fixed returns the fixed RSA key as an RS256 signer with the given kid.
func Fixed(kid string) *Key {
	block, _ := pem.Decode(fixedRSA)
	priv, err := x509.ParsePKCS1PrivateKey(block.Bytes)
	if err != nil {
		panic("inspecttest: bad embedded key: " + err.Error())
	}
	return &Key{Alg: jose.RS256, KID: kid, Private: priv}
}

// Generate returns a fresh key for alg (RS256/PS256: RSA 2048, ES256:
// P-256, EdDSA: Ed25519).
func Generate(t testing.TB, alg jose.SignatureAlgorithm, kid string) *Key {
	t.Helper()
	var priv crypto.Signer
	var err error
	switch alg {
	case jose.RS256, jose.PS256:
		priv, err = rsa.GenerateKey(rand.Reader, 2048)
	case jose.ES256:
		priv, err = ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	case jose.EdDSA:
		_, priv, err = ed25519.GenerateKey(rand.Reader)
	default:
		t.Fatalf("inspecttest: no key type for %s", alg)
	}
	if err != nil {
		t.Fatal(err)
	}
	return &Key{Alg: alg, KID: kid, Private: priv}
}

// WithKID returns a copy of k that writes another kid ("" for none).
func (k *Key) WithKID(kid string) *Key {
	c := *k
	c.KID = kid
	return &c
}

// WithAlg returns a copy of k that signs with another algorithm of the same
// key type (RS256 → PS256).
func (k *Key) WithAlg(alg jose.SignatureAlgorithm) *Key {
	c := *k
	c.Alg = alg
	return &c
}

// Public returns the public JWK, with kid and use "sig".
func (k *Key) Public() jose.JSONWebKey {
	return jose.JSONWebKey{Key: k.Private.Public(), KeyID: k.KID, Use: "sig"}
}

// Mint signs claims (raw JSON, so tests control order and odd values); typ
// "" leaves the typ header out; extra adds header members.
func (k *Key) Mint(t testing.TB, typ, claims string, extra map[string]any) string {
	t.Helper()
	opts := &jose.SignerOptions{}
	if typ != "" {
		opts = opts.WithType(jose.ContentType(typ))
	}
	for name, v := range extra {
		opts = opts.WithHeader(jose.HeaderKey(name), v)
	}
	s, err := jose.NewSigner(jose.SigningKey{Algorithm: k.Alg, Key: jose.JSONWebKey{Key: k.Private, KeyID: k.KID}}, opts)
	if err != nil {
		t.Fatalf("inspecttest: NewSigner: %v", err)
	}
	obj, err := s.Sign([]byte(claims))
	if err != nil {
		t.Fatalf("inspecttest: Sign: %v", err)
	}
	out, err := obj.CompactSerialize()
	if err != nil {
		t.Fatalf("inspecttest: CompactSerialize: %v", err)
	}
	return out
}

// JWKS returns a JWKS document with the public keys, skipping repeated kids.
func JWKS(t testing.TB, keys ...*Key) []byte {
	t.Helper()
	var set jose.JSONWebKeySet
	seen := map[string]bool{}
	for _, k := range keys {
		if seen[k.KID] {
			continue
		}
		seen[k.KID] = true
		set.Keys = append(set.Keys, k.Public())
	}
	b, err := json.Marshal(set)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// Claims builds a JSON object from ordered name/value pairs; a nil value
// drops the member, a json.RawMessage is written as is.
func Claims(pairs ...any) string {
	var b strings.Builder
	b.WriteByte('{')
	first := true
	for i := 0; i+1 < len(pairs); i += 2 {
		if pairs[i+1] == nil {
			continue
		}
		if !first {
			b.WriteByte(',')
		}
		first = false
		name, _ := json.Marshal(pairs[i])
		b.Write(name)
		b.WriteByte(':')
		if raw, ok := pairs[i+1].(json.RawMessage); ok {
			b.Write(raw)
		} else {
			v, _ := json.Marshal(pairs[i+1])
			b.Write(v)
		}
	}
	b.WriteByte('}')
	return b.String()
}

// Override replaces members of an ordered pair list (nil removes one) and
// appends the new ones.
func Override(base []any, changes ...any) []any {
	out := append([]any(nil), base...)
	for i := 0; i+1 < len(changes); i += 2 {
		found := false
		for j := 0; j+1 < len(out); j += 2 {
			if out[j] == changes[i] {
				out[j+1] = changes[i+1]
				found = true
			}
		}
		if !found {
			out = append(out, changes[i], changes[i+1])
		}
	}
	return out
}

// Unsigned builds a JWT by hand, for headers go-jose refuses to sign.
func Unsigned(header, claims string, sig []byte) string {
	enc := base64.RawURLEncoding
	return enc.EncodeToString([]byte(header)) + "." + enc.EncodeToString([]byte(claims)) + "." + enc.EncodeToString(sig)
}

// HS256 signs like an attacker doing algorithm confusion: HMAC keyed with
// whatever secret is given (typically the issuer's public key bytes).
func HS256(header, claims string, secret []byte) string {
	enc := base64.RawURLEncoding
	input := enc.EncodeToString([]byte(header)) + "." + enc.EncodeToString([]byte(claims))
	mac := hmac.New(sha256.New, secret)
	mac.Write([]byte(input))
	return input + "." + enc.EncodeToString(mac.Sum(nil))
}

// SelfSigned returns a self-signed certificate for k.
func SelfSigned(t testing.TB, k *Key) *x509.Certificate {
	t.Helper()
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1),
		Subject:      pkix.Name{CommonName: "xaa test"},
		NotBefore:    time.Unix(0, 0),
		NotAfter:     time.Unix(4e9, 0),
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, k.Private.Public(), k.Private)
	if err != nil {
		t.Fatal(err)
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	return cert
}
