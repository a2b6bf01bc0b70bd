package doctor_test

import (
	"context"
	"encoding/json"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/xaatools/xaa/flow/config"
	"github.com/xaatools/xaa/flow/doctor"
	"github.com/xaatools/xaa/flow/flowtest"
	"github.com/xaatools/xaa/flow/playground"
	"github.com/xaatools/xaa/inspect"
)

// orgAPIOnlyFaults show only in what the admin API reads of the org.
var orgAPIOnlyFaults = map[string]bool{playground.FaultOktaPolicyNoJWTBearer: true, playground.FaultOktaAgentStaged: true, playground.FaultOktaMCPInvalid: true,
	playground.FaultOktaIdPInactive: true}

// orgAPIFaultCases: the check read from the org that each Okta fault
// fails, and the words of its fix.
var orgAPIFaultCases = map[string]struct{ check, hint string }{
	playground.FaultOktaGrantNotEnabled:       {"requesting_app.org.grant_types", "enable urn:ietf:params:oauth:grant-type:token-exchange"},
	playground.FaultOktaRedirectNotRegistered: {"requesting_app.org.redirect_uri", "Sign-in redirect URIs"},
	playground.FaultOktaNoConnection:          {"requesting_app.org.connection", "invalid_target"},
	playground.FaultOktaPolicyNoJWTBearer:     {"resource_as.org.jwt_bearer_policy", "JWT Bearer"},
	playground.FaultOktaAgentStaged:           {"requesting_app.org.ai_agent", "add its owners and credentials"},
	playground.FaultOktaMCPInvalid:            {"resource.org.mcp_server", "validation of the server failed"},
	playground.FaultOktaRefreshNotEnabled:     {"requesting_app.org.grant_types", "refresh_token"},
	playground.FaultOktaConnectionScope:       {"requesting_app.org.ai_agent_connection_scopes", "does not allow todos.write"},
}

func orgChecks(d *doctor.Diagnosis, st inspect.Status) []string {
	var out []string
	for _, c := range d.Checks {
		if c.Status == st && slices.Contains(doctor.OrgAPIChecks(), c.ID) {
			out = append(out, c.ID)
		}
	}
	return out
}

// TestOrgAPIChecksOnPlayground: on the clean Okta playground every check
// read from the org passes but the kid check (client_secret_basic has no
// key), and each with its evidence — the admin API exchange, whose URL
// names the path read and whose record holds no token.
func TestOrgAPIChecksOnPlayground(t *testing.T) {
	e := flowtest.Start(t, playground.Options{Profile: playground.ProfileOkta}, "alice")
	if e.Config.Okta.Token == "" || e.Config.Okta.OrgURL == "" {
		t.Fatal("the playground's written config has no okta.org_url and okta.token")
	}
	d := doctor.Run(context.Background(), doctor.Options{Config: e.Config})
	want := slices.DeleteFunc(doctor.OrgAPIChecks(), func(id string) bool {
		return id == "requesting_app.org.key_id" || id == "requesting_app.org.ai_agent_key" || id == "resource_as.org.trusted_idp" // the IdP is this org
	})
	if got := orgChecks(d, inspect.StatusPass); !slices.Equal(got, want) {
		t.Fatalf("passing org checks %v, want %v:%s", got, want, describeDiagnosis(d))
	}
	token := e.Config.Okta.Token.Reveal()
	for _, c := range d.Checks {
		if c.FromOrg != slices.Contains(doctor.OrgAPIChecks(), c.ID) {
			t.Errorf("%s: FromOrg %v; want it exactly on the checks read from the org", c.ID, c.FromOrg)
		}
	}
	for _, id := range want {
		c, _ := d.Find(id)
		if len(c.Evidence) == 0 || !strings.Contains(c.Evidence[0].Request.URL, "/api/v1/") {
			t.Errorf("%s: no admin API exchange as evidence", id)
		}
		for _, x := range c.Evidence {
			if strings.Contains(x.Request.Header.Get("Authorization"), token) || strings.Contains(x.Request.URL, token) {
				t.Errorf("%s: the API token is in the evidence", id)
			}
		}
	}
	j, _ := json.Marshal(d.JSON(true))
	if strings.Contains(string(j), token) {
		t.Error("the API token is in the doctor's JSON")
	}
}

