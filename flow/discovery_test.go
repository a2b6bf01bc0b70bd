package flow_test

import (
	"cmp"
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
	// explanation, when given, is what the failed step is explained as;
	// status is the check's (fail when not given).
	cases := []struct {
		name        string
		change      func(c *config.Config)
		explanation string
		check       string
		status      inspect.Status
	}{
		{"IdP issuer with a trailing slash", func(c *config.Config) { c.IdP.Issuer += "/" }, "discovery.issuer_mismatch", "discovery.idp.issuer", 0},
		{"resource AS issuer with a trailing slash", func(c *config.Config) { c.ResourceAS.Issuer += "/" }, "discovery.issuer_mismatch", "discovery.as.issuer", 0},
		{"the API trusts another AS", func(c *config.Config) { c.ResourceAS.Issuer += "/" }, "", "discovery.api.authorization_servers", 0},
		{"the MCP server trusts another AS", func(c *config.Config) { c.ResourceAS.Issuer += "/" }, "", "discovery.mcp.authorization_servers", 0},
		{"nothing listens at the IdP", func(c *config.Config) { c.IdP.Issuer = nothing }, "network.refused", "discovery.idp.metadata", 0},
		{"nothing listens at the resource AS", func(c *config.Config) { c.ResourceAS.Issuer = nothing }, "network.refused", "discovery.as.metadata", 0},
		{"IdP issuer with a path nobody serves", func(c *config.Config) { c.IdP.Issuer += "/oauth2/default" }, "discovery.no_metadata", "discovery.idp.metadata", 0},
		{"the IdP's keys cannot be fetched", func(c *config.Config) { c.IdP.JWKSURI = nothing + "/jwks" }, "", "discovery.idp.jwks", 0},
		{"the resource AS's keys cannot be fetched", func(c *config.Config) { c.ResourceAS.JWKSURI = nothing + "/jwks" }, "", "discovery.as.jwks", inspect.StatusWarn},
		{"nothing listens at the API", func(c *config.Config) { c.Resource.APIURL = nothing + "/todos" }, "", "discovery.api.reachable", 0},
		{"nothing listens at the MCP server", func(c *config.Config) { c.Resource.MCPURL = nothing + "/mcp" }, "", "discovery.mcp.reachable", 0},
		{"an API that takes calls without a token", func(c *config.Config) { c.Resource.APIURL = strings.TrimSuffix(c.IdP.Issuer, "/") + "/jwks" }, "", "discovery.api.protected", inspect.StatusWarn},
		{"an MCP server that takes calls without a token", func(c *config.Config) { c.Resource.MCPURL = strings.TrimSuffix(c.IdP.Issuer, "/") + "/jwks" }, "", "discovery.mcp.protected", inspect.StatusWarn},
		{"an API without metadata", func(c *config.Config) { c.Resource.APIURL = strings.TrimSuffix(c.IdP.Issuer, "/") + "/jwks" }, "", "discovery.api.prm", inspect.StatusWarn},
		{"an MCP server without metadata", func(c *config.Config) { c.Resource.MCPURL = strings.TrimSuffix(c.IdP.Issuer, "/") + "/jwks" }, "", "discovery.mcp.prm", inspect.StatusWarn},
		{"resource.id another API's", func(c *config.Config) { c.Resource.ID = "https://api.other.example" }, "", "discovery.api.resource", inspect.StatusWarn},
		{"resource.id no server's", func(c *config.Config) { c.Resource.ID = "https://api.other.example" }, "", "discovery.resource_id", inspect.StatusWarn},
		{"MCP URL with a trailing slash", func(c *config.Config) { c.Resource.MCPURL += "/" }, "discovery.prm_resource_mismatch", "discovery.mcp.resource", 0},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			cfg := *e.Config
			c.change(&cfg)
			r := &flow.Runner{Config: &cfg, Env: e.Runner.Env}
			st := r.RunStep(context.Background(), flow.StepDiscovery, flow.State{}, nil)
			if c.explanation != "" && (st.Status != inspect.StatusFail || st.Explanation == nil || st.Explanation.ID != c.explanation) {
				t.Errorf("discovery = %s, %v, %+v; want fail explained as %s", st.Status, st.Err, st.Explanation, c.explanation)
			}
			want := cmp.Or(c.status, inspect.StatusFail)
			if ch, ok := st.Checks.Find(c.check); !ok || ch.Status != want {
				t.Errorf("check %s = %+v, want %s", c.check, ch, want)
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
		if r.URL.Path != "/client.json" {
			http.NotFound(w, r)
			return
		}
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

	// A client ID URL that serves no document is a finding, for either client.
	e.Config.ResourceAS.ClientID, e.Config.IdP.ClientID = doc.URL+"/gone", doc.URL+"/gone"
	st := e.Runner.RunStep(context.Background(), flow.StepDiscovery, flow.State{}, nil)
	for _, id := range []string{"discovery.idp_client.metadata", "discovery.as_client.metadata"} {
		if c, ok := st.Checks.Find(id); !ok || c.Status != inspect.StatusWarn {
			t.Errorf("%s = %+v, want a warning", id, c)
		}
	}
}
