package flow_test

import (
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/xaatools/xaa/flow/flowtest"

	"github.com/xaatools/xaa/inspect"

	"github.com/xaatools/xaa/flow/wire"

	"github.com/xaatools/xaa/flow/config"

	"github.com/xaatools/xaa/flow"
	"github.com/xaatools/xaa/flow/playground"
)

// loginOnly runs discovery, then the login with the given browser.
func loginOnly(t *testing.T, e *flowtest.Env, open func(string) error) *flow.Step {
	t.Helper()
	e.Runner.Env.OpenBrowser = open
	disc := e.Runner.RunStep(context.Background(), flow.StepDiscovery, flow.State{}, nil)
	if disc.Status == inspect.StatusFail {
		t.Fatalf("discovery failed: %v", disc.Err)
	}
	return e.Runner.RunStep(context.Background(), flow.StepLogin, disc.Out, nil)
}

// page is what a browser tab got: the status (0 when nothing answered)
// and the body.
type page struct {
	status int
	body   string
}

// get fetches a URL like a browser tab would.
func get(t *testing.T, u string) page {
	t.Helper()
	resp, err := http.Get(u)
	if err != nil {
		return page{body: err.Error()}
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return page{resp.StatusCode, string(b)}
}

func TestLoginCallback(t *testing.T) {
	t.Run("forged callbacks are refused and the login goes on", func(t *testing.T) {
		e := flowtest.Start(t, playground.Options{}, "alice")
		forged := make(chan page, 2)
		st := loginOnly(t, e, func(authURL string) error {
			// What any web page can make a browser do: GET the loopback
			// redirect URI with a state of its choosing.
			forged <- get(t, e.Config.IdP.RedirectURI+"?code=abc&state=not-this-login")
			forged <- get(t, e.Config.IdP.RedirectURI+"?error=access_denied&state=evil&error_description=%1B%5D52%3Bc%3BeA%3D%3D%07")
			return e.Playground.LoginBrowser("alice")(authURL)
		})
		if st.Status != inspect.StatusPass {
			t.Fatalf("login = %s (%v), want pass after two forged callbacks", st.Status, st.Err)
		}
		for i := 0; i < 2; i++ {
			if a := <-forged; a.status != http.StatusBadRequest || !strings.Contains(a.body, "does not belong to the login") {
				t.Errorf("forged callback page = %d %q, want 400 saying it does not belong to the login", a.status, a.body)
			}
		}
		if notes := strings.Join(st.Notes, "\n"); !strings.Contains(notes, "refused 2 callback(s)") {
			t.Errorf("notes %q, want the count of refused callbacks", notes)
		}
	})

	t.Run("only forged callbacks: the login times out and says so", func(t *testing.T) {
		e := flowtest.Start(t, playground.Options{}, "alice")
		e.Runner.Env.LoginTimeout = 2 * time.Second // long enough for the forged request on a loaded machine
		st := loginOnly(t, e, func(string) error {
			get(t, e.Config.IdP.RedirectURI+"?code=abc&state=not-this-login")
			return nil
		})
		if !errors.Is(st.Err, wire.ErrLoginTimeout) || !strings.Contains(st.Err.Error(), "1 callback(s) with another state were refused") {
			t.Errorf("login = %v, want a timeout counting the refused callback", st.Err)
		}
		// login.state fails this way: the callback never gets through.
		if c, ok := st.Checks.Find("login.state"); ok || st.Status != inspect.StatusFail {
			t.Errorf("login %s with login.state %+v, want a failed login with no state compared", st.Status, c)
		}
	})

	t.Run("other paths are not the callback", func(t *testing.T) {
		e := flowtest.Start(t, playground.Options{}, "alice")
		u, _ := url.Parse(e.Config.IdP.RedirectURI)
		stray := make(chan page, 1)
		st := loginOnly(t, e, func(authURL string) error {
			stray <- get(t, "http://"+u.Host+"/favicon.ico")
			return e.Playground.LoginBrowser("alice")(authURL)
		})
		if status := (<-stray).status; status != http.StatusNotFound {
			t.Errorf("GET /favicon.ico on the callback listener = %d, want 404", status)
		}
		if st.Status != inspect.StatusPass {
			t.Errorf("login after a stray request = %s (%v), want pass", st.Status, st.Err)
		}
	})

	t.Run("single use", func(t *testing.T) {
		e := flowtest.Start(t, playground.Options{}, "alice")
		again := make(chan page, 1)
		st := loginOnly(t, e, func(authURL string) error {
			if err := e.Playground.LoginBrowser("alice")(authURL); err != nil {
				again <- page{}
				return err
			}
			state := mustParse(t, authURL).Query().Get("state")
			again <- get(t, e.Config.IdP.RedirectURI+"?code=replayed&state="+url.QueryEscape(state))
			return nil
		})
		if st.Status != inspect.StatusPass {
			t.Fatalf("login = %s (%v), want pass", st.Status, st.Err)
		}
		a := <-again
		second, secondPage := a.status, a.body
		// The listener either already closed or answers that it is done.
		if second != 0 && !(second == http.StatusBadRequest && strings.Contains(secondPage, "already received")) {
			t.Errorf("second callback = %d %q, want it refused", second, secondPage)
		}
	})

	t.Run("success page", func(t *testing.T) {
		e := flowtest.Start(t, playground.Options{}, "alice")
		got := make(chan string, 1)
		st := loginOnly(t, e, func(authURL string) error {
			// Follow the IdP by hand up to the callback, to read its page.
			b := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
			resp, err := b.Get(authURL)
			if err != nil {
				return err
			}
			resp.Body.Close()
			form := url.Values{"username": {"alice"}, "password": {"alice-demo"}}
			for k, v := range mustParse(t, authURL).Query() {
				form[k] = v
			}
			resp, err = b.PostForm(mustParse(t, authURL).Scheme+"://"+mustParse(t, authURL).Host+mustParse(t, authURL).Path, form)
			if err != nil {
				return err
			}
			resp.Body.Close()
			got <- get(t, resp.Header.Get("Location")).body
			return nil
		})
		if st.Status != inspect.StatusPass {
			t.Fatalf("login = %s (%v)", st.Status, st.Err)
		}
		if page := <-got; !strings.Contains(page, "You can close this tab") {
			t.Errorf("callback page = %q, want it to say the tab can be closed", page)
		}
	})

	t.Run("timeout", func(t *testing.T) {
		e := flowtest.Start(t, playground.Options{}, "alice")
		e.Runner.Env.LoginTimeout = 50 * time.Millisecond
		e.Runner.NoBrowser = true
		var urls []string
		e.Runner.Env.Progress = func(p flow.Progress) {
			if p.URL != "" {
				urls = append(urls, p.URL)
			}
		}
		st := loginOnly(t, e, func(string) error { t.Error("the browser was opened despite NoBrowser"); return nil })
		if !errors.Is(st.Err, wire.ErrLoginTimeout) || st.Explanation.ID != "login.timeout" {
			t.Errorf("login = %v, want ErrLoginTimeout", st.Err)
		}
		if len(urls) != 1 || !strings.Contains(urls[0], "code_challenge_method=S256") {
			t.Errorf("progress URLs = %v, want the authorization URL once", urls)
		}
	})

	t.Run("port in use", func(t *testing.T) {
		e := flowtest.Start(t, playground.Options{}, "alice")
		u, _ := url.Parse(e.Config.IdP.RedirectURI)
		l, err := net.Listen("tcp", u.Host)
		if err != nil {
			t.Fatal(err)
		}
		defer l.Close()
		st := loginOnly(t, e, e.Playground.LoginBrowser("alice"))
		if !errors.Is(st.Err, wire.ErrCallbackListen) || !errors.Is(st.Err, syscall.EADDRINUSE) && !strings.Contains(st.Err.Error(), "in use") {
			t.Errorf("login = %v, want ErrCallbackListen naming the busy address", st.Err)
		}
	})

	t.Run("browser fails", func(t *testing.T) {
		e := flowtest.Start(t, playground.Options{}, "alice")
		st := loginOnly(t, e, func(string) error { return errors.New("exec: \"no-such-browser\": executable file not found in $PATH") })
		if !errors.Is(st.Err, wire.ErrBrowser) || st.Explanation.ID != "login.browser" {
			t.Errorf("login = %v / %+v, want ErrBrowser", st.Err, st.Explanation)
		}
	})

	t.Run("cancelled", func(t *testing.T) {
		e := flowtest.Start(t, playground.Options{}, "alice")
		disc := e.Runner.RunStep(context.Background(), flow.StepDiscovery, flow.State{}, nil)
		ctx, cancel := context.WithCancel(context.Background())
		e.Runner.Env.OpenBrowser = func(string) error { cancel(); return nil }
		st := e.Runner.RunStep(ctx, flow.StepLogin, disc.Out, nil)
		if !errors.Is(st.Err, context.Canceled) {
			t.Errorf("login = %v, want context.Canceled", st.Err)
		}
	})
}

func mustParse(t *testing.T, raw string) *url.URL {
	t.Helper()
	u, err := url.Parse(raw)
	if err != nil {
		t.Fatal(err)
	}
	return u
}

// TestClientAuthMethods runs the flow with each client authentication the
// playground accepts, at the IdP and at the resource AS.
func TestClientAuthMethods(t *testing.T) {
	for _, m := range []string{config.AuthClientSecretBasic, config.AuthClientSecretPost} {
		t.Run(m, func(t *testing.T) {
			e := flowtest.Start(t, playground.Options{}, "alice")
			e.Config.IdP.AuthMethod, e.Config.ResourceAS.AuthMethod = m, m
			run := e.Run(t)
			if !run.OK() {
				t.Fatalf("run with %s failed:%s", m, flowtest.Summary(run))
			}
			req := run.Step(flow.StepTokenExchange).Exchanges[0].Request
			basic := strings.HasPrefix(req.Header.Get("Authorization"), "Basic ")
			post := strings.Contains(string(req.Body), "client_secret=")
			if basic != (m == config.AuthClientSecretBasic) || post != (m == config.AuthClientSecretPost) {
				t.Errorf("%s sent Basic %t, client_secret in the body %t", m, basic, post)
			}
		})
	}
	t.Run("none: a public client, said plainly", func(t *testing.T) {
		e := flowtest.Start(t, playground.Options{}, "alice")
		idToken := e.Run(t).Step(flow.StepLogin).Out.IDToken
		e.Config.IdP.AuthMethod, e.Config.IdP.ClientSecret = config.AuthNone, ""
		run, err := e.Runner.Run(context.Background(), flow.StepTokenExchange, idToken)
		if err != nil {
			t.Fatal(err)
		}
		te := run.Step(flow.StepTokenExchange)
		if notes := strings.Join(te.Notes, "\n"); !strings.Contains(notes, "public client") || !strings.Contains(notes, "§9.1") {
			t.Errorf("token exchange notes %q, want the public client and §9.1 said plainly", notes)
		}
		if te.Status != inspect.StatusFail {
			t.Errorf("token exchange of a public client = %s, want the playground IdP's refusal", te.Status)
		}
	})
	t.Run("private_key_jwt", func(t *testing.T) {
		e := flowtest.Start(t, playground.Options{}, "alice")
		e.Runner.Config = flowtest.LoadConfig(t, playground.ConfigFilesFor(e.ConfigPath).PrivateKeyJWTConfig)
		run := e.Run(t)
		if !run.OK() {
			t.Fatalf("run with private_key_jwt failed:%s", flowtest.Summary(run))
		}
		body := string(run.Step(flow.StepTokenExchange).Exchanges[0].Request.Body)
		if !strings.Contains(body, "client_assertion=[REDACTED]") || !strings.Contains(body, "client_assertion_type=") {
			t.Errorf("token exchange body = %s, want a (redacted) client assertion", body)
		}
		body = string(run.Step(flow.StepLogin).Exchanges[0].Request.Body)
		if !strings.Contains(body, "client_assertion=[REDACTED]") {
			t.Errorf("code exchange body = %s, want a (redacted) client assertion", body)
		}
	})
	for _, c := range []struct {
		profile string
		status  inspect.Status
		explain string
	}{
		{"", inspect.StatusPass, ""}, // RFC 7523bis: the issuer is an accepted audience
		{playground.ProfileOkta, inspect.StatusFail, "token_exchange.assertion_audience"}, // Okta wants the token endpoint
	} {
		t.Run("private_key_jwt with the issuer as audience, profile "+c.profile, func(t *testing.T) {
			e := flowtest.Start(t, playground.Options{Profile: c.profile}, "alice")
			cfg := flowtest.LoadConfig(t, playground.ConfigFilesFor(e.ConfigPath).PrivateKeyJWTConfig)
			cfg.IdP.AssertionAudience = config.AssertionAudienceIssuer
			e.Runner.Config = cfg
			run := e.Run(t)
			s := run.Step(flow.StepLogin)
			if s.Status != c.status {
				t.Fatalf("login = %s (%v), want %s", s.Status, s.Err, c.status)
			}
			if c.explain != "" && (s.Explanation == nil || s.Explanation.ID != c.explain) {
				t.Errorf("explanation = %+v, want %s", s.Explanation, c.explain)
			}
		})
	}
}
