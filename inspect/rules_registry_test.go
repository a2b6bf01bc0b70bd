package inspect_test

import (
	"slices"
	"testing"
	"time"

	"github.com/xaatools/xaa/inspect"
)

// TestRulesMatchTheCorpus runs the corpus — good and broken tokens of
// every kind, chains, metadata, assertions, key sets, identifiers — and
// holds the registry to what the checks emit, beyond
// TestRulesCoverEmittedChecks: every rule and every source it lists is
// emitted, and the worst verdict emitted is the rule's Worst — so a rule
// registered fail that only warns, or one no check makes, fails here.
func TestRulesMatchTheCorpus(t *testing.T) {
	rules := map[string]inspect.Rule{}
	for _, r := range inspect.Rules() {
		if _, twice := rules[r.ID]; twice {
			t.Errorf("rule %s is registered twice", r.ID)
		}
		rules[r.ID] = r
	}
	worst := map[string]inspect.Status{}
	cited := map[string]bool{}
	for _, c := range ruleCorpus(t) {
		r, ok := inspect.RuleFor(c.ID) // urn.grant_type is urn's
		switch {
		case !ok && !cited[c.ID]:
			t.Errorf("check %s (%q) has no rule in inspect.Rules", c.ID, c.Title)
		case ok && !slices.Contains(r.Sources, c.Spec) && !cited[c.ID+" "+c.Spec]:
			t.Errorf("check %s cites %q; its rule lists %q", c.ID, c.Spec, r.Sources)
		}
		cited[c.ID], cited[c.ID+" "+c.Spec] = true, true // each finding once
		if !ok {
			continue
		}
		cited[r.ID+" "+c.Spec] = true
		if _, seen := worst[r.ID]; !seen || c.Status == inspect.StatusWarn || c.Status == inspect.StatusFail {
			worst[r.ID] = max(worst[r.ID], c.Status)
		}
	}
	for id, r := range rules {
		got, ok := worst[id]
		switch {
		case !ok:
			t.Errorf("rule %s: no check of the corpus has its ID", id)
			continue
		case got != r.Worst && (got == inspect.StatusWarn || got == inspect.StatusFail):
			t.Errorf("rule %s: worst verdict emitted %s, registered %s", id, got, r.Worst)
		case got != r.Worst:
			t.Errorf("rule %s: the corpus never makes it %s (at worst %s)", id, r.Worst, got)
		}
		for _, s := range r.Sources {
			if !cited[id+" "+s] {
				t.Errorf("rule %s: no check of the corpus cites %q", id, s)
			}
		}
	}
}

// worstCases are reports that make a rule shared by every kind of token
// give its worst verdict, by check ID (TestRuleVerdictsOfEveryKind's
// cases, and a misspelt client_assertion_type).
func worstCases(t *testing.T) map[string]func() inspect.Report {
	future := now.Add(time.Hour).Unix()
	es256 := inspect.Expect{Algorithms: []string{"ES256"}}
	alg := func(typ string, c []any, k inspect.Kind) func() inspect.Report {
		return func() inspect.Report { return analyze(t, typ, c, k, es256).Checks }
	}
	sig := func(typ string, c []any, k inspect.Kind) func() inspect.Report {
		return func() inspect.Report {
			tok := mustDecode(t, key(t, "rs2").WithKID("rsa-1").Mint(t, typ, claims(c...), nil))
			return inspect.Analyze(tok, inspect.Options{Want: k, Keys: mustJWKS(t, jwks(t, "rs")), Expect: inspect.Expect{Now: now}}).Checks
		}
	}
	claim := func(typ string, c []any, k inspect.Kind, name string, v any) func() inspect.Report {
		return func() inspect.Report { return analyze(t, typ, override(c, name, v), k, inspect.Expect{}).Checks }
	}
	jwt := []any{"iss", "https://x.example", "iat", now.Unix(), "exp", now.Add(time.Hour).Unix()}
	return map[string]func() inspect.Report{
		"decode": func() inspect.Report {
			good := key(t, "rs").Mint(t, "JWT", claims(idTokenClaims()...), nil)
			return inspect.Analyze(mustDecode(t, good[:len(good)-20]), inspect.Options{Expect: inspect.Expect{Now: now}}).Checks
		},
		"urn.client_assertion_type": func() inspect.Report {
			return inspect.Report{inspect.CheckURN("client_assertion_type", "urn:ietf:params:oauth:client-assertion-type:jwt_bearer")}
		},
		"id_token.alg":           alg("JWT", idTokenClaims(), inspect.KindIDToken),
		"id_token.signature":     sig("JWT", idTokenClaims(), inspect.KindIDToken),
		"access_token.alg":       alg("at+jwt", accessTokenClaims(), inspect.KindAccessToken),
		"access_token.signature": sig("at+jwt", accessTokenClaims(), inspect.KindAccessToken),
		"access_token.iat":       claim("at+jwt", accessTokenClaims(), inspect.KindAccessToken, "iat", future),
		"access_token.nbf":       claim("at+jwt", accessTokenClaims(), inspect.KindAccessToken, "nbf", future),
		"access_token.sub":       claim("at+jwt", accessTokenClaims(), inspect.KindAccessToken, "sub", ""),
		"jwt.alg":                alg("JWT", jwt, inspect.KindUnknown),
		"jwt.signature":          sig("JWT", jwt, inspect.KindUnknown),
		"jwt.iat":                claim("JWT", jwt, inspect.KindUnknown, "iat", future),
		"jwt.nbf":                claim("JWT", jwt, inspect.KindUnknown, "nbf", future),
	}
}
