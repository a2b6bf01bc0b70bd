package report

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"strings"
	"time"

	"github.com/xaatools/xaa/flow"
	"github.com/xaatools/xaa/flow/config"
	"github.com/xaatools/xaa/flow/conform"
	"github.com/xaatools/xaa/flow/wire"
	"github.com/xaatools/xaa/inspect"
)

// An evidence document is what a resource-app vendor hands a reviewer
// (Okta asks for test evidence before it lists an app with Cross App
// Access): the parties, each step's exchanges and checks, the conformance
// scorecard, the xaa version and the time. It is one Markdown file made of
// sections, each rewritten by the command that makes it (`xaa run
// --evidence F`, `xaa conform --evidence F`), so both land in one document.
// Tokens are always shortened and secrets were redacted when recorded.

// The evidence sections.
const (
	EvidenceRun     = "run"
	EvidenceConform = "conform"
	// EvidenceConformIdP is the IdP scorecard's (xaa conform --idp): a
	// section of its own, so that both scorecards land in one document.
	EvidenceConformIdP = "conform-idp"
)

// evidenceOrder is the order sections appear in, whichever was written
// first.
var evidenceOrder = []string{EvidenceRun, EvidenceConform, EvidenceConformIdP}

const (
	evidenceMark     = "<!-- xaa evidence -->"
	sectionStart     = "<!-- xaa evidence section: %s -->"
	sectionEnd       = "<!-- xaa evidence section end: %s -->"
	evidenceTitleTpl = "# Cross App Access test evidence\n\n" + evidenceMark + "\n\nMade with xaa %s. Secrets are redacted and tokens shortened throughout; each section says when it was made.\n"
)

// ErrNotEvidence is the refusal to write a section into a file that xaa
// did not make as an evidence document.
var ErrNotEvidence = errors.New("is not an xaa evidence document; choose a new file (xaa never overwrites other files with evidence)")

// Evidence puts a section (RunEvidence, ConformEvidence) into an evidence
// document: a new one when existing is empty, else existing with the
// section replaced or added and the other sections kept as written.
func Evidence(existing []byte, name, section, version string) ([]byte, error) {
	sections := map[string]string{}
	if len(bytes.TrimSpace(existing)) > 0 {
		if !bytes.Contains(existing, []byte(evidenceMark)) {
			return nil, ErrNotEvidence
		}
		for _, n := range evidenceOrder {
			start, end := fmt.Sprintf(sectionStart, n), fmt.Sprintf(sectionEnd, n)
			if _, rest, ok := strings.Cut(string(existing), start); ok {
				if body, _, ok := strings.Cut(rest, end); ok {
					sections[n] = strings.Trim(body, "\n")
				}
			}
		}
	}
	sections[name] = strings.Trim(section, "\n")
	var b strings.Builder
	fmt.Fprintf(&b, evidenceTitleTpl, version)
	for _, n := range evidenceOrder {
		if body, ok := sections[n]; ok {
			fmt.Fprintf(&b, "\n"+sectionStart+"\n\n%s\n\n"+sectionEnd+"\n", n, body, n)
		}
	}
	return []byte(SafeBlock(b.String())), nil
}

// evidenceLimit bounds an existing evidence document read back.
const evidenceLimit = 16 << 20

// UpdateEvidenceFile puts a section into the evidence document at path
// (Evidence): created 0600, or updated keeping its other sections.
func UpdateEvidenceFile(path, name, section string) error {
	existing, err := config.ReadFile(path, evidenceLimit)
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	doc, err := Evidence(existing, name, section, flow.Version())
	if err != nil {
		return fmt.Errorf("%s %w", path, err)
	}
	return config.WritePrivateFile(path, doc)
}

// RunEvidence is a run as an evidence section: the parties, the metadata
// documents read, and every step with its exchanges and checks.
func RunEvidence(r *flow.Run, version string, now time.Time) string {
	var b strings.Builder
	_, verdict := r.Verdict()
	fmt.Fprintf(&b, "# The flow, step by step — %s\n\n", verdict)
	fmt.Fprintf(&b, "Run with xaa %s at %s, in %s.\n\n", version, inspect.FormatTime(now), millis(wire.DurationMS(r.Duration)))
	p := r.Parties
	b.WriteString("| party | identifier | client | authentication | scopes |\n|---|---|---|---|---|\n")
	fmt.Fprintf(&b, "| IdP | %s | %s | %s | %s at login; the exchange sends the %s |\n", mdCell(p.IdPIssuer), mdCell(p.IdPClientID), p.IdPAuthMethod, mdCell(p.LoginScopes), mdCell(p.Subject))
	fmt.Fprintf(&b, "| resource AS | %s | %s | %s | %s |\n", mdCell(p.ASIssuer), mdCell(p.ASClientID), p.ASAuthMethod, mdCell(p.Scopes))
	for _, res := range []struct{ name, v string }{{"resource indicator", p.ResourceID}, {"REST API", p.APIURL}, {"MCP server", p.MCPURL}} {
		if res.v != "" {
			fmt.Fprintf(&b, "| %s | %s | | | |\n", res.name, mdCell(res.v))
		}
	}
	if d := r.Step(flow.StepDiscovery); d != nil && len(d.Exchanges) > 0 {
		b.WriteString("\nMetadata and keys read:\n\n")
		for _, x := range d.Exchanges {
			status := "no answer"
			if x.Response != nil {
				status = fmt.Sprint(x.Response.Status)
			}
			fmt.Fprintf(&b, "- %s: %s → %s\n", mdInline(x.Label), mdInline(x.Request.URL), status)
		}
	}
	b.WriteString("\n| step | status |\n|---|---|\n")
	for _, s := range r.Steps {
		fmt.Fprintf(&b, "| %s | %s %s |\n", s.Title(), GlyphOf(s.Status), s.Status)
	}
	for _, s := range r.Steps {
		markdownStep(&b, s, false)
	}
	return b.String()
}

