package doctor_test

import (
	"context"
	"encoding/json"
	"net"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/xaatools/xaa/flow/doctor"
	"github.com/xaatools/xaa/inspect"

	"github.com/xaatools/xaa/flow/flowtest"

	"github.com/xaatools/xaa/flow/config"

	"github.com/xaatools/xaa/flow"
	"github.com/xaatools/xaa/flow/playground"
)

// refusedAddr returns a loopback address nothing listens on.
func refusedAddr(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	return addr
}

// hostileConfig points every party at base.
func hostileConfig(base string) *config.Config {
	c := &config.Config{}
	c.IdP.Issuer, c.IdP.ClientID, c.IdP.ClientSecret, c.IdP.RedirectURI = base, "agent", "idp-secret-value", "http://127.0.0.1:8976/callback"
	c.ResourceAS.Issuer, c.ResourceAS.ClientID, c.ResourceAS.ClientSecret = base+"/as", "agent-at-api", "as-secret-value"
	c.Resource.APIURL, c.Resource.MCPURL = base+"/todos", base+"/mcp"
	return c
}

// TestDoctorHostileServers: servers that refuse, hang, or answer HTML, an
// oversize body or garbage give every check a clear unknown with the
// reason — never a failure, a crash or a hang. A server that answers 404
// everywhere is an answer: the org's metadata fails.
func TestDoctorHostileServers(t *testing.T) {
	released := make(chan struct{})
	serve := func(h http.HandlerFunc) string {
		srv := httptest.NewServer(h)
		t.Cleanup(func() {
			// Let a held request go before Close waits for it.
			select {
			case <-released:
			default:
				close(released)
			}
			srv.Close()
		})
		return srv.URL
	}
	cases := []struct {
		name   string
		base   string
		reason string
	}{
		{"refused", "http://" + refusedAddr(t), "connection refused"},
		{"timeout", serve(func(w http.ResponseWriter, r *http.Request) {
			select {
			case <-r.Context().Done():
			case <-released:
			}
		}), "timeout"},
		{"HTML instead of JSON", serve(func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "text/html")
			w.Write([]byte("<!doctype html><html><body><h1>Sign in</h1></body></html>"))
		}), "HTML page"},
		{"huge body", serve(func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "application/json")
			w.Write([]byte(`{"issuer":"` + strings.Repeat("x", 2<<20) + `"}`))
		}), "larger than 1 MiB"},
		{"not JSON", serve(func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "application/json")
			w.Write([]byte("issuer: nope"))
		}), "not JSON"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			// Only the hanging server needs a short timeout: every request to
			// it times out however loaded the machine is. The others get a
			// long one, so a slow machine cannot turn their answer into a
			// timeout.
			timeout := 5 * time.Second
			if c.reason == "timeout" {
				timeout = 300 * time.Millisecond
			}
			opts := doctor.Options{Config: hostileConfig(c.base), IDToken: "eyJhbGciOiJub25lIn0.e30.", Env: flow.Env{RequestTimeout: timeout}}
			d := doctor.Run(context.Background(), opts)
			if got := doctorChecksWith(d, inspect.StatusFail); len(got) > 0 {
				t.Errorf("failed checks %v, want none (unknown instead):%s", got, describeDiagnosis(d))
			}
			for _, id := range []string{"org.metadata", "resource_as.metadata", "resource.api.metadata", "resource.mcp.metadata"} {
				got, _ := d.Find(id)
				if got.Status != inspect.StatusUnknown || !strings.Contains(got.Hint, c.reason) {
					t.Errorf("%s = %s %q, want unknown naming %q", id, got.Status, got.Hint, c.reason)
				}
			}
			for _, id := range userCheckIDs {
				if got, _ := d.Find(id); got.Status != inspect.StatusUnknown || got.Hint == "" {
					t.Errorf("%s = %s %q, want unknown with a reason", id, got.Status, got.Hint)
				}
			}
		})
	}
	t.Run("404 everywhere", func(t *testing.T) {
		t.Parallel()
		base := serve(http.NotFound)
		d := doctor.Run(context.Background(), doctor.Options{Config: hostileConfig(base), Env: flow.Env{RequestTimeout: time.Second}})
		got, _ := d.Find("org.metadata")
		if got.Status != inspect.StatusFail || !strings.Contains(got.Hint, "check idp.issuer") || !strings.Contains(got.Hint, "404") {
			t.Errorf("org.metadata = %s %q, want fail naming the 404 and idp.issuer", got.Status, got.Hint)
		}
		if c, _ := d.Find("requesting_app.credentials"); c.Status != inspect.StatusUnknown {
			t.Errorf("requesting_app.credentials = %s, want unknown without metadata", c.Status)
		}
	})
}

