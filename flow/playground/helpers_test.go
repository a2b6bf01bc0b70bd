package playground_test

import (
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/xaatools/xaa/flow/config"
	"github.com/xaatools/xaa/flow/playground"
	"github.com/xaatools/xaa/inspect"
)

// keyDir is shared by the tests so that RSA keys are generated once.
var keyDir string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "xaa-playground-keys")
	if err != nil {
		panic(err)
	}
	keyDir = dir
	// Generate the keys once, before tests run in parallel.
	p, err := playground.Start(context.Background(), playground.Options{KeyDir: keyDir, Profile: playground.ProfileOkta})
	if err != nil {
		panic(err)
	}
	p.Close()
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// env is a running playground with a loopback callback listener registered
// as its redirect URI, and the client side of the flow.
type env struct {
	t        *testing.T
	p        *playground.Playground
	cfg      *config.Config
	callback chan url.Values
	http     *http.Client
}

// start runs a playground with o (KeyDir and RedirectURIs filled in).
func start(t *testing.T, o playground.Options) *env {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	e := &env{t: t, callback: make(chan url.Values, 1), http: &http.Client{Timeout: 20 * time.Second}}
	srv := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case e.callback <- r.URL.Query():
		default:
		}
		io.WriteString(w, "you can close this window")
	})}
	go srv.Serve(l)
	t.Cleanup(func() { srv.Close() })
	if o.KeyDir == "" {
		o.KeyDir = keyDir
	}
	if o.RedirectURIs == nil {
		o.RedirectURIs = []string{"http://" + l.Addr().String() + "/callback"}
	}
	p, err := playground.Start(context.Background(), o)
	if err != nil {
		t.Fatalf("Start: %v", err)
	}
	t.Cleanup(func() {
		if err := p.Close(); err != nil {
			t.Errorf("Close: %v", err)
		}
	})
	e.p, e.cfg = p, p.Config()
	return e
}

// response is a decoded HTTP response.
type response struct {
	status int
	header http.Header
	body   map[string]any
	raw    string
}

func (r response) str(name string) string { s, _ := r.body[name].(string); return s }

