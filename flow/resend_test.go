package flow_test

import (
	"context"
	"errors"
	"net/url"
	"strings"
	"testing"

	"github.com/xaatools/xaa/flow/config"
	"github.com/xaatools/xaa/flow/flowtest"

	"github.com/xaatools/xaa/flow/wire"

	"github.com/xaatools/xaa/flow"
	"github.com/xaatools/xaa/flow/playground"
	"github.com/xaatools/xaa/inspect"
)

// TestRunFromStep starts from each later step with a token obtained from
// the playground.
func TestRunFromStep(t *testing.T) {
	e := flowtest.Start(t, playground.Options{}, "alice")
	full := e.Run(t)
	if !full.OK() {
		t.Fatalf("full run failed:%s", flowtest.Summary(full))
	}
	mint := func() string {
		tmpl, err := e.Playground.IDJAGTemplate("alice")
		if err != nil {
			t.Fatal(err)
		}
		jag, err := e.Playground.Mint(tmpl)
		if err != nil {
			t.Fatal(err)
		}
		return jag
	}
	// A given ID-JAG or access token is for one resource: those runs call
	// only the server it is for (the other would rightly refuse it).
	api, mcp := e.Config.Resource.APIURL, e.Config.Resource.MCPURL
	cases := []struct {
		from    flow.StepID
		token   string
		skipped []flow.StepID
		calls   string
	}{
		{flow.StepTokenExchange, full.Step(flow.StepLogin).Out.IDToken, []flow.StepID{flow.StepLogin}, "both"},
		{flow.StepTokenExchange, full.Step(flow.StepLogin).Out.RefreshToken, []flow.StepID{flow.StepLogin}, "both"},
		{flow.StepJWTBearer, mint(), []flow.StepID{flow.StepLogin, flow.StepTokenExchange}, "api"},
		{flow.StepResource, full.Step(flow.StepJWTBearer).Out.AccessToken, []flow.StepID{flow.StepLogin, flow.StepTokenExchange, flow.StepJWTBearer}, "api"},
		{flow.StepResource, full.Step(flow.StepJWTBearer).Out.MCPAccessToken, []flow.StepID{flow.StepLogin, flow.StepTokenExchange, flow.StepJWTBearer}, "mcp"},
	}
	for _, c := range cases {
		t.Run(c.from.String()+" "+c.calls+" "+inspect.ShortenToken(c.token), func(t *testing.T) {
			e.Config.Resource.APIURL, e.Config.Resource.MCPURL = api, mcp
			t.Cleanup(func() { e.Config.Resource.APIURL, e.Config.Resource.MCPURL = api, mcp })
			switch c.calls {
			case "api":
				e.Config.Resource.MCPURL = ""
			case "mcp":
				e.Config.Resource.APIURL = ""
			}
			run, err := e.Runner.Run(context.Background(), c.from, c.token)
			if err != nil {
				t.Fatal(err)
			}
			if !run.OK() {
				t.Fatalf("run from %s failed:%s", c.from, flowtest.Summary(run))
			}
			for _, s := range run.Steps {
				want := s.ID == flow.StepDiscovery || s.ID >= c.from
				if ran := s.Status != inspect.StatusSkip; ran != want {
					t.Errorf("%s ran = %t, want %t", s.ID, ran, want)
				}
			}
			if c.from == flow.StepJWTBearer {
				// A given ID-JAG is checked at the step that presents it.
				if _, ok := run.Step(flow.StepJWTBearer).Token(inspect.KindIDJAG); !ok {
					t.Errorf("jwt_bearer did not analyse the given ID-JAG")
				}
			}
		})
	}
}

