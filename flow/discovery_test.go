package flow_test

import (
	"context"
	"errors"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/xaatools/xaa/flow/config"

	"github.com/google/go-cmp/cmp"

	"github.com/xaatools/xaa/flow"
	"github.com/xaatools/xaa/flow/playground"
	"github.com/xaatools/xaa/inspect"
)

func TestMetadataURLs(t *testing.T) {
	cases := []struct {
		name string
		got  []string
		want []string
	}{
		{"IdP without path", flow.IdPMetadataURLs("https://idp.example.com"), []string{
			"https://idp.example.com/.well-known/openid-configuration",
			"https://idp.example.com/.well-known/oauth-authorization-server"}},
		{"IdP with path (Okta custom AS)", flow.IdPMetadataURLs("https://x.okta.com/oauth2/default"), []string{
			"https://x.okta.com/oauth2/default/.well-known/openid-configuration",
			"https://x.okta.com/.well-known/oauth-authorization-server/oauth2/default"}},
		{"AS without path, MCP order", flow.ASMetadataURLs("https://auth.example.com"), []string{
			"https://auth.example.com/.well-known/oauth-authorization-server",
			"https://auth.example.com/.well-known/openid-configuration"}},
		{"AS with path, MCP order", flow.ASMetadataURLs("https://auth.example.com/tenant1"), []string{
			"https://auth.example.com/.well-known/oauth-authorization-server/tenant1",
			"https://auth.example.com/.well-known/openid-configuration/tenant1",
			"https://auth.example.com/tenant1/.well-known/openid-configuration"}},
		{"resource with path", flow.ProtectedResourceMetadataURLs("https://example.com/public/mcp"), []string{
			"https://example.com/.well-known/oauth-protected-resource/public/mcp",
			"https://example.com/.well-known/oauth-protected-resource"}},
		{"resource at the root", flow.ProtectedResourceMetadataURLs("https://api.example.com"), []string{
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

// metadataServer serves JSON documents at the given paths; "{issuer}" in a
// document is replaced by the server's URL.
func metadataServer(t *testing.T, docs map[string]string, headers map[string]http.Header) *httptest.Server {
	t.Helper()
	var srv *httptest.Server
	srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		for k, vs := range headers[r.URL.Path] {
			w.Header()[k] = vs
		}
		doc, ok := docs[r.Method+" "+r.URL.Path]
		if !ok {
			doc, ok = docs[r.URL.Path]
		}
		if !ok {
			if headers[r.URL.Path] != nil {
				w.WriteHeader(http.StatusUnauthorized)
				return
			}
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		w.Write([]byte(strings.ReplaceAll(doc, "{issuer}", srv.URL)))
	}))
	t.Cleanup(srv.Close)
	return srv
}

func TestDiscoverIdP(t *testing.T) {
	t.Run("OIDC discovery", func(t *testing.T) {
		srv := metadataServer(t, map[string]string{"/.well-known/openid-configuration": `{"issuer":"{issuer}","token_endpoint":"{issuer}/token"}`}, nil)
		md, xs, err := flow.DiscoverIdP(context.Background(), flow.Env{}, srv.URL)
		if err != nil || md.Format != flow.FormatOIDC || len(xs) != 1 {
			t.Errorf("DiscoverIdP = %+v, %d exchanges, %v; want the OIDC document in one request", md, len(xs), err)
		}
	})
	t.Run("falls back to RFC 8414", func(t *testing.T) {
		srv := metadataServer(t, map[string]string{"/.well-known/oauth-authorization-server": `{"issuer":"{issuer}","token_endpoint":"{issuer}/token"}`}, nil)
		md, xs, err := flow.DiscoverIdP(context.Background(), flow.Env{}, srv.URL)
		if err != nil || md.Format != flow.FormatRFC8414 || len(md.Tried) != 1 || !strings.Contains(md.Tried[0], "404") || len(xs) != 2 {
			t.Errorf("DiscoverIdP = %+v, %v; want RFC 8414 after a 404 at openid-configuration", md, err)
		}
	})
	t.Run("issuer with a trailing slash", func(t *testing.T) {
		srv := metadataServer(t, map[string]string{"/.well-known/openid-configuration": `{"issuer":"{issuer}/","token_endpoint":"{issuer}/token"}`}, nil)
		md, _, err := flow.DiscoverIdP(context.Background(), flow.Env{}, srv.URL)
		var mismatch *flow.IssuerMismatchError
		if !errors.As(err, &mismatch) || md == nil || !strings.Contains(mismatch.NearMiss, "trailing slash") {
			t.Errorf("DiscoverIdP = %v; want an *IssuerMismatchError naming the trailing slash, with the document", err)
		}
		if !errors.Is(err, flow.ErrMetadataIssuer) {
			t.Errorf("errors.Is(err, ErrMetadataIssuer) = false")
		}
	})
	t.Run("nothing published", func(t *testing.T) {
		srv := metadataServer(t, nil, nil)
		_, xs, err := flow.DiscoverIdP(context.Background(), flow.Env{}, srv.URL)
		var de *flow.DiscoveryError
		if !errors.As(err, &de) || len(de.Attempts) != 2 || len(xs) != 2 {
			t.Errorf("DiscoverIdP = %v; want a *DiscoveryError with two attempts", err)
		}
	})
	t.Run("JSON without metadata members", func(t *testing.T) {
		srv := metadataServer(t, map[string]string{"/.well-known/openid-configuration": `{"hello":"world"}`}, nil)
		_, _, err := flow.DiscoverIdP(context.Background(), flow.Env{}, srv.URL)
		var de *flow.DiscoveryError
		if !errors.As(err, &de) || !strings.Contains(err.Error(), "not metadata") {
			t.Errorf("DiscoverIdP = %v; want it to say the document is not metadata", err)
		}
	})
}

func TestDiscoverASWithPath(t *testing.T) {
	srv := metadataServer(t, map[string]string{"/tenant1/.well-known/openid-configuration": `{"issuer":"{issuer}/tenant1","token_endpoint":"{issuer}/tenant1/token"}`}, nil)
	md, xs, err := flow.DiscoverAS(context.Background(), flow.Env{}, srv.URL+"/tenant1")
	if err != nil {
		t.Fatal(err)
	}
	var order []string
	for _, x := range xs {
		order = append(order, strings.TrimPrefix(x.Request.URL, srv.URL))
	}
	want := []string{"/.well-known/oauth-authorization-server/tenant1", "/.well-known/openid-configuration/tenant1", "/tenant1/.well-known/openid-configuration"}
	if diff := cmp.Diff(want, order); diff != "" {
		t.Errorf("request order (-want +got):\n%s", diff)
	}
	if md.Issuer != srv.URL+"/tenant1" || len(md.Tried) != 2 {
		t.Errorf("metadata = %+v", md)
	}
}

func TestDiscoverProtectedResource(t *testing.T) {
	t.Run("from the WWW-Authenticate challenge", func(t *testing.T) {
		srv := metadataServer(t, map[string]string{"/meta/mcp.json": `{"resource":"{issuer}/mcp","authorization_servers":["https://as"]}`},
			map[string]http.Header{"/mcp": {"Www-Authenticate": {`Bearer resource_metadata="/meta/mcp.json"`}}})
		// A relative URL is not valid in the challenge; use an absolute one.
		srv.Config.Handler = withChallenge(srv.Config.Handler, srv.URL+"/meta/mcp.json")
		md, xs, err := flow.DiscoverProtectedResource(context.Background(), flow.Env{}, srv.URL+"/mcp", true)
		if err != nil || !md.FromChallenge || md.Resource != srv.URL+"/mcp" || md.ProbeStatus != 401 {
			t.Fatalf("DiscoverProtectedResource = %+v, %v", md, err)
		}
		if xs[0].Request.Method != http.MethodPost || !strings.Contains(string(xs[0].Request.Body), `"initialize"`) {
			t.Errorf("MCP probe = %s %s, want a POST initialize", xs[0].Request.Method, xs[0].Request.Body)
		}
	})
	t.Run("well-known path when there is no challenge", func(t *testing.T) {
		srv := metadataServer(t, map[string]string{"/.well-known/oauth-protected-resource": `{"resource":"{issuer}","authorization_servers":["https://as"]}`},
			map[string]http.Header{"/api/todos": {}})
		md, _, err := flow.DiscoverProtectedResource(context.Background(), flow.Env{}, srv.URL+"/api/todos", false)
		if err != nil || md.FromChallenge || md.URL != srv.URL+"/.well-known/oauth-protected-resource" || len(md.Tried) != 1 {
			t.Errorf("DiscoverProtectedResource = %+v, %v; want the root document after the path-inserted one", md, err)
		}
	})
}

// withChallenge adds a challenge with an absolute resource_metadata URL to
// 401 answers.
func withChallenge(next http.Handler, metadataURL string) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/mcp" {
			w.Header().Set("WWW-Authenticate", `Bearer error="invalid_request", resource_metadata="`+metadataURL+`"`)
			w.WriteHeader(http.StatusUnauthorized)
			return
		}
		next.ServeHTTP(w, r)
	})
}

