package playground

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/xaatools/xaa/inspect"
	"github.com/xaatools/xaa/inspect/inspecttest"
)

// BenchmarkJTICacheMemory records one million distinct grants in the replay
// cache and reports the live heap afterwards. "spread": grants arrive at
// 2,000 a second, so only those within one ID-JAG lifetime plus skew are
// live; "burst": all million arrive within one second, the worst case the
// capacity bound allows.
func BenchmarkJTICacheMemory(b *testing.B) {
	for _, c := range []struct {
		name      string
		perSecond int
	}{{"spread", 2000}, {"burst", 1_000_000}} {
		b.Run(c.name, func(b *testing.B) {
			const n = 1_000_000
			jtis := make([]string, n)
			for i := range jtis {
				jtis[i] = fmt.Sprintf("idjag_%022d", i)
			}
			start := time.Unix(1_800_000_000, 0)
			var before, after runtime.MemStats
			var entries int
			for range b.N {
				runtime.GC()
				runtime.ReadMemStats(&before)
				cache := newJTICache(defaultJTICapacity)
				for i, jti := range jtis {
					now := start.Add(time.Duration(i) * time.Second / time.Duration(c.perSecond))
					if cache.use("https://idp.example", jti, now.Add(IDJAGLifetime+inspect.DefaultSkew), now) != jtiFresh {
						b.Fatalf("grant %d refused", i)
					}
				}
				runtime.GC()
				runtime.ReadMemStats(&after)
				entries = cache.Len()
				runtime.KeepAlive(cache)
			}
			b.ReportMetric(float64(entries), "live-entries")
			b.ReportMetric(float64(after.HeapAlloc-before.HeapAlloc)/(1<<20), "heap-MiB")
		})
	}
}

// BenchmarkGrantHandler is the resource AS's token endpoint handler alone,
// in-process (no network, no client): one jwt-bearer grant per op with a
// distinct RS256 ID-JAG, client_secret_basic — the server's share of
// BenchmarkJWTBearer's CPU per grant.
func BenchmarkGrantHandler(b *testing.B) {
	// The IdP signs with the fixed test key: no random prime search, so
	// instruction counts (callgrind) repeat from run to run.
	dir := b.TempDir()
	if err := writeKeyPEM(filepath.Join(dir, "idp-rs256.pem"), inspecttest.Fixed("").Private); err != nil {
		b.Fatal(err)
	}
	p, err := Start(context.Background(), Options{KeyDir: dir})
	if err != nil {
		b.Fatal(err)
	}
	defer p.Close()
	const n = 200 // redeemed in turn; the replay cache is reset between rounds
	jags := make([]string, n)
	for i := range jags {
		m, err := p.IDJAGTemplate("alice")
		if err == nil {
			jags[i], err = p.Mint(m)
		}
		if err != nil {
			b.Fatal(err)
		}
	}
	cfg := p.Config()
	h := p.as.handler()
	b.ReportAllocs()
	i := 0
	cpu0 := processCPU()
	for b.Loop() {
		if i == n { // every ID-JAG used: forget the jtis so they can be redeemed again
			b.StopTimer()
			p.as.grants = newJTICache(defaultJTICapacity)
			i = 0
			b.StartTimer()
		}
		body := "grant_type=" + url.QueryEscape(inspect.GrantTypeJWTBearer) + "&assertion=" + jags[i]
		i++
		req := httptest.NewRequest(http.MethodPost, cfg.ResourceAS.Issuer+"/token", strings.NewReader(body))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.SetBasicAuth(cfg.ResourceAS.ClientID, cfg.ResourceAS.ClientSecret.Reveal())
		w := httptest.NewRecorder()
		h.ServeHTTP(w, req)
		if w.Code != http.StatusOK {
			b.Fatalf("HTTP %d %s", w.Code, w.Body)
		}
	}
	// CPU rather than wall time: on a shared machine the wall clock also
	// counts the time other processes held the core.
	b.ReportMetric(float64((processCPU()-cpu0).Nanoseconds())/float64(b.N), "cpu-ns/op")
}
