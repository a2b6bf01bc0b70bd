package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os/exec"
	"strings"

	"github.com/xaatools/xaa/flow/conform"
	"github.com/xaatools/xaa/flow/export"
	"github.com/xaatools/xaa/flow/tokenstore"

	"github.com/xaatools/xaa/flow/config"

	"github.com/cli/browser"

	"github.com/xaatools/xaa/flow"
	"github.com/xaatools/xaa/flow/playground"
	"github.com/xaatools/xaa/inspect"
	"github.com/xaatools/xaa/tui/report"
)

const runUsage = `xaa run [--config FILE] [--json] [--from STEP --token T] [--set K=V]... [flags]

Runs the Cross App Access flow headless: discovery, login (authorization
code + PKCE in the browser), token exchange (ID token → ID-JAG), jwt-bearer
grant (ID-JAG → access token) and the resource call (REST and/or MCP).
Every request is recorded, every token checked, every error explained.

The config is --config, else $XAA_CONFIG, ./xaa.yaml, or
$XDG_CONFIG_HOME/xaa/config.yaml; secrets also come from
XAA_IDP_CLIENT_SECRET and XAA_AS_CLIENT_SECRET. The browser is $BROWSER when
set, else the system's.

--set changes one input: a request parameter (audience, resource, scope,
subject_token_type …; "jwt_bearer.scope" for one step only, an empty value
removes it) or a config key (resource_as.issuer, idp.scopes …).

Exit status: 0 every step passed, 1 a step failed, 2 bad flags or config,
3 no step failed but one could not run for want of an input (the verdict
names it: a refresh token, a resource URL …).

Examples:
  xaa run --playground                       # offline: the built-in IdP, AS, API and MCP server
  xaa run --playground --fault idjag-wrong-aud
  xaa run
  xaa run --json > run.json
  xaa run --from token_exchange --token @id-token.txt --set audience=https://auth.example.com/
  xaa run --report ticket.md --har run.har
  xaa run --evidence evidence.md
  xaa run --tool list_todos --args '{}'`

// runFlags are the flags of xaa run.
type runFlags struct {
	config    string
	json      bool
	from      string
	token     string
	sets      stringList
	noBrowser bool
	reveal    bool
	verbose   bool
	report    string
	har       string
	evidence  string
	tool      string
	args      string
	// The built-in playground instead of a config.
	playground bool
	user       string
	faults     stringList
	profile    string
	rotateKeys bool
}

// newBrowserOpener builds the login's browser opener; tests replace it with
// the playground's scripted browser.
var newBrowserOpener = browserOpener

