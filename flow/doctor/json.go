package doctor

import (
	"time"

	"github.com/xaatools/xaa/flow/config"
	"github.com/xaatools/xaa/flow/wire"
	"github.com/xaatools/xaa/inspect"
)

// DiagnosisJSON is the stable JSON shape of `xaa doctor --json`: the
// checks in the shape of the other commands' checks (docs/formats.md), plus
// party, console path, email and the evidence behind each.
type DiagnosisJSON struct {
	OK         bool           `json:"ok"`
	Started    time.Time      `json:"started"`
	DurationMS float64        `json:"duration_ms"`
	Okta       bool           `json:"okta"`
	SignedIn   bool           `json:"signed_in"`
	Parties    config.Parties `json:"parties"`
	Summary    Summary        `json:"summary"`
	Checks     []CheckJSON    `json:"checks"`
}

// Summary counts the checks by status.
type Summary struct {
	Pass    int `json:"pass"`
	Warn    int `json:"warn"`
	Fail    int `json:"fail"`
	Unknown int `json:"unknown"`
}

// CheckJSON is one check in DiagnosisJSON.
type CheckJSON struct {
	ID       string         `json:"id"`
	Party    Party          `json:"party"`
	Status   inspect.Status `json:"status"`
	Title    string         `json:"title"`
	Expected string         `json:"expected,omitempty"`
	Actual   string         `json:"actual,omitempty"`
	Hint     string         `json:"hint,omitempty"`
	Spec     string         `json:"spec,omitempty"`
	Console  string         `json:"console,omitempty"`
	// Checklist: unknown, to check by hand on the console screen.
	Checklist bool `json:"checklist,omitempty"`
	// FromOrg: read from the org's admin API.
	FromOrg  bool                `json:"from_org,omitempty"`
	Email    *Email              `json:"email,omitempty"`
	Evidence []wire.ExchangeJSON `json:"evidence"`
}

// Summary counts the checks by status.
func (d *Diagnosis) Summary() Summary {
	return Summary{Pass: d.Count(inspect.StatusPass), Warn: d.Count(inspect.StatusWarn), Fail: d.Count(inspect.StatusFail), Unknown: d.Count(inspect.StatusUnknown)}
}

// JSON returns the diagnosis in the shape of DiagnosisJSON: secrets were
// redacted when recorded; tokens are shortened unless reveal is set.
func (d *Diagnosis) JSON(reveal bool) DiagnosisJSON {
	out := DiagnosisJSON{OK: d.OK(), Started: d.Started.UTC(), DurationMS: wire.DurationMS(d.Duration), Okta: d.Okta, SignedIn: d.SignedIn,
		Parties: d.Parties, Summary: d.Summary(), Checks: []CheckJSON{}}
	for _, c := range d.Checks {
		j := CheckJSON{ID: c.ID, Party: c.Party, Status: c.Status, Title: c.Title,
			Expected: wire.DisplayText(c.Expected, reveal), Actual: wire.DisplayText(c.Actual, reveal), Hint: wire.DisplayText(c.Hint, reveal),
			Spec: c.Spec, Console: c.Console, Checklist: c.Checklist, FromOrg: c.FromOrg, Email: c.Email, Evidence: []wire.ExchangeJSON{}}
		for _, x := range c.Evidence {
			j.Evidence = append(j.Evidence, x.JSON(reveal))
		}
		out.Checks = append(out.Checks, j)
	}
	return out
}
