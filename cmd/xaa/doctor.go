package main

import (
	"context"
	"fmt"
	"strings"

	"github.com/xaatools/xaa/flow"
	"github.com/xaatools/xaa/flow/doctor"
	"github.com/xaatools/xaa/tui/report"
)

const doctorUsage = `xaa doctor [--config FILE] [--token T] [--json] [flags]

Checks a Cross App Access setup — the Okta org, the requesting app, the
resource app, the resource authorization server and the resource — and
says what is wrong in the words of the Okta Admin Console, with the fix
and the screen to make it on. Every probe is read-only: metadata, a token
exchange with a deliberately invalid subject token, a jwt-bearer grant
with a deliberately invalid assertion, and a look at the login page. No
writes, no secret in the output.

With --token (a signed-in user's ID token from the org) the doctor also
performs the real token exchange and jwt-bearer grant, which shows the
user's assignments, the managed connection, the resource indicator, the
scopes, and the ID-JAG's audience and client_id (the Todo0 placeholder
comes with the email to send to Okta's XAA team).

With read access to the org's admin API (an okta section in the config,
Okta's OKTA_CLIENT_* variables, or --okta-token) the doctor also reads the
org's settings — grant types, the Cross App Access connection, the
resource's authorization server and its access policy — and names the one
that is wrong. It only ever sends GET; a refused read is unknown, never a
stop.

The config is --config, else $XAA_CONFIG, ./xaa.yaml, or
$XDG_CONFIG_HOME/xaa/config.yaml; secrets also come from
XAA_IDP_CLIENT_SECRET and XAA_AS_CLIENT_SECRET.

Exit status: 0 no check failed, 1 a check failed, 2 bad flags or config.

Examples:
  xaa doctor
  xaa doctor --token @id-token.txt
  xaa doctor --json > doctor.json`

// doctorFlags are the flags of xaa doctor.
type doctorFlags struct {
	config    string
	token     string
	oktaToken string
	json      bool
	reveal    bool
	verbose   bool
}

func runDoctor(ctx context.Context, args []string, io stdio) int {
	var f doctorFlags
	fs := newFlagSet("doctor", doctorUsage, io.err)
	fs.StringVar(&f.config, "config", "", "config file (default: $XAA_CONFIG, ./xaa.yaml, $XDG_CONFIG_HOME/xaa/config.yaml)")
	fs.StringVar(&f.token, "token", "", "a signed-in user's ID token from the org: the token itself, - for standard input, or @FILE")
	fs.StringVar(&f.oktaToken, "okta-token", "", "an Okta API token (SSWS) to read the org's settings with its admin API, read-only: the token itself, - for standard input, or @FILE (over OKTA_CLIENT_TOKEN and okta.token)")
	fs.BoolVar(&f.json, "json", false, "print the checks as JSON on stdout")
	fs.BoolVar(&f.reveal, "reveal", false, "show tokens in full (secrets are never shown)")
	fs.BoolVar(&f.verbose, "v", false, "verbose: the values and evidence of every check, not only of those that did not pass")
	positional, err := parseInterleaved(fs, args)
	if err != nil {
		return usageError(io.err, err)
	}
	if len(positional) > 0 {
		return usageError(io.err, fmt.Errorf("doctor takes no arguments, got %q (give a token with --token)", positional[0]))
	}
	cfg, err := loadRunConfig(f.config, io)
	if err != nil {
		fmt.Fprintln(io.err, "xaa:", err)
		return exitUsage
	}
	token := ""
	if f.token != "" {
		raw, err := decodeInput([]string{f.token}, io)
		if err != nil {
			return usageError(io.err, fmt.Errorf("--token: %w", err))
		}
		if token = strings.TrimSpace(raw); token == "" {
			return usageError(io.err, fmt.Errorf("--token %s is empty: give the ID token of a login at the org", f.token))
		}
	}
	if f.oktaToken != "" {
		raw, err := decodeInput([]string{f.oktaToken}, io)
		if err != nil {
			return usageError(io.err, fmt.Errorf("--okta-token: %w", err))
		}
		if strings.TrimSpace(raw) == "" {
			return usageError(io.err, fmt.Errorf("--okta-token %s is empty", f.oktaToken))
		}
		cfg.SetOktaToken(strings.TrimSpace(raw))
	}
	d := doctor.Run(ctx, doctor.Options{Config: cfg, IDToken: token, Env: flow.Env{Now: io.now}})
	if !printResult(io, f.json, func() any { return d.JSON(f.reveal) }, func() string {
		return report.Doctor(newReportStyles(io.out, colourEnabled(io), io.getenv), d, report.DoctorOptions{Reveal: f.reveal, Verbose: f.verbose})
	}) {
		return exitFailed
	}
	switch {
	case ctx.Err() != nil:
		return exitInterrupted
	case !d.OK():
		return exitFailed
	}
	return exitOK
}
