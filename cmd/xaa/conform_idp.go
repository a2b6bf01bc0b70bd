package main

import (
	"context"
	"fmt"
	"strings"

	"github.com/xaatools/xaa/flow"
	"github.com/xaatools/xaa/flow/conform"
	"github.com/xaatools/xaa/tui/report"
)

// runConformIdP is `xaa conform --idp`: the IdP scorecard.
func runConformIdP(ctx context.Context, f conformFlags, io stdio) int {
	if f.serve || f.tokenEndpoint != "" {
		return usageError(io.err, fmt.Errorf("--idp tests the IdP: --serve and --token-endpoint are for the resource-AS scorecard"))
	}
	if _, err := conform.SelectIdPCases(f.cases); err != nil {
		return usageError(io.err, fmt.Errorf("--case: %w", err))
	}
	cfg, err := loadRunConfig(f.config, io)
	if err != nil {
		fmt.Fprintln(io.err, "xaa:", err)
		return exitUsage
	}
	token, err := readValue(f.token, io)
	if err != nil {
		return usageError(io.err, fmt.Errorf("--token: %w", err))
	}
	token = strings.TrimSpace(token)
	unused := []string{"resource"}
	if token != "" {
		unused = append(unused, "idp.redirect_uri")
	}
	if err := cfg.ValidateWithout(unused...); err != nil {
		fmt.Fprintln(io.err, "xaa:", err)
		return exitUsage
	}
	if f.timeout <= 0 {
		return usageError(io.err, fmt.Errorf("--timeout must be positive, e.g. 10s"))
	}
	env := flow.Env{Now: io.now, RequestTimeout: f.timeout, OpenBrowser: newBrowserOpener(io), Progress: progressPrinter(io)}
	c := &conform.IdPRunner{Config: cfg, Env: env, Token: token,
		Flow: &flow.Runner{Config: cfg, Env: env, NoBrowser: f.noBrowser}}
	out := newReportStyles(io.out, colourEnabled(io), io.getenv)
	opts := report.ConformOptions{Reveal: f.reveal, Verbose: f.verbose}
	conf := c.Prepare(ctx)
	if !f.json {
		fmt.Fprint(io.out, report.ConformIdPSetup(out, conf, opts))
		fmt.Fprintln(io.out)
	}
	selected, _ := conform.SelectIdPCases(f.cases)
	return scorecard(ctx, io, f, "xaa conform --idp", report.EvidenceConformIdP, len(selected), conf, out, opts, func(p func(*conform.CaseResult)) { c.Progress = p },
		func() error { return c.RunCases(ctx, conf, f.cases) })
}
