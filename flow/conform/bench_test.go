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

// BenchmarkConformIdP runs the whole IdP scorecard — the baseline (two
// token exchanges), 18 refusals (one of them a second login, one sent
// twice) and 10 checks of the good answer — against the playground's IdP
// in-process, after the one login, and reports the time per run.
func BenchmarkConformIdP(b *testing.B) {
	e := startIdP(b, "")
	ctx := context.Background()
	for b.Loop() {
		conf, err := e.c.Run(ctx, nil)
		if err != nil || !conf.OK() {
			b.Fatalf("the playground's IdP did not pass: %v %+v", err, conf.Score())
		}
	}
}
