package flow

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/xaatools/xaa/flow/config"
	"github.com/xaatools/xaa/flow/wire"

	"github.com/xaatools/xaa/inspect"
)

// Doctor checks a Cross App Access setup — an Okta org, its requesting and
// resource apps, the resource authorization server and the resource — without
// changing anything: it reads metadata, probes the endpoints with requests
// that cannot succeed (an invalid subject token, an invalid assertion) to
// tell whose configuration is wrong, and, given a signed-in user's ID token,
// performs the real token exchange and jwt-bearer grant. Every finding says
// what is wrong in the vocabulary of the Okta Admin Console and how to fix
// it (protocol reference §7, §8).
//
// The probes are harmless: no admin API, no writes, at most one failed
// client authentication per check, no secret in any result.
type Doctor struct {
	Config *config.Config
	Env    Env
	// IDToken is a signed-in user's ID token from the org (the TUI's login,
	// or --token). Without it the checks that need a user are unknown.
	IDToken string
}

// DoctorStatus is the outcome of one doctor check.
type DoctorStatus int

// Outcomes, from best to worst. Unknown means the check could not be
// decided: a server did not answer, answered garbage, or the check needs
// something an earlier check did not provide (a signed-in user, metadata).
const (
	DoctorPass DoctorStatus = iota
	DoctorUnknown
	DoctorWarn
	DoctorFail
)

// String returns the identifier used in JSON: pass, unknown, warn, fail.
func (s DoctorStatus) String() string {
	switch s {
	case DoctorPass:
		return "pass"
	case DoctorWarn:
		return "warn"
	case DoctorFail:
		return "fail"
	}
	return "unknown"
}

// Glyph returns ✓, ?, ! or ✗ so the status survives without colour.
func (s DoctorStatus) Glyph() string {
	switch s {
	case DoctorPass:
		return "✓"
	case DoctorWarn:
		return "!"
	case DoctorFail:
		return "✗"
	}
	return "?"
}

// CheckStatus returns the check status of the same colour; unknown is
// shown like a skipped check.
func (s DoctorStatus) CheckStatus() inspect.Status {
	switch s {
	case DoctorPass:
		return inspect.StatusPass
	case DoctorWarn:
		return inspect.StatusWarn
	case DoctorFail:
		return inspect.StatusFail
	}
	return inspect.StatusSkip
}

// MarshalText encodes the status as its identifier.
func (s DoctorStatus) MarshalText() ([]byte, error) { return []byte(s.String()), nil }

// UnmarshalText decodes an identifier written by MarshalText.
func (s *DoctorStatus) UnmarshalText(b []byte) error {
	for _, v := range []DoctorStatus{DoctorPass, DoctorUnknown, DoctorWarn, DoctorFail} {
		if v.String() == string(b) {
			*s = v
			return nil
		}
	}
	return fmt.Errorf("unknown doctor status %q", b)
}

// DoctorParty is whose configuration a doctor check is about.
type DoctorParty string

// The parties, in the order the doctor lists them.
const (
	// DoctorOrg is the Okta org: its URL, metadata, keys, clock and features.
	DoctorOrg DoctorParty = "org"
	// DoctorRequestingApp is the app (or AI agent) that logs the user in and
	// performs the token exchange: idp.client_id.
	DoctorRequestingApp DoctorParty = "requesting_app"
	// DoctorResourceApp is the resource app in the org (Todo0, or an app
	// whose Resource Server tab enables XAA).
	DoctorResourceApp DoctorParty = "resource_app"
	// DoctorResourceAS is the resource's authorization server, which redeems
	// ID-JAGs: resource_as.
	DoctorResourceAS DoctorParty = "resource_as"
	// DoctorResource is the REST API or MCP server: resource.
	DoctorResource DoctorParty = "resource"
)

// DoctorParties returns the parties in listing order.
func DoctorParties() []DoctorParty {
	return []DoctorParty{DoctorOrg, DoctorRequestingApp, DoctorResourceApp, DoctorResourceAS, DoctorResource}
}

// Title names the party for people.
func (p DoctorParty) Title() string {
	switch p {
	case DoctorOrg:
		return "Okta org"
	case DoctorRequestingApp:
		return "Requesting app"
	case DoctorResourceApp:
		return "Resource app"
	case DoctorResourceAS:
		return "Resource authorization server"
	case DoctorResource:
		return "Resource (API / MCP server)"
	}
	return string(p)
}

