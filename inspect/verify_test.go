package inspect_test

import (
	"crypto/sha1"
	"crypto/sha256"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"fmt"
	"strings"
	"testing"

	jose "github.com/go-jose/go-jose/v4"

	"github.com/xaatools/xaa/inspect"
)

func mustJWKS(t *testing.T, b []byte) *inspect.KeySet {
	t.Helper()
	ks, err := inspect.ParseJWKS(b)
	if err != nil {
		t.Fatalf("ParseJWKS: %v", err)
	}
	return ks
}

func mustDecode(t *testing.T, s string) *inspect.Token {
	t.Helper()
	tok, err := inspect.Decode(s)
	if err != nil {
		t.Fatalf("Decode: %v", err)
	}
	return tok
}

func TestVerifyEveryAlgorithm(t *testing.T) {
	set := mustJWKS(t, jwks(t, "rs", "es", "eddsa"))
	for _, name := range []string{"rs", "ps", "es", "eddsa"} {
		k := key(t, name)
		t.Run(string(k.Alg), func(t *testing.T) {
			tok := mustDecode(t, k.Mint(t, "oauth-id-jag+jwt", claims(jagClaims()...), nil))
			sig := inspect.Verify(tok, set, inspect.VerifyOptions{KeySource: "https://idp.example.com/keys"})
			if sig.Status != inspect.SignatureVerified {
				t.Fatalf("Verify = %v (%s), want verified", sig.Status, sig.Reason)
			}
			if sig.MatchedBy != "kid" {
				t.Errorf("MatchedBy = %q, want kid", sig.MatchedBy)
			}
			if !strings.HasPrefix(sig.Verdict(), "verified: "+string(k.Alg)+" with key "+k.KID) || !strings.HasSuffix(sig.Verdict(), "from https://idp.example.com/keys") {
				t.Errorf("Verdict = %q", sig.Verdict())
			}
			var verified []string
			for _, a := range sig.Tried {
				if a.Verified {
					verified = append(verified, a.KID)
				}
			}
			if len(verified) != 1 || verified[0] != k.KID {
				t.Errorf("verified attempts = %v, want [%s]", verified, k.KID)
			}
		})
	}
}

func TestVerifyKeyMatchPaths(t *testing.T) {
	rs := key(t, "rs")
	cert := selfSigned(t, rs)
	sha1sum := sha1.Sum(cert.Raw)
	sha256sum := sha256.Sum256(cert.Raw)
	x5t := base64.RawURLEncoding.EncodeToString(sha1sum[:])
	x5tS256 := base64.RawURLEncoding.EncodeToString(sha256sum[:])
	certKey := jose.JSONWebKey{Key: rs.Private.Public(), KeyID: "", Certificates: []*x509.Certificate{cert},
		CertificateThumbprintSHA1: sha1sum[:], CertificateThumbprintSHA256: sha256sum[:]}
	certJWKS, _ := json.Marshal(jose.JSONWebKeySet{Keys: []jose.JSONWebKey{key(t, "es").Public(), certKey}})

	noKid := rs.WithKID("")
	tests := []struct {
		name      string
		token     string
		keys      []byte
		status    inspect.SignatureStatus
		matchedBy string
		reason    string
	}{
		{"by kid", rs.Mint(t, "JWT", claims(idTokenClaims()...), nil), jwks(t, "es", "rs"), inspect.SignatureVerified, "kid", "found by kid"},
		{"by x5t", noKid.Mint(t, "JWT", claims(idTokenClaims()...), map[string]any{"x5t": x5t}), certJWKS, inspect.SignatureVerified, "x5t", "found by x5t"},
		{"by x5t#S256", noKid.Mint(t, "JWT", claims(idTokenClaims()...), map[string]any{"x5t#S256": x5tS256}), certJWKS, inspect.SignatureVerified, "x5t#S256", "found by x5t#S256"},
		{"by trying each key", noKid.Mint(t, "JWT", claims(idTokenClaims()...), nil), jwks(t, "es", "rs2", "rs"), inspect.SignatureVerified, "trying each key", "found by trying each key"},
		{"kid not in JWKS", rs.WithKID("rotated-away").Mint(t, "JWT", claims(idTokenClaims()...), nil), jwks(t, "es"), inspect.SignatureUnverified, "", `kid "rotated-away" is not in the JWKS (keys: ec-1 (P-256))`},
		{"right kid, wrong key", key(t, "rs2").WithKID("rsa-1").Mint(t, "JWT", claims(idTokenClaims()...), nil), jwks(t, "rs"), inspect.SignatureInvalid, "", "the signature does not verify with key rsa-1 (found by kid)"},
		{"no key verifies", noKid.Mint(t, "JWT", claims(idTokenClaims()...), nil), jwks(t, "rs2"), inspect.SignatureInvalid, "", "does not verify with any of the 1 keys"},
		{"x5t matches nothing", noKid.Mint(t, "JWT", claims(idTokenClaims()...), map[string]any{"x5t": "AAAA"}), certJWKS, inspect.SignatureUnverified, "", "matches the token's certificate thumbprint"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sig := inspect.Verify(mustDecode(t, tt.token), mustJWKS(t, tt.keys), inspect.VerifyOptions{})
			if sig.Status != tt.status || sig.MatchedBy != tt.matchedBy || !strings.Contains(sig.Reason, tt.reason) {
				t.Errorf("Verify = %v by %q (%s), want %v by %q with reason containing %q", sig.Status, sig.MatchedBy, sig.Reason, tt.status, tt.matchedBy, tt.reason)
			}
		})
	}
}

