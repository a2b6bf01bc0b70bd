package report_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/xaatools/xaa/flow/conform"

	"github.com/xaatools/xaa/flow/config"

	"github.com/charmbracelet/lipgloss"

	"github.com/xaatools/xaa/flow/playground"
	"github.com/xaatools/xaa/tui/report"
)

// conformance runs the scorecard against the playground's own resource AS
// with the given faults, and returns it with the config's client secret.
func conformance(t *testing.T, faults ...string) (*conform.Scorecard, string) {
	t.Helper()
	idps, err := conform.StartIdPs(context.Background(), playground.Options{Listen: "127.0.0.1:0", Faults: faults})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { idps.Close() })
	path := filepath.Join(t.TempDir(), "xaa.yaml")
	if err := idps.Trusted.WriteConfig(path); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	cfg, err := config.Parse(data, path)
	if err != nil {
		t.Fatal(err)
	}
	conf, err := (&conform.Runner{Config: cfg, IdPs: idps}).Run(context.Background(), nil)
	if err != nil {
		t.Fatal(err)
	}
	return conf, cfg.ResourceAS.ClientSecret.Reveal()
}

// TestConformanceReport: a vulnerable AS's scorecard names the verdict,
// lists every case, and details the vulnerable ones with the rule, the
// risk, the failing check of the token sent and the token that came back;
// no token in full, no secret, no escape codes in plain text.
func TestConformanceReport(t *testing.T) {
	conf, secret := conformance(t, playground.FaultASSkipAlg, playground.FaultASSkipSub)
	plain := report.Conformance(styles(false), conf, report.ConformOptions{})
	for _, want := range []string{
		"✗ vulnerable: 2 broken ID-JAGs accepted",
		"Strict rules  23 of 25 handled · 2 vulnerable",
		"✓ alg_none ", "rejected as it should: invalid_grant (HTTP 400)",
		"✗ alg_not_allowed", "accepted: vulnerable",
		"Policy probes", "✓ unknown_user", "accepted: the AS admits a user it has not provisioned",
		"Needs attention",
		"rule     id_jag.alg  RFC 8725 §3.1",
		"risk     the token's header, not an allow-list, picks the verification algorithm",
		"✗ id_jag.alg: alg is an allowed asymmetric algorithm — expected one of RS256, ES256, got PS256",
		"header  alg \"PS256\"",
		"got      an access token",
		"✗ missing_sub — no sub",
	} {
		if !strings.Contains(plain, want) {
			t.Errorf("report lacks %q:\n%s", want, plain)
		}
	}
	if strings.Contains(plain, "\x1b[") {
		t.Error("plain report has escape codes")
	}
	if strings.Contains(plain, secret) {
		t.Error("the report shows the client secret")
	}
	if strings.Contains(plain, "✓ alg_none — ") {
		t.Error("a case handled right is detailed without -v")
	}
	for _, r := range conf.Results {
		if strings.Contains(plain, r.Sent.Token.Raw) {
			t.Errorf("%s: the report shows the token sent in full", r.Case.ID)
		}
	}
	revealed := report.Conformance(styles(false), conf, report.ConformOptions{Reveal: true})
	if !strings.Contains(revealed, conf.Result("alg_not_allowed").Sent.Token.Raw) {
		t.Error("Reveal does not show the token sent")
	}
	verbose := report.Conformance(styles(false), conf, report.ConformOptions{Verbose: true})
	for _, want := range []string{"Every case", "✓ alg_none — alg none (unsigned)", "Claims", "curl "} {
		if !strings.Contains(verbose, want) {
			t.Errorf("verbose report lacks %q", want)
		}
	}
	if !strings.Contains(report.Conformance(styles(true), conf, report.ConformOptions{}), "\x1b[") {
		t.Error("the colour report has no colour")
	}
}

