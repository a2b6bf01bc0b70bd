package doctor_test

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/xaatools/xaa/flow/doctor"
	"github.com/xaatools/xaa/inspect"

	"github.com/xaatools/xaa/flow/flowtest"

	"github.com/xaatools/xaa/flow/config"

	"github.com/google/go-cmp/cmp"

	"github.com/xaatools/xaa/flow"
	"github.com/xaatools/xaa/flow/playground"
)

// signIn logs the playground's demo user in through the flow's own login
// step (the scripted browser) and returns the ID token.
func doctorSignIn(t *testing.T, e *flowtest.Env) string {
	t.Helper()
	ctx := context.Background()
	d := e.Runner.RunStep(ctx, flow.StepDiscovery, flow.State{}, nil)
	l := e.Runner.RunStep(ctx, flow.StepLogin, d.Out, nil)
	if l.Out.IDToken == "" {
		t.Fatalf("login failed: %v", l.Err)
	}
	return l.Out.IDToken
}

// diagnose runs the doctor from outside only: the checks read from the org
// with the admin API have their own tests (orgapi_test.go).
func diagnose(e *flowtest.Env, idToken string) *doctor.Diagnosis {
	cfg := *e.Config
	cfg.Okta = config.OktaConfig{}
	return doctor.Run(context.Background(), doctor.Options{Config: &cfg, IDToken: idToken})
}

// userCheckIDs are the checks that need a signed-in user.
var userCheckIDs = []string{
	"org.issues_id_jag", "requesting_app.id_token", "requesting_app.user_assigned", "requesting_app.connection",
	"requesting_app.scopes", "resource_app.resource_indicator", "resource_app.user_assigned", "resource_app.audience",
	"resource_app.client_id", "resource_as.accepts_id_jag",
}

// withStatus lists the IDs of the checks with one of the statuses.
func doctorChecksWith(d *doctor.Diagnosis, st ...inspect.Status) []string {
	var out []string
	for _, c := range d.Checks {
		if slices.Contains(st, c.Status) {
			out = append(out, c.ID)
		}
	}
	return out
}

// describe renders the checks that did not pass, for failure messages.
func describeDiagnosis(d *doctor.Diagnosis) string {
	var b strings.Builder
	for _, c := range d.Checks {
		if c.Status != inspect.StatusPass {
			fmt.Fprintf(&b, "\n  %s %s: expected %q, actual %q, hint %q", c.Status, c.ID, c.Expected, c.Actual, c.Hint)
		}
	}
	return b.String()
}

// TestDoctorHealthy: a healthy Okta-profile playground passes every check
// with a signed-in user, and without one leaves exactly the user checks
// unknown.
func TestDoctorHealthy(t *testing.T) {
	t.Parallel()
	e := flowtest.Start(t, playground.Options{Profile: playground.ProfileOkta}, "alice")
	t.Run("signed in", func(t *testing.T) {
		d := diagnose(e, doctorSignIn(t, e))
		if got := doctorChecksWith(d, inspect.StatusFail, inspect.StatusWarn, inspect.StatusUnknown); len(got) > 0 {
			t.Errorf("checks that did not pass: %v, want none:%s", got, describeDiagnosis(d))
		}
		if !d.OK() || !d.SignedIn || !d.Okta {
			t.Errorf("OK %v, SignedIn %v, Okta %v; want all true", d.OK(), d.SignedIn, d.Okta)
		}
		for _, p := range doctor.Parties() {
			if len(d.ByParty(p)) == 0 {
				t.Errorf("party %s has no checks", p)
			}
		}
	})
	t.Run("not signed in", func(t *testing.T) {
		d := diagnose(e, "")
		if got := doctorChecksWith(d, inspect.StatusFail, inspect.StatusWarn); len(got) > 0 {
			t.Errorf("failed or warned: %v, want none:%s", got, describeDiagnosis(d))
		}
		got := doctorChecksWith(d, inspect.StatusUnknown)
		if diff := cmp.Diff(sortedIDs(userCheckIDs), sortedIDs(got)); diff != "" {
			t.Errorf("unknown checks (-want +got):\n%s", diff)
		}
		c, _ := d.Find("requesting_app.connection")
		if !strings.Contains(c.Hint, "--token") {
			t.Errorf("an unknown user check says %q, want how to sign in (--token)", c.Hint)
		}
		// On an Okta org each is a checklist item: the screen, and what to
		// look for there in this config's terms.
		for id, want := range map[string]string{
			"requesting_app.connection":       e.Config.ResourceAS.Issuer,
			"requesting_app.scopes":           e.Config.ResourceAS.Scopes.String(),
			"resource_app.audience":           "delete the connection, correct the Issuer URL",
			"resource_app.client_id":          e.Config.ResourceAS.ClientID,
			"resource_app.resource_indicator": e.Config.Resource.MCPURL,
		} {
			c, _ := d.Find(id)
			if !c.Checklist || c.Console == "" || !strings.Contains(c.Expected, want) {
				t.Errorf("%s: checklist %v, console %q, look for %q; want a checklist item naming %q on its console screen", id, c.Checklist, c.Console, c.Expected, want)
			}
		}
		if c, _ := d.Find("requesting_app.id_token"); c.Checklist {
			t.Error("requesting_app.id_token is a checklist item: no console screen shows an ID token")
		}
	})
}

