package doctor_test

import (
	"context"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/xaatools/xaa/flow"
	"github.com/xaatools/xaa/flow/config"
	"github.com/xaatools/xaa/flow/doctor"
	"github.com/xaatools/xaa/flow/flowtest"
	"github.com/xaatools/xaa/flow/playground"
	"github.com/xaatools/xaa/inspect"
)

// The Okta for AI Agents reads (AI agents, MCP servers) are not in the
// Management API spec: the playground's answers follow the examples of
// Okta's API reference, https://developer.okta.com/docs/api/secures-ai/ai-agents
// and https://developer.okta.com/docs/api/secures-ai/mcp-servers.

func check(t *testing.T, d *doctor.Diagnosis, id string) doctor.Check {
	t.Helper()
	c, ok := d.Find(id)
	if !ok {
		t.Fatalf("no check %s:%s", id, describeDiagnosis(d))
	}
	return c
}

// TestOrgAPIAgentKey: with private_key_jwt, an ACTIVE key of the AI agent
// has the config key's kid; another kid fails, naming the kids read; a key
// without a kid is unknown.
func TestOrgAPIAgentKey(t *testing.T) {
	e := flowtest.Start(t, playground.Options{Profile: playground.ProfileOkta}, "alice")
	pk := flowtest.LoadConfig(t, playground.ConfigFilesFor(e.ConfigPath).PrivateKeyJWTConfig)
	cfg := *e.Config
	cfg.IdP = pk.IdP
	d := doctor.Run(context.Background(), doctor.Options{Config: &cfg})
	if c := check(t, d, "requesting_app.org.ai_agent_key"); c.Status != inspect.StatusUnknown || !strings.Contains(c.Hint, "set idp.key_id") {
		t.Errorf("a key without a kid: %s %q", c.Status, c.Hint)
	}
	cfg.IdP.KeyID = "not-the-kid"
	d = doctor.Run(context.Background(), doctor.Options{Config: &cfg})
	c := check(t, d, "requesting_app.org.ai_agent_key")
	if c.Status != inspect.StatusFail || !strings.Contains(c.Hint, "not-the-kid") || !strings.HasPrefix(c.Actual, "ACTIVE kids: es256-") {
		t.Fatalf("another kid: %s %q %q", c.Status, c.Actual, c.Hint)
	}
	cfg.IdP.KeyID = strings.TrimPrefix(c.Actual, "ACTIVE kids: ")
	d = doctor.Run(context.Background(), doctor.Options{Config: &cfg})
	if c := check(t, d, "requesting_app.org.ai_agent_key"); c.Status != inspect.StatusPass || !strings.Contains(c.Evidence[0].Request.URL, "/ai-agents/wlptodosagent0000x1/credentials/jwks") {
		t.Errorf("the demo key's kid %s: %s %q %q", cfg.IdP.KeyID, c.Status, c.Actual, c.Hint)
	}
}

// TestOrgAPIAgentConnectionIndicator: a resource indicator no connection
// of the agent has fails the connection check, naming it.
func TestOrgAPIAgentConnectionIndicator(t *testing.T) {
	e := flowtest.Start(t, playground.Options{Profile: playground.ProfileOkta}, "alice")
	cfg := *e.Config
	cfg.Resource.ID = "https://todos.example/"
	d := doctor.Run(context.Background(), doctor.Options{Config: &cfg})
	c := check(t, d, "requesting_app.org.ai_agent_connection")
	if c.Status != inspect.StatusFail || !strings.Contains(c.Hint, "no connection has the resource indicator https://todos.example/") ||
		!strings.Contains(c.Actual, "IDENTITY_ASSERTION_MCP_SERVER") || c.Console == "" {
		t.Errorf("%s %q %q", c.Status, c.Actual, c.Hint)
	}
	cfg = *e.Config
	cfg.ResourceAS.Issuer += "/other"
	d = doctor.Run(context.Background(), doctor.Options{Config: &cfg})
	if c := check(t, d, "requesting_app.org.ai_agent_connection"); c.Status != inspect.StatusFail || !strings.Contains(c.Hint, "is to the authorization server "+e.Config.ResourceAS.Issuer) {
		t.Errorf("another issuer: %s %q %q", c.Status, c.Actual, c.Hint)
	}
}

// noAIAgents answers 404 for the Okta for AI Agents APIs, as an org
// without Okta for AI Agents does.
type noAIAgents struct{ next http.RoundTripper }

