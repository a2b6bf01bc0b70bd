package playground

import (
	"fmt"
	"runtime"
	"testing"
	"time"

	"github.com/xaatools/xaa/inspect"
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
