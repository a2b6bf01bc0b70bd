package inspect_test

import (
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/xaatools/xaa/inspect"
)

// TestRulesRegistry: every rule names a test of this package that exists,
// once, with a verdict the table can show.
func TestRulesRegistry(t *testing.T) {
	tests := testFuncs(t, ".")
	seen := map[string]bool{}
	for _, r := range inspect.Rules() {
		if seen[r.ID] {
			t.Errorf("%s is registered twice", r.ID)
		}
		seen[r.ID] = true
		if r.Worst != inspect.StatusFail && r.Worst != inspect.StatusWarn {
			t.Errorf("%s: worst verdict %s, want fail or warn", r.ID, r.Worst)
		}
		if r.Compares == "" || r.Source == "" {
			t.Errorf("%s: says neither what it compares nor its source: %+v", r.ID, r)
		}
		if !tests[r.Test] {
			t.Errorf("%s: its test %q is no Test function in inspect's _test.go files", r.ID, r.Test)
		}
	}
}

// testFuncs returns the names of the Test functions in dir's _test.go files.
func testFuncs(t *testing.T, dir string) map[string]bool {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(dir, "*_test.go"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no test files in %s: %v", dir, err)
	}
	out := map[string]bool{}
	fs := token.NewFileSet()
	for _, f := range files {
		af, err := parser.ParseFile(fs, f, nil, parser.SkipObjectResolution)
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range af.Decls {
			if fd, ok := d.(*ast.FuncDecl); ok && fd.Recv == nil && len(fd.Name.Name) > 4 && fd.Name.Name[:4] == "Test" {
				out[fd.Name.Name] = true
			}
		}
	}
	return out
}

// TestRulesMatchTheChecks runs the corpus — good and broken tokens of
// every kind, chains, metadata, assertions, key sets, identifiers — and
// holds the registry to what the checks emit: every check has a rule and
// cites its source, every rule and every source it lists is emitted, and
// the worst verdict emitted is the rule's Worst.
func TestRulesMatchTheChecks(t *testing.T) {
	rules := map[string]inspect.Rule{}
	for _, r := range inspect.Rules() {
		rules[r.ID] = r
	}
	worst := map[string]inspect.Status{}
	cited := map[string]bool{}
	for _, c := range ruleCorpus(t) {
		r, ok := rules[c.ID]
		switch {
		case !ok && !cited[c.ID]:
			t.Errorf("check %s (%q) has no rule in inspect.Rules", c.ID, c.Title)
		case ok && !slices.Contains(r.Sources(), c.Spec) && !cited[c.ID+" "+c.Spec]:
			t.Errorf("check %s cites %q; its rule lists %q", c.ID, c.Spec, r.Sources())
		}
		cited[c.ID], cited[c.ID+" "+c.Spec] = true, true // each finding once
		if !ok {
			continue
		}
		cited[c.ID+" "+c.Spec] = true
		if _, ok := worst[c.ID]; !ok || c.Status == inspect.StatusWarn || c.Status == inspect.StatusFail {
			worst[c.ID] = max(worst[c.ID], c.Status)
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
		for _, s := range r.Sources() {
			if !cited[id+" "+s] {
				t.Errorf("rule %s: no check of the corpus cites %q", id, s)
			}
		}
	}
}

// TestRuleVerdicts makes each rule whose Test this is give its worst
// verdict: the rules no focused test of their own breaks.
func TestRuleVerdicts(t *testing.T) {
	cases := verdictCases(t)
	for _, r := range inspect.Rules() {
		run, ok := cases[r.ID]
		if r.Test != "TestRuleVerdicts" {
			if ok {
				t.Errorf("%s has a case here but names %s as its test", r.ID, r.Test)
			}
			continue
		}
		t.Run(r.ID, func(t *testing.T) {
			if !ok {
				t.Fatalf("no case makes %s give %s", r.ID, r.Worst)
			}
			if c, found := run().Find(r.ID); !found || c.Status != r.Worst {
				t.Errorf("%s = %+v (found %t), want %s", r.ID, c, found, r.Worst)
			}
		})
	}
}

// verdictCases are the reports that break one rule each, by rule ID.
func verdictCases(t *testing.T) map[string]func() inspect.Report {
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
