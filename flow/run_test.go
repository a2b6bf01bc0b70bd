package flow_test

import (
	"slices"
	"testing"

	"github.com/xaatools/xaa/flow/flowtest"

	"github.com/xaatools/xaa/flow"
	"github.com/xaatools/xaa/flow/playground"
	"github.com/xaatools/xaa/inspect"
)

// TestRunHappyPath runs every step against the playground, REST and MCP.
func TestRunHappyPath(t *testing.T) {
	e := flowtest.Start(t, playground.Options{}, "alice")
	e.Runner.Tool = "list_todos"
	run := e.Run(t)
	if !run.OK() {
		t.Fatalf("run failed:%s", flowtest.Summary(run))
	}
	for _, s := range run.Steps {
		if s.Status != inspect.StatusPass {
			t.Errorf("%s: status %s, want pass:%s", s.ID, s.Status, flowtest.Summary(run))
		}
	}
	// The API and the MCP server each get their own ID-JAG and token.
	wantTokens := map[flow.StepID][]inspect.Kind{
		flow.StepLogin:         {inspect.KindIDToken},
		flow.StepTokenExchange: {inspect.KindIDJAG, inspect.KindIDJAG},
		flow.StepJWTBearer:     {inspect.KindAccessToken, inspect.KindAccessToken},
	}
	for id, kinds := range wantTokens {
		s := run.Step(id)
		var got []inspect.Kind
		for _, a := range s.Tokens {
			got = append(got, a.Token.Kind)
			if !a.Signature.Verified() {
				t.Errorf("%s: %s signature %s, want verified", id, a.Token.Kind, a.Signature.Verdict())
			}
		}
		if !slices.Equal(got, kinds) {
			t.Errorf("%s tokens = %v, want %v", id, got, kinds)
		}
	}
	res := run.Step(flow.StepResource).Resource
	if res == nil || res.API == nil || res.API.Status != 200 {
		t.Fatalf("resource API result = %+v, want status 200", res)
	}
	if res.MCP == nil || len(res.MCP.Tools) == 0 {
		t.Fatalf("MCP result = %+v, want tools", res.MCP)
	}
	if res.MCP.Call == nil || res.MCP.Call.IsError {
		t.Errorf("MCP tool call = %+v, want a result", res.MCP.Call)
	}
	for _, s := range run.Steps {
		if s.ID != flow.StepLogin && len(s.Exchanges) == 0 {
			t.Errorf("%s recorded no exchanges", s.ID)
		}
	}
	api, mcp := e.Playground.ResourceURL(), e.Config.Resource.MCPURL
	for i, want := range []string{api, mcp} {
		jag := run.Step(flow.StepTokenExchange).Tokens[i].Token
		if got, _ := jag.Claims.String("resource"); got != want {
			t.Errorf("ID-JAG %d resource = %q, want %q", i, got, want)
		}
		at := run.Step(flow.StepJWTBearer).Tokens[i].Token
		if got, _ := at.Claims.String("aud"); got != want {
			t.Errorf("access token %d aud = %q, want %q", i, got, want)
		}
	}
	for _, id := range []string{"resource.api_aud", "resource.mcp_aud"} {
		if c, ok := run.Step(flow.StepResource).Checks.Find(id); !ok || c.Status != inspect.StatusPass {
			t.Errorf("%s = %+v, want pass", id, c)
		}
	}
}
