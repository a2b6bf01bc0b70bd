package oktaadmin_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers/gorillamux"

	"github.com/xaatools/xaa/flow/config"
	"github.com/xaatools/xaa/flow/oktaadmin"
	"github.com/xaatools/xaa/flow/playground"
	"github.com/xaatools/xaa/flow/wire"
)

type countingTransport struct{ n atomic.Int32 }

func (c *countingTransport) RoundTrip(*http.Request) (*http.Response, error) {
	c.n.Add(1)
	return &http.Response{StatusCode: 200, Body: io.NopCloser(strings.NewReader("[]")), Header: http.Header{}}, nil
}

func newClient(t *testing.T, org string, rt http.RoundTripper) *oktaadmin.Client {
	t.Helper()
	c, err := oktaadmin.New(config.OktaConfig{OrgURL: org, Token: "00secret-token"}, "", wire.Options{Transport: rt, Secrets: []string{"00secret-token"}})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// TestOnlyGET: every method but GET is refused in code before the network.
func TestOnlyGET(t *testing.T) {
	rt := &countingTransport{}
	c := newClient(t, "https://dev-1.okta.com", rt)
	for _, m := range []string{http.MethodPost, http.MethodPut, http.MethodPatch, http.MethodDelete, http.MethodHead, http.MethodOptions, "PURGE"} {
		if _, err := c.SendForTest(context.Background(), m, "https://dev-1.okta.com/api/v1/apps/x"); !errors.Is(err, oktaadmin.ErrNotRead) {
			t.Errorf("%s: err %v, want ErrNotRead", m, err)
		}
	}
	if n := rt.n.Load(); n != 0 {
		t.Fatalf("%d requests reached the network", n)
	}
	if _, err := c.SendForTest(context.Background(), http.MethodGet, "https://dev-1.okta.com/api/v1/apps/x"); err != nil || rt.n.Load() != 1 {
		t.Errorf("GET: err %v, %d sent", err, rt.n.Load())
	}
}

// TestDeniedNamesTheScope: 403 insufficient_scope names the scope to
// grant; 403 E0000006 the role; the token is in no record.
func TestDeniedNamesTheScope(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.Contains(r.URL.Path, "scope") {
			w.Header().Set("WWW-Authenticate", `Bearer authorization_uri="http://x/oauth2/v1/authorize", realm="http://x", scope="okta.apps.read", error="insufficient_scope", error_description="The access token provided does not contain the required scopes.", resource="/api/v1/apps"`)
			w.WriteHeader(403)
			return
		}
		w.WriteHeader(403)
		fmt.Fprint(w, `{"errorCode":"E0000006","errorSummary":"You do not have permission to perform the requested action\u001b[2J","errorLink":"E0000006","errorId":"oae1","errorCauses":[]}`)
	}))
	defer srv.Close()
	c := newClient(t, srv.URL, nil)
	_, r := c.App(context.Background(), "scope")
	if r.Err == nil || r.Err.Kind != oktaadmin.Denied || r.Err.Scope != "okta.apps.read" || !strings.Contains(r.Err.Grant(), "grant okta.apps.read") {
		t.Fatalf("insufficient_scope: %+v", r.Err)
	}
	_, r = c.App(context.Background(), "role")
	if r.Err == nil || r.Err.Code != "E0000006" || strings.Contains(r.Err.Error(), "\x1b") || !strings.Contains(r.Err.Grant(), "admin role") {
		t.Fatalf("E0000006: %+v %q", r.Err, r.Err.Error())
	}
	for _, x := range r.Exchanges {
		if strings.Contains(fmt.Sprint(x.Request.Header), "00secret-token") {
			t.Errorf("the token is in the record: %v", x.Request.Header)
		}
	}
}

