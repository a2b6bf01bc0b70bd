package flow_test

import (
	"net/http"
	"net/url"
	"testing"

	"github.com/xaatools/xaa/flow"
	"github.com/xaatools/xaa/flow/flowtest"
	"github.com/xaatools/xaa/flow/playground"
	"github.com/xaatools/xaa/inspect"
	"github.com/xaatools/xaa/inspect/inspecttest"
)

// TestStepRuleVerdicts makes each step rule that needs a party to answer
// badly give its worst verdict: token endpoints behind a proxy that drops
// or changes one member of their answers, a login callback from another
// issuer, an IdP fault.
func TestStepRuleVerdicts(t *testing.T) {
	idp := func(member string, value any) func(*testing.T, *flowtest.Env) {
		return func(t *testing.T, e *flowtest.Env) {
			e.Config.IdP.TokenEndpoint = rewrite(t, e.Playground.IdPURL()+"/token", member, value)
		}
	}
	as := func(member string, value any) func(*testing.T, *flowtest.Env) {
		return func(t *testing.T, e *flowtest.Env) {
			e.Config.ResourceAS.TokenEndpoint = rewrite(t, e.Playground.ASURL()+"/token", member, value)
		}
	}
	// The login needs the IdP's access_token: a proxy that drops it from
	// the token exchange alone serves a run from the token exchange.
	fromExchange := func(member string) func(*testing.T, *flowtest.Env) {
		return func(t *testing.T, e *flowtest.Env) {
			e.Runner.Env.OpenBrowser = e.Playground.LoginBrowser("alice")
			e.Config.IdP.TokenEndpoint = rewrite(t, e.Playground.IdPURL()+"/token", member, nil)
		}
	}
	cases := []struct {
		id     string
		faults []string
		setup  func(*testing.T, *flowtest.Env)
		step   flow.StepID
		want   inspect.Status
	}{
		{"token_exchange.access_token", nil, fromExchange("access_token"), flow.StepTokenExchange, inspect.StatusFail},
		{"token_exchange.expires_in", nil, idp("expires_in", nil), flow.StepTokenExchange, inspect.StatusWarn},
		{"token_exchange.issued_token_type", nil, idp("issued_token_type", nil), flow.StepTokenExchange, inspect.StatusWarn},
		{"token_exchange.token_type", nil, idp("token_type", "Bearer"), flow.StepTokenExchange, inspect.StatusWarn},
		{"token_exchange.refresh_token", nil, idp("refresh_token", "rt-1"), flow.StepTokenExchange, inspect.StatusWarn},
		{"login.refresh_token", nil, idp("refresh_token", nil), flow.StepLogin, inspect.StatusWarn},
		{"chain.id_jag_aud_requested", []string{playground.FaultIDJAGWrongAud}, nil, flow.StepTokenExchange, inspect.StatusFail},
		{"jwt_bearer.access_token", nil, as("access_token", nil), flow.StepJWTBearer, inspect.StatusFail},
		{"jwt_bearer.expires_in", nil, as("expires_in", nil), flow.StepJWTBearer, inspect.StatusWarn},
		{"jwt_bearer.token_type", nil, as("token_type", "mac"), flow.StepJWTBearer, inspect.StatusWarn},
		{"jwt_bearer.refresh_token", nil, as("refresh_token", "rt-1"), flow.StepJWTBearer, inspect.StatusWarn},
		{"jwt_bearer.scope_response", nil, func(t *testing.T, e *flowtest.Env) {
			// No scope asked: the AS grants the ID-JAG's and must say so.
			e.Config.ResourceAS.Scopes = nil
			as("scope", nil)(t, e)
		}, flow.StepJWTBearer, inspect.StatusFail},
		{"login.iss", nil, func(t *testing.T, e *flowtest.Env) {
			e.Runner.Env.OpenBrowser = func(authURL string) error {
				u, _ := url.Parse(authURL)
				resp, err := http.Get(e.Config.IdP.RedirectURI + "?code=c&iss=https%3A%2F%2Fevil.example&state=" + url.QueryEscape(u.Query().Get("state")))
				if err == nil {
					resp.Body.Close()
				}
				return err
			}
		}, flow.StepLogin, inspect.StatusFail},
	}
	for _, c := range cases {
		t.Run(c.id, func(t *testing.T) {
			e := flowtest.Start(t, playground.Options{Faults: c.faults}, "alice")
			from, token := flow.StepDiscovery, ""
			if c.id == "token_exchange.access_token" {
				from, token = flow.StepTokenExchange, e.Run(t).Step(flow.StepLogin).Out.IDToken
			}
			if c.setup != nil {
				c.setup(t, e)
			}
			run, err := e.Runner.Run(t.Context(), from, token)
			if err != nil {
				t.Fatal(err)
			}
			if ch, ok := run.Step(c.step).Checks.Find(c.id); !ok || ch.Status != c.want {
				t.Errorf("%s = %+v, want %s:%s", c.id, ch, c.want, flowtest.Summary(run))
			}
		})
	}
}

// TestStepRulesNameTheirTests: each step rule names a test of this package
// that mentions its check.
func TestStepRulesNameTheirTests(t *testing.T) {
	inspecttest.CheckRuleTests(t, ".", flow.Rules(), false, "TestEndpointChecks", "TestScopeInTheResponse", "TestResourceInTheResponse")
}
