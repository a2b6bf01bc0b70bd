package inspect_test

import (
	"fmt"
	"runtime"
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

// token1MB is an RS256 ID-JAG whose claims carry a large member, padded so
// the compact form is just under MaxInputBytes. big is the claim's value
// before padding: a string, or an array of group names.
func token1MB(b *testing.B, shape string) string {
	b.Helper()
	size := func(n int) string {
		var c []any
		switch shape {
		case "string":
			c = append(jagClaims(), "pad", strings.Repeat("x", n))
		case "groups":
			groups := make([]string, n/16)
			for i := range groups {
				groups[i] = fmt.Sprintf("group-%09d", i)
			}
			c = append(jagClaims(), "groups", groups)
		case "escaped":
			c = append(jagClaims(), "pad", strings.Repeat(`é"\`, n/6))
		}
		return benchKey.Mint(b, "oauth-id-jag+jwt", claims(c...), nil)
	}
	// The compact form grows by 4/3 of the claims; find the largest n
	// under the limit by bisection.
	lo, hi := 0, inspect.MaxInputBytes
	for lo < hi {
		mid := (lo + hi + 1) / 2
		if len(size(mid)) <= inspect.MaxInputBytes {
			lo = mid
		} else {
			hi = mid - 1
		}
	}
	return size(lo)
}

// BenchmarkDecode1MB measures the memory DecodeAll needs for a token of
// nearly MaxInputBytes: copies/op is the bytes allocated per decode over
// the input's size (target ≤ 4). "wrapped" is the same token broken into
// 76-character lines, as a terminal or a log may paste it.
func BenchmarkDecode1MB(b *testing.B) {
	for _, shape := range []string{"string", "groups", "escaped", "wrapped", "envelope"} {
		b.Run(shape, func(b *testing.B) {
			var input string
			switch shape {
			case "wrapped":
				tok := token1MB(b, "string")
				var sb strings.Builder
				for i := 0; i < len(tok); i += 76 {
					sb.WriteString(tok[i:min(i+76, len(tok))])
					sb.WriteByte('\n')
				}
				input = sb.String()
				input = input[:min(len(input), inspect.MaxInputBytes)]
			case "envelope":
				tok := token1MB(b, "string")
				tok = tok[:inspect.MaxInputBytes-200]
				input = `{"access_token":"` + tok + `","issued_token_type":"urn:ietf:params:oauth:token-type:id-jag","token_type":"N_A"}`
			default:
				input = token1MB(b, shape)
			}
			b.SetBytes(int64(len(input)))
			b.ReportAllocs()
			var m0, m1 runtime.MemStats
			runtime.ReadMemStats(&m0)
			for b.Loop() {
				toks, err := inspect.DecodeAll(input)
				if err != nil {
					b.Fatal(err)
				}
				if toks[0].Claims == nil && shape != "wrapped" && shape != "envelope" {
					b.Fatal(toks[0].Problems)
				}
			}
			runtime.ReadMemStats(&m1)
			b.ReportMetric(float64(m1.TotalAlloc-m0.TotalAlloc)/float64(b.N)/float64(len(input)), "copies/op")
		})
	}
}

// BenchmarkAnalyze1MB is DecodeAll and Analyze (verifying against a JWKS,
// every ID-JAG check) of a token of nearly MaxInputBytes; copies/op as in
// BenchmarkDecode1MB.
func BenchmarkAnalyze1MB(b *testing.B) {
	input := token1MB(b, "string")
	set, err := inspect.ParseJWKS(inspecttest.JWKS(b, benchKey))
	if err != nil {
		b.Fatal(err)
	}
	e := jagExpect
	e.Now = now
	b.SetBytes(int64(len(input)))
	b.ReportAllocs()
	var m0, m1 runtime.MemStats
	runtime.ReadMemStats(&m0)
	for b.Loop() {
		toks, err := inspect.DecodeAll(input)
		if err != nil {
			b.Fatal(err)
		}
		if a := inspect.Analyze(toks[0], inspect.Options{Want: inspect.KindIDJAG, Keys: set, Expect: e}); !a.Signature.Verified() {
			b.Fatal(a.Signature.Reason)
		}
	}
	runtime.ReadMemStats(&m1)
	b.ReportMetric(float64(m1.TotalAlloc-m0.TotalAlloc)/float64(b.N)/float64(len(input)), "copies/op")
}
