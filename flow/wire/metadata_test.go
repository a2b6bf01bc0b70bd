package wire_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/xaatools/xaa/flow/wire"
)

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
		md, xs, err := discoverIdP(srv.URL)
		if err != nil || md.Format != wire.FormatOIDC || len(xs) != 1 {
			t.Errorf("DiscoverIdP = %+v, %d exchanges, %v; want the OIDC document in one request", md, len(xs), err)
		}
	})
	t.Run("falls back to RFC 8414", func(t *testing.T) {
		srv := metadataServer(t, map[string]string{"/.well-known/oauth-authorization-server": `{"issuer":"{issuer}","token_endpoint":"{issuer}/token"}`}, nil)
		md, xs, err := discoverIdP(srv.URL)
		if err != nil || md.Format != wire.FormatRFC8414 || len(md.Tried) != 1 || !strings.Contains(md.Tried[0], "404") || len(xs) != 2 {
			t.Errorf("DiscoverIdP = %+v, %v; want RFC 8414 after a 404 at openid-configuration", md, err)
		}
	})
	t.Run("issuer with a trailing slash", func(t *testing.T) {
		srv := metadataServer(t, map[string]string{"/.well-known/openid-configuration": `{"issuer":"{issuer}/","token_endpoint":"{issuer}/token"}`}, nil)
		md, _, err := discoverIdP(srv.URL)
		var mismatch *wire.IssuerMismatchError
		if !errors.As(err, &mismatch) || md == nil || !strings.Contains(mismatch.NearMiss, "trailing slash") {
			t.Errorf("DiscoverIdP = %v; want an *IssuerMismatchError naming the trailing slash, with the document", err)
		}
		if !errors.Is(err, wire.ErrMetadataIssuer) {
			t.Errorf("errors.Is(err, ErrMetadataIssuer) = false")
		}
	})
	t.Run("nothing published", func(t *testing.T) {
		srv := metadataServer(t, nil, nil)
		_, xs, err := discoverIdP(srv.URL)
		var de *wire.DiscoveryError
		if !errors.As(err, &de) || len(de.Attempts) != 2 || len(xs) != 2 {
			t.Errorf("DiscoverIdP = %v; want a *DiscoveryError with two attempts", err)
		}
	})
	t.Run("JSON without metadata members", func(t *testing.T) {
		srv := metadataServer(t, map[string]string{"/.well-known/openid-configuration": `{"hello":"world"}`}, nil)
		_, _, err := discoverIdP(srv.URL)
		var de *wire.DiscoveryError
		if !errors.As(err, &de) || !strings.Contains(err.Error(), "not metadata") {
			t.Errorf("DiscoverIdP = %v; want it to say the document is not metadata", err)
		}
	})
}

func TestDiscoverASWithPath(t *testing.T) {
	srv := metadataServer(t, map[string]string{"/tenant1/.well-known/openid-configuration": `{"issuer":"{issuer}/tenant1","token_endpoint":"{issuer}/tenant1/token"}`}, nil)
	md, xs, err := discoverAS(srv.URL + "/tenant1")
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
		md, xs, err := discoverResource(srv.URL+"/mcp", true)
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
		md, _, err := discoverResource(srv.URL+"/api/todos", false)
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
	j, err := wire.FindJWKS(context.Background(), wire.Options{}, srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	if j.URL != srv.URL+"/keys" || j.MetadataURL != srv.URL+"/.well-known/openid-configuration" || len(j.Keys.Keys) != 1 || len(j.Exchanges) != 2 {
		t.Errorf("FindJWKS = %+v", j)
	}

	noKeys := metadataServer(t, map[string]string{"/.well-known/openid-configuration": `{"issuer":"{issuer}","token_endpoint":"{issuer}/t"}`}, nil)
	_, err = wire.FindJWKS(context.Background(), wire.Options{}, noKeys.URL)
	if err == nil || !strings.Contains(err.Error(), "has no jwks_uri") {
		t.Errorf("FindJWKS(no jwks_uri) = %v", err)
	}
	_, err = wire.FindJWKS(context.Background(), wire.Options{}, srv.URL+"/")
	if !errors.Is(err, wire.ErrMetadataIssuer) {
		t.Errorf("FindJWKS(issuer with a slash the server does not publish) = %v, want ErrMetadataIssuer", err)
	}
}

func TestParseWWWAuthenticate(t *testing.T) {
	cases := []struct {
		in   string
		want []wire.Challenge
	}{
		{`Bearer realm="api", error="invalid_token", error_description="The access token expired"`,
			[]wire.Challenge{{Scheme: "Bearer", Params: map[string]string{"realm": "api", "error": "invalid_token", "error_description": "The access token expired"}}}},
		{`Bearer error="insufficient_scope", scope="todos.read mcp.access", resource_metadata="https://rs/.well-known/oauth-protected-resource"`,
			[]wire.Challenge{{Scheme: "Bearer", Params: map[string]string{"error": "insufficient_scope", "scope": "todos.read mcp.access", "resource_metadata": "https://rs/.well-known/oauth-protected-resource"}}}},
		{`DPoP algs="ES256 RS256", Bearer realm="x"`,
			[]wire.Challenge{{Scheme: "DPoP", Params: map[string]string{"algs": "ES256 RS256"}}, {Scheme: "Bearer", Params: map[string]string{"realm": "x"}}}},
		{`Basic realm="a \"quoted\" realm"`, []wire.Challenge{{Scheme: "Basic", Params: map[string]string{"realm": `a "quoted" realm`}}}},
		{`Bearer`, []wire.Challenge{{Scheme: "Bearer", Params: map[string]string{}}}},
		{`Bearer error=invalid_token`, []wire.Challenge{{Scheme: "Bearer", Params: map[string]string{"error": "invalid_token"}}}},
		{``, nil},
		{`"broken`, nil},
	}
	for _, c := range cases {
		t.Run(c.in, func(t *testing.T) {
			got := wire.ParseWWWAuthenticate([]string{c.in})
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
		for _, c := range wire.ParseWWWAuthenticate([]string{s}) {
			if c.Scheme == "" {
				t.Errorf("empty scheme from %q", s)
			}
		}
	})
}

func discoverIdP(issuer string) (*wire.Metadata, []*wire.Exchange, error) {
	c := wire.NewClient(wire.Options{})
	md, err := c.DiscoverIdP(context.Background(), issuer)
	return md, c.Exchanges(), err
}

func discoverAS(issuer string) (*wire.Metadata, []*wire.Exchange, error) {
	c := wire.NewClient(wire.Options{})
	md, err := c.DiscoverAS(context.Background(), issuer)
	return md, c.Exchanges(), err
}

func discoverResource(url string, mcp bool) (*wire.ResourceMetadata, []*wire.Exchange, error) {
	c := wire.NewClient(wire.Options{})
	md, err := c.DiscoverProtectedResource(context.Background(), url, mcp)
	return md, c.Exchanges(), err
}