func TestFindJWKS(t *testing.T) {
	jwks := `{"keys":[{"kty":"EC","crv":"P-256","kid":"k1","x":"lTwK7E8dJxZsTmh9ZIdgAGzfx0na0kbTtIJTewaRiWg","y":"qnOA6GbIx2RhIefgPC1O0epQ9RPkEFQPzBYrW-yG_88"}]}`
	srv := metadataServer(t, map[string]string{
		"/.well-known/openid-configuration": `{"issuer":"{issuer}","jwks_uri":"{issuer}/keys"}`,
		"/keys":                             jwks,
	}, nil)
	j, err := flow.FindJWKS(context.Background(), flow.Env{}, srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	if j.URL != srv.URL+"/keys" || j.MetadataURL != srv.URL+"/.well-known/openid-configuration" || len(j.Keys.Keys) != 1 || len(j.Exchanges) != 2 {
		t.Errorf("FindJWKS = %+v", j)
	}

	noKeys := metadataServer(t, map[string]string{"/.well-known/openid-configuration": `{"issuer":"{issuer}","token_endpoint":"{issuer}/t"}`}, nil)
	_, err = flow.FindJWKS(context.Background(), flow.Env{}, noKeys.URL)
	if err == nil || !strings.Contains(err.Error(), "has no jwks_uri") {
		t.Errorf("FindJWKS(no jwks_uri) = %v", err)
	}
	_, err = flow.FindJWKS(context.Background(), flow.Env{}, srv.URL+"/")
	if !errors.Is(err, flow.ErrMetadataIssuer) {
		t.Errorf("FindJWKS(issuer with a slash the server does not publish) = %v, want ErrMetadataIssuer", err)
	}
}

func TestParseWWWAuthenticate(t *testing.T) {
	cases := []struct {
		in   string
		want []flow.Challenge
	}{
		{`Bearer realm="api", error="invalid_token", error_description="The access token expired"`,
			[]flow.Challenge{{Scheme: "Bearer", Params: map[string]string{"realm": "api", "error": "invalid_token", "error_description": "The access token expired"}}}},
		{`Bearer error="insufficient_scope", scope="todos.read mcp.access", resource_metadata="https://rs/.well-known/oauth-protected-resource"`,
			[]flow.Challenge{{Scheme: "Bearer", Params: map[string]string{"error": "insufficient_scope", "scope": "todos.read mcp.access", "resource_metadata": "https://rs/.well-known/oauth-protected-resource"}}}},
		{`DPoP algs="ES256 RS256", Bearer realm="x"`,
			[]flow.Challenge{{Scheme: "DPoP", Params: map[string]string{"algs": "ES256 RS256"}}, {Scheme: "Bearer", Params: map[string]string{"realm": "x"}}}},
		{`Basic realm="a \"quoted\" realm"`, []flow.Challenge{{Scheme: "Basic", Params: map[string]string{"realm": `a "quoted" realm`}}}},
		{`Bearer`, []flow.Challenge{{Scheme: "Bearer", Params: map[string]string{}}}},
		{`Bearer error=invalid_token`, []flow.Challenge{{Scheme: "Bearer", Params: map[string]string{"error": "invalid_token"}}}},
		{``, nil},
		{`"broken`, nil},
	}
	for _, c := range cases {
		t.Run(c.in, func(t *testing.T) {
			got := flow.ParseWWWAuthenticate([]string{c.in})
			if diff := cmp.Diff(c.want, got); diff != "" {
				t.Errorf("ParseWWWAuthenticate(%q) (-want +got):\n%s", c.in, diff)
			}
		})
	}
}

func FuzzParseWWWAuthenticate(f *testing.F) {
	f.Add(`Bearer realm="api", error="invalid_token"`)
	f.Add(`Basic abc==, Bearer x=y`)
	f.Fuzz(func(t *testing.T, s string) {
		for _, c := range flow.ParseWWWAuthenticate([]string{s}) {
			if c.Scheme == "" {
				t.Errorf("empty scheme from %q", s)
			}
		}
	})
}

// TestDiscoveryStepFailures runs the discovery step with configs that are
// wrong in the ways people get them wrong.
func TestDiscoveryStepFailures(t *testing.T) {
	e := start(t, playground.Options{}, "alice")
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
			cfg := *e.cfg
			c.change(&cfg)
			r := &flow.Runner{Config: &cfg, Env: e.runner.Env}
			st := r.RunStep(context.Background(), flow.StepDiscovery, flow.State{}, nil)
			if st.Status != flow.StepFail || st.Explanation == nil || st.Explanation.ID != c.explanation {
				t.Errorf("discovery = %s, %v, %+v; want fail explained as %s", st.Status, st.Err, st.Explanation, c.explanation)
			}
			if ch, ok := st.Checks.Find(c.check); !ok || ch.Status != inspect.StatusFail {
				t.Errorf("check %s = %+v, want fail", c.check, ch)
			}
		})
	}
}