// TestRateLimitWaitsOnce: a 429 waits once for X-Rate-Limit-Reset; a
// second 429 is RateLimited; a reset too far away is not waited for.
func TestRateLimitWaitsOnce(t *testing.T) {
	var calls atomic.Int32
	limitAll := false
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if calls.Add(1) == 1 || limitAll {
			w.Header().Set("X-Rate-Limit-Reset", strconv.FormatInt(time.Now().Unix()+2, 10))
			w.WriteHeader(429)
			fmt.Fprint(w, `{"errorCode":"E0000047","errorSummary":"API call exceeded rate limit due to too many requests."}`)
			return
		}
		fmt.Fprint(w, `{"id":"0oa1","label":"x"}`)
	}))
	defer srv.Close()
	c := newClient(t, srv.URL, nil)
	var waits []time.Duration
	c.Sleep = func(_ context.Context, d time.Duration) error { waits = append(waits, d); return nil }
	app, r := c.App(context.Background(), "0oa1")
	if !r.OK() || app.ID != "0oa1" || len(waits) != 1 || waits[0] > 4*time.Second {
		t.Fatalf("after one 429: %v, app %q, waits %v", r.Err, app.ID, waits)
	}
	limitAll = true
	_, r = c.App(context.Background(), "0oa1")
	if r.Err == nil || r.Err.Kind != oktaadmin.RateLimited || len(waits) != 2 {
		t.Fatalf("two 429s: %+v, waits %v", r.Err, waits)
	}
	c.MaxWait = time.Second
	_, r = c.App(context.Background(), "0oa1")
	if r.Err == nil || r.Err.Kind != oktaadmin.RateLimited || len(waits) != 2 {
		t.Fatalf("a far reset was waited for: %+v, waits %v", r.Err, waits)
	}
}

// TestPagination follows Link rel="next" on the org, at most MaxPages,
// and never off the org.
func TestPagination(t *testing.T) {
	var srv *httptest.Server
	srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		page, _ := strconv.Atoi(r.URL.Query().Get("after"))
		if page < 2 {
			w.Header().Set("Link", fmt.Sprintf(`<%s%s?after=%d>; rel="next", <%s>; rel="self"`, srv.URL, r.URL.Path, page+1, srv.URL))
		}
		if r.URL.Path == "/api/v1/authorizationServers/evil/scopes" {
			w.Header().Set("Link", `<https://evil.example/steal>; rel="next"`)
		}
		fmt.Fprintf(w, `[{"id":"s%d","name":"n%d"}]`, page, page)
	}))
	defer srv.Close()
	c := newClient(t, srv.URL, nil)
	ss, r := c.Scopes(context.Background(), "aus1")
	if !r.OK() || len(ss) != 3 || ss[2].Name != "n2" || len(r.Exchanges) != 3 {
		t.Fatalf("3 pages: %v %+v, %d exchanges", r.Err, ss, len(r.Exchanges))
	}
	c.MaxPages = 2
	if _, r = c.Scopes(context.Background(), "aus1"); r.Err == nil || !strings.Contains(r.Err.Error(), "more than 2 pages") {
		t.Errorf("bound: %v", r.Err)
	}
	if _, r = c.Scopes(context.Background(), "evil"); r.Err == nil || !strings.Contains(r.Err.Error(), "leaves the org") {
		t.Errorf("off-org link: %v", r.Err)
	}
}

// TestHostileAnswers: an oversize body, HTML and not-JSON are failures,
// never a crash or a pass.
func TestHostileAnswers(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/api/v1/apps/big":
			w.Write(bytes.Repeat([]byte("["), 2<<20))
		case "/api/v1/apps/html":
			w.Header().Set("Content-Type", "text/html")
			fmt.Fprint(w, "<html>login</html>")
		default:
			fmt.Fprint(w, `not json`)
		}
	}))
	defer srv.Close()
	c := newClient(t, srv.URL, nil)
	for _, id := range []string{"big", "html", "text"} {
		if _, r := c.App(context.Background(), id); r.Err == nil || r.Err.Kind != oktaadmin.Failed {
			t.Errorf("%s: %+v", id, r.Err)
		}
	}
}

// specRouter loads the cut of Okta's Management API spec the client uses
// (release 2026.06.3), serving at org.
func specRouter(t *testing.T, org string) (*openapi3.T, func(*http.Request) (*openapi3filter.RequestValidationInput, error)) {
	t.Helper()
	doc, err := openapi3.NewLoader().LoadFromFile("testdata/okta-management-2026.06.3-doctor.yaml")
	if err != nil {
		t.Fatal(err)
	}
	// The published spec's own examples do not all validate; its schemas do.
	if err := doc.Validate(context.Background(), openapi3.DisableExamplesValidation()); err != nil {
		t.Fatal(err)
	}
	doc.Servers = openapi3.Servers{{URL: org}}
	router, err := gorillamux.NewRouter(doc)
	if err != nil {
		t.Fatal(err)
	}
	return doc, func(req *http.Request) (*openapi3filter.RequestValidationInput, error) {
		route, params, err := router.FindRoute(req)
		if err != nil {
			return nil, err
		}
		return &openapi3filter.RequestValidationInput{Request: req, PathParams: params, Route: route,
			Options: &openapi3filter.Options{AuthenticationFunc: openapi3filter.NoopAuthenticationFunc, MultiError: true}}, nil
	}
}

