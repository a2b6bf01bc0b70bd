package wire_test

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/xaatools/xaa/flow/config"
	"github.com/xaatools/xaa/flow/wire"
)

const sampleJWT = "eyJhbGciOiJSUzI1NiIsImtpZCI6ImsxIn0.eyJpc3MiOiJodHRwczovL2lkcCIsInN1YiI6ImFsaWNlIiwiYXVkIjoiYWdlbnQifQ.c2lnbmF0dXJlLWJ5dGVzLXRoYXQtYXJlLWxvbmctZW5vdWdo"

// echoServer answers every request with a JSON body that echoes back what
// a careless server might: the secret, a token, a cookie.
func echoServer(t *testing.T) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("Set-Cookie", "session=abcdef; HttpOnly")
		json.NewEncoder(w).Encode(map[string]string{"echo": string(body), "access_token": sampleJWT, "refresh_token": "rt_opaque_refresh_value_1234", "client_secret": "whatever"})
	}))
	t.Cleanup(srv.Close)
	return srv
}

// TestRecorderRedacts sends requests carrying every kind of secret through
// the recorder and checks none is recorded, while tokens are kept (and
// shortened only for display).
func TestRecorderRedacts(t *testing.T) {
	srv := echoServer(t)
	const secret = "s3cr3t+/=:value"
	rec := &wire.Recorder{Secrets: []string{secret}}
	client := &http.Client{Transport: rec}

	form := url.Values{
		"grant_type": {"authorization_code"}, "code": {"code-abcdefghijklmnop"}, "code_verifier": {"verifier-that-must-not-leak-0123456789abcdef"},
		"client_secret": {secret}, "client_assertion": {sampleJWT}, "password": {"hunter2-password"}, "subject_token": {sampleJWT},
	}
	req, _ := http.NewRequest(http.MethodPost, srv.URL+"/token?client_secret=query-secret-1&code=abc123456789", strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.SetBasicAuth("agent", url.QueryEscape(secret))
	req.Header.Set("Cookie", "sid=cookie-value-123")
	resp, err := client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()

	xs := rec.Exchanges()
	if len(xs) != 1 || xs[0].Response == nil {
		t.Fatalf("recorded %d exchanges", len(xs))
	}
	x := xs[0]
	if x.Request.Truncated || int64(len(x.Request.Body)) >= x.Request.BodySize {
		t.Errorf("a redacted body reads as truncated (%t) or no shorter than the sent one (%d of %d B): redaction is not truncation",
			x.Request.Truncated, len(x.Request.Body), x.Request.BodySize)
	}
	if x.Request.BasicUser != "agent" {
		t.Errorf("BasicUser = %q, want agent", x.Request.BasicUser)
	}
	recorded := x.Request.URL + x.Request.Header.Get("Authorization") + x.Request.Header.Get("Cookie") + string(x.Request.Body) +
		x.Response.Header.Get("Set-Cookie") + string(x.Response.Body)
	for _, leak := range []string{secret, url.QueryEscape(secret), "verifier-that-must-not-leak", "hunter2-password", "query-secret-1", "cookie-value-123", "abcdef; HttpOnly", `"client_secret":"whatever"`} {
		if strings.Contains(recorded, leak) {
			t.Errorf("recorded exchange contains %q:\n%s", leak, recorded)
		}
	}
	if n := strings.Count(string(x.Request.Body), sampleJWT); n != 1 {
		t.Errorf("the subject token is recorded %d times, want once (tokens are kept, the assertion is not)", n)
	}

	shown := x.ForDisplay(false)
	display := shown.Request.URL + string(shown.Request.Body) + string(shown.Response.Body)
	for _, tok := range []string{sampleJWT, "rt_opaque_refresh_value_1234", "code-abcdefghijklmnop", "abc123456789"} {
		if strings.Contains(display, tok) {
			t.Errorf("ForDisplay(false) shows the token %q in full:\n%s", tok, display)
		}
	}
	revealed := x.ForDisplay(true)
	if !strings.Contains(string(revealed.Response.Body), sampleJWT) {
		t.Errorf("ForDisplay(true) hides the token")
	}
	if x.Duration <= 0 || x.BodyDuration < x.Duration {
		t.Errorf("timings = %v / %v, want a duration to headers and a longer one to the body's end", x.Duration, x.BodyDuration)
	}
}

// TestRecorderStreamsBodies checks that a response is recorded as the
// caller reads it, bounded, and that the caller gets all of it.
func TestRecorderStreamsBodies(t *testing.T) {
	big := strings.Repeat("x", wire.MaxRecordedBodyBytes+100)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.Write([]byte(big)) }))
	defer srv.Close()
	rec := &wire.Recorder{}
	resp, err := (&http.Client{Transport: rec}).Post(srv.URL, "text/plain", strings.NewReader(big))
	if err != nil {
		t.Fatal(err)
	}
	got, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if len(got) != len(big) {
		t.Errorf("caller read %d bytes, want %d", len(got), len(big))
	}
	x := rec.Exchanges()[0]
	if len(x.Response.Body) != wire.MaxRecordedBodyBytes || !x.Response.Truncated || x.Response.BodySize != int64(len(big)) {
		t.Errorf("recorded response = %d bytes (truncated %t, size %d)", len(x.Response.Body), x.Response.Truncated, x.Response.BodySize)
	}
	if len(x.Request.Body) != wire.MaxRecordedBodyBytes || !x.Request.Truncated || x.Request.BodySize != int64(len(big)) {
		t.Errorf("recorded request = %d bytes of %d", len(x.Request.Body), x.Request.BodySize)
	}
}

