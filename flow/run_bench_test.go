package flow_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/xaatools/xaa/flow/flowtest"

	"github.com/xaatools/xaa/flow"
	"github.com/xaatools/xaa/flow/playground"
)

// BenchmarkRun runs the whole flow (discovery, login, token exchange,
// jwt-bearer, REST and MCP) against a running in-process playground and
// splits each run's wall time into the servers' time (every recorded
// exchange, first byte sent to last byte read), the scripted browser's
// login (the playground's login page and form) and xaa's own work (the
// rest: building requests, verifying and checking tokens, recording,
// redacting).
func BenchmarkRun(b *testing.B) {
	p, err := playground.Start(context.Background(), playground.Options{RedirectURIs: []string{flowtest.FreeRedirectURI(b)}})
	if err != nil {
		b.Fatal(err)
	}
	defer p.Close()
	path := b.TempDir() + "/xaa.yaml"
	if err := p.WriteConfig(path); err != nil {
		b.Fatal(err)
	}
	cfg := flowtest.LoadConfig(b, path)
	var browser time.Duration
	login := p.LoginBrowser("alice")
	runner := &flow.Runner{Config: cfg, Env: flow.Env{OpenBrowser: func(u string) error {
		start := time.Now()
		err := login(u)
		browser += time.Since(start)
		return err
	}}}
	var servers, total time.Duration
	var walls []time.Duration
	b.ResetTimer()
	for b.Loop() {
		start := time.Now()
		run, err := runner.Run(context.Background(), flow.StepDiscovery, "")
		wall := time.Since(start)
		total += wall
		walls = append(walls, wall)
		if err != nil || !run.OK() {
			b.Fatalf("run failed: %v%s", err, flowtest.Summary(run))
		}
		for _, s := range run.Steps {
			for _, x := range s.Exchanges {
				servers += max(x.Duration, x.BodyDuration)
			}
		}
	}
	n := float64(b.N)
	slices.Sort(walls)
	b.ReportMetric(float64(walls[len(walls)/2].Microseconds())/1000, "median-ms/run")
	b.ReportMetric(float64(total.Microseconds())/1000/n, "ms/run")
	b.ReportMetric(float64(servers.Microseconds())/1000/n, "server-ms/run")
	b.ReportMetric(float64(browser.Microseconds())/1000/n, "browser-ms/run")
	b.ReportMetric(float64((total-servers-browser).Microseconds())/1000/n, "xaa-ms/run")
}