func TestVerifyDiagnosesWrongKid(t *testing.T) {
	// The key is in the set under another kid: the verdict stays
	// unverified, but the report says which key would have worked.
	tok := mustDecode(t, key(t, "rs").WithKID("old-name").Mint(t, "JWT", claims(idTokenClaims()...), nil))
	sig := inspect.Verify(tok, mustJWKS(t, jwks(t, "rs")), inspect.VerifyOptions{})
	if sig.Status != inspect.SignatureUnverified || !sig.UnknownKID {
		t.Errorf("Status = %v, UnknownKID = %v; want unverified, unknown kid", sig.Status, sig.UnknownKID)
	}
	if len(sig.Warnings) != 1 || !strings.Contains(sig.Warnings[0], "key rsa-1 verifies the signature although the token's kid \"old-name\" does not name it") {
		t.Errorf("Warnings = %q", sig.Warnings)
	}
}

func TestVerifyRefusesDangerousAlgorithms(t *testing.T) {
	rs := key(t, "rs")
	pubDER, _ := x509.MarshalPKIXPublicKey(rs.Private.Public())
	pubPEM := pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: pubDER})
	body := claims(jagClaims()...)
	tests := []struct {
		name      string
		token     string
		status    inspect.SignatureStatus
		reason    string
		confusion bool
	}{
		{"alg none", unsigned(`{"alg":"none","typ":"oauth-id-jag+jwt"}`, body, nil), inspect.SignatureInvalid, `alg is "none"`, false},
		{"alg NONE", unsigned(`{"alg":"NONE"}`, body, nil), inspect.SignatureInvalid, `alg is "none"`, false},
		{"HS256 keyed with the public key", hs256(`{"alg":"HS256","kid":"rsa-1","typ":"oauth-id-jag+jwt"}`, body, pubPEM), inspect.SignatureUnverified, "algorithm confusion", true},
		{"alg not allowed", rs.Mint(t, "JWT", body, nil), inspect.SignatureUnverified, "alg RS256 is not on the allow-list (ES256)", false},
		{"no alg", unsigned(`{"typ":"JWT"}`, body, []byte("sig")), inspect.SignatureInvalid, "has no alg", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			opts := inspect.VerifyOptions{}
			if tt.name == "alg not allowed" {
				opts.Algorithms = []string{"ES256"}
			}
			sig := inspect.Verify(mustDecode(t, tt.token), mustJWKS(t, jwks(t, "rs")), opts)
			if sig.Status != tt.status || !strings.Contains(sig.Reason, tt.reason) || sig.AlgConfusion != tt.confusion {
				t.Errorf("Verify = %v (%s) confusion=%v, want %v containing %q confusion=%v", sig.Status, sig.Reason, sig.AlgConfusion, tt.status, tt.reason, tt.confusion)
			}
			if !strings.HasPrefix(sig.Verdict(), "NOT verified") {
				t.Errorf("Verdict = %q, want NOT verified", sig.Verdict())
			}
		})
	}
}

