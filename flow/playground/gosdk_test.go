package playground_test

import (
	"context"
	"testing"
	"time"

	"github.com/modelcontextprotocol/go-sdk/auth"
	"github.com/modelcontextprotocol/go-sdk/auth/extauth"
	"github.com/modelcontextprotocol/go-sdk/mcp"
	"github.com/modelcontextprotocol/go-sdk/oauthex"
	"golang.org/x/oauth2"

	"github.com/xaatools/xaa/flow/playground"
)

// TestGoSDKEnterpriseClient: an independent client — the official Go MCP
// SDK's Enterprise Managed Authorization handler (extauth) — logs in at
// the playground IdP, exchanges the ID token for an ID-JAG, redeems it at
// the resource AS and calls a tool on the playground's MCP server.
func TestGoSDKEnterpriseClient(t *testing.T) {
	e := start(t, playground.Options{})
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	secret := func(s string) *oauthex.ClientSecretAuth { return &oauthex.ClientSecretAuth{ClientSecret: s} }
	idp := &oauthex.ClientCredentials{ClientID: e.cfg.IdP.ClientID, ClientSecretAuth: secret(e.cfg.IdP.ClientSecret.Reveal())}

	// The login: the SDK's OIDC login, with the playground's scripted browser
	// signing alice in and the test's callback listener taking the code.
	login := func(ctx context.Context) (*oauth2.Token, error) {
		return extauth.PerformOIDCLogin(ctx, &extauth.OIDCLoginConfig{
			IssuerURL: e.cfg.IdP.Issuer, Credentials: idp, RedirectURL: e.cfg.IdP.RedirectURI,
			Scopes: []string{"openid", "email"},
		}, func(ctx context.Context, args *auth.AuthorizationArgs) (*auth.AuthorizationResult, error) {
			if err := e.p.LoginBrowser("alice")(args.URL); err != nil {
				return nil, err
			}
			q := <-e.callback
			return &auth.AuthorizationResult{Code: q.Get("code"), State: q.Get("state"), Iss: q.Get("iss")}, nil
		})
	}
	handler, err := extauth.NewEnterpriseHandler(&extauth.EnterpriseHandlerConfig{
		IdPIssuerURL:     e.cfg.IdP.Issuer,
		IdPCredentials:   idp,
		MCPAuthServerURL: e.cfg.ResourceAS.Issuer,
		MCPResourceURI:   e.cfg.Resource.MCPURL, // the MCP server's RFC 9728 resource
		MCPCredentials:   &oauthex.ClientCredentials{ClientID: e.cfg.ResourceAS.ClientID, ClientSecretAuth: secret(e.cfg.ResourceAS.ClientSecret.Reveal())},
		MCPScopes:        []string{playground.ScopeTodosRead},
		IDTokenFetcher:   login,
	})
	if err != nil {
		t.Fatal(err)
	}
	client := mcp.NewClient(&mcp.Implementation{Name: "go-sdk-enterprise-check", Version: "1"}, nil)
	session, err := client.Connect(ctx, &mcp.StreamableClientTransport{Endpoint: e.cfg.Resource.MCPURL, OAuthHandler: handler}, nil)
	if err != nil {
		t.Fatalf("the Go SDK could not connect through Cross App Access: %v", err)
	}
	defer session.Close()
	res, err := session.CallTool(ctx, &mcp.CallToolParams{Name: "list_todos", Arguments: map[string]any{}})
	if err != nil || res.IsError {
		t.Fatalf("tools/call list_todos: %v %+v", err, res)
	}
}