// post sends a form. basic is [id, secret] for client_secret_basic, nil for none.
func (e *env) post(endpoint string, form url.Values, basic []string) response {
	e.t.Helper()
	req, err := http.NewRequest(http.MethodPost, endpoint, strings.NewReader(form.Encode()))
	if err != nil {
		e.t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	if basic != nil {
		req.SetBasicAuth(url.QueryEscape(basic[0]), url.QueryEscape(basic[1]))
	}
	return e.do(req)
}

func (e *env) do(req *http.Request) response {
	e.t.Helper()
	resp, err := e.http.Do(req)
	if err != nil {
		e.t.Fatalf("%s %s: %v", req.Method, req.URL, err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	r := response{status: resp.StatusCode, header: resp.Header, raw: string(b)}
	json.Unmarshal(b, &r.body)
	return r
}

func (e *env) get(u string, bearer string) response {
	e.t.Helper()
	req, _ := http.NewRequest(http.MethodGet, u, nil)
	if bearer != "" {
		req.Header.Set("Authorization", "Bearer "+bearer)
	}
	return e.do(req)
}

// metadata fetches a JSON document.
func (e *env) metadata(u string) map[string]any {
	e.t.Helper()
	r := e.get(u, "")
	if r.status != http.StatusOK {
		e.t.Fatalf("GET %s: HTTP %d %s", u, r.status, r.raw)
	}
	return r.body
}

func (e *env) idpBasic() []string {
	return []string{e.cfg.IdP.ClientID, e.cfg.IdP.ClientSecret.Reveal()}
}
func (e *env) asBasic() []string {
	return []string{e.cfg.ResourceAS.ClientID, e.cfg.ResourceAS.ClientSecret.Reveal()}
}

// pkce returns a verifier and its S256 challenge (RFC 7636 §4.1, §4.2).
func pkce() (verifier, challenge string) {
	verifier = strings.Repeat("v", 10) + base64.RawURLEncoding.EncodeToString([]byte(time.Now().String()))
	sum := sha256.Sum256([]byte(verifier))
	return verifier, base64.RawURLEncoding.EncodeToString(sum[:])
}

// authorizeURL builds an authorization request from the IdP's discovery.
func (e *env) authorizeURL(scope, challenge string) string {
	meta := e.metadata(e.cfg.IdP.Issuer + "/.well-known/openid-configuration")
	q := url.Values{
		"response_type": {"code"}, "client_id": {e.cfg.IdP.ClientID}, "redirect_uri": {e.cfg.IdP.RedirectURI},
		"scope": {scope}, "state": {"state-1"}, "nonce": {"nonce-1"},
		"code_challenge": {challenge}, "code_challenge_method": {"S256"},
	}
	return meta["authorization_endpoint"].(string) + "?" + q.Encode()
}

// login runs step 1 for a demo user and returns the token response.
func (e *env) login(username string) response {
	e.t.Helper()
	verifier, challenge := pkce()
	if err := e.p.LoginBrowser(username)(e.authorizeURL("openid profile email offline_access", challenge)); err != nil {
		e.t.Fatalf("LoginBrowser(%s): %v", username, err)
	}
	cb := <-e.callback
	if cb.Get("error") != "" {
		e.t.Fatalf("login as %s: callback error %s: %s", username, cb.Get("error"), cb.Get("error_description"))
	}
	meta := e.metadata(e.cfg.IdP.Issuer + "/.well-known/openid-configuration")
	r := e.post(meta["token_endpoint"].(string), url.Values{
		"grant_type": {"authorization_code"}, "code": {cb.Get("code")},
		"redirect_uri": {e.cfg.IdP.RedirectURI}, "code_verifier": {verifier},
	}, e.idpBasic())
	if r.status != http.StatusOK {
		e.t.Fatalf("code exchange for %s: HTTP %d %s", username, r.status, r.raw)
	}
	return r
}

// idpTokenURL is the IdP token endpoint from discovery.
func (e *env) idpTokenURL() string {
	return e.metadata(e.cfg.IdP.Issuer + "/.well-known/openid-configuration")["token_endpoint"].(string)
}

// exchange runs step 2 with the ID token; extra overrides parameters.
func (e *env) exchange(idToken string, extra url.Values) response {
	e.t.Helper()
	f := url.Values{
		"grant_type":           {inspect.GrantTypeTokenExchange},
		"requested_token_type": {inspect.TokenTypeIDJAG},
		"subject_token":        {idToken},
		"subject_token_type":   {inspect.TokenTypeIDToken},
		"audience":             {e.cfg.ResourceAS.Issuer},
		"resource":             {e.p.ResourceURL()},
		"scope":                {"todos.read todos.write"},
	}
	for k, v := range extra {
		if v == nil {
			delete(f, k)
		} else {
			f[k] = v
		}
	}
	return e.post(e.idpTokenURL(), f, e.idpBasic())
}

// bearer runs step 3 with an ID-JAG; extra overrides parameters.
func (e *env) bearer(idjag string, extra url.Values) response {
	e.t.Helper()
	f := url.Values{"grant_type": {inspect.GrantTypeJWTBearer}, "assertion": {idjag}}
	for k, v := range extra {
		if v == nil {
			delete(f, k)
		} else {
			f[k] = v
		}
	}
	return e.post(e.cfg.ResourceAS.Issuer+"/token", f, e.asBasic())
}

// idJAG runs steps 1 and 2 for alice and returns the ID-JAG.
func (e *env) idJAG() string {
	e.t.Helper()
	r := e.exchange(e.login("alice").str("id_token"), nil)
	if r.status != http.StatusOK {
		e.t.Fatalf("token exchange: HTTP %d %s", r.status, r.raw)
	}
	return r.str("access_token")
}

// wantError checks an RFC 6749 §5.2 error response.
func wantError(t *testing.T, r response, status int, code, descContains string) {
	t.Helper()
	if r.status != status || r.str("error") != code || !strings.Contains(r.str("error_description"), descContains) {
		t.Errorf("got HTTP %d %s %q, want HTTP %d %s containing %q", r.status, r.str("error"), r.str("error_description"), status, code, descContains)
	}
}
