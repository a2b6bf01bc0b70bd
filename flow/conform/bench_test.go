package conform_test

import (
	"context"
	"testing"
	"time"
)

// BenchmarkConform runs the whole scorecard — the baseline, 25 strict
// cases and 2 policy probes, 29 jwt-bearer requests with minting, decoding
// and checking — against the playground's own resource AS in-process, and
// reports the time per case.
func BenchmarkConform(b *testing.B) {
	e := startConform(b, b.TempDir())
	ctx := context.Background()
	var cases int
	var total time.Duration
	for b.Loop() {
		start := time.Now()
		conf, err := e.c.Run(ctx, nil)
		total += time.Since(start)
		if err != nil || !conf.OK() {
			b.Fatalf("the playground's AS did not pass: %v %+v", err, conf.Score())
		}
		cases += len(conf.Results)
	}
	b.ReportMetric(float64(total.Microseconds())/float64(cases), "µs/case")
}