func runRun(ctx context.Context, args []string, io stdio) int {
	var f runFlags
	fs := newFlagSet("run", runUsage, io.err)
	fs.StringVar(&f.config, "config", "", "config file (default: $XAA_CONFIG, ./xaa.yaml, $XDG_CONFIG_HOME/xaa/config.yaml)")
	fs.BoolVar(&f.json, "json", false, "print the run as JSON on stdout (the shape is in docs/formats.md)")
	fs.StringVar(&f.from, "from", "", "start at this step with --token: token_exchange, jwt_bearer or resource")
	fs.StringVar(&f.token, "token", "", "the token to start from: the token itself, - for standard input, or @FILE")
	fs.Var(&f.sets, "set", "change one input, K=V (repeatable): a request parameter or a config key")
	fs.BoolVar(&f.noBrowser, "no-browser", false, "print the login URL instead of opening a browser")
	fs.BoolVar(&f.reveal, "reveal", false, "show tokens in full (secrets are never shown)")
	fs.BoolVar(&f.verbose, "v", false, "verbose: every check, every token in full, a curl for every request")
	fs.StringVar(&f.report, "report", "", "also write a redacted Markdown transcript to this file")
	fs.StringVar(&f.har, "har", "", "also write the HTTP exchanges as a redacted HAR 1.2 file")
	fs.StringVar(&f.evidence, "evidence", "", "also write (or update) a redacted evidence document for a reviewer in this Markdown `FILE`: parties, exchanges, checks, xaa's version; xaa conform --evidence adds its scorecard")
	fs.StringVar(&f.tool, "tool", "", "MCP: call this tool after listing the tools")
	fs.StringVar(&f.args, "args", "", "MCP: the tool's arguments as a JSON object")
	fs.BoolVar(&f.playground, "playground", false, "run against the built-in playground, started in-process: no config, no browser (a scripted login as --user)")
	fs.StringVar(&f.user, "user", "alice", "with --playground: the demo user who logs in: alice, bob, carol or dave")
	fs.Var(&f.faults, "fault", "with --playground: switch on a playground fault (repeatable; xaa playground --list-faults)")
	fs.StringVar(&f.profile, "profile", "", "with --playground: \"okta\" makes the IdP behave like an Okta org")
	fs.BoolVar(&f.rotateKeys, "rotate-keys", false, "with --playground: make new signing keys instead of reusing the ones kept in "+displayKeyDir(io.getenv))
	positional, err := parseInterleaved(fs, args)
	if err != nil {
		return usageError(io.err, err)
	}
	if len(positional) > 0 {
		return usageError(io.err, fmt.Errorf("run takes no arguments, got %q (flags start with --)", positional[0]))
	}
	cfg, opener, stop, err := runConfig(ctx, f, io)
	if err != nil {
		fmt.Fprintln(io.err, "xaa:", err)
		return exitUsage
	}
	defer stop()
	runner, from, token, err := buildRunner(f, io, cfg, opener)
	if err != nil {
		fmt.Fprintln(io.err, "xaa:", err)
		return exitUsage
	}
	run, err := runner.Run(ctx, from, token)
	if err != nil {
		return usageError(io.err, err)
	}
	if code := writeRunOutputs(run, f, io); code != exitOK {
		return code
	}
	if lax := laxASFaults(f); len(lax) > 0 && run.OK() {
		fmt.Fprintf(io.err, "xaa: the resource AS ran with %s: it would accept a broken ID-JAG, but this run sent a good one, so nothing failed here. "+
			"xaa conform sends the broken ones: run `xaa playground --listen 127.0.0.1:9420 --trust-issuer http://%s --fault %s --write-config as.yaml`, then `xaa conform --config as.yaml`\n",
			strings.Join(lax, ", "), conform.DefaultListen, strings.Join(lax, " --fault "))
	}
	switch {
	case ctx.Err() != nil:
		return exitInterrupted
	case !run.OK():
		return exitFailed
	}
	if status, _ := run.Verdict(); status != inspect.StatusPass {
		return exitIncomplete
	}
	return exitOK
}

// laxASFaults are the --fault flags that make the playground's resource
// AS skip a rule: invisible to a run that sends good tokens.
func laxASFaults(f runFlags) []string {
	var lax []string
	for _, name := range f.faults {
		if strings.HasPrefix(name, "as-skip-") {
			lax = append(lax, name)
		}
	}
	return lax
}

// runConfig returns the config and the browser opener: from the config
// file, or from the built-in playground started in-process (stop closes
// it), whose scripted browser logs the demo user in.
func runConfig(ctx context.Context, f runFlags, io stdio) (cfg *config.Config, opener func(string) error, stop func(), err error) {
	stop = func() {}
	if !f.playground {
		for _, name := range []string{"fault", "profile", "rotate-keys"} {
			if (name == "fault" && len(f.faults) > 0) || (name == "profile" && f.profile != "") || (name == "rotate-keys" && f.rotateKeys) {
				return nil, nil, stop, fmt.Errorf("--%s needs --playground", name)
			}
		}
		cfg, err = loadRunConfig(f.config, io)
		return cfg, newBrowserOpener(io), stop, err
	}
	if f.config != "" {
		return nil, nil, stop, errors.New("--playground runs without a config; drop --config")
	}
	redirect, err := playground.FreeRedirectURI()
	if err != nil {
		return nil, nil, stop, fmt.Errorf("finding a free port for the login callback: %w", err)
	}
	o := playground.Options{Faults: f.faults, Profile: f.profile, RedirectURIs: []string{redirect}, Now: io.now,
		KeyDir: playground.DefaultKeyDir(io.getenv), RotateKeys: f.rotateKeys}
	if err := o.Check(f.user); err != nil {
		return nil, nil, stop, err
	}
	p, err := playground.Start(ctx, o)
	if err != nil {
		return nil, nil, stop, fmt.Errorf("starting the playground: %w", err)
	}
	stop = func() { p.Close() }
	for _, w := range p.Warnings() {
		fmt.Fprintln(io.err, "xaa: playground warning:", w)
	}
	cfg = p.Config()
	fmt.Fprintf(io.err, "xaa: started the built-in playground (IdP %s); %s logs in with its scripted browser\n", p.IdPURL(), f.user)
	return cfg, p.LoginBrowser(f.user), stop, nil
}

