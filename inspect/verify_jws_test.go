package inspect

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"strings"
	"testing"

	jose "github.com/go-jose/go-jose/v4"
)

// TestJWSVerifierMatchesGoJose: for every algorithm, and for tokens that
// are tampered with, signed by another key or written non-canonically,
// the verifier accepts exactly what go-jose's ParseSignedCompact + Verify
// accepts, and takes the in-place fast path where it should.
func TestJWSVerifierMatchesGoJose(t *testing.T) {
	rsaKey, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	otherRSA, _ := rsa.GenerateKey(rand.Reader, 2048)
	ec := func(c elliptic.Curve) *ecdsa.PrivateKey {
		k, err := ecdsa.GenerateKey(c, rand.Reader)
		if err != nil {
			t.Fatal(err)
		}
		return k
	}
	p256, p384, p521 := ec(elliptic.P256()), ec(elliptic.P384()), ec(elliptic.P521())
	_, ed, _ := ed25519.GenerateKey(rand.Reader)
	keys := []struct {
		alg   string
		priv  crypto.Signer
		other crypto.PublicKey // a key of the same type that did not sign
		fast  bool
	}{
		{"RS256", rsaKey, otherRSA.Public(), true}, {"RS384", rsaKey, otherRSA.Public(), true}, {"RS512", rsaKey, otherRSA.Public(), true},
		{"PS256", rsaKey, otherRSA.Public(), true}, {"PS384", rsaKey, otherRSA.Public(), true}, {"PS512", rsaKey, otherRSA.Public(), true},
		{"ES256", p256, ec(elliptic.P256()).Public(), true}, {"ES384", p384, ec(elliptic.P384()).Public(), true},
		{"ES512", p521, ec(elliptic.P521()).Public(), true},
		{"EdDSA", ed, nil, false},
	}
	flip := func(s string, i int) string { // change one base64url character, keeping it base64url
		c := byte('A')
		if s[i] == 'A' {
			c = 'B'
		}
		return s[:i] + string(c) + s[i+1:]
	}
	mutations := []struct {
		name   string
		change func(seg []string) []string
		fast   bool // the fast path applies (given a fast algorithm)
	}{
		{"as signed", func(s []string) []string { return s }, true},
		{"payload changed", func(s []string) []string { s[1] = flip(s[1], 10); return s }, true},
		{"header changed", func(s []string) []string { s[0] = flip(s[0], len(s[0])-2); return s }, true},
		{"signature changed", func(s []string) []string { s[2] = flip(s[2], 5); return s }, true},
		{"signature cut short", func(s []string) []string { s[2] = s[2][:len(s[2])-4]; return s }, true},
		{"payload padded", func(s []string) []string { s[1] += strings.Repeat("=", (4-len(s[1])%4)%4); return s }, false},
		{"payload in standard base64", func(s []string) []string { s[1] = s[1][:10] + "+" + s[1][11:]; return s }, false},
		{"stray bits after the payload", func(s []string) []string {
			if len(s[1])%4 == 0 {
				s[1] = s[1][:len(s[1])-2] // make room for a stray-bit character below
			}
			const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
			last := base64URLValues[s[1][len(s[1])-1]]
			s[1] = s[1][:len(s[1])-1] + string(alphabet[last|1])
			return s
		}, false},
	}
	for _, k := range keys {
		for _, extra := range []map[string]any{nil, {"kid": "k1", "cty": "JWT"}, {"crit": []string{"exp"}, "exp": 1}, {"kid": 5}, {"jku": "https://evil.example/keys"}} {
			opts := (&jose.SignerOptions{}).WithType("JWT")
			for name, v := range extra {
				opts = opts.WithHeader(jose.HeaderKey(name), v)
			}
			signer, err := jose.NewSigner(jose.SigningKey{Algorithm: jose.SignatureAlgorithm(k.alg), Key: k.priv}, opts)
			if err != nil {
				t.Fatal(err)
			}
			obj, err := signer.Sign([]byte(`{"iss":"https://idp.example.com","sub":"alice","n":"` + strings.Repeat("x", 40) + `"}`))
			if err != nil {
				t.Fatal(err)
			}
			signed, _ := obj.CompactSerialize()
			for _, m := range mutations {
				name := k.alg + "/" + m.name
				for h := range extra {
					name += "/" + h
				}
				_, crit := extra["crit"]
				_, intKID := extra["kid"].(int)
				_, jku := extra["jku"]
				simple := !crit && !intKID && !jku
				t.Run(name, func(t *testing.T) {
					raw := strings.Join(m.change(strings.Split(signed, ".")), ".")
					tok, err := Decode(raw)
					if err != nil {
						t.Fatalf("Decode: %v", err)
					}
					for _, pub := range []crypto.PublicKey{k.priv.Public(), k.other} {
						if pub == nil {
							continue
						}
						want := false
						if jws, err := jose.ParseSignedCompact(raw, []jose.SignatureAlgorithm{jose.SignatureAlgorithm(k.alg)}); err == nil {
							_, err = jws.Verify(pub)
							want = err == nil
						}
						got := false
						v, err := newJWSVerifier(tok, k.alg)
						if err == nil {
							got = v.verify(pub) == nil
							if fast := v.signingInput != ""; fast != (k.fast && m.fast && !crit) {
								t.Errorf("fast path %v, want %v", fast, !fast)
							}
							sigOK := canonicalBase64URL(raw[strings.LastIndexByte(raw, '.')+1:])
							if noJose := v.jws == nil; noJose != (k.fast && m.fast && simple && sigOK) {
								t.Errorf("header left to go-jose: %v, want %v", !noJose, noJose)
							}
						}
						if got != want {
							t.Errorf("verified = %v with the %s key, go-jose says %v", got, map[bool]string{true: "signing", false: "other"}[pub == k.priv.Public()], want)
						}
					}
				})
			}
		}
	}
}

// TestCanonicalBase64URL: only what RawURLEncoding would write.
func TestCanonicalBase64URL(t *testing.T) {
	cases := map[string]bool{
		"": true, "QQ": true, "QR": false, "QUI": true, "QUJ": false, "QUJD": true,
		"Q": false, "QQ==": false, "a+b/": false, "a-b_": true, "a.b_": false,
	}
	for in, want := range cases {
		if got := canonicalBase64URL(in); got != want {
			t.Errorf("canonicalBase64URL(%q) = %v, want %v", in, got, want)
		}
	}
}