// TestConformanceReportNoCaseList: for the TUI, which lists the cases
// beside it, the scorecard keeps the verdict, the counts and the details.
func TestConformanceReportNoCaseList(t *testing.T) {
	conf, _ := conformance(t, playground.FaultASSkipSub)
	out := report.Conformance(styles(false), conf, report.ConformOptions{NoCaseList: true})
	for _, want := range []string{"✗ vulnerable: 1 broken ID-JAG accepted", "Strict rules  24 of 25 handled · 1 vulnerable", "Policy probes  1 of 2 accepted", "✗ missing_sub — no sub"} {
		if !strings.Contains(out, want) {
			t.Errorf("report lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "✓ alg_none ") {
		t.Errorf("the case list is there:\n%s", out)
	}
}

// TestConformanceReportPass: a strict AS gets the pass verdict and no
// details section.
func TestConformanceReportPass(t *testing.T) {
	conf, _ := conformance(t)
	plain := report.Conformance(styles(false), conf, report.ConformOptions{})
	if !strings.Contains(plain, "✓ every broken ID-JAG rejected (25 strict rules), the valid one accepted") || !strings.Contains(plain, "Strictness  0 of 1 lenient") || strings.Contains(plain, "lenient (strictness)") || strings.Contains(plain, "Needs attention") {
		t.Errorf("pass report:\n%s", plain)
	}
}

// TestConformanceReportStrictness: a trailing slash accepted in aud is a
// strictness finding — its own section and tally, a warning, not counted
// as vulnerable — with the case list and without it.
func TestConformanceReportStrictness(t *testing.T) {
	conf, _ := conformance(t, playground.FaultASSkipAud)
	plain := report.Conformance(styles(false), conf, report.ConformOptions{})
	for _, want := range []string{
		"✗ vulnerable: 3 broken ID-JAGs accepted",
		"Strict rules  22 of 25 handled · 3 vulnerable",
		"Strictness  1 of 1 lenient · the RFCs' exact rules that common implementations relax; not part of the security score",
		"! aud_trailing_slash", "aud differs by a trailing slash (strict, RFC 7523 §3) — accepted: lenient",
		"rule     id_jag.aud  RFC 7523 §3 item 3 (aud compared exactly)",
	} {
		if !strings.Contains(plain, want) {
			t.Errorf("report lacks %q:\n%s", want, plain)
		}
	}
	if strings.Contains(plain, "✓ aud_trailing_slash") || strings.Contains(plain, "✗ aud_trailing_slash") {
		t.Errorf("aud_trailing_slash is not shown as a warning:\n%s", plain)
	}
	short := report.Conformance(styles(false), conf, report.ConformOptions{NoCaseList: true})
	if !strings.Contains(short, "Strictness  1 of 1 lenient") {
		t.Errorf("the report without the case list lacks the strictness tally:\n%s", short)
	}
	score := conf.Score()
	score.Verdict, score.Vulnerable = "pass", 0
	if v := report.ConformVerdict(styles(false), score); !strings.Contains(v, "✓ every broken ID-JAG rejected") || !strings.Contains(v, "1 lenient (strictness)") {
		t.Errorf("pass verdict with a lenient case: %q", v)
	}
}

// TestConformanceReportWidth: with a width every line fits.
func TestConformanceReportWidth(t *testing.T) {
	conf, _ := conformance(t, playground.FaultASSkipSignature)
	for _, width := range []int{60, 100} {
		out := report.Conformance(styles(false), conf, report.ConformOptions{Width: width})
		out += report.ConformSetup(styles(false), conf, report.ConformOptions{Width: width, KeyDir: "/home/someone/.config/xaa/conform"})
		for _, l := range strings.Split(out, "\n") {
			if w := lipgloss.Width(l); w > width && !strings.Contains(l, "curl") {
				t.Errorf("width %d: line of %d cells: %q", width, w, l)
			}
		}
	}
}

// TestConformSetup: the setup names what to configure, and the AS found.
func TestConformSetup(t *testing.T) {
	conf, _ := conformance(t)
	out := report.ConformSetup(styles(false), conf, report.ConformOptions{KeyDir: "/keys"})
	for _, want := range []string{
		"issuer        " + conf.Setup.Issuer,
		"JWKS          " + conf.Setup.Issuer + "/jwks",
		"client_id     xaa-agent-at-todos",
		"sub usr_alice (email alice@example.com) — provision it; leave usr_dave unprovisioned",
		"never trust   " + conf.Setup.UntrustedIssuer,
		"keys kept in  /keys",
		"token endpoint  " + conf.Target.Issuer + "/token",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("setup lacks %q:\n%s", want, out)
		}
	}
}
