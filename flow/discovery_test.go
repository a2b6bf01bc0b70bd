package flow_test

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/xaatools/xaa/flow/flowtest"

	"github.com/xaatools/xaa/flow/config"

	"github.com/xaatools/xaa/flow"
	"github.com/xaatools/xaa/flow/playground"
	"github.com/xaatools/xaa/inspect"
)

// metadataServer serves JSON documents at the given paths; "{issuer}" in a
// document is replaced by the server's URL.
// TestDiscoveryStepFailures runs the discovery step with configs that are
// wrong in the ways people get them wrong.
func TestDiscoveryStepFailures(t *testing.T) {
	e := flowtest.Start(t, playground.Options{}, "alice")
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	nothing := "http://" + l.Addr().String()
	l.Close()
	cases := []struct {
		name        string
		change      func(c *config.Config)
		explanation string
		check       string
	}{
		{"IdP issuer with a trailing slash", func(c *config.Config) { c.IdP.Issuer += "/" }, "discovery.issuer_mismatch", "discovery.idp.issuer"},
		{"resource AS issuer with a trailing slash", func(c *config.Config) { c.ResourceAS.Issuer += "/" }, "discovery.issuer_mismatch", "discovery.as.issuer"},
		{"nothing listens at the IdP", func(c *config.Config) { c.IdP.Issuer = nothing }, "network.refused", "discovery.idp.metadata"},
		{"IdP issuer with a path nobody serves", func(c *config.Config) { c.IdP.Issuer += "/oauth2/default" }, "discovery.no_metadata", "discovery.idp.metadata"},
		{"MCP URL with a trailing slash", func(c *config.Config) { c.Resource.MCPURL += "/" }, "discovery.prm_resource_mismatch", "discovery.mcp.resource"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			cfg := *e.Config
			c.change(&cfg)
			r := &flow.Runner{Config: &cfg, Env: e.Runner.Env}
			st := r.RunStep(context.Background(), flow.StepDiscovery, flow.State{}, nil)
			if st.Status != inspect.StatusFail || st.Explanation == nil || st.Explanation.ID != c.explanation {
				t.Errorf("discovery = %s, %v, %+v; want fail explained as %s", st.Status, st.Err, st.Explanation, c.explanation)
			}
			if ch, ok := st.Checks.Find(c.check); !ok || ch.Status != inspect.StatusFail {
				t.Errorf("check %s = %+v, want fail", c.check, ch)
			}
		})
	}
}

// TestDiscoveryChecksWhatMCPClientsNeed: with an MCP server configured,
// discovery judges the resource AS's metadata as MCP client SDKs read it;
// without one it does not.
func TestDiscoveryChecksWhatMCPClientsNeed(t *testing.T) {
	e := flowtest.Start(t, playground.Options{}, "alice")
	st := e.Runner.RunStep(context.Background(), flow.StepDiscovery, flow.State{}, nil)
	if c, ok := st.Checks.Find("discovery.as.mcp_authorization_endpoint"); !ok || c.Status != inspect.StatusPass {
		t.Errorf("with an MCP server: %+v, want the playground's authorization endpoint to pass", c)
	}
	e.Config.Resource.MCPURL = ""
	st = e.Runner.RunStep(context.Background(), flow.StepDiscovery, flow.State{}, nil)
	if c, ok := st.Checks.Find("discovery.as.mcp_authorization_endpoint"); ok {
		t.Errorf("without an MCP server the MCP check ran: %+v", c)
	}
}

// TestClientMetadataDocument: a client ID that is a metadata document's
// URL is fetched, and a client that lists the ID-JAG profile without both
// its grants fails draft §8.
func TestClientMetadataDocument(t *testing.T) {
	e := flowtest.Start(t, playground.Options{}, "alice")
	doc := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprintf(w, `{"client_id":"http://%s/client.json","grant_types":[%q],"authorization_grant_profiles_supported":[%q]}`,
			r.Host, inspect.GrantTypeJWTBearer, inspect.GrantProfileIDJAG)
	}))
	t.Cleanup(doc.Close)
	e.Config.ResourceAS.ClientID = doc.URL + "/client.json"
	run, err := e.Runner.Run(context.Background(), flow.StepDiscovery, "")
	if err != nil {
		t.Fatal(err)
	}
	c, ok := run.Step(flow.StepDiscovery).Checks.Find("discovery.as_client.grant_types")
	if !ok || c.Status != inspect.StatusFail || !strings.Contains(c.Hint, inspect.GrantTypeTokenExchange) {
		t.Errorf("discovery.as_client.grant_types = %+v, want fail naming the token exchange grant", c)
	}
}
