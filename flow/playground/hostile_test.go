package playground_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/xaatools/xaa/flow/playground"
	"github.com/xaatools/xaa/inspect"
)

// TestHostileTokenRequests: malformed, oversized and incomplete requests to
// the token endpoints get RFC 6749 errors, never a 500 or a hang.
func TestHostileTokenRequests(t *testing.T) {
	e := start(t, playground.Options{})
	huge := "grant_type=" + inspect.GrantTypeJWTBearer + "&assertion=" + strings.Repeat("a", 100<<10)
	cases := []struct {
		name        string
		method      string
		contentType string
		query       string
		body        string
		status      int
		code        string
		want        string
	}{
		{"GET", http.MethodGet, "", "", "", 405, "invalid_request", "takes POST"},
		{"no content type", http.MethodPost, "", "", "grant_type=x", 400, "invalid_request", "no Content-Type"},
		{"JSON body", http.MethodPost, "application/json", "", `{"grant_type":"x"}`, 400, "invalid_request", "takes application/x-www-form-urlencoded"},
		{"bad content type", http.MethodPost, "application/x-www-form-urlencoded; charset", "", "grant_type=x", 400, "invalid_request", "cannot be parsed"},
		{"latin-1", http.MethodPost, "application/x-www-form-urlencoded; charset=iso-8859-1", "", "grant_type=x", 400, "invalid_request", "send UTF-8"},
		{"huge body", http.MethodPost, "application/x-www-form-urlencoded", "", huge, 413, "invalid_request", "larger than 64 KiB"},
		{"malformed form", http.MethodPost, "application/x-www-form-urlencoded", "", "grant_type=%zz", 400, "invalid_request", "not a valid form"},
		{"parameters in the query", http.MethodPost, "application/x-www-form-urlencoded", "client_secret=leak", "grant_type=x", 400, "invalid_request", "in the URL query"},
		{"repeated parameter", http.MethodPost, "application/x-www-form-urlencoded", "", "grant_type=a&grant_type=b", 400, "invalid_request", "grant_type is sent 2 times"},
		{"no grant_type", http.MethodPost, "application/x-www-form-urlencoded", "", "assertion=x", 400, "invalid_request", "grant_type is missing"},
		{"unknown grant", http.MethodPost, "application/x-www-form-urlencoded", "", "grant_type=password", 400, "unsupported_grant_type", "supports only"},
		{"token exchange at the AS", http.MethodPost, "application/x-www-form-urlencoded", "", "grant_type=" + url.QueryEscape(inspect.GrantTypeTokenExchange), 400, "unsupported_grant_type", "done at the IdP"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			u := e.cfg.ResourceAS.Issuer + "/token"
			if c.query != "" {
				u += "?" + c.query
			}
			req, _ := http.NewRequest(c.method, u, strings.NewReader(c.body))
			if c.contentType != "" {
				req.Header.Set("Content-Type", c.contentType)
			}
			req.SetBasicAuth(e.cfg.ResourceAS.ClientID, e.cfg.ResourceAS.ClientSecret.Reveal())
			r := e.do(req)
			wantError(t, r, c.status, c.code, c.want)
			if r.header.Get("Cache-Control") != "no-store" {
				t.Errorf("Cache-Control = %q, want no-store", r.header.Get("Cache-Control"))
			}
		})
	}
	missing := []struct {
		name string
		url  string
		form url.Values
		want string
	}{
		{"assertion", e.cfg.ResourceAS.Issuer + "/token", url.Values{"grant_type": {inspect.GrantTypeJWTBearer}}, "assertion parameter is missing"},
		{"code", e.idpTokenURL(), url.Values{"grant_type": {"authorization_code"}, "redirect_uri": {"x"}}, "code parameter is missing"},
		{"refresh_token", e.idpTokenURL(), url.Values{"grant_type": {"refresh_token"}}, "refresh_token parameter is missing"},
		{"subject_token", e.idpTokenURL(), url.Values{"grant_type": {inspect.GrantTypeTokenExchange}, "requested_token_type": {inspect.TokenTypeIDJAG}}, "subject_token parameter is missing"},
	}
	for _, c := range missing {
		t.Run("missing "+c.name, func(t *testing.T) {
			basic := e.asBasic()
			if !strings.HasPrefix(c.url, e.cfg.ResourceAS.Issuer) {
				basic = e.idpBasic()
			}
			wantError(t, e.post(c.url, c.form, basic), 400, "invalid_request", c.want)
		})
	}
	t.Run("metadata by POST", func(t *testing.T) {
		resp, err := http.Post(e.cfg.IdP.Issuer+"/.well-known/openid-configuration", "text/plain", strings.NewReader("x"))
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusMethodNotAllowed {
			t.Errorf("POST to metadata: HTTP %d, want 405", resp.StatusCode)
		}
	})
	t.Run("huge login form", func(t *testing.T) {
		req, _ := http.NewRequest(http.MethodPost, e.cfg.IdP.Issuer+"/authorize", strings.NewReader("username="+strings.Repeat("a", 32<<10)))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		if r := e.do(req); r.status != 400 || !strings.Contains(r.raw, "larger than 16 KiB") {
			t.Errorf("got HTTP %d, want 400 naming the limit", r.status)
		}
	})
}