func (n noAIAgents) RoundTrip(req *http.Request) (*http.Response, error) {
	if strings.HasPrefix(req.URL.Path, "/workload-principals/") || strings.HasPrefix(req.URL.Path, "/resource-servers/") {
		body := `{"errorCode":"E0000007","errorSummary":"Not found: Resource not found","errorLink":"E0000007","errorId":"x","errorCauses":[]}`
		return &http.Response{StatusCode: 404, Header: http.Header{"Content-Type": {"application/json"}}, Body: io.NopCloser(strings.NewReader(body)), Request: req}, nil
	}
	return n.next.RoundTrip(req)
}

// TestOrgAPIWithoutAIAgents: an org without the Okta for AI Agents APIs
// (404) makes the agent and MCP server checks unknown, saying so — never
// a failure.
func TestOrgAPIWithoutAIAgents(t *testing.T) {
	e := flowtest.Start(t, playground.Options{Profile: playground.ProfileOkta}, "alice")
	env := flow.Env{HTTPClient: &http.Client{Transport: noAIAgents{next: http.DefaultTransport}}}
	d := doctor.Run(context.Background(), doctor.Options{Config: e.Config, Env: env})
	for _, id := range []string{"requesting_app.org.ai_agent", "resource.org.mcp_server", "resource.org.mcp_authorization_servers"} {
		if c := check(t, d, id); c.Status != inspect.StatusUnknown || !strings.Contains(c.Hint, "404 E0000007") {
			t.Errorf("%s: %s %q", id, c.Status, c.Hint)
		}
	}
	if got := orgChecks(d, inspect.StatusFail); len(got) != 0 {
		t.Errorf("failed org checks %v", got)
	}
	if c := check(t, d, "requesting_app.org.connection"); c.Status != inspect.StatusPass {
		t.Errorf("the other reads did not go on: %s", c.Status)
	}
}

// TestOrgAPIAgentNotFound: a requesting client that is no AI agent of the
// org makes the agent check unknown, naming okta.ai_agent_id; a wrong
// okta.ai_agent_id too.
func TestOrgAPIAgentNotFound(t *testing.T) {
	e := flowtest.Start(t, playground.Options{Profile: playground.ProfileOkta}, "alice")
	cfg := *e.Config
	cfg.Okta.AIAgentID = "wlpnosuchagent"
	d := doctor.Run(context.Background(), doctor.Options{Config: &cfg})
	if c := check(t, d, "requesting_app.org.ai_agent"); c.Status != inspect.StatusUnknown || !strings.Contains(c.Hint, "okta.ai_agent_id is no AI agent") {
		t.Errorf("wrong okta.ai_agent_id: %s %q", c.Status, c.Hint)
	}
	if _, ok := d.Find("requesting_app.org.ai_agent_connection"); ok {
		t.Error("the connection of no agent was judged")
	}
	cfg.Okta.AIAgentID = "wlptodosagent0000x1"
	d = doctor.Run(context.Background(), doctor.Options{Config: &cfg})
	if c := check(t, d, "requesting_app.org.ai_agent"); c.Status != inspect.StatusPass {
		t.Errorf("okta.ai_agent_id of the agent: %s %q", c.Status, c.Hint)
	}
}

// TestOrgAPIJoinsOutsideAndInside: on okta-no-connection, with a signed-in
// user, the refused token exchange and the org read make one line; without
// the admin API the outside check says nothing of the org.
func TestOrgAPIJoinsOutsideAndInside(t *testing.T) {
	e := flowtest.Start(t, playground.Options{Profile: playground.ProfileOkta, Faults: []string{playground.FaultOktaNoConnection}}, "alice")
	token := doctorSignIn(t, e)
	d := doctor.Run(context.Background(), doctor.Options{Config: e.Config, IDToken: token})
	c := check(t, d, "requesting_app.connection")
	want := "the token exchange was refused with invalid_target; the org has no Cross App Access connection from xaa agent (playground) to the resource app of " + e.Config.ResourceAS.Issuer
	if c.Status != inspect.StatusFail || !strings.Contains(c.Hint, want) {
		t.Fatalf("%s %q, want the hint to say %q", c.Status, c.Hint, want)
	}
	if !strings.Contains(c.Evidence[len(c.Evidence)-1].Request.URL, "/cwo/connections") {
		t.Error("the org read is not in the evidence")
	}
	cfg := *e.Config
	cfg.Okta = config.OktaConfig{}
	d = doctor.Run(context.Background(), doctor.Options{Config: &cfg, IDToken: token})
	if c := check(t, d, "requesting_app.connection"); c.Status != inspect.StatusFail || strings.Contains(c.Hint, "the org has no") {
		t.Errorf("without the admin API: %s %q", c.Status, c.Hint)
	}
}

