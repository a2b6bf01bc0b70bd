package inspect_test

import (
	"encoding/json"
	"testing"

	"github.com/xaatools/xaa/inspect"
)

// FuzzDecode feeds arbitrary input through everything a pasted token goes
// through: decode, classify, verify, every check and the JSON encoding.
// Nothing may panic, and a decoded token must always say what it is.
// The seed corpus lives in testdata/fuzz/FuzzDecode.
func FuzzDecode(f *testing.F) {
	jag := key(f, "rs").Mint(f, "oauth-id-jag+jwt", claims(jagClaims()...), nil)
	idt := key(f, "es").Mint(f, "JWT", claims(idTokenClaims()...), nil)
	for _, s := range []string{
		jag, idt, "Bearer " + jag, `"` + idt + `"`,
		`{"access_token":"` + jag + `","issued_token_type":"urn:ietf:params:oauth:token-type:id-jag"}`,
		"assertion=" + jag + "&grant_type=urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Ajwt-bearer",
		jag[:len(jag)/2], "a.b.c.d.e", "eyJ.eyJ.", "{}", "opaque-token-1234",
	} {
		f.Add(s)
	}
	set, err := inspect.ParseJWKS(jwks(f, "rs", "es"))
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, input string) {
		toks, err := inspect.DecodeAll(input)
		if err != nil {
			if toks != nil {
				t.Fatalf("DecodeAll returned tokens and an error")
			}
			return
		}
		if len(toks) == 0 {
			t.Fatalf("DecodeAll(%q) returned no tokens and no error", input)
		}
		for _, tok := range toks {
			if tok.Raw == "" || tok.KindReason == "" {
				t.Fatalf("token without raw form or kind reason: %+v", tok)
			}
			for _, p := range tok.Problems {
				if p.Message == "" {
					t.Fatalf("empty problem message")
				}
			}
			for _, want := range []inspect.Kind{inspect.KindUnknown, inspect.KindIDJAG} {
				a := inspect.Analyze(tok, inspect.Options{Want: want, Keys: set, Expect: inspect.Expect{Now: now, Audience: asIssuer}})
				if _, err := json.Marshal(a); err != nil {
					t.Fatalf("json.Marshal(Analysis): %v", err)
				}
			}
		}
	})
}

// FuzzParseJWKS: any key set document — JWKS, one JWK, PEM, garbage —
// parses or fails without a panic, and a parsed set can always be shown,
// judged and searched.
func FuzzParseJWKS(f *testing.F) {
	f.Add(string(jwks(f, "rs", "es")))
	for _, s := range []string{`{"keys":[]}`, `{"kty":"EC","crv":"P-256","x":"a","y":"b"}`, `{"keys":[{"kty":"RSA","n":"AQAB","e":"AQAB","d":"x"}]}`,
		"-----BEGIN PUBLIC KEY-----\nMIIB\n-----END PUBLIC KEY-----\n", `{"keys":[{"kty":"oct","k":"c2VjcmV0"}]}`, "[]", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, doc string) {
		ks, err := inspect.ParseJWKS([]byte(doc))
		if err != nil {
			return
		}
		_ = ks.Summary()
		_ = inspect.CheckKeySet(ks, "fuzz")
		_ = ks.HasKID("k1")
		if _, err := json.Marshal(ks); err != nil {
			t.Fatalf("a parsed key set does not encode: %v", err)
		}
	})
}
