package playground

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	jose "github.com/go-jose/go-jose/v4"

	"github.com/xaatools/xaa/inspect"
)

// TestJTICache: a jti is refused while its token lives, forgotten after,
// and a full cache refuses rather than forgets.
func TestJTICache(t *testing.T) {
	now := time.Unix(1_800_000_000, 0)
	c := newJTICache(3)
	steps := []struct {
		name   string
		jti    string
		exp    time.Duration
		at     time.Duration
		want   jtiResult
		length int
	}{
		{"first use", "a", 5 * time.Minute, 0, jtiFresh, 1},
		{"replay", "a", 5 * time.Minute, time.Minute, jtiReplayed, 1},
		{"same jti, other issuer", "b", 5 * time.Minute, time.Minute, jtiFresh, 2},
		{"third", "c", 10 * time.Minute, time.Minute, jtiFresh, 3},
		{"full of live entries", "d", 5 * time.Minute, 2 * time.Minute, jtiFull, 3},
		{"a and b expired: forgotten", "d", 5 * time.Minute, 7 * time.Minute, jtiFresh, 2},
		{"a may be used again once expired", "a", 5 * time.Minute, 7 * time.Minute, jtiFresh, 3},
	}
	for _, s := range steps {
		issuer := "https://idp.example"
		if s.jti == "b" {
			issuer = "https://other.example"
		}
		got := c.use(issuer, s.jti, now.Add(s.at+s.exp), now.Add(s.at))
		if got != s.want || c.Len() != s.length {
			t.Errorf("%s: got result %d with %d entries, want %d with %d", s.name, got, c.Len(), s.want, s.length)
		}
	}
}

// TestJTICacheForgets: after a million distinct grants spread over time the
// cache holds only the live ones.
func TestJTICacheForgets(t *testing.T) {
	c := newJTICache(defaultJTICapacity)
	start := time.Unix(1_800_000_000, 0)
	const n, perSecond = 1_000_000, 2000
	for i := range n {
		now := start.Add(time.Duration(i) * time.Second / perSecond)
		if got := c.use("https://idp.example", fmt.Sprint(i), now.Add(IDJAGLifetime+inspect.DefaultSkew), now); got != jtiFresh {
			t.Fatalf("grant %d: result %d", i, got)
		}
	}
	live := int((IDJAGLifetime + inspect.DefaultSkew) / time.Second * perSecond)
	if got := c.Len(); got > live+perSecond {
		t.Errorf("after %d grants at %d/s the cache holds %d, want at most about %d (the live ones)", n, perSecond, got, live)
	}
}

// TestParseBasic: client credentials are form-encoded before base64
// (RFC 6749 §2.3.1), so '+' is a space and %2B a plus.
func TestParseBasic(t *testing.T) {
	cases := []struct {
		raw, id, secret string
	}{
		{"client:s3cret", "client", "s3cret"},
		{"my%20client:a%2Bb%3Ac", "my client", "a+b:c"},
		{"client:a+b", "client", "a b"},
	}
	for _, c := range cases {
		t.Run(c.raw, func(t *testing.T) {
			id, secret, ok, err := parseBasic("Basic " + base64.StdEncoding.EncodeToString([]byte(c.raw)))
			if err != nil || !ok || id != c.id || secret != c.secret {
				t.Errorf("got %q %q %v %v, want %q %q", id, secret, ok, err, c.id, c.secret)
			}
		})
	}
	if _, _, _, err := parseBasic("Basic " + base64.StdEncoding.EncodeToString([]byte("client:100%"))); err == nil {
		t.Errorf("a secret that is not form-encoded: got no error")
	}
}

// TestSignCompact: every algorithm the playground signs with verifies with
// go-jose through inspect.
func TestSignCompact(t *testing.T) {
	rsaKey, _ := rsa.GenerateKey(rand.Reader, 2048)
	ecKey, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	ec384, _ := ecdsa.GenerateKey(elliptic.P384(), rand.Reader)
	_, edKey, _ := ed25519.GenerateKey(rand.Reader)
	cases := []struct {
		alg string
		key crypto.Signer
	}{
		{"RS256", rsaKey}, {"RS512", rsaKey}, {"PS256", rsaKey}, {"ES256", ecKey}, {"ES384", ec384}, {"EdDSA", edKey},
	}
	for _, c := range cases {
		t.Run(c.alg, func(t *testing.T) {
			tok, err := signCompact(map[string]any{"alg": c.alg, "kid": "k"}, map[string]any{"sub": "x"}, c.key)
			if err != nil {
				t.Fatal(err)
			}
			jwks, _ := json.Marshal(jose.JSONWebKeySet{Keys: []jose.JSONWebKey{{Key: c.key.Public(), KeyID: "k"}}})
			ks, _ := inspect.ParseJWKS(jwks)
			parsed, _ := inspect.Decode(tok)
			if sig := inspect.Verify(parsed, ks, inspect.VerifyOptions{Algorithms: inspect.DefaultAlgorithms}); !sig.Verified() {
				t.Errorf("%s: %s", c.alg, sig.Verdict())
			}
		})
	}
	if _, err := signCompact(map[string]any{"alg": "ES256"}, map[string]any{}, rsaKey); err == nil {
		t.Errorf("ES256 with an RSA key: no error")
	}
	if _, err := signCompact(map[string]any{"alg": "ES256"}, map[string]any{}, ec384); err == nil {
		t.Errorf("ES256 with a P-384 key: no error")
	}
}

// TestIsPKCEChallenge: 43 characters of the base64url alphabet, no padding.
func TestIsPKCEChallenge(t *testing.T) {
	ok := strings.Repeat("A", 40) + "z9_"
	cases := map[string]bool{
		ok: true,
		"E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM": true, // RFC 7636 Appendix B
		ok[:42]:       false,
		ok + "A":      false,
		ok[:42] + "=": false,
		ok[:42] + "+": false,
		ok[:42] + "/": false,
		ok[:42] + ".": false,
		ok[:41] + "é": false,
		"":            false,
	}
	for in, want := range cases {
		if got := isPKCEChallenge(in); got != want {
			t.Errorf("isPKCEChallenge(%q) = %v, want %v", in, got, want)
		}
	}
}