// hostileAgents answers the Okta for AI Agents reads with what a hostile
// org could: terminal escapes and bidi controls in names and statuses, an
// MCP server whose resource URL differs by a trailing slash.
type hostileAgents struct {
	next     http.RoundTripper
	resource string
}

func (h hostileAgents) RoundTrip(req *http.Request) (*http.Response, error) {
	var body string
	switch {
	case strings.HasSuffix(req.URL.Path, "/ai-agents"):
		body = `[{"id":"wlp1","status":"STAGED\u001b[2J","profile":{"name":"evil\u001b]0;owned\u0007\u202eagent"},"signOnProvider":{"appInstanceId":"` + playground.IdPClientID + `"}}]`
	case strings.HasSuffix(req.URL.Path, "/connections") && strings.Contains(req.URL.Path, "/ai-agents/"):
		body = `[{"id":"mcn1","connectionType":"IDENTITY_ASSERTION_CUSTOM_AS\u001b[31m","status":"ACTIVE","resourceIndicator":"x"}]`
	case strings.HasSuffix(req.URL.Path, "/mcp-servers"):
		body = `{"data":[{"id":"ems1","status":"ACTIVE","resourceUrl":"` + h.resource + `/","metadata":{"displayName":"m\u001b[0m"}}]}`
	default:
		return h.next.RoundTrip(req)
	}
	return &http.Response{StatusCode: 200, Header: http.Header{"Content-Type": {"application/json"}}, Body: io.NopCloser(strings.NewReader(body)), Request: req}, nil
}

// TestOrgAPIHostileAgents: what the org answers is shown sanitized, and a
// resource URL one slash off fails naming the near miss.
func TestOrgAPIHostileAgents(t *testing.T) {
	e := flowtest.Start(t, playground.Options{Profile: playground.ProfileOkta}, "alice")
	env := flow.Env{HTTPClient: &http.Client{Transport: hostileAgents{next: http.DefaultTransport, resource: e.Config.Resource.MCPURL}}}
	d := doctor.Run(context.Background(), doctor.Options{Config: e.Config, Env: env})
	for _, id := range []string{"requesting_app.org.ai_agent", "requesting_app.org.ai_agent_connection", "resource.org.mcp_server"} {
		c := check(t, d, id)
		if c.Status != inspect.StatusFail {
			t.Errorf("%s: %s %q %q", id, c.Status, c.Actual, c.Hint)
		}
		if s := c.Actual + c.Hint + c.Expected; strings.ContainsAny(s, "\u001b\u0007\u202e") {
			t.Errorf("%s: control characters shown: %q", id, s)
		}
	}
	if c := check(t, d, "resource.org.mcp_server"); !strings.Contains(c.Hint, "trailing slash") {
		t.Errorf("no near miss: %q", c.Hint)
	}
}

// TestMCPSettingsChecklist: the MCP server's subject format and tenant ID
// have no API field, so they are a checklist item — never ✓ — and with a
// signed-in user it quotes the sub Okta wrote into the MCP server's ID-JAG.
func TestMCPSettingsChecklist(t *testing.T) {
	e := flowtest.Start(t, playground.Options{Profile: playground.ProfileOkta}, "alice")
	for _, token := range []string{"", doctorSignIn(t, e)} {
		d := doctor.Run(context.Background(), doctor.Options{Config: e.Config, IDToken: token})
		c, ok := d.Find("resource.org.mcp_xaa_settings")
		if !ok || c.Status != inspect.StatusUnknown || !c.Checklist || !strings.Contains(c.Console, "Cross App Access › Configure") {
			t.Fatalf("signed in %v: resource.org.mcp_xaa_settings = %+v; want an unknown checklist item on the server's Cross App Access screen", token != "", c)
		}
		if carried := strings.Contains(c.Actual, "ID-JAG for the MCP server carried sub "); carried != (token != "") {
			t.Errorf("signed in %v: actual %q; the sub the org wrote is quoted exactly when a user signed in", token != "", c.Actual)
		}
	}
}
