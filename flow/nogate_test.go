package flow_test

import (
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/xaatools/xaa/flow"
	"github.com/xaatools/xaa/flow/flowtest"
	"github.com/xaatools/xaa/flow/playground"
	"github.com/xaatools/xaa/flow/wire"
	"github.com/xaatools/xaa/inspect"
)

// notFound serves 404 for everything: a jwks_uri nobody publishes.
func notFound(t *testing.T) string {
	t.Helper()
	srv := httptest.NewServer(http.NotFoundHandler())
	t.Cleanup(srv.Close)
	return srv.URL + "/jwks"
}

// missingNames reports the inputs a skipped step says it lacks.
func missingNames(st *flow.Step) string {
	var out []string
	for _, m := range st.Missing {
		out = append(out, m.String())
	}
	return strings.Join(out, "; ")
}

// TestKeysThatCannotBeFetchedDoNotGate: the IdP's key set answers 404 (as
// the MCP conformance suite's IdP does). Discovery records the failure,
// and every later step still runs; each signature is unknown, naming the
// key set, and the resource is called.
func TestKeysThatCannotBeFetchedDoNotGate(t *testing.T) {
	e := flowtest.Start(t, playground.Options{}, "alice")
	jwks := notFound(t)
	e.Config.IdP.JWKSURI = jwks
	run := e.Run(t)
	if d := run.Step(flow.StepDiscovery); d.Status != inspect.StatusFail {
		t.Errorf("discovery = %s, want fail (the key set is a finding)", d.Status)
	}
	for _, id := range []flow.StepID{flow.StepLogin, flow.StepTokenExchange, flow.StepJWTBearer, flow.StepResource} {
		if st := run.Step(id); st.Status == inspect.StatusSkip {
			t.Errorf("%s was skipped (%s); want it to run", id, strings.Join(st.Notes, "; "))
		}
	}
	for _, id := range []flow.StepID{flow.StepLogin, flow.StepTokenExchange} {
		for _, a := range run.Step(id).Tokens {
			if !a.Signature.NoKeys || !strings.Contains(a.Signature.Verdict(), "unknown: no usable keys at "+jwks) {
				t.Errorf("%s: %s signature %q, want unknown naming %s", id, a.Token.Kind, a.Signature.Verdict(), jwks)
			}
		}
	}
	if r := run.Step(flow.StepResource); r.Status != inspect.StatusPass {
		t.Errorf("resource = %s, want pass:%s", r.Status, flowtest.Summary(run))
	}
}

// TestTokenExchangeRunsWhenTheResourceASIsUnreachable: --from
// token_exchange with an ID token, and a resource AS whose host does not
// resolve. The token exchange is still sent and the IdP's real answer is
// shown; the jwt-bearer step is skipped naming the input and the key.
func TestTokenExchangeRunsWhenTheResourceASIsUnreachable(t *testing.T) {
	e := flowtest.Start(t, playground.Options{}, "alice")
	login := e.Run(t).Step(flow.StepLogin)
	if login.Out.IDToken == "" {
		t.Fatalf("no ID token from the login:%s", strings.Join(login.Notes, "; "))
	}
	e.Config.ResourceAS.Issuer = "https://as.xaa-test.invalid"
	run, err := e.Runner.Run(context.Background(), flow.StepTokenExchange, login.Out.IDToken)
	if err != nil {
		t.Fatal(err)
	}
	x := run.Step(flow.StepTokenExchange)
	if x.Status == inspect.StatusSkip || len(x.Exchanges) == 0 {
		t.Fatalf("token exchange = %s with %d exchanges, want it sent:%s", x.Status, len(x.Exchanges), flowtest.Summary(run))
	}
	if x.Err == nil || !strings.Contains(x.Err.Error(), "invalid_target") {
		t.Errorf("token exchange error = %v, want the IdP's invalid_target", x.Err)
	}
	jb := run.Step(flow.StepJWTBearer)
	if got := missingNames(jb); jb.Status != inspect.StatusSkip || !strings.Contains(got, "resource_as.token_endpoint") || !strings.Contains(got, "an ID-JAG") {
		t.Errorf("jwt_bearer = %s, missing %q; want skipped naming the token endpoint (resource_as.token_endpoint) and the ID-JAG", jb.Status, got)
	}
}

