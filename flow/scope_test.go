package flow_test

import (
	"strings"
	"testing"

	"github.com/xaatools/xaa/flow"
	"github.com/xaatools/xaa/flow/flowtest"
	"github.com/xaatools/xaa/flow/playground"
	"github.com/xaatools/xaa/inspect"
)

// without proxies a token endpoint and drops a member from its answers.
func without(t *testing.T, target, member string) string { return rewrite(t, target, member, nil) }

// rewrite proxies a token endpoint and sets a member of every answer (nil:
// drops it).
func rewrite(t *testing.T, target, member string, value any) string {
	return tokenProxy(t, target, map[string]map[string]any{"": {member: value}})
}

// TestScopeInTheResponse: a token response leaves scope out only when it
// grants what was requested (RFC 6749 §5.1). The IdP here grants a
// narrower scope than requested and says nothing: the check fails.
func TestScopeInTheResponse(t *testing.T) {
	e := flowtest.Start(t, playground.Options{}, "alice")
	e.Config.IdP.TokenEndpoint = without(t, e.Playground.IdPURL()+"/token", "scope")
	e.Config.ResourceAS.TokenEndpoint = without(t, e.Playground.ASURL()+"/token", "scope")
	run := e.Run(t)
	for _, id := range []flow.StepID{flow.StepTokenExchange, flow.StepJWTBearer} {
		c, ok := run.Step(id).Checks.Find(id.String() + ".scope_response")
		if !ok || c.Status != inspect.StatusPass || !strings.Contains(c.Actual, "the same as requested") {
			t.Errorf("%s: scope_response = %+v, want pass: the same scopes were granted", id, c)
		}
	}
	again := e.Runner.Resend(t.Context(), run.Step(flow.StepTokenExchange), flow.Overrides{"scope": ""})
	c, _ := again.Checks.Find("token_exchange.scope_response")
	if c.Status != inspect.StatusFail || !strings.Contains(c.Hint, "MUST then say so") {
		t.Errorf("no scope requested, scopes granted, none in the response: %+v, want fail", c)
	}
}

// TestResourceInTheResponse: the editor's copy of the draft returns the
// resources a token is restricted to; the playground does, and a server
// that does not gets a warning labelled with that source, never a failure.
func TestResourceInTheResponse(t *testing.T) {
	e := flowtest.Start(t, playground.Options{}, "alice")
	steps := []flow.StepID{flow.StepTokenExchange, flow.StepJWTBearer}
	status := func(run *flow.Run) map[flow.StepID]inspect.Check {
		out := map[flow.StepID]inspect.Check{}
		for _, id := range steps {
			out[id], _ = run.Step(id).Checks.Find(id.String() + ".resource_response")
		}
		return out
	}
	for id, c := range status(e.Run(t)) {
		if c.Status != inspect.StatusPass {
			t.Errorf("%s against the playground: %+v, want pass", id, c)
		}
	}
	e.Config.IdP.TokenEndpoint = without(t, e.Playground.IdPURL()+"/token", "resource")
	e.Config.ResourceAS.TokenEndpoint = without(t, e.Playground.ASURL()+"/token", "resource")
	for id, c := range status(e.Run(t)) {
		if c.Status != inspect.StatusWarn || !strings.Contains(c.Spec, "editor's copy") {
			t.Errorf("%s without resource: %+v, want a warning citing the editor's copy", id, c)
		}
	}
	e.Config.IdP.TokenEndpoint = rewrite(t, e.Playground.IdPURL()+"/token", "resource", []string{"https://elsewhere.example"})
	c, _ := e.Run(t).Step(flow.StepTokenExchange).Checks.Find("token_exchange.resource_response")
	if c.Status != inspect.StatusWarn || !strings.Contains(c.Hint, "was not requested") {
		t.Errorf("resource outside the request: %+v, want a warning", c)
	}
}