func TestCurl(t *testing.T) {
	srv := echoServer(t)
	rec := &wire.Recorder{}
	send := func(party string, form url.Values, basic bool, bearer string) *wire.Exchange {
		req, _ := http.NewRequest(http.MethodPost, srv.URL+"/token", strings.NewReader(form.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		if basic {
			req.SetBasicAuth("agent", "secret-basic-value")
		}
		if bearer != "" {
			req.Header.Set("Authorization", "Bearer "+bearer)
		}
		resp, err := (&http.Client{Transport: rec}).Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		xs := rec.Exchanges()
		x := xs[len(xs)-1]
		x.Party = party
		return x
	}
	cases := []struct {
		name   string
		x      *wire.Exchange
		reveal bool
		want   []string
		never  []string
	}{
		{"token exchange, client_secret_post at the IdP",
			send(wire.PartyIdP, url.Values{"grant_type": {"urn:ietf:params:oauth:grant-type:token-exchange"}, "subject_token": {sampleJWT}, "client_id": {"agent"}, "client_secret": {"post-secret-value"}}, false, ""), false,
			[]string{`curl -sS -X POST ` + srv.URL + `/token`, `--data-urlencode "client_secret=$XAA_IDP_CLIENT_SECRET"`, `--data-urlencode "subject_token=$XAA_ID_TOKEN"`, `--data-urlencode grant_type=urn:ietf:params:oauth:grant-type:token-exchange`},
			[]string{"post-secret-value", sampleJWT}},
		{"jwt-bearer, client_secret_basic at the AS",
			send(wire.PartyAS, url.Values{"grant_type": {"urn:ietf:params:oauth:grant-type:jwt-bearer"}, "assertion": {sampleJWT}, "scope": {"a b"}}, true, ""), false,
			[]string{`-u agent:"$XAA_AS_CLIENT_SECRET"`, `--data-urlencode "assertion=$XAA_ID_JAG"`, `--data-urlencode 'scope=a b'`},
			[]string{"secret-basic-value", sampleJWT}},
		{"revealed tokens", send(wire.PartyAS, url.Values{"assertion": {sampleJWT}}, false, sampleJWT), true,
			[]string{"assertion=" + sampleJWT, "'Authorization: Bearer " + sampleJWT + "'"}, nil},
		{"bearer token placeholder", send(wire.PartyResource, url.Values{}, false, sampleJWT), false,
			[]string{`-H "Authorization: Bearer $XAA_ACCESS_TOKEN"`}, []string{sampleJWT}},
		{"client assertion placeholder", send(wire.PartyIdP, url.Values{"client_assertion": {sampleJWT}, "code_verifier": {"v-123456789"}}, false, ""), true,
			[]string{`"client_assertion=$XAA_CLIENT_ASSERTION"`, `"code_verifier=$XAA_CODE_VERIFIER"`}, []string{sampleJWT, "v-123456789"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := c.x.Curl(c.reveal)
			for _, w := range c.want {
				if !strings.Contains(got, w) {
					t.Errorf("Curl = %s\nwant it to contain %s", got, w)
				}
			}
			for _, n := range c.never {
				if strings.Contains(got, n) {
					t.Errorf("Curl = %s\nmust not contain %s", got, n)
				}
			}
		})
	}
}

func TestShortenTokens(t *testing.T) {
	cases := map[string]string{
		`{"access_token":"` + sampleJWT + `","token_type":"Bearer"}`:    `{"access_token":"eyJhbGciOiJS…dWdo (151 chars)","token_type":"Bearer"}`,
		`code=abcdefghijklmnopqrstuvwxyz0123456789&state=xyz`:           `code=abcdefghijkl…6789 (36 chars)&state=xyz`,
		`https://app/cb?code=abcdefghijkl&state=s`:                      `https://app/cb?code=abcd… (12 chars)&state=s`,
		`{"refresh_token":"short"}`:                                     `{"refresh_token":"•••••"}`,
		`plain text, no token`:                                          `plain text, no token`,
		`{"echo":"a=1\u0026code=abcdefghijklmnopqrstuvwxyz0123456789"}`: `{"echo":"a=1\u0026code=abcdefghijkl…6789 (36 chars)"}`,
	}
	for in, want := range cases {
		if got := wire.ShortenTokens(in); got != want {
			t.Errorf("ShortenTokens(%q) = %q, want %q", in, got, want)
		}
	}
}

// BenchmarkShortenTokens1MB shortens the tokens of a 1 MB JSON response
// (the terminal UI does this before showing a response body).
func BenchmarkShortenTokens1MB(b *testing.B) {
	var sb strings.Builder
	sb.WriteString(`{"access_token":"` + sampleJWT + `","items":[`)
	for i := 0; sb.Len() < 1<<20; i++ {
		if i > 0 {
			sb.WriteString(",")
		}
		sb.WriteString(`{"id":` + strings.Repeat("7", 6) + `,"title":"Decode the ID-JAG and check its audience","done":false,"owner":"usr_alice"}`)
	}
	sb.WriteString(`]}`)
	body := sb.String()
	b.SetBytes(int64(len(body)))
	for b.Loop() {
		if out := wire.ShortenTokens(body); strings.Contains(out, sampleJWT) {
			b.Fatal("token not shortened")
		}
	}
}

// TestEchoedBasicCredentialsAreRedacted: a token endpoint that echoes the
// Authorization header back. base64(client_id:secret) puts the secret at
// an offset that depends on the client id's length; every alignment is
// redacted, whole, in the record and in what is shown from it.
func TestEchoedBasicCredentialsAreRedacted(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("X-Echo", r.Header.Get("Authorization"))
		fmt.Fprintf(w, `{"error":"invalid_client","error_description":"got %s"}`, r.Header.Get("Authorization"))
	}))
	defer srv.Close()
	const secret = "s3cret-value-of-the-client-0123456789"
	for _, id := range []string{"agent", "agent1", "agent12"} { // lengths 5, 6, 7: each offset mod 3
		t.Run(fmt.Sprintf("client id of %d characters", len(id)), func(t *testing.T) {
			cfg := &config.Config{}
			cfg.ResourceAS = config.ClientConfig{ClientID: id, ClientSecret: config.Secret(secret)}
			c := wire.NewClient(wire.Options{Secrets: cfg.Secrets()})
			auth := wire.ClientAuth{Client: cfg.ResourceAS, TokenEndpoint: srv.URL}
			_, err := c.PostToken(context.Background(), wire.PartyAS, "grant", srv.URL, url.Values{"grant_type": {"x"}}, auth)
			basic := base64.StdEncoding.EncodeToString([]byte(id + ":" + secret))
			xs := c.Exchanges()
			if len(xs) != 1 {
				t.Fatalf("%d exchanges", len(xs))
			}
			j, _ := json.Marshal(xs[0].JSON(true))
			shown := string(j) + fmt.Sprint(err) + xs[0].Curl(true) + fmt.Sprint(xs[0].Response.Header)
			// No run of 8 base64 characters of the credentials may survive.
			for i := 0; i+8 <= len(basic); i++ {
				if chunk := basic[i : i+8]; strings.Contains(shown, chunk) {
					t.Fatalf("the echoed credentials survive (%q of %q) in:\n%s", chunk, basic, shown)
				}
			}
			if strings.Contains(shown, secret) {
				t.Fatalf("the secret itself survives")
			}
			if !strings.Contains(string(xs[0].Response.Body), wire.Redacted) {
				t.Errorf("the echo was not redacted but removed? body %q", xs[0].Response.Body)
			}
		})
	}
}