// TestOrgAPIFaults: each Okta fault fails exactly its check read from the
// org, and nothing else read from the org fails.
func TestOrgAPIFaults(t *testing.T) {
	for name, c := range orgAPIFaultCases {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			e := flowtest.Start(t, playground.Options{Profile: playground.ProfileOkta, Faults: []string{name}}, "alice")
			if refreshPathFaults[name] {
				e.Config.IdP.Subject = config.SubjectRefreshToken
			}
			d := doctor.Run(context.Background(), doctor.Options{Config: e.Config})
			if got := orgChecks(d, inspect.StatusFail); !slices.Equal(got, []string{c.check}) {
				t.Fatalf("failed org checks %v, want exactly [%s]:%s", got, c.check, describeDiagnosis(d))
			}
			got, _ := d.Find(c.check)
			if !strings.Contains(got.Hint, c.hint) || got.Console == "" || len(got.Evidence) == 0 {
				t.Errorf("%s: hint %q (want %q), console %q, %d exchanges", c.check, got.Hint, c.hint, got.Console, len(got.Evidence))
			}
		})
	}
}

// TestOrgAPIRefusedGoesOn: a token the org refuses makes every check read
// from the org unknown, naming what to do — and the doctor goes on with
// its outside probes, which still pass.
func TestOrgAPIRefusedGoesOn(t *testing.T) {
	e := flowtest.Start(t, playground.Options{Profile: playground.ProfileOkta}, "alice")
	cfg := *e.Config
	cfg.Okta.Token = config.Secret("00not-the-playground-token")
	d := doctor.Run(context.Background(), doctor.Options{Config: &cfg})
	if got := orgChecks(d, inspect.StatusUnknown); len(got) < 5 {
		t.Errorf("unknown org checks %v, want every one read", got)
	}
	access, _ := d.Find("org.admin_api")
	if access.Status != inspect.StatusUnknown || !strings.Contains(access.Hint, "E0000011") || !strings.Contains(access.Hint, "API token") {
		t.Errorf("org.admin_api = %s %q", access.Status, access.Hint)
	}
	if c, ok := d.Find("org.metadata"); !ok || c.Status != inspect.StatusPass {
		t.Errorf("the outside probes did not go on: org.metadata %v", c.Status)
	}
	if len(orgChecks(d, inspect.StatusFail)) != 0 {
		t.Errorf("a refused read failed a check: %v", orgChecks(d, inspect.StatusFail))
	}
}

// TestOrgAPIPrivateKeyMode: the admin API read the way an API Services app
// reads it — a client-credentials access token for okta.*.read scopes,
// signed for with private_key_jwt at the org's token endpoint — gives the
// same verdicts as the API token, and neither the key nor the access token
// reaches the report.
func TestOrgAPIPrivateKeyMode(t *testing.T) {
	e := flowtest.Start(t, playground.Options{Profile: playground.ProfileOkta}, "alice")
	pem, err := os.ReadFile(playground.ConfigFilesFor(e.ConfigPath).ClientKey)
	if err != nil {
		t.Fatal(err)
	}
	key, err := config.ParsePrivateKey(pem, "")
	if err != nil {
		t.Fatal(err)
	}
	cfg := *e.Config
	cfg.Okta = config.OktaConfig{OrgURL: e.Config.Okta.OrgURL, ClientID: playground.OktaServiceClientID,
		PrivateKey: config.Secret(pem), Key: key}
	d := doctor.Run(context.Background(), doctor.Options{Config: &cfg})
	want := slices.DeleteFunc(doctor.OrgAPIChecks(), func(id string) bool {
		return id == "requesting_app.org.key_id" || id == "requesting_app.org.ai_agent_key" || id == "resource_as.org.trusted_idp" // the IdP is this org
	})
	if got := orgChecks(d, inspect.StatusPass); !slices.Equal(got, want) {
		t.Fatalf("passing org checks %v, want %v:%s", got, want, describeDiagnosis(d))
	}
	c, _ := d.Find("org.admin_api")
	if len(c.Evidence) < 2 || !strings.HasSuffix(c.Evidence[0].Request.URL, "/oauth2/v1/token") {
		t.Errorf("org.admin_api evidence %d exchanges, want the client-credentials token request first", len(c.Evidence))
	}
	j, _ := json.Marshal(d.JSON(true))
	for _, secret := range []string{string(pem[40:80]), "oktaat_"} {
		if strings.Contains(string(j), secret) {
			t.Errorf("the report holds %q (the key or an admin access token)", secret)
		}
	}

	// Another client may not use the grant: every org check is unknown, none fails.
	cfg.Okta.ClientID = playground.IdPClientID
	d = doctor.Run(context.Background(), doctor.Options{Config: &cfg})
	if bad := orgChecks(d, inspect.StatusFail); len(bad) != 0 {
		t.Errorf("a client without the grant: org checks %v fail, want unknown", bad)
	}
	if c, _ := d.Find("org.admin_api"); c.Status != inspect.StatusUnknown {
		t.Errorf("org.admin_api = %s, want unknown", c.Status)
	}
}
