package playground_test

import (
	"context"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/modelcontextprotocol/go-sdk/auth/extauth"
	"github.com/modelcontextprotocol/go-sdk/mcp"
	"github.com/modelcontextprotocol/go-sdk/oauthex"
	"golang.org/x/oauth2"

	"github.com/xaatools/xaa/flow/playground"
	"github.com/xaatools/xaa/inspect"
)

// bearerTransport adds an access token to every request.
type bearerTransport struct{ token string }

func (b bearerTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	r = r.Clone(r.Context())
	r.Header.Set("Authorization", "Bearer "+b.token)
	return http.DefaultTransport.RoundTrip(r)
}

// accessToken runs steps 1–3 for alice with the given resource and scope.
func (e *env) accessToken(resource, scope string) string {
	e.t.Helper()
	ex := e.exchange(e.login("alice").str("id_token"), url.Values{"resource": {resource}, "scope": {scope}})
	if ex.status != http.StatusOK {
		e.t.Fatalf("token exchange: HTTP %d %s", ex.status, ex.raw)
	}
	br := e.bearer(ex.str("access_token"), nil)
	if br.status != http.StatusOK {
		e.t.Fatalf("jwt-bearer: HTTP %d %s", br.status, br.raw)
	}
	return br.str("access_token")
}

func connectMCP(t *testing.T, endpoint string, transport *mcp.StreamableClientTransport) *mcp.ClientSession {
	t.Helper()
	transport.Endpoint = endpoint
	transport.DisableStandaloneSSE = true
	client := mcp.NewClient(&mcp.Implementation{Name: "xaa-test", Version: "0"}, nil)
	cs, err := client.Connect(context.Background(), transport, nil)
	if err != nil {
		t.Fatalf("MCP connect: %v", err)
	}
	t.Cleanup(func() { cs.Close() })
	return cs
}

// TestMCPWithSDKClient calls the MCP server's tools with the official Go
// SDK client, authorised by an access token for the MCP server's resource.
func TestMCPWithSDKClient(t *testing.T) {
	e := start(t, playground.Options{})
	ctx := context.Background()
	at := e.accessToken(e.cfg.Resource.MCPURL, "todos.read todos.write")
	cs := connectMCP(t, e.cfg.Resource.MCPURL, &mcp.StreamableClientTransport{HTTPClient: &http.Client{Transport: bearerTransport{at}}})

	tools, err := cs.ListTools(ctx, nil)
	if err != nil {
		t.Fatalf("ListTools: %v", err)
	}
	var names []string
	for _, tool := range tools.Tools {
		names = append(names, tool.Name)
	}
	if got := strings.Join(names, ","); got != "add_todo,list_todos" && got != "list_todos,add_todo" {
		t.Errorf("tools = %s, want add_todo and list_todos", got)
	}
	add, err := cs.CallTool(ctx, &mcp.CallToolParams{Name: "add_todo", Arguments: map[string]any{"title": "from MCP"}})
	if err != nil || add.IsError {
		t.Fatalf("add_todo: %v %+v", err, add)
	}
	list, err := cs.CallTool(ctx, &mcp.CallToolParams{Name: "list_todos", Arguments: map[string]any{}})
	if err != nil || list.IsError {
		t.Fatalf("list_todos: %v %+v", err, list)
	}
	if text := list.Content[0].(*mcp.TextContent).Text; !strings.Contains(text, "from MCP") {
		t.Errorf("list_todos = %s, want the added todo", text)
	}
	empty, err := cs.CallTool(ctx, &mcp.CallToolParams{Name: "add_todo", Arguments: map[string]any{"title": "  "}})
	if err != nil || !empty.IsError {
		t.Errorf("add_todo with a blank title: err %v, result %+v; want a tool error", err, empty)
	}
}