func sortedIDs(s []string) []string { s = slices.Clone(s); slices.Sort(s); return s }

// doctorFaultCase is what one Okta misconfiguration must do to the doctor:
// exactly one check fails, with its fix and console screen.
type doctorFaultCase struct {
	// signedIn runs the doctor with an ID token (the fault must let the
	// login work).
	signedIn bool
	check    string
	// hint and console are substrings of the failed check's fix and
	// Admin Console path.
	hint, console string
}

var doctorFaultCases = map[string]doctorFaultCase{
	playground.FaultOktaXAADisabled:               {true, "org.xaa_enabled", "Cross App Access enabled", "Okta Support"},
	playground.FaultOktaGrantNotEnabled:           {true, "requesting_app.token_exchange_grant", "Enable the Token Exchange grant", "General Settings › Grant type"},
	playground.FaultOktaUserNotAssignedRequesting: {true, "requesting_app.user_assigned", "assign the user", "(requesting app) › Assignments"},
	playground.FaultOktaUserNotAssignedResource:   {true, "resource_app.user_assigned", "assign the user to the resource app", "(resource app) › Assignments"},
	playground.FaultOktaNoConnection:              {true, "requesting_app.connection", "Manage Connections", "Manage Connections"},
	playground.FaultOktaTodo0Audience:             {true, "resource_app.audience", "Okta's XAA team", "Resource Server › Cross App Access (XAA) › Issuer URL"},
	playground.FaultOktaRedirectNotRegistered:     {false, "requesting_app.redirect_uri", "register idp.redirect_uri exactly", "Sign-in redirect URIs"},
	playground.FaultOktaWrongSecret:               {false, "requesting_app.credentials", "XAA_IDP_CLIENT_SECRET", "Client Credentials"},
	playground.FaultOktaConnectionScope:           {true, "requesting_app.scopes", "or add them to the connection", "Manage Connections) › Scopes"},
	playground.FaultOktaRefreshNotEnabled:         {false, "requesting_app.refresh_token_grant", "Enable the Refresh Token grant", "General Settings › Grant type"},
}

// refreshPathFaults show only when the config takes the refresh-token path
// (idp.subject refresh_token): their tests set it.
var refreshPathFaults = map[string]bool{playground.FaultOktaRefreshNotEnabled: true}

// TestDoctorOktaFaults switches each Okta misconfiguration of the
// playground on alone: exactly the expected check fails, with the expected
// fix and console path, and nothing else fails.
func TestDoctorOktaFaults(t *testing.T) {
	for _, f := range playground.Faults() {
		if _, ok := doctorFaultCases[f.Name]; f.Profile == playground.ProfileOkta && !ok && !orgAPIOnlyFaults[f.Name] {
			t.Errorf("Okta fault %s (%s) has no case in doctorFaultCases", f.Name, f.Description)
		}
	}
	for name, c := range doctorFaultCases {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			e := flowtest.Start(t, playground.Options{Profile: playground.ProfileOkta, Faults: []string{name}}, "alice")
			if refreshPathFaults[name] {
				e.Config.IdP.Subject = config.SubjectRefreshToken
			}
			token := ""
			if c.signedIn {
				token = doctorSignIn(t, e)
			}
			d := diagnose(e, token)
			if got := doctorChecksWith(d, inspect.StatusFail); !slices.Equal(got, []string{c.check}) {
				t.Fatalf("failed checks %v, want exactly [%s]:%s", got, c.check, describeDiagnosis(d))
			}
			got, _ := d.Find(c.check)
			if !strings.Contains(got.Hint, c.hint) {
				t.Errorf("%s hint = %q, want it to contain %q", c.check, got.Hint, c.hint)
			}
			if !strings.Contains(got.Console, c.console) {
				t.Errorf("%s console = %q, want it to contain %q", c.check, got.Console, c.console)
			}
			if len(got.Evidence) == 0 {
				t.Errorf("%s has no evidence", c.check)
			}
			if d.OK() {
				t.Error("OK() = true with a failed check")
			}
		})
	}
}