// displayKeyDir names the playground's key directory for help texts.
func displayKeyDir(getenv func(string) string) string {
	if dir := playground.DefaultKeyDir(getenv); dir != "" {
		return dir
	}
	return "$XDG_STATE_HOME/xaa/playground"
}

// buildRunner turns the config and the flags into a runner. Every error is
// a usage error.
func buildRunner(f runFlags, io stdio, cfg *config.Config, opener func(string) error) (*flow.Runner, flow.StepID, string, error) {
	var err error
	overrides := flow.StepOverrides{}
	for _, kv := range f.sets {
		k, v, ok := strings.Cut(kv, "=")
		if !ok || k == "" {
			return nil, 0, "", fmt.Errorf("--set %q: write K=V (an empty V removes a parameter)", kv)
		}
		// "resource" alone is the request parameter; "resource.id" the config key.
		if section, _, dotted := strings.Cut(k, "."); dotted && (section == "idp" || section == "resource_as" || section == "resource") {
			err = cfg.Set(k, v)
		} else {
			err = overrides.Add(k, v)
		}
		if err != nil {
			return nil, 0, "", err
		}
	}
	from := flow.StepDiscovery
	if f.from != "" {
		if from, err = flow.ParseStepID(f.from); err != nil {
			return nil, 0, "", fmt.Errorf("--from: %w", err)
		}
	}
	unused := []string{}
	if from > flow.StepLogin { // no login: no callback to listen for
		unused = append(unused, "idp.redirect_uri")
	}
	if err := cfg.ValidateWithout(unused...); err != nil {
		return nil, 0, "", err
	}
	for _, w := range cfg.Warnings() {
		fmt.Fprintf(io.err, "xaa: warning: %s\n", w)
	}
	token, err := readValue(f.token, io)
	if err != nil {
		return nil, 0, "", fmt.Errorf("--token: %w", err)
	}
	token = strings.TrimSpace(token)
	if f.args != "" {
		var obj map[string]any
		if err := json.Unmarshal([]byte(f.args), &obj); err != nil {
			return nil, 0, "", fmt.Errorf("--args must be a JSON object ({\"id\": 1}): %v", err)
		}
		if f.tool == "" {
			return nil, 0, "", errors.New("--args needs --tool NAME")
		}
	}
	runner := &flow.Runner{
		Config:    cfg,
		NoBrowser: f.noBrowser,
		Tool:      f.tool,
		ToolArgs:  json.RawMessage(f.args),
		Overrides: overrides,
		Env: flow.Env{
			Now:         io.now,
			OpenBrowser: opener,
			Progress:    progressPrinter(io),
		},
	}
	if f.playground {
		runner.Env.Browser = "the playground's scripted browser, as " + f.user + ","
	} else { // the playground's refresh tokens die with it
		if b := io.getenv("BROWSER"); b != "" {
			// github.com/cli/browser runs $BROWSER rather than the desktop's.
			runner.Env.Browser = "$BROWSER (" + b + ")"
		}
		runner.Kept = tokenstore.New(io.getenv)
	}
	return runner, from, token, nil
}