// TestTokenForAnotherServer: a given token for the API alone calls the API
// and skips the MCP server, naming the token it lacks.
func TestTokenForAnotherServer(t *testing.T) {
	e := flowtest.Start(t, playground.Options{}, "alice")
	full := e.Run(t)
	run, err := e.Runner.Run(context.Background(), flow.StepResource, full.Step(flow.StepJWTBearer).Out.AccessToken)
	if err != nil {
		t.Fatal(err)
	}
	st := run.Step(flow.StepResource)
	for id, want := range map[string]inspect.Status{"resource.api_aud": inspect.StatusPass, "resource.mcp_aud": inspect.StatusSkip} {
		if c, ok := st.Checks.Find(id); !ok || c.Status != want {
			t.Errorf("%s = %+v, want %s", id, c, want)
		}
	}
	if st.Resource.MCP != nil || st.Resource.API == nil || st.Status != inspect.StatusPass {
		t.Errorf("resource step %s, API %+v, MCP %+v: want the API called alone:%s", st.Status, st.Resource.API, st.Resource.MCP, flowtest.Summary(run))
	}
}

// TestOneIdentifierForTwoServers: resource.id set to the API's identifier
// makes one token serve both; xaa finds the MCP server's audience wrong
// before the call, and the playground's MCP server refuses the token, as
// MCP authorization requires.
func TestOneIdentifierForTwoServers(t *testing.T) {
	e := flowtest.Start(t, playground.Options{}, "alice")
	e.Config.Resource.ID = e.Playground.ResourceURL()
	run := e.Run(t)
	st := run.Step(flow.StepResource)
	for id, want := range map[string]inspect.Status{"resource.api_aud": inspect.StatusPass, "resource.mcp_aud": inspect.StatusFail} {
		if c, ok := st.Checks.Find(id); !ok || c.Status != want {
			t.Errorf("%s = %+v, want %s", id, c, want)
		}
	}
	if st.Explanation == nil || st.Explanation.ID != "resource.wrong_audience" {
		t.Errorf("explanation = %+v, want resource.wrong_audience:%s", st.Explanation, flowtest.Summary(run))
	}
	if n := len(run.Step(flow.StepJWTBearer).Tokens); n != 1 {
		t.Errorf("jwt_bearer got %d tokens, want one for both", n)
	}
}

func TestRunFromStepRefusesTheWrongToken(t *testing.T) {
	e := flowtest.Start(t, playground.Options{}, "alice")
	full := e.Run(t)
	idToken := full.Step(flow.StepLogin).Out.IDToken
	jag := full.Step(flow.StepTokenExchange).Out.IDJAG
	cases := []struct {
		from  flow.StepID
		token string
		want  string
	}{
		{flow.StepTokenExchange, "", "needs --token"},
		{flow.StepTokenExchange, jag, "start from jwt_bearer"},
		{flow.StepJWTBearer, idToken, "start from token_exchange"},
		{flow.StepResource, jag, "start from jwt_bearer"},
		{flow.StepLogin, idToken, "--token needs --from"},
		{flow.StepResource, "  ", "input is empty"},
	}
	for _, c := range cases {
		t.Run(c.from.String()+" "+c.want, func(t *testing.T) {
			_, err := e.Runner.Run(context.Background(), c.from, c.token)
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Errorf("Run(%s) error = %v, want one containing %q", c.from, err, c.want)
			}
		})
	}
}