// TestDoctorTodo0Email: the Todo0 placeholder audience comes with the
// email to Okta's XAA team, naming the org URL, the audience and the
// client id, and the placeholder client_id is a warning, not a second fail.
func TestDoctorTodo0Email(t *testing.T) {
	t.Parallel()
	e := flowtest.Start(t, playground.Options{Profile: playground.ProfileOkta, Faults: []string{playground.FaultOktaTodo0Audience}}, "alice")
	d := diagnose(e, doctorSignIn(t, e))
	aud, _ := d.Find("resource_app.audience")
	if aud.Email == nil {
		t.Fatalf("resource_app.audience has no email:%s", describeDiagnosis(d))
	}
	if aud.Email.To != "xaa@okta.com" {
		t.Errorf("email to %q, want xaa@okta.com", aud.Email.To)
	}
	for _, want := range []string{e.Config.IdP.Issuer, e.Config.ResourceAS.Issuer, e.Config.ResourceAS.ClientID, "http://localhost:5001"} {
		if !strings.Contains(aud.Email.Body, want) {
			t.Errorf("email body lacks %q:\n%s", want, aud.Email.Body)
		}
	}
	for _, secret := range e.Config.Secrets() {
		if strings.Contains(aud.Email.Body, secret) {
			t.Error("the email holds a client secret")
		}
	}
	if c, _ := d.Find("resource_app.client_id"); c.Status != inspect.StatusWarn || !strings.Contains(c.Actual, "wiki0-at-todo0") {
		t.Errorf("resource_app.client_id = %s %q, want warn naming wiki0-at-todo0", c.Status, c.Actual)
	}
	if c, _ := d.Find("resource_as.accepts_id_jag"); c.Status != inspect.StatusUnknown {
		t.Errorf("resource_as.accepts_id_jag = %s, want unknown (not tried with a placeholder ID-JAG)", c.Status)
	}
}

