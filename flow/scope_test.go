package flow_test

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/xaatools/xaa/flow"
	"github.com/xaatools/xaa/flow/flowtest"
	"github.com/xaatools/xaa/flow/playground"
	"github.com/xaatools/xaa/inspect"
)

// withoutScope proxies a token endpoint and drops scope from its answers.
func withoutScope(t *testing.T, target string) string {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		req, _ := http.NewRequestWithContext(r.Context(), r.Method, target, r.Body)
		req.Header = r.Header.Clone()
		resp, err := http.DefaultTransport.RoundTrip(req)
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadGateway)
			return
		}
		defer resp.Body.Close()
		var body map[string]any
		raw, _ := io.ReadAll(resp.Body)
		if json.Unmarshal(raw, &body) == nil {
			delete(body, "scope")
			raw, _ = json.Marshal(body)
		}
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(resp.StatusCode)
		w.Write(raw)
	}))
	t.Cleanup(srv.Close)
	return srv.URL
}

// TestScopeInTheResponse: a token response leaves scope out only when it
// grants what was requested (RFC 6749 §5.1). The IdP here grants a
// narrower scope than requested and says nothing: the check fails.
func TestScopeInTheResponse(t *testing.T) {
	e := flowtest.Start(t, playground.Options{}, "alice")
	e.Config.IdP.TokenEndpoint = withoutScope(t, e.Playground.IdPURL()+"/token")
	e.Config.ResourceAS.TokenEndpoint = withoutScope(t, e.Playground.ASURL()+"/token")
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
