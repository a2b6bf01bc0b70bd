package inspect_test

import (
	"strings"
	"testing"

	jose "github.com/go-jose/go-jose/v4"

	"github.com/xaatools/xaa/inspect"
	"github.com/xaatools/xaa/inspect/inspecttest"
)

// benchKey is the fixed RSA 2048 key: no key generation in the benchmarks.
var benchKey = inspecttest.Fixed("bench-1")

// token1KB is an RS256 ID-JAG padded to 1024 bytes in compact form.
func token1KB(b *testing.B) string {
	b.Helper()
	for pad := 0; pad < 1024; pad++ {
		tok := benchKey.Mint(b, "oauth-id-jag+jwt", claims(append(jagClaims(), "pad", strings.Repeat("x", pad))...), nil)
		if len(tok) >= 1024 {
			return tok
		}
	}
	b.Fatal("could not pad the token to 1 KB")
	return ""
}

// BenchmarkDecode1KB measures Decode of a 1 KB token (target ≤ 10 µs/op).
func BenchmarkDecode1KB(b *testing.B) {
	tok := token1KB(b)
	b.SetBytes(int64(len(tok)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := inspect.Decode(tok); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkVerifyRS256 measures inspect.Verify of a decoded RS256 token
// against a one-key JWKS: key selection, the attempt record, go-jose.
func BenchmarkVerifyRS256(b *testing.B) {
	tok, err := inspect.Decode(token1KB(b))
	if err != nil {
		b.Fatal(err)
	}
	set, err := inspect.ParseJWKS(inspecttest.JWKS(b, benchKey))
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if sig := inspect.Verify(tok, set, inspect.VerifyOptions{}); !sig.Verified() {
			b.Fatal(sig.Reason)
		}
	}
}

// BenchmarkGoJoseVerifyRS256 is the baseline for BenchmarkVerifyRS256: a
// bare go-jose parse and verify of the same token with the same key (target:
// Verify within 1.3× of this).
func BenchmarkGoJoseVerifyRS256(b *testing.B) {
	raw := token1KB(b)
	pub := benchKey.Private.Public()
	algs := []jose.SignatureAlgorithm{jose.RS256}
	b.ReportAllocs()
	for b.Loop() {
		jws, err := jose.ParseSignedCompact(raw, algs)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := jws.Verify(pub); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkAnalyzeIDJAG measures the whole per-token pipeline the
// playground's resource AS runs per grant: verify plus every ID-JAG check.
func BenchmarkAnalyzeIDJAG(b *testing.B) {
	tok, err := inspect.Decode(token1KB(b))
	if err != nil {
		b.Fatal(err)
	}
	set, _ := inspect.ParseJWKS(inspecttest.JWKS(b, benchKey))
	e := jagExpect
	e.Now = now
	b.ReportAllocs()
	for b.Loop() {
		a := inspect.Analyze(tok, inspect.Options{Want: inspect.KindIDJAG, Keys: set, Expect: e})
		if a.Checks.Failed() {
			b.Fatal(a.Checks)
		}
	}
}