// TestDoctorConfigMistakes: mistakes in the config rather than the org,
// each failing its own check.
func TestDoctorConfigMistakes(t *testing.T) {
	cases := []struct {
		name     string
		faults   []string
		profile  string
		signedIn bool
		change   func(c *config.Config)
		fails    []string
		hint     string
	}{
		{name: "scope not allowed by the connection", profile: playground.ProfileOkta, signedIn: true,
			change: func(c *config.Config) { c.ResourceAS.Scopes = append(c.ResourceAS.Scopes, "todos.admin") },
			fails:  []string{"requesting_app.scopes"}, hint: "add them to the connection"},
		{name: "wrong secret at the resource AS", profile: playground.ProfileOkta, signedIn: true,
			change: func(c *config.Config) { c.ResourceAS.ClientSecret = "not-the-secret" },
			fails:  []string{"resource_as.credentials"}, hint: config.EnvASClientSecret},
		{name: "ID-JAG client_id not the client at the AS", faults: []string{playground.FaultIDJAGWrongClientID}, signedIn: true,
			fails: []string{"resource_app.client_id"}, hint: "client ID registered in the resource app"},
		{name: "the IdP fails to create the ID-JAG", faults: []string{playground.FaultIdP500}, signedIn: true,
			fails: []string{"org.issues_id_jag"}, hint: "Retry"},
		{name: "ID-JAG aud with a trailing slash", faults: []string{playground.FaultIDJAGWrongAud}, signedIn: true,
			fails: []string{"resource_app.audience"}, hint: "trailing slash"},
		{name: "ID-JAG typed JWT", faults: []string{playground.FaultIDJAGWrongTyp}, signedIn: true,
			fails: []string{"resource_as.accepts_id_jag"}, hint: "oauth-id-jag+jwt"},
		{name: "audience with a trailing slash", profile: playground.ProfileOkta, signedIn: true,
			change: func(c *config.Config) { c.ResourceAS.Issuer += "/" },
			fails:  []string{"resource_as.issuer", "resource.api.authorization_servers", "resource.mcp.authorization_servers", "requesting_app.connection"},
			hint:   "trailing slash"},
		{name: "custom authorization server as the org URL", profile: playground.ProfileOkta,
			change: func(c *config.Config) { c.IdP.Issuer += "/oauth2/default" },
			fails:  []string{"org.url.authorization_server"}, hint: "cannot issue ID-JAGs"},
		{name: "resource indicator not in the connection", profile: playground.ProfileOkta, signedIn: true,
			change: func(c *config.Config) { c.Resource.ID = "https://api.other.example" },
			fails:  []string{"resource_app.resource_indicator", "resource.api.resource", "resource.mcp.resource"}, hint: "byte for byte"},
		// One identifier for two servers: the MCP server takes only its own.
		{name: "resource.id is the API's", signedIn: true,
			change: func(c *config.Config) { c.Resource.ID = strings.TrimSuffix(c.Resource.APIURL, "/todos") },
			fails:  []string{"resource.mcp.resource"}, hint: "leave resource.id unset"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			e := flowtest.Start(t, playground.Options{Profile: c.profile, Faults: c.faults}, "alice")
			token := ""
			if c.signedIn {
				token = doctorSignIn(t, e)
			}
			if c.change != nil {
				c.change(e.Config)
			}
			d := diagnose(e, token)
			if diff := cmp.Diff(sortedIDs(c.fails), sortedIDs(doctorChecksWith(d, inspect.StatusFail))); diff != "" {
				t.Fatalf("failed checks (-want +got):\n%s%s", diff, describeDiagnosis(d))
			}
			first, _ := d.Find(c.fails[0])
			if !strings.Contains(first.Hint, c.hint) {
				t.Errorf("%s hint = %q, want it to contain %q", first.ID, first.Hint, c.hint)
			}
		})
	}
}

// TestDoctorForeignIDToken: an ID token from another org fails the ID
// token check locally, and nothing is exchanged.
func TestDoctorForeignIDToken(t *testing.T) {
	t.Parallel()
	other := flowtest.Start(t, playground.Options{Profile: playground.ProfileOkta}, "alice")
	e := flowtest.Start(t, playground.Options{Profile: playground.ProfileOkta}, "alice")
	for name, token := range map[string]string{"another org's ID token": doctorSignIn(t, other), "not a token": "hello"} {
		t.Run(name, func(t *testing.T) {
			d := diagnose(e, token)
			if got := doctorChecksWith(d, inspect.StatusFail); !slices.Equal(got, []string{"requesting_app.id_token"}) {
				t.Fatalf("failed checks %v, want [requesting_app.id_token]:%s", got, describeDiagnosis(d))
			}
			if c, _ := d.Find("requesting_app.connection"); c.Status != inspect.StatusUnknown {
				t.Errorf("requesting_app.connection = %s, want unknown after a refused ID token", c.Status)
			}
		})
	}
}

// TestDoctorUsesConfiguredEndpoints: the resource AS's metadata cannot be
// found, but resource_as.token_endpoint names its token endpoint, so the
// probes of the resource AS still decide (checks never gate).
func TestDoctorUsesConfiguredEndpoints(t *testing.T) {
	e := flowtest.Start(t, playground.Options{}, "alice")
	e.Config.ResourceAS.TokenEndpoint = e.Playground.ASURL() + "/token"
	e.Config.ResourceAS.Issuer = e.Playground.ASURL() + "/nowhere"
	d := diagnose(e, "")
	if c, _ := d.Find("resource_as.metadata"); c.Status != inspect.StatusFail {
		t.Errorf("resource_as.metadata = %s, want fail (nothing is published there)", c.Status)
	}
	for _, id := range []string{"resource_as.credentials", "resource_as.jwt_bearer_grant", "resource_as.rejects_invalid_id_jag"} {
		if c, _ := d.Find(id); c.Status == inspect.StatusUnknown {
			t.Errorf("%s is unknown (%s); want it decided with the configured token endpoint", id, c.Hint)
		}
	}
}