// loadRunConfig finds, reads and parses the config, with secrets from the
// environment and private keys from their files. It does not validate:
// --set may still change it.
func loadRunConfig(flagPath string, io stdio) (*config.Config, error) {
	cfg, err := config.Find(flagPath, io.getenv)
	var nf *config.NotFoundError
	if errors.As(err, &nf) {
		return nil, fmt.Errorf("%w: pass --config FILE, run against the built-in playground with `xaa run --playground`, or write its config with `xaa playground --write-config xaa.yaml`", err)
	}
	return cfg, err
}

// browserOpener opens the authorization URL: with $BROWSER when set (a
// command; the URL is its last argument), else with the system's browser.
// A $BROWSER that fails fails the login, with the end of what it wrote to
// stderr; a system browser that cannot be opened leaves the user the
// printed URL.
func browserOpener(io stdio) func(string) error {
	return func(u string) error {
		if b := strings.Fields(io.getenv("BROWSER")); len(b) > 0 {
			var stderr tailBuffer
			cmd := exec.Command(b[0], append(b[1:], u)...)
			cmd.Stderr = &stderr
			if err := cmd.Run(); err != nil {
				if tail := strings.TrimSpace(stderr.String()); tail != "" {
					return fmt.Errorf("$BROWSER (%s): %w: %s", b[0], err, tail)
				}
				return fmt.Errorf("$BROWSER (%s): %w", b[0], err)
			}
			return nil
		}
		browser.Stdout, browser.Stderr = io.err, io.err
		if err := browser.OpenURL(u); err != nil {
			fmt.Fprintf(io.err, "xaa: no browser could be opened (%v); open the URL above yourself\n", err)
		}
		return nil
	}
}

// tailBuffer keeps the last 2 KiB written to it.
type tailBuffer struct{ b []byte }

// Write keeps the tail of p.
func (t *tailBuffer) Write(p []byte) (int, error) {
	t.b = append(t.b, p...)
	if over := len(t.b) - 2048; over > 0 {
		t.b = t.b[over:]
	}
	return len(p), nil
}

// String returns what is kept.
func (t *tailBuffer) String() string { return string(t.b) }

// progressPrinter writes progress to stderr: the URL to open, and each
// step's outcome.
func progressPrinter(io stdio) func(flow.Progress) {
	return func(p flow.Progress) {
		switch {
		case p.URL != "":
			fmt.Fprintf(io.err, "xaa: %s:\n\n  %s\n\n", p.Message, p.URL)
		case p.Done:
			fmt.Fprintf(io.err, "xaa: %s %s\n", report.GlyphOf(p.Status), p.Message)
		}
	}
}

// writeRunOutputs prints the report or the JSON and writes the exports.
func writeRunOutputs(run *flow.Run, f runFlags, io stdio) int {
	if !printResult(io, f.json, func() any { return export.JSON(run, f.reveal) }, func() string {
		return report.Run(newReportStyles(io.out, colourEnabled(io), io.getenv), run, report.RunOptions{Reveal: f.reveal, Verbose: f.verbose})
	}) {
		return exitFailed
	}
	if f.report != "" {
		if err := config.WritePrivateFile(f.report, report.Markdown(run, f.reveal)); err != nil {
			fmt.Fprintln(io.err, "xaa: --report:", err)
			return exitUsage
		}
		fmt.Fprintf(io.err, "xaa: wrote the Markdown report to %s\n", f.report)
	}
	if f.har != "" {
		har, err := export.HAR(run, f.reveal)
		if err == nil {
			err = config.WritePrivateFile(f.har, har)
		}
		if err != nil {
			fmt.Fprintln(io.err, "xaa: --har:", err)
			return exitUsage
		}
		fmt.Fprintf(io.err, "xaa: wrote the HAR file to %s\n", f.har)
	}
	if f.evidence != "" {
		if err := writeEvidence(f.evidence, report.EvidenceRun, report.RunEvidence(run, flow.Version(), io.now()), io); err != nil {
			fmt.Fprintln(io.err, "xaa:", err)
			return exitUsage
		}
	}
	return exitOK
}
