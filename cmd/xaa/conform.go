package main

import (
	"context"
	"fmt"
	"io"
	"net/url"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/charmbracelet/x/ansi"
	"github.com/xaatools/xaa/flow/conform"

	"github.com/xaatools/xaa/flow/config"

	"github.com/xaatools/xaa/flow"
	"github.com/xaatools/xaa/flow/playground"
	"github.com/xaatools/xaa/tui/report"
)

const conformUsage = `xaa conform --config FILE [--listen ADDR] [--key-dir DIR] [--json] [--case ID]... [flags]

Tests a resource authorization server with deliberately broken ID-JAGs and
scores the ones it wrongly accepts. xaa starts an IdP (the playground's)
on a stable address with keys kept in a directory; configure the AS under
test once to trust that IdP's issuer and JWKS (xaa prints exactly what),
then every run mints each case fresh and sends it with the jwt-bearer
grant, authenticated as the config's resource_as client.

Only the config's resource_as (issuer, client, auth method, scopes) and
resource.id are used; the idp section is not. --serve starts the IdP and
prints the setup without running the cases, so the AS can be configured
while the IdP answers.

A strictness case (aud_trailing_slash: RFC 7523 §3 compares aud exactly,
where the MCP conformance suite and the MCP Go SDK ignore a trailing slash)
is reported apart: accepting it is "lenient", not vulnerable.

Exit status: 0 every broken ID-JAG rejected and the valid one accepted
(lenient strictness cases included), 1 a broken ID-JAG was accepted — or
the run could not judge (the valid one refused, the AS down, slow or
answering garbage) — 2 bad flags or config.

xaa conform --idp tests the IdP side instead: it logs in once (a browser,
--no-browser, or --token with an ID token or IdP refresh token you have),
then sends each case as a token exchange to the IdP's token endpoint with
the config's idp client and judges the answer: 18 requests the IdP must
refuse (client authentication, the subject token, requested_token_type,
audience, resource, scope, an unassigned user; each citing its source) and
10 checks of the good answer, judged with xaa's ID-JAG checks
(issued_token_type, token_type N_A, typ, aud, client_id, sub, jti,
lifetime, resource, signature). Cases that need a second client at the IdP,
a user not assigned to the resource app, an expired ID token, a refresh
token or a private_key_jwt client are skipped, naming the config key
(conform.other_client_id and other_client_secret, conform.unassigned_user,
conform.expired_id_token, offline_access in idp.scopes,
idp.auth_method private_key_jwt). Same output forms and exit codes.

Examples:
  xaa conform --config xaa.yaml
  xaa conform --config xaa.yaml --json > scorecard.json
  xaa conform --config xaa.yaml --case alg_none --case replayed_jti -v
  xaa conform --config xaa.yaml --serve
  xaa conform --config xaa.yaml --evidence evidence.md
  xaa conform --idp --config xaa.yaml
  xaa conform --idp --config xaa.yaml --token "$REFRESH_TOKEN" --json`

// conformFlags are the flags of xaa conform.
type conformFlags struct {
	config        string
	listen        string
	keyDir        string
	json          bool
	cases         stringList
	tokenEndpoint string
	timeout       time.Duration
	reveal        bool
	verbose       bool
	serve         bool
	listCases     bool
	evidence      string
	idp           bool
	token         string
	noBrowser     bool
}