// TestResend resends the token exchange with one input changed and checks
// the engine returns the new record next to the old one.
func TestResend(t *testing.T) {
	e := flowtest.Start(t, playground.Options{}, "alice")
	run := e.Run(t)
	te := run.Step(flow.StepTokenExchange)
	if te.Status != inspect.StatusPass {
		t.Fatalf("token exchange:%s", flowtest.Summary(run))
	}
	wrongAudience := e.Config.ResourceAS.Issuer + "/"
	cases := []struct {
		name        string
		set         flow.Overrides
		status      inspect.Status
		explanation string
		param       string
		want        string
	}{
		{"audience with a trailing slash", flow.Overrides{"audience": wrongAudience}, inspect.StatusFail, "token_exchange.invalid_target", "audience", wrongAudience},
		{"narrower scope", flow.Overrides{"scope": "todos.read"}, inspect.StatusPass, "", "scope", "todos.read"},
		{"scope the connection does not allow", flow.Overrides{"scope": "todos.admin"}, inspect.StatusFail, "token_exchange.scope_denied", "scope", "todos.admin"},
		{"no resource", flow.Overrides{"resource": ""}, inspect.StatusPass, "", "resource", ""},
		{"refresh token as the subject", flow.Overrides{"subject_token_type": inspect.TokenTypeRefreshToken}, inspect.StatusPass, "", "subject_token_type", inspect.TokenTypeRefreshToken},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			again := e.Runner.Resend(context.Background(), te, c.set)
			if again == te || te.Status != inspect.StatusPass {
				t.Fatalf("Resend changed the old record")
			}
			if again.Status != c.status {
				t.Errorf("resent status = %s, want %s:%s", again.Status, c.status, flowtest.Summary(&flow.Run{Steps: []*flow.Step{again}}))
			}
			if c.explanation != "" && (again.Explanation == nil || again.Explanation.ID != c.explanation) {
				t.Errorf("explanation = %+v, want %s", again.Explanation, c.explanation)
			}
			// One exchange per resource, unless the resource is set by hand.
			want := 2
			if _, set := c.set["resource"]; set {
				want = 1
			}
			if len(again.Exchanges) != want {
				t.Fatalf("resent exchanges = %d, want %d", len(again.Exchanges), want)
			}
			for _, ex := range again.Exchanges {
				form, _ := url.ParseQuery(string(ex.Request.Body))
				if got := form.Get(c.param); got != c.want {
					t.Errorf("sent %s = %q, want %q", c.param, got, c.want)
				}
			}
		})
	}
}

// TestResendJWTBearerReplay shows that resending with the same
// ID-JAG is refused as a replay, and the explanation says so.
func TestResendJWTBearerReplay(t *testing.T) {
	e := flowtest.Start(t, playground.Options{}, "alice")
	run := e.Run(t)
	again := e.Runner.Resend(context.Background(), run.Step(flow.StepJWTBearer), nil)
	if again.Status != inspect.StatusFail || again.Explanation == nil || again.Explanation.ID != "jwt_bearer.replayed" {
		t.Errorf("resent jwt-bearer = %s %+v, want fail explained as jwt_bearer.replayed", again.Status, again.Explanation)
	}
	var oe *wire.OAuthError
	if !errors.As(again.Err, &oe) || oe.Code != "invalid_grant" || oe.Status != 400 {
		t.Errorf("error = %#v, want an *OAuthError invalid_grant 400", again.Err)
	}
}

func TestStepOverridesAdd(t *testing.T) {
	cases := []struct {
		key     string
		targets []flow.StepID
		err     string
	}{
		{"audience", []flow.StepID{flow.StepTokenExchange}, ""},
		{"scope", []flow.StepID{flow.StepTokenExchange, flow.StepJWTBearer}, ""},
		{"login.scope", []flow.StepID{flow.StepLogin}, ""},
		{"jwt_bearer.scope", []flow.StepID{flow.StepJWTBearer}, ""},
		{"jwt-bearer.resource", []flow.StepID{flow.StepJWTBearer}, ""},
		{"audiance", nil, "did you mean audience?"},
		{"login.audience", nil, "the login step takes scope, prompt"},
		{"discovery.x", nil, "the discovery step takes no parameters"},
		{"exchange.scope", nil, "unknown step"},
	}
	for _, c := range cases {
		t.Run(c.key, func(t *testing.T) {
			so := flow.StepOverrides{}
			err := so.Add(c.key, "v")
			switch {
			case c.err != "" && (err == nil || !strings.Contains(err.Error(), c.err)):
				t.Errorf("Add(%q) error = %v, want %q", c.key, err, c.err)
			case c.err == "" && err != nil:
				t.Errorf("Add(%q) error = %v", c.key, err)
			}
			for _, id := range c.targets {
				if len(so[id]) != 1 {
					t.Errorf("Add(%q) did not target %s: %v", c.key, id, so)
				}
			}
			if len(so) != len(c.targets) {
				t.Errorf("Add(%q) targets %d steps, want %d", c.key, len(so), len(c.targets))
			}
		})
	}
}