// TestDoctorOnAnIdPThatIsNotOkta: Okta's own rules are not compared for
// another IdP, and the party is called the IdP.
func TestDoctorOnAnIdPThatIsNotOkta(t *testing.T) {
	e := flowtest.Start(t, playground.Options{}, "alice")
	d := diagnose(e, "")
	if d.Okta {
		t.Fatal("the plain playground was taken for an Okta org")
	}
	for _, id := range []string{"org.url.admin", "org.url.authorization_server"} {
		if c, ok := d.Find(id); !ok || c.Status != inspect.StatusSkip || !strings.Contains(c.Hint, "not an Okta org") {
			t.Errorf("%s = %+v, want not compared: Okta's rule", id, c)
		}
	}
	if got := d.PartyTitle(doctor.Org); got != "IdP" {
		t.Errorf("the org party is titled %q, want IdP", got)
	}
	okta := diagnose(flowtest.Start(t, playground.Options{Profile: playground.ProfileOkta}, "alice"), "")
	if c, _ := okta.Find("org.url.admin"); !okta.Okta || c.Status != inspect.StatusPass || okta.PartyTitle(doctor.Org) != "Okta org" {
		t.Errorf("with the Okta profile: okta %t, org.url.admin %s, title %q", okta.Okta, c.Status, okta.PartyTitle(doctor.Org))
	}
}

// TestDoctorRefreshGrant: with idp.subject refresh_token the doctor probes
// the Refresh Token grant and, on a healthy org, passes it; with the ID
// token as the subject it does not ask.
func TestDoctorRefreshGrant(t *testing.T) {
	t.Parallel()
	for _, profile := range []string{"", playground.ProfileOkta} {
		e := flowtest.Start(t, playground.Options{Profile: profile}, "alice")
		if c, ok := diagnose(e, "").Find("requesting_app.refresh_token_grant"); ok {
			t.Errorf("%s: idp.subject id_token, yet the refresh grant was judged: %s %q", orPlain(profile), c.Status, c.Actual)
		}
		e.Config.IdP.Subject = config.SubjectRefreshToken
		d := diagnose(e, "")
		c, _ := d.Find("requesting_app.refresh_token_grant")
		if c.Status != inspect.StatusPass || len(c.Evidence) != 1 {
			t.Errorf("%s: requesting_app.refresh_token_grant = %s %q with %d exchanges; want pass with the probe as evidence:%s",
				orPlain(profile), c.Status, c.Actual, len(c.Evidence), describeDiagnosis(d))
		}
	}
}

func orPlain(profile string) string {
	if profile == "" {
		return "plain"
	}
	return profile
}

// TestDoctorOnOIDCProvider: the IdP is oidc-provider (as
// flowtest.OIDCProviderIdP answers for it), which has no token exchange.
// The refusal fails org.xaa_enabled in the IdP's terms, with no Okta
// screen on any of the IdP's checks; its error page for a redirect URI it
// does not know fails requesting_app.redirect_uri, and its login page
// passes it.
func TestDoctorOnOIDCProvider(t *testing.T) {
	for _, registered := range []bool{true, false} {
		e := flowtest.Start(t, playground.Options{}, "alice")
		other := "http://127.0.0.1:1/registered-instead"
		if registered {
			other = e.Config.IdP.RedirectURI
		}
		e.Config.IdP.Issuer = flowtest.OIDCProviderIdP(t, other)
		d := diagnose(e, "")
		if d.Okta {
			t.Fatal("oidc-provider was taken for an Okta org")
		}
		xaa, _ := d.Find("org.xaa_enabled")
		if xaa.Status != inspect.StatusFail || !strings.Contains(xaa.Actual, "unsupported_grant_type") || strings.Contains(xaa.Hint, "Okta") {
			t.Errorf("org.xaa_enabled = %s %q, hint %q; want failed on unsupported_grant_type, with no Okta fix", xaa.Status, xaa.Actual, xaa.Hint)
		}
		for _, c := range d.Checks {
			if c.Party != doctor.ResourceAS && c.Party != doctor.Resource && c.Console != "" {
				t.Errorf("%s (%s) sends the admin of an IdP that is not Okta to %q", c.ID, c.Status, c.Console)
			}
		}
		want := inspect.StatusPass
		if !registered {
			want = inspect.StatusFail
		}
		if c, _ := d.Find("requesting_app.redirect_uri"); c.Status != want {
			t.Errorf("redirect URI registered %t: requesting_app.redirect_uri = %s (%s, %s), want %s", registered, c.Status, c.Actual, c.Hint, want)
		}
	}
}