// TestDoctorOrgURL: the org URL's own mistakes — the -admin console host, a
// custom authorization server, http, a trailing slash — each fail their
// check. Every request is refused (the hosts are not dialled).
func TestDoctorOrgURL(t *testing.T) {
	addr := refusedAddr(t)
	refuse := &http.Client{Transport: &http.Transport{DialContext: func(ctx context.Context, network, _ string) (net.Conn, error) {
		return (&net.Dialer{}).DialContext(ctx, network, addr)
	}}}
	checks := []string{"org.url", "org.url.admin", "org.url.authorization_server", "org.url.trailing_slash"}
	cases := []struct {
		issuer string
		fails  string // the one URL check that fails; "" for none
		hint   string
	}{
		{"https://dev-123.okta.com", "", ""},
		{"https://dev-123-admin.okta.com", "org.url.admin", "use https://dev-123.okta.com"},
		{"https://dev-123.okta.com/oauth2/default", "org.url.authorization_server", "cannot issue ID-JAGs"},
		{"https://dev-123.okta.com/oauth2/aus8abc123", "org.url.authorization_server", "https://dev-123.okta.com"},
		{"http://dev-123.okta.com", "org.url", "https://dev-123.okta.com"},
		{"https://dev-123.okta.com/", "org.url.trailing_slash", "use https://dev-123.okta.com"},
		{"dev-123.okta.com", "org.url", "set idp.issuer to the org URL"},
	}
	for _, c := range cases {
		t.Run(c.issuer, func(t *testing.T) {
			cfg := hostileConfig("https://api.example.com")
			cfg.IdP.Issuer = c.issuer
			d := doctor.Run(context.Background(), doctor.Options{Config: cfg, Env: flow.Env{HTTPClient: refuse, RequestTimeout: time.Second}})
			var failed []string
			for _, id := range checks {
				if got, _ := d.Find(id); got.Status == inspect.StatusFail {
					failed = append(failed, id)
				}
			}
			if c.fails == "" {
				if len(failed) > 0 {
					t.Errorf("failed %v, want none:%s", failed, describeDiagnosis(d))
				}
				return
			}
			if !slices.Equal(failed, []string{c.fails}) {
				t.Fatalf("failed %v, want [%s]:%s", failed, c.fails, describeDiagnosis(d))
			}
			if got, _ := d.Find(c.fails); !strings.Contains(got.Hint, c.hint) {
				t.Errorf("%s hint = %q, want it to contain %q", c.fails, got.Hint, c.hint)
			}
		})
	}
}

// TestDoctorClock: a clock ten minutes off fails the clock check and
// nothing else.
func TestDoctorClock(t *testing.T) {
	t.Parallel()
	e := flowtest.Start(t, playground.Options{Profile: playground.ProfileOkta}, "alice")
	d := doctor.Run(context.Background(), doctor.Options{Config: e.Config, Env: flow.Env{Now: func() time.Time { return time.Now().Add(10 * time.Minute) }}})
	if got := doctorChecksWith(d, inspect.StatusFail); !slices.Equal(got, []string{"org.clock"}) {
		t.Fatalf("failed %v, want [org.clock]:%s", got, describeDiagnosis(d))
	}
	if c, _ := d.Find("org.clock"); !strings.Contains(c.Actual, "the org is 10m behind") && !strings.Contains(c.Actual, "the org is 9m59s behind") {
		t.Errorf("org.clock actual = %q, want the org 10 minutes behind", c.Actual)
	}
}