// TestConfiguredTokenEndpointStandsInForDiscovery: the resource AS
// publishes no metadata we can reach, but resource_as.token_endpoint names
// its token endpoint: a given ID-JAG is redeemed all the same.
func TestConfiguredTokenEndpointStandsInForDiscovery(t *testing.T) {
	e := flowtest.Start(t, playground.Options{}, "alice")
	req, err := e.Playground.IDJAGTemplate("alice")
	if err != nil {
		t.Fatal(err)
	}
	jag, err := e.Playground.Mint(req)
	if err != nil {
		t.Fatal(err)
	}
	e.Config.ResourceAS.TokenEndpoint = e.Playground.ASURL() + "/token"
	e.Config.ResourceAS.Issuer = "https://as.xaa-test.invalid" // discovery finds nothing here
	run, err := e.Runner.Run(context.Background(), flow.StepJWTBearer, jag)
	if err != nil {
		t.Fatal(err)
	}
	if d := run.Step(flow.StepDiscovery); d.Status != inspect.StatusFail {
		t.Errorf("discovery = %s, want fail", d.Status)
	}
	jb := run.Step(flow.StepJWTBearer)
	if jb.Status == inspect.StatusSkip || jb.Out.AccessToken == "" {
		t.Errorf("jwt_bearer = %s (%v), want an access token from the configured endpoint:%s", jb.Status, jb.Err, flowtest.Summary(run))
	}
}

// oneRequestPerConnection proxies to target but resets any connection on
// its second request, as a server does that dropped a keep-alive
// connection while a person was logging in (Node closes idle connections
// after 5 s): a client that reuses a pooled connection after a wait gets
// "connection reset by peer" for a request the server never read.
func oneRequestPerConnection(t *testing.T, target string) string {
	t.Helper()
	type connKey struct{}
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if n := r.Context().Value(connKey{}).(*atomic.Int32).Add(1); n > 1 {
			conn, _, err := w.(http.Hijacker).Hijack()
			if err == nil {
				conn.(*net.TCPConn).SetLinger(0)
				conn.Close()
			}
			return
		}
		req, _ := http.NewRequestWithContext(r.Context(), r.Method, target+r.URL.RequestURI(), r.Body)
		req.Header = r.Header.Clone()
		resp, err := http.DefaultTransport.RoundTrip(req)
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadGateway)
			return
		}
		defer resp.Body.Close()
		for k, vs := range resp.Header {
			w.Header()[k] = vs
		}
		w.WriteHeader(resp.StatusCode)
		io.Copy(w, resp.Body)
	}))
	srv.Config.ConnContext = func(ctx context.Context, c net.Conn) context.Context {
		return context.WithValue(ctx, connKey{}, new(atomic.Int32))
	}
	srv.Start()
	t.Cleanup(srv.Close)
	return srv.URL
}

// TestIdleConnectionsClosedBeforeEachStep: every step starts on a fresh
// connection, so a connection the server dropped during a wait is never
// reused for a token request (which must not be retried).
func TestIdleConnectionsClosedBeforeEachStep(t *testing.T) {
	e := flowtest.Start(t, playground.Options{}, "alice")
	proxy := oneRequestPerConnection(t, e.Playground.IdPURL())
	e.Config.IdP.TokenEndpoint = proxy + "/token"
	e.Config.IdP.JWKSURI = proxy + "/jwks"
	run := e.Run(t)
	for _, id := range []flow.StepID{flow.StepDiscovery, flow.StepLogin, flow.StepTokenExchange} {
		if st := run.Step(id); st.Status == inspect.StatusFail {
			t.Errorf("%s failed (%v): a request went out on a connection the server had dropped", id, st.Err)
		}
	}
}

// TestMCPRepliesAreBounded: an MCP server whose small gzip answer inflates
// to many megabytes. xaa stops reading at its limit and says so, instead
// of holding the whole answer in memory.
func TestMCPRepliesAreBounded(t *testing.T) {
	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	zw.Write([]byte(`{"jsonrpc":"2.0","id":1,"result":{"protocolVersion":"2025-11-25","serverInfo":{"name":"`))
	zw.Write(bytes.Repeat([]byte("a"), 16<<20))
	zw.Write([]byte(`"}}}`))
	zw.Close()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("Content-Encoding", "gzip")
		w.Write(gz.Bytes())
	}))
	t.Cleanup(srv.Close)
	e := flowtest.Start(t, playground.Options{}, "alice")
	e.Config.Resource.APIURL, e.Config.Resource.MCPURL = "", srv.URL+"/mcp"
	st := e.Runner.RunStep(context.Background(), flow.StepResource, flow.State{AccessToken: "at", AccessTokenType: "Bearer"}, nil)
	var fe *wire.FetchError
	if !errors.As(st.Err, &fe) || fe.Kind != wire.FetchTooLarge {
		t.Fatalf("resource step error = %v (%T), want a too-large FetchError", st.Err, st.Err)
	}
	if !strings.Contains(st.Err.Error(), "larger than 1 MiB") {
		t.Errorf("error %q does not say the limit", st.Err)
	}
	if n := gz.Len(); n > 1<<20 {
		t.Fatalf("the compressed answer is %d bytes: the test means a small one", n)
	}
}