// TestMCPInsufficientScope: a read-only token lists but cannot add; the
// server answers 403 insufficient_scope, the MCP step-up signal.
func TestMCPInsufficientScope(t *testing.T) {
	e := start(t, playground.Options{})
	ctx := context.Background()
	at := e.accessToken(e.cfg.Resource.MCPURL, "todos.read")
	cs := connectMCP(t, e.cfg.Resource.MCPURL, &mcp.StreamableClientTransport{HTTPClient: &http.Client{Transport: bearerTransport{at}}, MaxRetries: -1})
	if _, err := cs.CallTool(ctx, &mcp.CallToolParams{Name: "list_todos", Arguments: map[string]any{}}); err != nil {
		t.Fatalf("list_todos with todos.read: %v", err)
	}
	if _, err := cs.CallTool(ctx, &mcp.CallToolParams{Name: "add_todo", Arguments: map[string]any{"title": "x"}}); err == nil {
		t.Errorf("add_todo with only todos.read succeeded; want 403 insufficient_scope")
	}
	req, _ := http.NewRequest(http.MethodPost, e.cfg.Resource.MCPURL, strings.NewReader(`{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"add_todo","arguments":{"title":"x"}}}`))
	req.Header.Set("Authorization", "Bearer "+at)
	req.Header.Set("Content-Type", "application/json")
	r := e.do(req)
	challenge := r.header.Get("WWW-Authenticate")
	if r.status != http.StatusForbidden || !strings.Contains(challenge, `error="insufficient_scope"`) || !strings.Contains(challenge, `scope="todos.read todos.write"`) {
		t.Errorf("got HTTP %d, WWW-Authenticate %q; want 403 insufficient_scope asking for todos.read todos.write", r.status, challenge)
	}
}

// TestMCPEnterpriseHandler runs the whole flow with the Go SDK's
// Enterprise-Managed Authorization handler: its token exchange and
// jwt-bearer requests against the playground, then the MCP call.
func TestMCPEnterpriseHandler(t *testing.T) {
	e := start(t, playground.Options{})
	handler, err := extauth.NewEnterpriseHandler(&extauth.EnterpriseHandlerConfig{
		IdPIssuerURL:     e.cfg.IdP.Issuer,
		IdPCredentials:   &oauthex.ClientCredentials{ClientID: e.cfg.IdP.ClientID, ClientSecretAuth: &oauthex.ClientSecretAuth{ClientSecret: e.cfg.IdP.ClientSecret.Reveal()}},
		MCPAuthServerURL: e.cfg.ResourceAS.Issuer,
		MCPResourceURI:   e.cfg.Resource.MCPURL,
		MCPCredentials:   &oauthex.ClientCredentials{ClientID: e.cfg.ResourceAS.ClientID, ClientSecretAuth: &oauthex.ClientSecretAuth{ClientSecret: e.cfg.ResourceAS.ClientSecret.Reveal()}},
		MCPScopes:        []string{"todos.read", "todos.write"},
		IDTokenFetcher: func(context.Context) (*oauth2.Token, error) {
			r := e.login("alice")
			return (&oauth2.Token{AccessToken: r.str("access_token")}).WithExtra(map[string]any{"id_token": r.str("id_token")}), nil
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	cs := connectMCP(t, e.cfg.Resource.MCPURL, &mcp.StreamableClientTransport{OAuthHandler: handler})
	res, err := cs.CallTool(context.Background(), &mcp.CallToolParams{Name: "add_todo", Arguments: map[string]any{"title": "via the SDK's enterprise handler"}})
	if err != nil || res.IsError {
		t.Fatalf("add_todo: %v %+v", err, res)
	}
}

// TestTwoResources: one token exchange may name several resources (RFC 8707
// §2); the ID-JAG then lists them, and the resource AS issues a token for
// one at a time, each accepted only by its own server.
func TestTwoResources(t *testing.T) {
	e := start(t, playground.Options{})
	api, mcpURL := e.p.ResourceURL(), e.cfg.Resource.MCPURL
	ex := e.exchange(e.login("alice").str("id_token"), url.Values{"resource": {api, mcpURL}})
	if ex.status != http.StatusOK {
		t.Fatalf("token exchange with two resources: HTTP %d %s", ex.status, ex.raw)
	}
	jag, _ := inspect.Decode(ex.str("access_token"))
	if got, isArray, _ := jag.Claims.Strings("resource"); !isArray || !slices.Equal(got, []string{api, mcpURL}) {
		t.Errorf("ID-JAG resource = %v, want [%s %s]", got, api, mcpURL)
	}
	if r := e.bearer(ex.str("access_token"), url.Values{"resource": {api, mcpURL}}); r.status != http.StatusBadRequest || r.str("error") != "invalid_target" {
		t.Errorf("jwt-bearer for two resources at once: HTTP %d %s, want invalid_target", r.status, r.raw)
	}
	r := e.bearer(ex.str("access_token"), url.Values{"resource": {mcpURL}})
	at, _ := inspect.Decode(r.str("access_token"))
	if aud, _ := at.Claims.String("aud"); r.status != http.StatusOK || aud != mcpURL {
		t.Errorf("jwt-bearer for the MCP server: HTTP %d aud %q, want 200 and %s", r.status, aud, mcpURL)
	}
}
