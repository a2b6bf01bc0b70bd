package inspect_test

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/xaatools/xaa/inspect"
)

func TestMetadataURLs(t *testing.T) {
	cases := []struct {
		name string
		got  []string
		want []string
	}{
		{"IdP without path", urlsOf(inspect.IdPMetadataURLs("https://idp.example.com")), []string{
			"https://idp.example.com/.well-known/openid-configuration",
			"https://idp.example.com/.well-known/oauth-authorization-server"}},
		{"IdP with path (Okta custom AS)", urlsOf(inspect.IdPMetadataURLs("https://x.okta.com/oauth2/default")), []string{
			"https://x.okta.com/oauth2/default/.well-known/openid-configuration",
			"https://x.okta.com/.well-known/oauth-authorization-server/oauth2/default"}},
		{"AS without path, MCP order", urlsOf(inspect.ASMetadataURLs("https://auth.example.com")), []string{
			"https://auth.example.com/.well-known/oauth-authorization-server",
			"https://auth.example.com/.well-known/openid-configuration"}},
		{"AS with path, MCP order", urlsOf(inspect.ASMetadataURLs("https://auth.example.com/tenant1")), []string{
			"https://auth.example.com/.well-known/oauth-authorization-server/tenant1",
			"https://auth.example.com/.well-known/openid-configuration/tenant1",
			"https://auth.example.com/tenant1/.well-known/openid-configuration"}},
		{"resource with path", inspect.ProtectedResourceMetadataURLs("https://example.com/public/mcp"), []string{
			"https://example.com/.well-known/oauth-protected-resource/public/mcp",
			"https://example.com/.well-known/oauth-protected-resource"}},
		{"resource at the root", inspect.ProtectedResourceMetadataURLs("https://api.example.com"), []string{
			"https://api.example.com/.well-known/oauth-protected-resource"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if diff := cmp.Diff(c.want, c.got); diff != "" {
				t.Errorf("URLs (-want +got):\n%s", diff)
			}
		})
	}
}

func urlsOf(ms []inspect.MetadataURL) []string {
	var out []string
	for _, m := range ms {
		out = append(out, m.URL)
	}
	return out
}

func TestCheckASForMCPClients(t *testing.T) {
	with := inspect.CheckASForMCPClients(&inspect.ServerMetadata{Issuer: "https://as.example.com", AuthorizationEndpoint: "https://as.example.com/authorize", ResponseTypesSupported: []string{}})
	if f := failing(with); len(f) != 0 {
		t.Errorf("with an authorization endpoint and an empty response_types_supported: %v, want both to pass", f)
	}
	without := inspect.CheckASForMCPClients(&inspect.ServerMetadata{Issuer: "https://as.example.com"})
	for _, id := range []string{"as_metadata.mcp_authorization_endpoint", "as_metadata.response_types"} {
		c, _ := without.Find(id)
		if c.Status != inspect.StatusWarn || !strings.Contains(c.Hint, "TypeScript MCP SDK refuses") || !strings.Contains(c.Hint, "RFC 8414 §2") {
			t.Errorf("without it, %s: %s %q; want a warning naming the SDK and RFC 8414", id, c.Status, c.Hint)
		}
	}
}