func runConform(ctx context.Context, args []string, io stdio) int {
	var f conformFlags
	fs := newFlagSet("conform", conformUsage, io.err)
	fs.StringVar(&f.config, "config", "", "config file (default: $XAA_CONFIG, ./xaa.yaml, $XDG_CONFIG_HOME/xaa/config.yaml)")
	fs.StringVar(&f.listen, "listen", conform.DefaultListen, "the IdP's address (its unused resource AS and API take the next two ports)")
	fs.StringVar(&f.keyDir, "key-dir", conform.DefaultKeyDir(io.getenv), "keep the IdP's keys in `DIR`, so the AS under test trusts them run after run")
	fs.BoolVar(&f.json, "json", false, "print the scorecard as JSON on stdout")
	fs.Var(&f.cases, "case", "run only this case `ID` (repeatable; the baseline always runs); see --list-cases")
	fs.StringVar(&f.tokenEndpoint, "token-endpoint", "", "the AS's token endpoint `URL`, for an AS that publishes no metadata")
	fs.DurationVar(&f.timeout, "timeout", 10*time.Second, "give up on a request after this long")
	fs.BoolVar(&f.reveal, "reveal", false, "show tokens in full (secrets are never shown)")
	fs.BoolVar(&f.verbose, "v", false, "verbose: every case in detail, with its token decoded and a curl command")
	fs.BoolVar(&f.serve, "serve", false, "start the IdP and print the setup, without running the cases, until interrupted")
	fs.BoolVar(&f.listCases, "list-cases", false, "list the cases and exit")
	fs.StringVar(&f.evidence, "evidence", "", "also write (or update) the scorecard's section of a redacted evidence document in this Markdown `FILE` (xaa run --evidence writes the flow's)")
	fs.BoolVar(&f.idp, "idp", false, "test the IdP instead: log in once, then send each case as a token exchange (see above)")
	fs.StringVar(&f.token, "token", "", "with --idp: start from this ID token or IdP refresh token instead of a login (- reads stdin)")
	fs.BoolVar(&f.noBrowser, "no-browser", false, "with --idp: print the login URL instead of opening a browser")
	positional, err := parseInterleaved(fs, args)
	if err != nil {
		return usageError(io.err, err)
	}
	if len(positional) > 0 {
		return usageError(io.err, fmt.Errorf("conform takes no arguments, got %q (flags start with --)", positional[0]))
	}
	if f.listCases {
		printConformCases(io.out, f.idp)
		return exitOK
	}
	if f.idp {
		return runConformIdP(ctx, f, io)
	}
	if f.token != "" || f.noBrowser {
		return usageError(io.err, fmt.Errorf("--token and --no-browser need --idp"))
	}
	cfg, err := conformConfig(f, io)
	if err != nil {
		fmt.Fprintln(io.err, "xaa:", err)
		return exitUsage
	}
	if _, err := conform.SelectCases(f.cases); err != nil {
		return usageError(io.err, fmt.Errorf("--case: %w", err))
	}
	idps, err := conform.StartIdPs(ctx, playground.Options{Listen: f.listen, KeyDir: f.keyDir, Now: io.now})
	if err != nil {
		fmt.Fprintln(io.err, "xaa conform:", err)
		return exitUsage
	}
	defer idps.Close()
	for _, w := range idps.Trusted.Warnings() {
		fmt.Fprintln(io.err, "xaa conform: warning:", w)
	}

	c := &conform.Runner{Config: cfg, IdPs: idps, TokenEndpoint: f.tokenEndpoint,
		Env: flow.Env{Now: io.now, RequestTimeout: f.timeout}}
	out := newReportStyles(io.out, colourEnabled(io), io.getenv)
	opts := report.ConformOptions{Reveal: f.reveal, Verbose: f.verbose, KeyDir: f.keyDir}
	if f.serve {
		conf := c.Prepare(ctx)
		fmt.Fprint(io.out, report.ConformSetup(out, conf, opts))
		fmt.Fprintln(io.out, "\nThe IdP answers until interrupted (Ctrl-C); run xaa conform without --serve to score the AS.")
		<-ctx.Done()
		return exitOK
	}
	conf := c.Prepare(ctx)
	if !f.json {
		fmt.Fprint(io.out, report.ConformSetup(out, conf, opts))
		fmt.Fprintln(io.out)
	}
	selected, _ := conform.SelectCases(f.cases)
	return scorecard(ctx, io, f, "xaa conform", report.EvidenceConform, len(selected), conf, out, opts, func(p func(*conform.CaseResult)) { c.Progress = p },
		func() error { return c.RunCases(ctx, conf, f.cases) })
}

// scorecard runs the cases, prints the scorecard, writes the evidence and
// gives the exit status: what xaa conform and xaa conform --idp share.
// name and total head the status line, evidenceSection is the section of
// --evidence it rewrites; progress installs its callback.
func scorecard(ctx context.Context, io stdio, f conformFlags, name, evidenceSection string, total int, conf *conform.Scorecard,
	out report.Styles, opts report.ConformOptions, progress func(func(*conform.CaseResult)), run func() error) int {
	if io.status != nil {
		// One status line, rewritten per case and cleared at the end: the
		// scorecard below says it all once.
		plain := newReportStyles(io.err, false, io.getenv)
		n := 0
		progress(func(r *conform.CaseResult) {
			n++
			line := fmt.Sprintf("%s: %d/%d %s", name, n, total, report.ConformProgress(plain, r))
			fmt.Fprint(io.status, "\r\x1b[K"+ansi.Truncate(report.Safe(line), 78, "…"))
		})
	}
	err := run()
	if io.status != nil {
		fmt.Fprint(io.status, "\r\x1b[K")
	}
	if err != nil {
		return usageError(io.err, err)
	}
	if !printResult(io, f.json, func() any { return conf.JSON(f.reveal) }, func() string { return report.Conformance(out, conf, opts) }) {
		return exitFailed
	}
	if f.evidence != "" {
		if err := writeEvidence(f.evidence, evidenceSection, report.ConformEvidence(conf, flow.Version(), io.now()), io); err != nil {
			fmt.Fprintln(io.err, "xaa:", err)
			return exitUsage
		}
	}
	switch {
	case ctx.Err() != nil:
		return exitInterrupted
	case !conf.OK():
		return exitFailed
	}
	return exitOK
}

// conformConfig reads the config and checks the parts a conformance run
// uses. Every error is a usage error.
func conformConfig(f conformFlags, io stdio) (*config.Config, error) {
	cfg, err := loadRunConfig(f.config, io)
	if err != nil {
		return nil, err
	}
	if err := cfg.ValidateWithout("idp"); err != nil {
		return nil, err
	}
	for _, w := range cfg.Warnings() {
		if strings.HasPrefix(w.Key, "resource_as") {
			fmt.Fprintf(io.err, "xaa: warning: %s\n", w)
		}
	}
	if f.tokenEndpoint != "" {
		u, err := url.Parse(f.tokenEndpoint)
		if err != nil || u.Host == "" || (u.Scheme != "https" && u.Scheme != "http") {
			return nil, fmt.Errorf("--token-endpoint %q must be an absolute http(s) URL", f.tokenEndpoint)
		}
	}
	if f.timeout <= 0 {
		return nil, fmt.Errorf("--timeout must be positive, e.g. 10s")
	}
	return cfg, nil
}

// printConformCases lists every case with its kind and rule.
func printConformCases(w io.Writer, idp bool) {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "CASE\tKIND\tRULE\tWHAT")
	cases := conform.Cases()
	if idp {
		cases = conform.IdPCases()
	}
	for _, c := range cases {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", c.ID, c.Kind, report.OrDash(c.Rule), c.Title)
	}
	tw.Flush()
}