// TestDoctorJSON: the JSON names every check with its party, status,
// console path and evidence, and holds no secret and no whole token.
func TestDoctorJSON(t *testing.T) {
	t.Parallel()
	e := flowtest.Start(t, playground.Options{Profile: playground.ProfileOkta, Faults: []string{playground.FaultOktaNoConnection}}, "alice")
	token := doctorSignIn(t, e)
	d := diagnose(e, token)
	b, err := json.Marshal(d.JSON(false))
	if err != nil {
		t.Fatal(err)
	}
	for _, secret := range e.Config.Secrets() {
		if strings.Contains(string(b), secret) {
			t.Error("the JSON holds a client secret")
		}
	}
	if strings.Contains(string(b), token) {
		t.Error("the JSON holds the whole ID token without --reveal")
	}
	var got struct {
		OK      bool
		Summary doctor.Summary
		Checks  []struct {
			ID, Party, Status, Title, Console string
			Evidence                          []struct {
				Request  struct{ Method, URL string }
				Response *struct{ Status int }
			}
		}
	}
	if err := json.Unmarshal(b, &got); err != nil {
		t.Fatal(err)
	}
	if got.OK || got.Summary.Fail != 1 || got.Summary.Pass+got.Summary.Warn+got.Summary.Fail+got.Summary.Unknown != len(d.Checks) {
		t.Errorf("ok %v, summary %+v for %d checks; want not ok, one fail, counts adding up", got.OK, got.Summary, len(d.Checks))
	}
	for _, c := range got.Checks {
		if c.ID == "" || c.Party == "" || c.Status == "" || c.Title == "" {
			t.Errorf("check %+v lacks id, party, status or title", c)
		}
		if c.ID == "requesting_app.connection" {
			// One token exchange per resource: the API's and the MCP server's.
			refused := len(c.Evidence) == 2
			for _, ev := range c.Evidence {
				refused = refused && ev.Response != nil && ev.Response.Status == 400
			}
			if c.Status != "fail" || !strings.Contains(c.Console, "Manage Connections") || !refused {
				t.Errorf("requesting_app.connection = %+v, want fail, Manage Connections, the two 400 exchanges as evidence", c)
			}
		}
	}
	if withToken, _ := json.Marshal(d.JSON(true)); !strings.Contains(string(withToken), token) {
		t.Error("--reveal JSON does not hold the ID token of the exchange")
	}
}

