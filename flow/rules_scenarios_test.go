package flow_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"

	"github.com/xaatools/xaa/flow"
	"github.com/xaatools/xaa/flow/config"
	"github.com/xaatools/xaa/flow/flowtest"
	"github.com/xaatools/xaa/flow/playground"
	"github.com/xaatools/xaa/flow/wire"
	"github.com/xaatools/xaa/inspect"
)

var (
	scenariosOnce sync.Once
	scenarios     map[string][]*flow.Step
)

// stepScenarios runs every scenario once per test binary and returns the
// steps of each, by name.
func stepScenarios(t *testing.T) map[string][]*flow.Step {
	scenariosOnce.Do(func() { scenarios = runScenarios(t) })
	if scenarios == nil {
		t.Fatal("the scenarios did not run")
	}
	return scenarios
}

func runScenarios(t *testing.T) map[string][]*flow.Step {
	ctx := context.Background()
	e := flowtest.Start(t, playground.Options{}, "alice")
	dead := deadURL(t)
	out := map[string][]*flow.Step{}

	// Discovery alone, with the config wrong in one way each.
	discovery := map[string]func(c *config.Config){
		"IdP unreachable":                          func(c *config.Config) { c.IdP.Issuer = dead },
		"resource AS unreachable":                  func(c *config.Config) { c.ResourceAS.Issuer = dead },
		"IdP issuer with a trailing slash":         func(c *config.Config) { c.IdP.Issuer += "/" },
		"resource AS issuer with a trailing slash": func(c *config.Config) { c.ResourceAS.Issuer += "/" },
		"MCP URL with a trailing slash":            func(c *config.Config) { c.Resource.MCPURL += "/" },
		"resource.id elsewhere":                    func(c *config.Config) { c.Resource.ID = "https://elsewhere.example/api" },
		"resources unreachable":                    func(c *config.Config) { c.Resource.APIURL, c.Resource.MCPURL = dead+"/todos", dead+"/mcp" },
		"client metadata unreachable": func(c *config.Config) {
			c.IdP.ClientID, c.ResourceAS.ClientID = dead+"/client.json", dead+"/client.json"
		},
		"resources open to all": func(c *config.Config) {
			open := openServer(t)
			c.Resource.APIURL, c.Resource.MCPURL = open+"/todos", open+"/mcp"
		},
		"client metadata without the grants": func(c *config.Config) {
			doc := fakeServer(t, `{"client_id":"{base}/client.json","grant_types":[],"authorization_grant_profiles_supported":["`+inspect.GrantProfileIDJAG+`"]}`)
			c.IdP.ClientID, c.ResourceAS.ClientID = doc+"/client.json", doc+"/client.json"
		},
		// Metadata lacking what discovery and MCP clients look for.
		"poor metadata": func(c *config.Config) {
			c.IdP.Issuer = fakeServer(t, `{"issuer":"{base}","authorization_endpoint":"http://idp.example/authorize","token_endpoint":"{base}/token",
				"grant_types_supported":["authorization_code"],"identity_chaining_requested_token_types_supported":[],
				"code_challenge_methods_supported":["plain"],"token_endpoint_auth_methods_supported":["private_key_jwt"]}`)
			c.ResourceAS.Issuer = fakeServer(t, `{"issuer":"{base}","token_endpoint":"http://as.example/token","grant_types_supported":["authorization_code"],
				"authorization_grant_profiles_supported":["`+inspect.GrantProfileIDJAG+`"],"token_endpoint_auth_methods_supported":["private_key_jwt"]}`)
		},
		"metadata without usable keys": func(c *config.Config) {
			c.IdP.Issuer = fakeServer(t, `{"issuer":"{base}","authorization_endpoint":"{base}/authorize","token_endpoint":"{base}/token","jwks_uri":"{base}/jwks"}`)
			c.ResourceAS.Issuer = fakeServer(t, `{"issuer":"{base}","jwks_uri":"{base}/jwks"}`)
		},
	}
	for name, change := range discovery {
		cfg := *e.Config
		change(&cfg)
		r := &flow.Runner{Config: &cfg, Env: e.Runner.Env}
		out[name] = []*flow.Step{r.RunStep(ctx, flow.StepDiscovery, flow.State{}, nil)}
	}

	// Whole runs: the playground as it is, and behind proxies that change
	// its token responses.
	run := func(name string, change func(c *config.Config)) (*flow.Run, *flow.Runner) {
		cfg := *e.Config
		change(&cfg)
		r := &flow.Runner{Config: &cfg, Env: e.Runner.Env}
		got, err := r.Run(ctx, flow.StepDiscovery, "")
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		out[name] = got.Steps
		return got, r
	}
	idpToken, asToken := e.Playground.IdPURL()+"/token", e.Playground.ASURL()+"/token"
	baseline, _ := run("the playground", func(*config.Config) {})
	run("answers short of members", func(c *config.Config) {
		c.IdP.TokenEndpoint = tokenProxy(t, idpToken, map[string]map[string]any{
			"authorization_code": {"refresh_token": nil},
			"token-exchange":     {"expires_in": nil, "issued_token_type": nil, "resource": nil, "token_type": "Bearer", "refresh_token": "r"},
		})
		c.ResourceAS.TokenEndpoint = tokenProxy(t, asToken, map[string]map[string]any{
			"jwt-bearer": {"expires_in": nil, "resource": nil, "token_type": "DPoP", "refresh_token": "r"},
		})
	})
	run("token exchange without a token", func(c *config.Config) {
		c.IdP.TokenEndpoint = tokenProxy(t, idpToken, map[string]map[string]any{"token-exchange": {"access_token": nil}})
	})
	run("jwt-bearer grant without a token", func(c *config.Config) {
		c.ResourceAS.TokenEndpoint = tokenProxy(t, asToken, map[string]map[string]any{"jwt-bearer": {"access_token": nil, "token_type": nil}})
	})
	run("resource.id is the MCP server's", func(c *config.Config) { c.Resource.ID = c.Resource.MCPURL })
	run("resource.id is the API's", func(c *config.Config) { c.Resource.ID = e.Playground.ResourceURL() })

	// No scope requested, and none in the answers: the grants differ from
	// the request unannounced.
	quiet, r := run("scopes unannounced", func(c *config.Config) {
		c.IdP.TokenEndpoint = tokenProxy(t, idpToken, map[string]map[string]any{"token-exchange": {"scope": nil}})
		c.ResourceAS.TokenEndpoint = tokenProxy(t, asToken, map[string]map[string]any{"jwt-bearer": {"scope": nil}})
	})
	te := r.Resend(ctx, quiet.Step(flow.StepTokenExchange), flow.Overrides{"scope": ""})
	out["no scope requested"] = []*flow.Step{te, r.RunStep(ctx, flow.StepJWTBearer, te.Out, flow.Overrides{"scope": ""})}

	// A given token for one server only.
	for name, tok := range map[string]string{"the API's token alone": baseline.Step(flow.StepJWTBearer).Out.AccessToken,
		"the MCP server's token alone": baseline.Step(flow.StepJWTBearer).Out.MCPAccessToken} {
		got, err := e.Runner.Run(ctx, flow.StepResource, tok)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		out[name] = got.Steps
	}

	// The Okta profile, and a playground with each of its faults.
	runs := map[string]playground.Options{"the Okta profile": {Profile: playground.ProfileOkta}}
	for _, f := range playground.Faults() {
		if !strings.HasPrefix(f.Name, "okta") { // those need the Okta profile
			runs["fault "+f.Name] = playground.Options{Faults: []string{f.Name}}
		}
	}
	var mu sync.Mutex
	t.Run("playgrounds", func(t *testing.T) { // returns when every parallel run has
		for name, o := range runs {
			t.Run(name, func(t *testing.T) {
				t.Parallel()
				steps := flowtest.Start(t, o, "alice").Run(t).Steps
				mu.Lock()
				out[name] = steps
				mu.Unlock()
			})
		}
	})

	// Callbacks the listener never hands on: checked directly.
	idp := &wire.Metadata{ServerMetadata: inspect.ServerMetadata{Issuer: e.Playground.IdPURL(), AuthorizationResponseIssParameterSupported: true}}
	out["forged callbacks"] = []*flow.Step{
		flow.CheckCallback(wire.Callback{Code: "c", State: "another"}, "mine", idp),
		flow.CheckCallback(wire.Callback{Code: "c", State: "mine", Iss: "https://evil.example"}, "mine", idp),
		flow.CheckCallback(wire.Callback{Code: "c", State: "mine"}, "mine", idp),
		flow.CheckCallback(wire.Callback{Code: "c", State: "mine", Iss: idp.Issuer}, "mine", idp),
	}
	return out
}