// specTransport validates every request and answer against the spec.
type specTransport struct {
	t     *testing.T
	route func(*http.Request) (*openapi3filter.RequestValidationInput, error)
	n     int
}

func (s *specTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	in, err := s.route(req)
	if err != nil {
		s.t.Errorf("%s %s is not an operation of the spec: %v", req.Method, req.URL.Path, err)
		return http.DefaultTransport.RoundTrip(req)
	}
	if err := openapi3filter.ValidateRequest(req.Context(), in); err != nil {
		s.t.Errorf("request %s does not follow the spec: %v", req.URL, err)
	}
	resp, err := http.DefaultTransport.RoundTrip(req)
	if err != nil {
		return nil, err
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	resp.Body = io.NopCloser(bytes.NewReader(body))
	out := &openapi3filter.ResponseValidationInput{RequestValidationInput: in, Status: resp.StatusCode, Header: resp.Header,
		Options: &openapi3filter.Options{MultiError: true, IncludeResponseStatus: true}}
	out.SetBodyBytes(body)
	if err := openapi3filter.ValidateResponse(req.Context(), out); err != nil {
		s.t.Errorf("answer of %s does not follow the spec: %v", req.URL, err)
	}
	s.n++
	return resp, nil
}

// TestPlaygroundFollowsTheSpec: every read the client makes of the Okta
// playground's simulated org, clean and with each fault, is an operation
// of Okta's Management API spec, and every answer validates against it.
func TestPlaygroundFollowsTheSpec(t *testing.T) {
	for _, faults := range [][]string{nil, {playground.FaultOktaNoConnection}, {playground.FaultOktaPolicyNoJWTBearer}, {playground.FaultOktaGrantNotEnabled}, {playground.FaultOktaIdPInactive}} {
		// A trusted issuer gives the org an identity provider to list.
		p, err := playground.Start(context.Background(), playground.Options{Profile: playground.ProfileOkta, Faults: faults, TrustIssuers: []string{"https://idp.example.com"}})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { p.Close() })
		cfg := p.Config()
		_, route := specRouter(t, p.OktaAdmin().OrgURL)
		st := &specTransport{t: t, route: route}
		c, err := oktaadmin.New(p.OktaAdmin(), cfg.IdP.Issuer, wire.Options{Transport: st})
		if err != nil {
			t.Fatal(err)
		}
		ctx := context.Background()
		app, r := c.App(ctx, cfg.IdP.ClientID)
		reads := []*oktaadmin.Read{r}
		_, r = c.Keys(ctx, app.ID)
		reads = append(reads, r)
		_, r = c.Connections(ctx, app.ID)
		reads = append(reads, r)
		servers, r := c.AuthServers(ctx)
		reads = append(reads, r)
		if len(servers) == 1 {
			ps, r := c.Policies(ctx, servers[0].ID)
			reads = append(reads, r)
			if len(ps) == 1 {
				_, r = c.Rules(ctx, servers[0].ID, ps[0].ID)
				reads = append(reads, r)
			}
			_, r = c.Scopes(ctx, servers[0].ID)
			reads = append(reads, r)
		}
		idps, r := c.IdentityProviders(ctx)
		reads = append(reads, r)
		if len(idps) != 1 || idps[0].Type != oktaadmin.IdPTypeOIDC || idps[0].Protocol.Issuer.URL != "https://idp.example.com" {
			t.Errorf("%v: identity providers %+v", faults, idps)
		}
		for _, r := range reads {
			if !r.OK() {
				t.Errorf("%v: %s: %v", faults, r.URL, r.Err)
			}
		}
		if st.n != 8 {
			t.Errorf("%v: %d reads validated, want 8", faults, st.n)
		}
		// A wrong id answers Okta's 404 error body, also per the spec.
		if _, r := c.App(ctx, "0oanosuchapp"); r.Err == nil || r.Err.Kind != oktaadmin.NotFound || r.Err.Code != "E0000007" {
			t.Errorf("unknown app: %+v", r.Err)
		}
	}
}
