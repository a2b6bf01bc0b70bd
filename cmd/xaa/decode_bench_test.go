package main

import (
	"context"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/xaatools/xaa/inspect"
	"github.com/xaatools/xaa/inspect/inspecttest"
)

// BenchmarkDecodeCommand1MB runs xaa decode in-process on an RS256 ID-JAG
// of nearly inspect.MaxInputBytes (a 770 KB claim), from a file, verified
// against a JWKS file, as a report and as JSON. copies/op is the bytes
// allocated per run over the token's size (target ≤ 4): reading, decoding,
// verifying, checking and printing included.
func BenchmarkDecodeCommand1MB(b *testing.B) {
	key := inspecttest.Fixed("idp-key-1")
	claims := inspecttest.IDJAGClaims(testNow)
	pad := inspect.MaxInputBytes * 3 / 4
	var tok string
	for {
		tok = key.Mint(b, "oauth-id-jag+jwt", inspecttest.Claims(append(claims, "pad", strings.Repeat("x", pad))...), nil)
		if len(tok) <= inspect.MaxInputBytes {
			break
		}
		pad -= (len(tok)-inspect.MaxInputBytes)*3/4 + 4
	}
	dir := b.TempDir()
	tokFile, jwksFile := filepath.Join(dir, "token.txt"), filepath.Join(dir, "keys.json")
	if err := os.WriteFile(tokFile, []byte(tok+"\n"), 0o600); err != nil {
		b.Fatal(err)
	}
	if err := os.WriteFile(jwksFile, inspecttest.JWKS(b, key), 0o600); err != nil {
		b.Fatal(err)
	}
	io := stdio{in: strings.NewReader(""), out: io.Discard, err: io.Discard, getenv: func(string) string { return "" },
		now: func() time.Time { return testNow }}
	for _, variant := range []struct {
		name string
		args []string
	}{
		{"report", []string{"decode", "@" + tokFile, "--offline", "--jwks", jwksFile}},
		{"json", []string{"decode", "@" + tokFile, "--offline", "--jwks", jwksFile, "--json"}},
	} {
		b.Run(variant.name, func(b *testing.B) {
			b.SetBytes(int64(len(tok)))
			b.ReportAllocs()
			var m0, m1 runtime.MemStats
			runtime.ReadMemStats(&m0)
			for b.Loop() {
				if code := run(context.Background(), variant.args, io); code != exitOK {
					b.Fatalf("xaa %s = %d", strings.Join(variant.args, " "), code)
				}
			}
			runtime.ReadMemStats(&m1)
			b.ReportMetric(float64(m1.TotalAlloc-m0.TotalAlloc)/float64(b.N)/float64(len(tok)), "copies/op")
		})
	}
}