// TestDoctorHostileEndpoints: metadata that is fine, endpoints that are
// not — a key set too large, a token endpoint answering HTML, an
// authorization endpoint that never answers, a resource AS answering
// garbage — give those checks an unknown with the reason, and nothing fails.
func TestDoctorHostileEndpoints(t *testing.T) {
	t.Parallel()
	released := make(chan struct{})
	var base string
	mux := http.NewServeMux()
	writeJSON := func(w http.ResponseWriter, v any) {
		w.Header().Set("Content-Type", "application/json")
		json.NewEncoder(w).Encode(v)
	}
	mux.HandleFunc("/.well-known/openid-configuration", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, map[string]any{"issuer": base, "authorization_endpoint": base + "/authorize", "token_endpoint": base + "/token", "jwks_uri": base + "/keys"})
	})
	mux.HandleFunc("/.well-known/oauth-authorization-server/as", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, map[string]any{"issuer": base + "/as", "token_endpoint": base + "/as/token"})
	})
	mux.HandleFunc("/keys", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Write([]byte(`{"keys":["` + strings.Repeat("k", 2<<20) + `"]}`))
	})
	mux.HandleFunc("/token", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		w.Write([]byte("<html><body>Please sign in</body></html>"))
	})
	mux.HandleFunc("/authorize", func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-r.Context().Done():
		case <-released:
		}
	})
	mux.HandleFunc("/as/token", func(w http.ResponseWriter, r *http.Request) { w.Write([]byte("\x00\x01 not json")) })
	srv := httptest.NewServer(mux)
	t.Cleanup(func() { close(released); srv.Close() })
	base = srv.URL
	cfg := hostileConfig(base)
	// The resource is not this server (which publishes no RFC 9728 metadata, a real answer).
	cfg.Resource.APIURL, cfg.Resource.MCPURL = "http://"+refusedAddr(t)+"/todos", ""
	// A long timeout: the one hanging endpoint waits it out once, and no
	// answer of the others can time out on a loaded machine.
	d := doctor.Run(context.Background(), doctor.Options{Config: cfg, Env: flow.Env{RequestTimeout: 3 * time.Second}})
	if got := doctorChecksWith(d, inspect.StatusFail); len(got) > 0 {
		t.Errorf("failed checks %v, want none:%s", got, describeDiagnosis(d))
	}
	for id, reason := range map[string]string{
		"org.jwks":                    "larger than 1 MiB",
		"requesting_app.credentials":  "HTML page",
		"requesting_app.redirect_uri": "timeout",
		"resource_as.credentials":     "not JSON",
	} {
		if got, _ := d.Find(id); got.Status != inspect.StatusUnknown || !strings.Contains(got.Hint, reason) {
			t.Errorf("%s = %s %q, want unknown naming %q", id, got.Status, got.Hint, reason)
		}
	}
	if c, _ := d.Find("org.issuer"); c.Status != inspect.StatusPass {
		t.Errorf("org.issuer = %s, want pass (the metadata itself is fine)", c.Status)
	}
}

// TestDoctorRefreshProbeHostile: on the refresh-token path, an IdP whose
// refresh grant answers garbage leaves the grant unknown with the reason,
// and one that issues tokens for a refresh token it never issued is a
// warning — neither is a ✓.
func TestDoctorRefreshProbeHostile(t *testing.T) {
	t.Parallel()
	for name, c := range map[string]struct {
		answer func(w http.ResponseWriter)
		want   inspect.Status
	}{
		"garbage": {func(w http.ResponseWriter) { w.Write([]byte("\x1b]52;c;cHduZWQ=\x07 not json")) }, inspect.StatusUnknown},
		"accepts anything": {func(w http.ResponseWriter) {
			w.Header().Set("Content-Type", "application/json")
			w.Write([]byte(`{"access_token":"at","token_type":"Bearer","id_token":"x.y.z"}`))
		}, inspect.StatusWarn},
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			var base string
			mux := http.NewServeMux()
			mux.HandleFunc("/.well-known/openid-configuration", func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Content-Type", "application/json")
				json.NewEncoder(w).Encode(map[string]any{"issuer": base, "token_endpoint": base + "/token"})
			})
			mux.HandleFunc("/token", func(w http.ResponseWriter, r *http.Request) {
				if r.PostFormValue("grant_type") == "refresh_token" {
					c.answer(w)
					return
				}
				// The token exchange probe: the subject token is refused,
				// so the client's credentials were accepted.
				w.Header().Set("Content-Type", "application/json")
				w.WriteHeader(http.StatusBadRequest)
				w.Write([]byte(`{"error":"invalid_request","error_description":"'subject_token' is invalid."}`))
			})
			srv := httptest.NewServer(mux)
			t.Cleanup(srv.Close)
			base = srv.URL
			cfg := hostileConfig(base)
			cfg.IdP.Subject = config.SubjectRefreshToken
			d := doctor.Run(context.Background(), doctor.Options{Config: cfg})
			got, ok := d.Find("requesting_app.refresh_token_grant")
			if !ok || got.Status != c.want {
				t.Fatalf("requesting_app.refresh_token_grant = %s %q %q, want %s:%s", got.Status, got.Actual, got.Hint, c.want, describeDiagnosis(d))
			}
		})
	}
}