// DoctorCheck is one finding: what was checked, the values compared, and —
// when it did not pass — the fix and the Admin Console screen to make it
// on, with the HTTP exchanges the verdict rests on.
type DoctorCheck struct {
	// ID is stable ("requesting_app.credentials"); it starts with the party.
	ID     string
	Party  DoctorParty
	Status DoctorStatus
	Title  string
	// Expected and Actual are the values compared, as shown to the user.
	Expected string
	Actual   string
	// Hint is the fix when the check did not pass, or why it is unknown.
	Hint string
	// Console is the Okta Admin Console screen where the fix is made.
	Console string
	// Spec cites the section that makes this a rule.
	Spec string
	// Evidence are the HTTP exchanges the verdict rests on, secrets redacted.
	Evidence []*wire.Exchange
	// Email is a message to send when the fix is someone else's (the Todo0
	// placeholder audience is changed by Okta's XAA team).
	Email *DoctorEmail
}

// DoctorEmail is the text of an email the doctor prepared.
type DoctorEmail struct {
	To      string `json:"to"`
	Subject string `json:"subject"`
	Body    string `json:"body"`
}

// Diagnosis is the doctor's result: every check, grouped by party.
type Diagnosis struct {
	Checks   []DoctorCheck
	Started  time.Time
	Duration time.Duration
	// Parties names the configured parties, without secrets.
	Parties config.Parties
	// Okta says the IdP looks like an Okta org (its host, or the org
	// authorization server's /oauth2/v1 endpoints).
	Okta bool
	// SignedIn says an ID token was given, so the user checks ran.
	SignedIn bool
}

// OK reports whether no check failed.
func (d *Diagnosis) OK() bool { return d.Count(DoctorFail) == 0 }

// Count returns how many checks have the given status.
func (d *Diagnosis) Count(s DoctorStatus) int {
	n := 0
	for _, c := range d.Checks {
		if c.Status == s {
			n++
		}
	}
	return n
}

// Find returns the check with the given ID.
func (d *Diagnosis) Find(id string) (DoctorCheck, bool) {
	for _, c := range d.Checks {
		if c.ID == id {
			return c, true
		}
	}
	return DoctorCheck{}, false
}

// ByParty returns the checks of one party, in order.
func (d *Diagnosis) ByParty(p DoctorParty) []DoctorCheck {
	var out []DoctorCheck
	for _, c := range d.Checks {
		if c.Party == p {
			out = append(out, c)
		}
	}
	return out
}

// doctorRun is one run of the doctor: what it found so far, for the checks
// that build on it.
type doctorRun struct {
	cfg   *config.Config
	env   Env
	token string
	diag  *Diagnosis

	// idp is the org's metadata (nil when it could not be fetched);
	// idpTrusted says its issuer is the configured one; idpKeys its keys.
	idp        *wire.Metadata
	idpTrusted bool
	idpKeys    *wire.JWKS
	// as is the resource AS's metadata; asTrusted as for idp.
	as        *wire.Metadata
	asTrusted bool
	// api and mcp are the resources' protected resource metadata.
	api, mcp *wire.ResourceMetadata
	// idpCredentials and asCredentials say the probes found the client
	// credentials accepted; exchangeReady says the token exchange can
	// work (credentials, grant, feature).
	idpCredentials, asCredentials, exchangeReady bool
}

// Run checks everything it can and returns the diagnosis. It never fails:
// what cannot be checked is an unknown check saying why.
func (d *Doctor) Run(ctx context.Context) *Diagnosis {
	r := &doctorRun{cfg: d.Config, env: d.Env, token: strings.TrimSpace(d.IDToken)}
	r.diag = &Diagnosis{Started: r.env.now(), Parties: r.cfg.Parties(), SignedIn: r.token != ""}
	r.configChecks()
	r.orgURLChecks()
	r.orgDiscovery(ctx)
	r.resourceASDiscovery(ctx)
	r.resourceChecks(ctx)
	r.idpProbe(ctx)
	r.redirectProbe(ctx)
	r.asProbe(ctx)
	r.userChecks(ctx)
	r.diag.Okta = looksLikeOkta(r.cfg.IdP.Issuer, r.idp)
	order := DoctorParties()
	slices.SortStableFunc(r.diag.Checks, func(a, b DoctorCheck) int {
		return slices.Index(order, a.Party) - slices.Index(order, b.Party)
	})
	r.diag.Duration = r.env.now().Sub(r.diag.Started)
	return r.diag
}

// add records a check.
func (r *doctorRun) add(c DoctorCheck) { r.diag.Checks = append(r.diag.Checks, c) }

// session records the exchanges of one probe, scrubbing the config's secrets.
func (r *doctorRun) session() *wire.Client { return r.env.Client(r.cfg.Secrets()) }