// TestSecretInsideOtherBase64IsRedacted: a secret base64-encoded at any of
// the three offsets inside a longer text loses every run of characters
// that only it determines.
func TestSecretInsideOtherBase64IsRedacted(t *testing.T) {
	const secret = "another-s3cret-0123456789abcdef"
	for prefix := 0; prefix < 3; prefix++ {
		blob := base64.StdEncoding.EncodeToString([]byte(strings.Repeat("p", prefix+3) + secret + "tail"))
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { fmt.Fprint(w, blob) }))
		c := wire.NewClient(wire.Options{Secrets: []string{secret}})
		req, _ := http.NewRequest(http.MethodGet, srv.URL, nil)
		resp, err := c.HTTP().Do(req)
		if err == nil {
			io.ReadAll(resp.Body)
			resp.Body.Close()
		}
		srv.Close()
		body := string(c.Exchanges()[0].Response.Body)
		inner := base64.StdEncoding.EncodeToString([]byte(secret))
		for i := 4; i+12 <= len(inner)-4; i++ {
			if strings.Contains(body, inner[i:i+12]) && prefix == 0 {
				t.Errorf("offset %d: %q survives in %q", prefix, inner[i:i+12], body)
			}
		}
		if !strings.Contains(body, wire.Redacted) {
			t.Errorf("offset %d: nothing redacted in %q", prefix, body)
		}
	}
}

func TestPageText(t *testing.T) {
	page := []byte(`<!doctype html><html><head><title>Sign-in error</title><style>body { color: red }</style><script>var x = 1;</script></head>
<body><h1>This request cannot be completed</h1><p><code>invalid_request</code>: The &#39;redirect_uri&#39; is not registered.</p></body></html>`)
	got := wire.PageText("text/html; charset=utf-8", page)
	want := "Sign-in error This request cannot be completed invalid_request : The 'redirect_uri' is not registered."
	if got != want {
		t.Errorf("PageText = %q, want %q", got, want)
	}
	if got := wire.PageText("application/json", []byte(`{"error":"x"}`)); got != "" {
		t.Errorf("PageText of JSON = %q, want none", got)
	}
}