// deadURL is a loopback URL nothing listens at.
func deadURL(t *testing.T) string {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return "http://" + l.Addr().String()
}

// fakeServer serves doc at every path ("{base}" is its URL) and an empty
// key set at /jwks.
func fakeServer(t *testing.T, doc string) string {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		if strings.HasSuffix(r.URL.Path, "/jwks") {
			io.WriteString(w, `{"keys":[]}`)
			return
		}
		io.WriteString(w, strings.ReplaceAll(doc, "{base}", "http://"+r.Host))
	}))
	t.Cleanup(srv.Close)
	return srv.URL
}

// openServer answers every call, with or without a token, and publishes
// no metadata.
func openServer(t *testing.T) string {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.Contains(r.URL.Path, "/.well-known/") {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		io.WriteString(w, `{}`)
	}))
	t.Cleanup(srv.Close)
	return srv.URL
}

// tokenProxy forwards token requests to target and edits the JSON answer
// of the grant types named (by a part of grant_type): a nil value drops
// the member, any other sets it.
func tokenProxy(t *testing.T, target string, edits map[string]map[string]any) string {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		form, _ := url.ParseQuery(string(body))
		req, _ := http.NewRequestWithContext(r.Context(), r.Method, target, bytes.NewReader(body))
		req.Header = r.Header.Clone()
		resp, err := http.DefaultTransport.RoundTrip(req)
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadGateway)
			return
		}
		defer resp.Body.Close()
		raw, _ := io.ReadAll(resp.Body)
		var answer map[string]any
		for grant, members := range edits {
			if strings.Contains(form.Get("grant_type"), grant) && json.Unmarshal(raw, &answer) == nil {
				for k, v := range members {
					delete(answer, k)
					if v != nil {
						answer[k] = v
					}
				}
				raw, _ = json.Marshal(answer)
			}
		}
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(resp.StatusCode)
		w.Write(raw)
	}))
	t.Cleanup(srv.Close)
	return srv.URL
}
