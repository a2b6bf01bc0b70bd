// Package doctor checks a Cross App Access setup — an Okta org, its requesting and
// resource apps, the resource authorization server and the resource — without
// changing anything: it reads metadata, probes the endpoints with requests
// that cannot succeed (an invalid subject token, an invalid assertion) to
// tell whose configuration is wrong, and, given a signed-in user's ID token,
// performs the real token exchange and jwt-bearer grant. Every finding says
// what is wrong in the vocabulary of the Okta Admin Console and how to fix
// it (protocol reference §7, §8).
//
// The probes are harmless: no admin API, no writes, at most one failed
// client authentication per check, no secret in any result. A check that
// cannot be decided is unknown, with the reason; no check stops the others.
package doctor

import (
	"context"
	"slices"
	"strings"
	"time"

	"github.com/xaatools/xaa/flow"
	"github.com/xaatools/xaa/flow/config"
	"github.com/xaatools/xaa/flow/wire"

	"github.com/xaatools/xaa/inspect"
)

// Party is whose configuration a doctor check is about.
type Party string

// The parties, in the order the doctor lists them.
const (
	// Org is the Okta org: its URL, metadata, keys, clock and features.
	Org Party = "org"
	// RequestingApp is the app (or AI agent) that logs the user in and
	// performs the token exchange: idp.client_id.
	RequestingApp Party = "requesting_app"
	// ResourceApp is the resource app in the org (Todo0, or an app
	// whose Resource Server tab enables XAA).
	ResourceApp Party = "resource_app"
	// ResourceAS is the resource's authorization server, which redeems
	// ID-JAGs: resource_as.
	ResourceAS Party = "resource_as"
	// Resource is the REST API or MCP server: resource.
	Resource Party = "resource"
)

// Parties returns the parties in listing order.
func Parties() []Party {
	return []Party{Org, RequestingApp, ResourceApp, ResourceAS, Resource}
}

// PartyTitle names a party for people; the org is "IdP" when it is not an
// Okta org.
func (d *Diagnosis) PartyTitle(p Party) string {
	if p == Org && !d.Okta {
		return "IdP"
	}
	return p.Title()
}

// Title names the party for people.
func (p Party) Title() string {
	switch p {
	case Org:
		return "Okta org"
	case RequestingApp:
		return "Requesting app"
	case ResourceApp:
		return "Resource app"
	case ResourceAS:
		return "Resource authorization server"
	case Resource:
		return "Resource (API / MCP server)"
	}
	return string(p)
}

// Check is one finding: what was checked, the values compared, and —
// when it did not pass — the fix and the Admin Console screen to make it
// on, with the HTTP exchanges the verdict rests on.
type Check struct {
	// ID is stable ("requesting_app.credentials"); it starts with the party.
	ID     string
	Party  Party
	Status inspect.Status
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
	Email *Email
	// Checklist marks an unknown check an admin makes by hand: Expected
	// is what to look for on the Console screen.
	Checklist bool
	// FromOrg marks a check read from the org's admin API, not probed
	// from outside.
	FromOrg bool
}

// Email is the text of an email the doctor prepared.
type Email struct {
	To      string `json:"to"`
	Subject string `json:"subject"`
	Body    string `json:"body"`
}

// Diagnosis is the doctor's result: every check, grouped by party.
type Diagnosis struct {
	Checks   []Check
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
func (d *Diagnosis) OK() bool { return d.Count(inspect.StatusFail) == 0 }

// Count returns how many checks have the given status.
func (d *Diagnosis) Count(s inspect.Status) int {
	n := 0
	for _, c := range d.Checks {
		if c.Status == s {
			n++
		}
	}
	return n
}

// Find returns the check with the given ID.
func (d *Diagnosis) Find(id string) (Check, bool) {
	for _, c := range d.Checks {
		if c.ID == id {
			return c, true
		}
	}
	return Check{}, false
}

// ByParty returns the checks of one party, in order.
func (d *Diagnosis) ByParty(p Party) []Check {
	var out []Check
	for _, c := range d.Checks {
		if c.Party == p {
			out = append(out, c)
		}
	}
	return out
}

// run is one run of the doctor: what it found so far, for the checks
// that build on it.
type run struct {
	cfg   *config.Config
	env   flow.Env
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
	// mcpSubject describes the sub of the ID-JAG the org minted for the MCP
	// server for the signed-in user, when it did.
	mcpSubject string
}

// Options say what the doctor checks, and with what.
type Options struct {
	Config *config.Config
	Env    flow.Env
	// IDToken is a signed-in user's ID token from the org (the TUI's login,
	// or --token). Without it the checks that need a user are unknown.
	IDToken string
}

// Run checks everything it can and returns the diagnosis. It never fails:
// what cannot be checked is an unknown check saying why.
func Run(ctx context.Context, o Options) *Diagnosis {
	r := &run{cfg: o.Config, env: o.Env, token: strings.TrimSpace(o.IDToken)}
	r.diag = &Diagnosis{Started: r.env.Time(), Parties: r.cfg.Parties(), SignedIn: r.token != ""}
	r.configChecks()
	r.orgURLChecks()
	r.orgDiscovery(ctx)
	r.resourceASDiscovery(ctx)
	// Endpoints the config names stand in for (or over) the metadata, as
	// in a run: a probe is unknown only when its endpoint is nowhere.
	r.idp = flow.ConfiguredEndpoints(r.idp, r.cfg.IdP.ClientConfig, r.cfg.IdP.AuthorizationEndpoint)
	r.as = flow.ConfiguredEndpoints(r.as, r.cfg.ResourceAS, "")
	r.resourceChecks(ctx)
	r.idpProbe(ctx)
	r.refreshProbe(ctx)
	r.redirectProbe(ctx)
	r.asProbe(ctx)
	r.userChecks(ctx)
	r.orgAPIChecks(ctx)
	r.joinConnection()
	r.diag.Okta = looksLikeOkta(r.cfg.IdP.Issuer, r.idp)
	if !r.diag.Okta {
		r.notOkta()
	}
	order := Parties()
	slices.SortStableFunc(r.diag.Checks, func(a, b Check) int {
		return slices.Index(order, a.Party) - slices.Index(order, b.Party)
	})
	r.diag.Duration = r.env.Time().Sub(r.diag.Started)
	return r.diag
}

// add records a check.
func (r *run) add(c Check) {
	c.FromOrg = slices.Contains(OrgAPIChecks(), c.ID)
	r.diag.Checks = append(r.diag.Checks, c)
}

// session records the exchanges of one probe, scrubbing the config's secrets.
func (r *run) session() *wire.Client { return r.env.Client(r.cfg.Secrets()) }