// TestResourceRefusals checks the resource step's failures: a token the
// resource does not accept (REST and MCP) and a scope it lacks.
func TestResourceRefusals(t *testing.T) {
	e := flowtest.Start(t, playground.Options{}, "alice")
	api, mcp := e.Config.Resource.APIURL, e.Config.Resource.MCPURL
	cases := []struct {
		name        string
		api, mcp    string
		token       string
		scope       string
		tool        string
		explanation string
		status      int
	}{
		{"REST with a token the API does not accept", api, "", "not-an-access-token", "", "", "resource.invalid_token", 401},
		{"MCP with a token the server does not accept", "", mcp, "not-an-access-token", "", "", "resource.invalid_token", 401},
		{"MCP tool that needs a scope the token lacks", "", mcp, "", "todos.read", "add_todo", "resource.insufficient_scope", 403},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			cfg := *e.Config
			cfg.Resource.APIURL, cfg.Resource.MCPURL = c.api, c.mcp
			r := &flow.Runner{Config: &cfg, Env: e.Runner.Env, Tool: c.tool, ToolArgs: []byte(`{"title":"x"}`), Overrides: flow.StepOverrides{}}
			if c.scope != "" {
				if err := r.Overrides.Add("scope", c.scope); err != nil {
					t.Fatal(err)
				}
			}
			from := flow.StepDiscovery
			if c.token != "" {
				from = flow.StepResource
			}
			run, err := r.Run(context.Background(), from, c.token)
			if err != nil {
				t.Fatal(err)
			}
			s := run.Step(flow.StepResource)
			var oe *wire.OAuthError
			if s.Status != inspect.StatusFail || !errors.As(s.Err, &oe) || oe.Status != c.status {
				t.Fatalf("resource = %s, %v; want fail with an HTTP %d challenge:%s", s.Status, s.Err, c.status, flowtest.Summary(run))
			}
			if s.Explanation == nil || s.Explanation.ID != c.explanation {
				t.Errorf("explanation = %+v, want %s", s.Explanation, c.explanation)
			}
			if oe.Source != "WWW-Authenticate" || oe.ResourceMetadata == "" {
				t.Errorf("error = %+v, want one read from the WWW-Authenticate challenge with its resource_metadata", oe)
			}
		})
	}
}

// TestSwitchedClientAuthIsRecorded: a step run after the client
// authentication was switched sends the switched method and its record says
// which one it used, beside the record it replaces.
func TestSwitchedClientAuthIsRecorded(t *testing.T) {
	e := flowtest.Start(t, playground.Options{}, "alice")
	s := flow.NewSession(e.Runner, flow.State{})
	ctx := context.Background()
	for _, id := range []flow.StepID{flow.StepDiscovery, flow.StepLogin, flow.StepTokenExchange} {
		s.Keep(e.Runner.Execute(ctx, s.Plan(id)), false)
	}
	before := s.Record(flow.StepTokenExchange)
	if before.Status != inspect.StatusPass || before.AuthMethod != e.Config.IdP.Method() {
		t.Fatalf("first token exchange: %s with %q, want pass with the configured %q", before.Status, before.AuthMethod, e.Config.IdP.Method())
	}
	s.SetAuthMethod(flow.StepTokenExchange, config.AuthClientSecretPost)
	s.Keep(e.Runner.Execute(ctx, s.Plan(flow.StepTokenExchange)), true)
	after := s.Record(flow.StepTokenExchange)
	if after.AuthMethod != config.AuthClientSecretPost || s.Previous(flow.StepTokenExchange).AuthMethod != before.AuthMethod {
		t.Errorf("records say %q after and %q before, want %q and %q", after.AuthMethod, s.Previous(flow.StepTokenExchange).AuthMethod,
			config.AuthClientSecretPost, before.AuthMethod)
	}
	req := after.Exchanges[0].Request
	form, _ := url.ParseQuery(string(req.Body))
	if req.Header.Get("Authorization") != "" || form.Get("client_id") != e.Config.IdP.ClientID || !form.Has("client_secret") {
		t.Errorf("resent with client_secret_post: Authorization %q, client_id %q, client_secret sent %t; want the credentials in the body only",
			req.Header.Get("Authorization"), form.Get("client_id"), form.Has("client_secret"))
	}
}