func TestVerifyNeverUsesKeysFromTheToken(t *testing.T) {
	// The attacker signs with their own key and points jku/jwk at it.
	attacker := key(t, "rs2")
	tok := attacker.WithKID("rsa-1").Mint(t, "JWT", claims(idTokenClaims()...), map[string]any{
		"jku": "https://attacker.example/keys.json",
		"x5u": "https://attacker.example/cert.pem",
		"jwk": attacker.Public(),
	})
	sig := inspect.Verify(mustDecode(t, tok), mustJWKS(t, jwks(t, "rs")), inspect.VerifyOptions{})
	if sig.Status != inspect.SignatureInvalid {
		t.Errorf("Status = %v, want invalid", sig.Status)
	}
	warned := strings.Join(sig.Warnings, "\n")
	for _, h := range []string{"header jku = https://attacker.example/keys.json", "header x5u = https://attacker.example/cert.pem", "header jwk = (embedded)"} {
		if !strings.Contains(warned, h) {
			t.Errorf("Warnings = %q, want one containing %q", sig.Warnings, h)
		}
	}
}

func TestVerifyExplainsSkippedKeys(t *testing.T) {
	rs := key(t, "rs").WithKID("shared")
	es := key(t, "es")
	encKey := es.Public()
	encKey.KeyID, encKey.Use = "shared", "enc"
	wrongAlg := rs.Public()
	wrongAlg.Algorithm = "PS512"
	wrongAlg.KeyID = "shared"
	ecKey := es.Public()
	ecKey.KeyID = "shared"
	set, _ := json.Marshal(jose.JSONWebKeySet{Keys: []jose.JSONWebKey{encKey, wrongAlg, ecKey}})
	tok := mustDecode(t, rs.Mint(t, "JWT", claims(idTokenClaims()...), nil))
	sig := inspect.Verify(tok, mustJWKS(t, set), inspect.VerifyOptions{})
	var notes []string
	for _, a := range sig.Tried {
		notes = append(notes, a.Note)
	}
	want := []string{`use is "enc", not a signing key`, "key is for PS512, token uses RS256", "an EC key cannot verify RS256"}
	if fmt.Sprint(notes) != fmt.Sprint(want) {
		t.Errorf("notes = %q, want %q", notes, want)
	}
}

func TestVerifyTruncatedSignatureAgainstKnownKey(t *testing.T) {
	good := key(t, "rs").Mint(t, "JWT", claims(idTokenClaims()...), nil)
	tok := mustDecode(t, good[:len(good)-4])
	sig := inspect.Verify(tok, mustJWKS(t, jwks(t, "rs")), inspect.VerifyOptions{})
	if sig.Status != inspect.SignatureInvalid || !strings.Contains(sig.Reason, "signature is 338 characters, an RS256 signature over this 2048-bit key is 342 — truncated?") {
		t.Errorf("Verify = %v (%s)", sig.Status, sig.Reason)
	}
}

func TestVerifyWithoutKeys(t *testing.T) {
	tok := mustDecode(t, key(t, "rs").Mint(t, "JWT", claims(idTokenClaims()...), nil))
	sig := inspect.Verify(tok, nil, inspect.VerifyOptions{})
	if sig.Status != inspect.SignatureUnverified || sig.Verdict() != "unknown: no keys to verify with" {
		t.Errorf("Verify = %v %q", sig.Status, sig.Verdict())
	}
	jwe := mustDecode(t, base64.RawURLEncoding.EncodeToString([]byte(`{"alg":"dir","enc":"A128GCM"}`))+".a.b.c.d")
	if sig := inspect.Verify(jwe, mustJWKS(t, jwks(t, "rs")), inspect.VerifyOptions{}); !strings.Contains(sig.Reason, "encrypted") {
		t.Errorf("Verify(JWE) reason = %q", sig.Reason)
	}
}
