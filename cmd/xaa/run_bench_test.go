package main

import (
	"context"
	"io"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/xaatools/xaa/flow/playground"
)

// BenchmarkXAARun times the whole `xaa run` command in-process — reading
// and validating the config, the five steps against a running playground
// (login through its scripted browser), and rendering the human report —
// and reports the median wall time of a run.
func BenchmarkXAARun(b *testing.B) {
	p, err := playground.Start(context.Background(), playground.Options{RedirectURIs: []string{freeRedirectURI(b)}})
	if err != nil {
		b.Fatal(err)
	}
	defer p.Close()
	path := filepath.Join(b.TempDir(), "xaa.yaml")
	if err := p.WriteConfig(path); err != nil {
		b.Fatal(err)
	}
	saved := newBrowserOpener
	newBrowserOpener = func(stdio) func(string) error { return p.LoginBrowser("alice") }
	defer func() { newBrowserOpener = saved }()
	io := stdio{in: strings.NewReader(""), out: io.Discard, err: io.Discard, getenv: func(string) string { return "" }, now: time.Now}

	var walls []time.Duration
	for b.Loop() {
		start := time.Now()
		if code := run(context.Background(), []string{"run", "--config", path}, io); code != exitOK {
			b.Fatalf("xaa run = %d", code)
		}
		walls = append(walls, time.Since(start))
	}
	slices.Sort(walls)
	b.ReportMetric(float64(walls[len(walls)/2].Microseconds())/1000, "median-ms/run")
}
