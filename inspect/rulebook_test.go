package inspect_test

import (
	"testing"
	"time"

	"github.com/xaatools/xaa/inspect"
	"github.com/xaatools/xaa/inspect/inspecttest"
)

// TestRuleVerdictsOfEveryKind makes the rules that every kind of token
// shares give their worst verdict for the kinds whose own tests do not,
// and the decode, key set and URN rules fail.
func TestRuleVerdictsOfEveryKind(t *testing.T) {
	kinds := []struct {
		prefix, typ string
		claims      func() []any
		kind        inspect.Kind
	}{
		{"id_token", "JWT", idTokenClaims, inspect.KindIDToken},
		{"access_token", "at+jwt", accessTokenClaims, inspect.KindAccessToken},
		{"jwt", "JWT", func() []any {
			return []any{"iss", "https://x.example", "iat", now.Unix(), "exp", now.Add(time.Hour).Unix()}
		}, inspect.KindUnknown},
	}
	future := now.Add(time.Hour).Unix()
	for _, k := range kinds {
		cases := map[string]func() inspect.Analysis{
			"alg": func() inspect.Analysis {
				tok := mustDecode(t, key(t, "rs").Mint(t, k.typ, claims(k.claims()...), nil))
				return inspect.Analyze(tok, inspect.Options{Want: k.kind, Keys: mustJWKS(t, jwks(t, "rs")), Expect: inspect.Expect{Now: now, Algorithms: []string{"ES256"}}})
			},
			"signature": func() inspect.Analysis {
				tok := mustDecode(t, key(t, "rs2").WithKID("rsa-1").Mint(t, k.typ, claims(k.claims()...), nil))
				return inspect.Analyze(tok, inspect.Options{Want: k.kind, Keys: mustJWKS(t, jwks(t, "rs")), Expect: inspect.Expect{Now: now}})
			},
			"iat": func() inspect.Analysis {
				return analyze(t, k.typ, override(k.claims(), "iat", future), k.kind, inspect.Expect{})
			},
			"nbf": func() inspect.Analysis {
				return analyze(t, k.typ, override(k.claims(), "nbf", future), k.kind, inspect.Expect{})
			},
			"sub": func() inspect.Analysis {
				return analyze(t, k.typ, override(k.claims(), "sub", ""), k.kind, inspect.Expect{})
			},
		}
		for name, run := range cases {
			id := k.prefix + "." + name
			r, ok := inspect.RuleFor(id)
			if !ok {
				continue // this kind has no such rule (a JWT of no kind names no user)
			}
			t.Run(id, func(t *testing.T) {
				if c, _ := run().Checks.Find(id); c.Status != r.Worst {
					t.Errorf("%s = %+v, want %s", id, c, r.Worst)
				}
			})
		}
	}
	t.Run("decode", func(t *testing.T) {
		good := key(t, "rs").Mint(t, "JWT", claims(idTokenClaims()...), nil)
		tok := mustDecode(t, good[:len(good)-20])
		if c, _ := inspect.Analyze(tok, inspect.Options{Expect: inspect.Expect{Now: now}}).Checks.Find("decode"); c.Status != inspect.StatusFail {
			t.Errorf("a truncated token: decode = %+v, want fail", c)
		}
	})
	t.Run("keys.usable", func(t *testing.T) {
		ks := mustJWKS(t, []byte(`{"keys":[{"kty":"EC","kid":"k","crv":"P-256","x":"AAAA","y":"AAAA"}]}`))
		if c := inspect.CheckKeySet(ks, "test"); c.Status != inspect.StatusFail {
			t.Errorf("a key set of broken keys: %+v, want fail", c)
		}
	})
	t.Run("urn", func(t *testing.T) {
		if c := inspect.CheckURN("grant_type", "urn:ietf:params:oauth:grant-type:jwt_bearer"); c.Status != inspect.StatusFail || c.ID != "urn.grant_type" {
			t.Errorf("a misspelled grant type: %+v, want urn.grant_type fail", c)
		}
	})
}

// TestRulesNameTheirTests: each rule names a test of this package that
// mentions its check and expects the rule's worst verdict.
func TestRulesNameTheirTests(t *testing.T) {
	inspecttest.CheckRuleTests(t, ".", inspect.Rules(), true, "TestRuleVerdictsOfEveryKind")
}