// ConformEvidence is a conformance scorecard as an evidence section: the
// AS tested, the verdict, and each case with what it sent and the answer.
func ConformEvidence(sc *conform.Scorecard, version string, now time.Time) string {
	if sc.Party == conform.PartyIdP {
		return conformIdPEvidence(sc, version, now)
	}
	var b strings.Builder
	score := sc.Score()
	fmt.Fprintf(&b, "# Resource authorization server conformance — %s\n\n", score.Verdict)
	fmt.Fprintf(&b, "Run with xaa %s at %s, in %s: %d cases; %d of %d strict cases handled as required, %d vulnerable, %d inconclusive, %d skipped; %d of %d policy probes accepted; %d of %d strictness cases lenient (the RFCs' exact rules that common implementations relax, apart from the security score).\n\n",
		version, inspect.FormatTime(now), millis(wire.DurationMS(sc.Duration)), len(sc.Results), score.Passed, score.Strict, score.Vulnerable, score.Inconclusive, score.Skipped, score.PolicyAccepted, score.Policy, score.Lenient, score.Strictness)
	t := sc.Target
	b.WriteString("| | |\n|---|---|\n")
	fmt.Fprintf(&b, "| resource AS | %s |\n| token endpoint | %s |\n| client | %s (%s) |\n| trusted IdP (xaa's) | %s |\n| untrusted IdP (xaa's) | %s |\n\n",
		mdCell(t.Issuer), mdCell(t.TokenEndpoint), mdCell(t.ClientID), t.AuthMethod, mdCell(sc.Setup.Issuer), mdCell(sc.Setup.UntrustedIssuer))
	b.WriteString("| case | kind | what the ID-JAG gets wrong | rule | verdict | answer |\n|---|---|---|---|---|---|\n")
	for _, r := range sc.Results {
		rule := r.Case.Rule
		if r.Case.Spec != "" {
			rule = strings.TrimSpace(rule + " (" + r.Case.Spec + ")")
		}
		fmt.Fprintf(&b, "| `%s` | %s | %s | %s | %s | %s |\n", r.Case.ID, r.Case.Kind, mdCell(r.Case.Title), mdCell(rule), r.Verdict, mdCell(r.Summary))
	}
	return b.String()
}

// conformIdPEvidence is the IdP scorecard as an evidence section: the IdP
// and client tested, how the run logged in, the verdict, and each case.
func conformIdPEvidence(sc *conform.Scorecard, version string, now time.Time) string {
	var b strings.Builder
	score := sc.Score()
	fmt.Fprintf(&b, "# Identity provider conformance (ID-JAG issuance) — %s\n\n", score.Verdict)
	fmt.Fprintf(&b, "Run with xaa %s at %s, in %s: %d cases; %d of %d bad token exchanges refused as required, %d vulnerable (accepted), %d of %d checks of the good answer wrong, %d inconclusive, %d skipped.\n\n",
		version, inspect.FormatTime(now), millis(wire.DurationMS(sc.Duration)), len(sc.Results), score.Passed, score.Strict, score.Vulnerable, score.Wrong, score.Answers, score.Inconclusive, score.Skipped)
	t := sc.Target
	b.WriteString("| | |\n|---|---|\n")
	fmt.Fprintf(&b, "| IdP | %s |\n| token endpoint | %s |\n| client | %s (%s) |\n", mdCell(t.Issuer), mdCell(t.TokenEndpoint), mdCell(t.ClientID), t.AuthMethod)
	for _, n := range t.Notes {
		fmt.Fprintf(&b, "| note | %s |\n", mdCell(n))
	}
	b.WriteString("\n| case | kind | what the token exchange or answer tests | rule | verdict | answer |\n|---|---|---|---|---|---|\n")
	for _, r := range sc.Results {
		rule := r.Case.Rule
		if r.Case.Spec != "" {
			rule = strings.TrimSpace(rule + " (" + r.Case.Spec + ")")
		}
		fmt.Fprintf(&b, "| `%s` | %s | %s | %s | %s | %s |\n", r.Case.ID, r.Case.Kind, mdCell(r.Case.Title), mdCell(rule), r.Verdict, mdCell(r.Summary))
	}
	return b.String()
}
