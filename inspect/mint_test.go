package inspect_test

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
	"encoding/base64"
	"encoding/json"
	"math/big"
	"strings"
	"sync"
	"testing"
	"time"

	jose "github.com/go-jose/go-jose/v4"
)

// testKey is a signing key generated at test time, with its public JWK.
type testKey struct {
	alg     jose.SignatureAlgorithm
	kid     string
	private crypto.Signer
	public  jose.JSONWebKey
}

var (
	keysOnce sync.Once
	keys     map[string]*testKey
)

// key returns a cached key for an algorithm family; RSA generation is slow.
func key(t testing.TB, name string) *testKey {
	t.Helper()
	keysOnce.Do(func() {
		rsa1, _ := rsa.GenerateKey(rand.Reader, 2048)
		rsa2, _ := rsa.GenerateKey(rand.Reader, 2048)
		ec1, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
		_, ed1, _ := ed25519.GenerateKey(rand.Reader)
		keys = map[string]*testKey{
			"rs":    {alg: jose.RS256, kid: "rsa-1", private: rsa1},
			"rs2":   {alg: jose.RS256, kid: "rsa-2", private: rsa2},
			"ps":    {alg: jose.PS256, kid: "rsa-1", private: rsa1},
			"es":    {alg: jose.ES256, kid: "ec-1", private: ec1},
			"eddsa": {alg: jose.EdDSA, kid: "ed-1", private: ed1},
		}
		for _, k := range keys {
			k.public = jose.JSONWebKey{Key: k.private.Public(), KeyID: k.kid, Use: "sig"}
		}
	})
	k, ok := keys[name]
	if !ok {
		t.Fatalf("no test key %q", name)
	}
	return k
}

// withKID returns a copy of k that writes another kid ("" for none).
func (k *testKey) withKID(kid string) *testKey {
	c := *k
	c.kid = kid
	return &c
}

// mint signs claims (raw JSON, so tests control order and odd values) with
// k; typ "" leaves the typ header out; extra adds header members.
func (k *testKey) mint(t testing.TB, typ string, claims string, extra map[string]any) string {
	t.Helper()
	opts := &jose.SignerOptions{}
	if typ != "" {
		opts = opts.WithType(jose.ContentType(typ))
	}
	for name, v := range extra {
		opts = opts.WithHeader(jose.HeaderKey(name), v)
	}
	signingKey := jose.JSONWebKey{Key: k.private, KeyID: k.kid}
	s, err := jose.NewSigner(jose.SigningKey{Algorithm: k.alg, Key: signingKey}, opts)
	if err != nil {
		t.Fatalf("NewSigner: %v", err)
	}
	obj, err := s.Sign([]byte(claims))
	if err != nil {
		t.Fatalf("Sign: %v", err)
	}
	out, err := obj.CompactSerialize()
	if err != nil {
		t.Fatalf("CompactSerialize: %v", err)
	}
	return out
}

// jwks returns a JWKS document holding the public keys named.
func jwks(t testing.TB, names ...string) []byte {
	t.Helper()
	var set jose.JSONWebKeySet
	seen := map[string]bool{}
	for _, n := range names {
		k := key(t, n)
		if seen[k.kid] {
			continue
		}
		seen[k.kid] = true
		set.Keys = append(set.Keys, k.public)
	}
	b, err := json.Marshal(set)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// unsigned builds a JWT by hand, for headers go-jose refuses to sign
// (alg none, HS256 with a public key as secret).
func unsigned(header, claims string, sig []byte) string {
	enc := base64.RawURLEncoding
	return enc.EncodeToString([]byte(header)) + "." + enc.EncodeToString([]byte(claims)) + "." + enc.EncodeToString(sig)
}

// hs256 signs like an attacker doing algorithm confusion: HMAC keyed with
// the issuer's public key bytes.
func hs256(header, claims string, secret []byte) string {
	enc := base64.RawURLEncoding
	input := enc.EncodeToString([]byte(header)) + "." + enc.EncodeToString([]byte(claims))
	mac := hmac.New(sha256.New, secret)
	mac.Write([]byte(input))
	return input + "." + enc.EncodeToString(mac.Sum(nil))
}

// selfSigned returns a certificate for k, for x5t / x5c tests.
func selfSigned(t testing.TB, k *testKey) *x509.Certificate {
	t.Helper()
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1),
		Subject:      pkix.Name{CommonName: "xaa test"},
		NotBefore:    time.Unix(0, 0),
		NotAfter:     time.Unix(4e9, 0),
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, k.private.Public(), k.private)
	if err != nil {
		t.Fatal(err)
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	return cert
}

// now is the fixed clock of the claim tests.
var now = time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC)

// claims builds a claims JSON object from ordered name/value pairs; a nil
// value drops the claim, a json.RawMessage is written as is.
func claims(pairs ...any) string {
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

// override replaces or removes (nil) members of an ordered pair list.
func override(base []any, changes ...any) []any {
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

const (
	idpIssuer  = "https://idp.example.com"
	asIssuer   = "https://as.example.com"
	asToken    = "https://as.example.com/oauth2/token"
	resourceID = "https://api.example.com/todos"
	idpClient  = "agent-at-idp"
	asClient   = "agent-at-as"
)

// jagClaims is a valid ID-JAG claim set at `now`.
func jagClaims() []any {
	return []any{
		"iss", idpIssuer,
		"sub", "00u123",
		"aud", asIssuer,
		"client_id", asClient,
		"jti", "jag-1",
		"exp", now.Add(4 * time.Minute).Unix(),
		"iat", now.Add(-time.Minute).Unix(),
		"resource", resourceID,
		"scope", "todos.read todos.write",
		"email", "alice@example.com",
	}
}

// idTokenClaims is a valid ID token claim set at `now`.
func idTokenClaims() []any {
	return []any{
		"iss", idpIssuer,
		"sub", "00u123",
		"aud", idpClient,
		"exp", now.Add(50 * time.Minute).Unix(),
		"iat", now.Add(-10 * time.Minute).Unix(),
		"nonce", "n-0S6_WzA2Mj",
		"at_hash", "77QmUPtjPfzWtF2AnpK9RQ",
	}
}

// accessTokenClaims is a valid RFC 9068 access token claim set at `now`.
func accessTokenClaims() []any {
	return []any{
		"iss", asIssuer,
		"sub", "alice",
		"aud", resourceID,
		"client_id", asClient,
		"jti", "at-1",
		"exp", now.Add(time.Hour).Unix(),
		"iat", now.Add(-30 * time.Second).Unix(),
		"scope", "todos.read",
	}
}
