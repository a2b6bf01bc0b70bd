package oktaadmin_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/xaatools/xaa/flow/oktaadmin"
)

// TestAIAgentReads: the Okta for AI Agents reads decode answers shaped as
// the examples of Okta's API reference (these APIs are not in the
// Management API spec): https://developer.okta.com/docs/api/secures-ai/ai-agents
// (Retrieve an AI agent, List all connections) and
// https://developer.okta.com/docs/api/secures-ai/mcp-servers (List all MCP
// servers, List all authorization servers for an MCP server, whose body is
// {"data": [...]}); a wrapped list pages like any other.
func TestAIAgentReads(t *testing.T) {
	var srv *httptest.Server
	srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		switch r.URL.Path + "?" + r.URL.RawQuery {
		case "/workload-principals/api/v1/ai-agents?":
			_, _ = w.Write([]byte(`[{"id":"wlpcFogtKCrK9aYq3fgV","status":"STAGED","source":"MANUAL","profile":{"name":"Demo Agent"},"signOnProvider":{"appInstanceId":"0oa1qmn4LZQQEH0wZ0g4"}}]`))
		case "/workload-principals/api/v1/ai-agents/wlpcFogtKCrK9aYq3fgV/connections?":
			_, _ = w.Write([]byte(`[{"id":"mcn1","orn":"orn:okta:idp:00o1:connections:mcn1","connectionType":"IDENTITY_ASSERTION_MCP_SERVER","protocolType":"IDENTITY_ASSERTION","status":"ACTIVE",
				"resourceIndicator":"https://mcp.example.com/mcp","authorizationServer":{"orn":"orn:okta:idp:00o1:authorization_servers:aus1","name":"MCP AS","issuerUrl":"https://example.okta.com/oauth2/aus1"},
				"resource":{"orn":"orn:okta:directory:00o1:resource-servers:mcp:ems1","name":"Example MCP"}},
				{"id":"mcn2","connectionType":"STS_VAULT_SECRET","status":"ACTIVE"}]`))
		case "/resource-servers/api/v1/mcp-servers?":
			w.Header().Set("Link", `<`+srv.URL+`/resource-servers/api/v1/mcp-servers?after=ems1>; rel="next"`)
			_, _ = w.Write([]byte(`{"data":[{"id":"ems8nUa7p0g4zrZbs2f4","status":"INVALID","resourceUrl":"https://mcp.example.com/mcp","metadata":{"displayName":"Example MCP"}}],"_links":{}}`))
		case "/resource-servers/api/v1/mcp-servers?after=ems1":
			_, _ = w.Write([]byte(`{"data":[{"id":"ems2","status":"PENDING","detectedMetadata":{"resourceName":"Second"}}]}`))
		case "/resource-servers/api/v1/mcp-servers/ems8nUa7p0g4zrZbs2f4/authorization-servers?":
			_, _ = w.Write([]byte(`{"data":[{"id":"aus1","status":"ACTIVE"}]}`))
		default:
			w.WriteHeader(404)
			_, _ = w.Write([]byte(`{"errorCode":"E0000007","errorSummary":"Not found"}`))
		}
	}))
	defer srv.Close()
	c := newClient(t, srv.URL, http.DefaultTransport)
	ctx := context.Background()
	agents, r := c.AIAgents(ctx)
	if !r.OK() || len(agents) != 1 || agents[0].Status != "STAGED" || !agents[0].Is("0oa1qmn4LZQQEH0wZ0g4", "") || agents[0].Is("other", "") {
		t.Fatalf("agents %+v %v", agents, r.Err)
	}
	conns, r := c.AgentConnections(ctx, agents[0].ID)
	if !r.OK() || len(conns) != 2 || !conns[0].IdentityAssertion() || conns[1].IdentityAssertion() ||
		conns[0].ResourceIndicator != "https://mcp.example.com/mcp" || conns[0].AuthorizationServer.IssuerURL != "https://example.okta.com/oauth2/aus1" {
		t.Fatalf("connections %+v %v", conns, r.Err)
	}
	servers, r := c.MCPServers(ctx)
	if !r.OK() || len(servers) != 2 || servers[0].Status != "INVALID" || servers[0].ResourceURL != "https://mcp.example.com/mcp" || servers[1].Name() != "Second" || len(r.Exchanges) != 2 {
		t.Fatalf("servers %+v %v", servers, r.Err)
	}
	as, r := c.MCPAuthServers(ctx, servers[0].ID)
	if !r.OK() || len(as) != 1 || as[0].Status != "ACTIVE" {
		t.Fatalf("authorization servers %+v %v", as, r.Err)
	}
	if _, r := c.AgentKeys(ctx, "wlpnone"); r.Err == nil || r.Err.Kind != oktaadmin.NotFound || r.Err.Need != oktaadmin.ScopeAIAgents {
		t.Errorf("404: %+v", r.Err)
	}
	// The Management API's lists stay arrays: an object is refused there.
	var v []oktaadmin.App
	if r := c.List(ctx, "/resource-servers/api/v1/mcp-servers/ems8nUa7p0g4zrZbs2f4/authorization-servers", nil, oktaadmin.ScopeApps, &v); r.OK() {
		t.Error("List took an object for an array")
	}
}
