package inspect_test

import (
	"runtime"
	"strings"
	"testing"

	"github.com/xaatools/xaa/inspect"
	"github.com/xaatools/xaa/inspect/inspecttest"
)

// TestLargeTokenCopies: decoding, verifying and checking a token of nearly
// MaxInputBytes allocates less than twice its size (BenchmarkAnalyze1MB
// measures about 0.8): the token is not copied for each step. A budget on
// bytes, not time, so it holds on a loaded machine.
func TestLargeTokenCopies(t *testing.T) {
	key := inspecttest.Fixed("big-1")
	tok := key.Mint(t, "oauth-id-jag+jwt", claims(append(jagClaims(), "pad", strings.Repeat("x", inspect.MaxInputBytes*7/10))...), nil)
	set, err := inspect.ParseJWKS(inspecttest.JWKS(t, key))
	if err != nil {
		t.Fatal(err)
	}
	e := jagExpect
	e.Now = now
	analyze := func() {
		toks, err := inspect.DecodeAll(tok)
		if err != nil {
			t.Fatal(err)
		}
		a := inspect.Analyze(toks[0], inspect.Options{Want: inspect.KindIDJAG, Keys: set, Expect: e})
		if !a.Signature.Verified() {
			t.Fatalf("not verified: %s", a.Signature.Reason)
		}
		if _, err := a.MarshalJSON(); err != nil {
			t.Fatal(err)
		}
	}
	analyze() // first use: lazily built tables
	var m0, m1 runtime.MemStats
	runtime.ReadMemStats(&m0)
	analyze()
	runtime.ReadMemStats(&m1)
	// Decoding is 3/4 of the size, the JSON one more.
	if copies := float64(m1.TotalAlloc-m0.TotalAlloc) / float64(len(tok)); copies > 2.5 {
		t.Errorf("decode + analyze + JSON of a %d-byte token allocated %.1f times its size, want at most 2.5", len(tok), copies)
	}
}