// TestResourceProtection: the REST API and the MCP server require a valid
// access token of the right audience and scope, and answer with RFC 6750
// challenges carrying RFC 9728 resource_metadata.
func TestResourceProtection(t *testing.T) {
	e := start(t, playground.Options{})
	apiToken := e.accessToken(e.p.ResourceURL(), "todos.read")
	mcpToken := e.accessToken(e.cfg.Resource.MCPURL, "todos.read todos.write")
	prm := e.p.ResourceURL() + "/.well-known/oauth-protected-resource"
	cases := []struct {
		name, method, url, auth, contentType, body string
		status                                     int
		challenge                                  []string
		want                                       string
	}{
		{name: "no token", method: "GET", url: e.cfg.Resource.APIURL, status: 401,
			challenge: []string{`resource_metadata="` + prm + `"`, `scope="todos.read todos.write"`}, want: "no access token"},
		{name: "MCP without token", method: "POST", url: e.cfg.Resource.MCPURL, contentType: "application/json", body: "{}", status: 401,
			challenge: []string{`resource_metadata="` + prm + `/mcp"`}},
		{name: "Basic scheme", method: "GET", url: e.cfg.Resource.APIURL, auth: "Basic eDp5", status: 401, challenge: []string{`error="invalid_request"`}},
		{name: "token in the query", method: "GET", url: e.cfg.Resource.APIURL + "?access_token=" + apiToken, status: 400, want: "in the URL query"},
		{name: "garbage token", method: "GET", url: e.cfg.Resource.APIURL, auth: "Bearer abc", status: 401, challenge: []string{`error="invalid_token"`}},
		{name: "ID-JAG as access token", method: "GET", url: e.cfg.Resource.APIURL, auth: "Bearer " + e.idJAG(), status: 401, want: "redeem it at the resource AS"},
		{name: "MCP token at the REST API", method: "GET", url: e.cfg.Resource.APIURL, auth: "Bearer " + mcpToken, status: 401, want: "access_token.aud failed"},
		// MCP authorization: the server accepts only tokens issued for it.
		{name: "REST token at the MCP server", method: "POST", url: e.cfg.Resource.MCPURL, auth: "Bearer " + apiToken, contentType: "application/json", body: "{}", status: 401, want: "access_token.aud failed"},
		{name: "read-only token adds", method: "POST", url: e.cfg.Resource.APIURL, auth: "Bearer " + apiToken, contentType: "application/json", body: `{"title":"x"}`, status: 403,
			challenge: []string{`error="insufficient_scope"`, `scope="todos.read todos.write"`}},
		{name: "wrong content type", method: "POST", url: e.cfg.Resource.APIURL, auth: "Bearer " + e.accessToken(e.p.ResourceURL(), "todos.write"), contentType: "text/plain", body: "x", status: 415},
		{name: "DELETE", method: "DELETE", url: e.cfg.Resource.APIURL, auth: "Bearer " + apiToken, status: 405},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			req, _ := http.NewRequest(c.method, c.url, strings.NewReader(c.body))
			if c.auth != "" {
				req.Header.Set("Authorization", c.auth)
			}
			if c.contentType != "" {
				req.Header.Set("Content-Type", c.contentType)
			}
			r := e.do(req)
			if r.status != c.status {
				t.Errorf("got HTTP %d %s, want %d", r.status, r.raw, c.status)
			}
			for _, want := range c.challenge {
				if !strings.Contains(r.header.Get("WWW-Authenticate"), want) {
					t.Errorf("WWW-Authenticate %q lacks %s", r.header.Get("WWW-Authenticate"), want)
				}
			}
			if !strings.Contains(r.str("error_description"), c.want) {
				t.Errorf("error_description %q lacks %q", r.str("error_description"), c.want)
			}
		})
	}
	write := e.accessToken(e.p.ResourceURL(), "todos.write")
	bodies := []struct {
		name, body string
		status     int
		want       string
	}{
		{"huge body", `{"title":"` + strings.Repeat("a", 20<<10) + `"}`, 413, "too large"},
		{"not JSON", `title=x`, 400, "is not"},
		{"unknown field", `{"title":"x","owner":"bob"}`, 400, "unknown field"},
		{"two objects", `{"title":"x"}{"title":"y"}`, 400, "data after"},
		{"blank title", `{"title":"   "}`, 422, "title is empty"},
		{"long title", `{"title":"` + strings.Repeat("é", 201) + `"}`, 422, "at most 200"},
	}
	for _, c := range bodies {
		t.Run(c.name, func(t *testing.T) {
			req, _ := http.NewRequest(http.MethodPost, e.cfg.Resource.APIURL, strings.NewReader(c.body))
			req.Header.Set("Authorization", "Bearer "+write)
			req.Header.Set("Content-Type", "application/json")
			if r := e.do(req); r.status != c.status || !strings.Contains(r.str("error_description"), c.want) {
				t.Errorf("got HTTP %d %s, want %d with %q", r.status, r.raw, c.status, c.want)
			}
		})
	}
	t.Run("huge MCP body", func(t *testing.T) {
		req, _ := http.NewRequest(http.MethodPost, e.cfg.Resource.MCPURL, strings.NewReader(strings.Repeat(" ", 2<<20)))
		req.Header.Set("Authorization", "Bearer "+mcpToken)
		req.Header.Set("Content-Type", "application/json")
		if r := e.do(req); r.status != 413 {
			t.Errorf("got HTTP %d %s, want 413", r.status, r.raw)
		}
	})
}
