//go:build browser

package playground_test

import (
	"context"
	"net/url"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/xaatools/xaa/flow/playground"
)

// chromium starts headless Debian chromium (apt-get install chromium).
func chromium(t *testing.T) context.Context {
	t.Helper()
	path := "/usr/bin/chromium"
	if _, err := os.Stat(path); err != nil {
		t.Fatalf("browser tests need %s (apt-get install -y chromium): %v", path, err)
	}
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(path),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.UserDataDir(t.TempDir()),
	}
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	t.Cleanup(cancel)
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(ctx, opts...)
	t.Cleanup(cancelAlloc)
	browserCtx, cancelBrowser := chromedp.NewContext(allocCtx)
	t.Cleanup(cancelBrowser)
	if err := chromedp.Do(browserCtx); err != nil {
		t.Fatalf("starting chromium: %v", err)
	}
	return browserCtx
}

// TestLoginPageInChromium signs in through the real login page: the demo
// users and passwords are shown, login_hint fills the username, a wrong
// password is reported on the page, and a correct one lands on the
// client's callback with a code, the state and the issuer.
func TestLoginPageInChromium(t *testing.T) {
	e := start(t, playground.Options{})
	ctx := chromium(t)
	_, challenge := pkce()
	q := url.Values{"response_type": {"code"}, "client_id": {e.cfg.IdP.ClientID}, "redirect_uri": {e.cfg.IdP.RedirectURI},
		"scope": {"openid email"}, "state": {"st-42"}, "nonce": {"n"}, "code_challenge": {challenge}, "code_challenge_method": {"S256"},
		"login_hint": {"alice"}}
	authURL := e.cfg.IdP.Issuer + "/authorize?" + q.Encode()

	if err := chromedp.Do(ctx, chromedp.Navigate(authURL), chromedp.WaitVisible(chromedp.ID("login"))); err != nil {
		t.Fatalf("opening the login page: %v", err)
	}
	users := text(t, ctx, chromedp.Text(chromedp.ID("demo-users")))
	username := text(t, ctx, chromedp.Value(chromedp.ID("username")))
	if err := chromedp.Do(ctx,
		chromedp.SendKeys(chromedp.ID("password"), "wrong"),
		chromedp.Click(chromedp.ID("sign-in")),
		chromedp.WaitVisible(chromedp.ID("login-error")),
	); err != nil {
		t.Fatalf("signing in with a wrong password: %v", err)
	}
	loginError := text(t, ctx, chromedp.Text(chromedp.ID("login-error")))
	for _, want := range []string{"alice", "alice-demo", "carol-demo", "every step succeeds"} {
		if !strings.Contains(users, want) {
			t.Errorf("demo users table %q lacks %q", users, want)
		}
	}
	if username != "alice" {
		t.Errorf("username field = %q, want alice from login_hint", username)
	}
	if !strings.Contains(loginError, "Wrong password for alice") {
		t.Errorf("after a wrong password the page says %q", loginError)
	}

	if err := chromedp.Do(ctx,
		chromedp.SendKeys(chromedp.ID("password"), "alice-demo"),
		chromedp.Click(chromedp.ID("sign-in")),
	); err != nil {
		t.Fatalf("signing in: %v", err)
	}
	select {
	case cb := <-e.callback:
		if cb.Get("code") == "" || cb.Get("state") != "st-42" || cb.Get("iss") != e.cfg.IdP.Issuer {
			t.Errorf("callback %v, want a code, state st-42 and iss %s", cb, e.cfg.IdP.Issuer)
		}
	case <-ctx.Done():
		t.Fatal("the browser never reached the callback")
	}
}

// TestErrorPageInChromium: an unregistered redirect URI stops the browser
// on the IdP's error page instead of redirecting.
func TestErrorPageInChromium(t *testing.T) {
	e := start(t, playground.Options{})
	ctx := chromium(t)
	_, challenge := pkce()
	q := url.Values{"response_type": {"code"}, "client_id": {e.cfg.IdP.ClientID}, "redirect_uri": {"http://127.0.0.1:1/evil"},
		"scope": {"openid"}, "code_challenge": {challenge}, "code_challenge_method": {"S256"}}
	if err := chromedp.Do(ctx, chromedp.Navigate(e.cfg.IdP.Issuer+"/authorize?"+q.Encode())); err != nil {
		t.Fatal(err)
	}
	code := text(t, ctx, chromedp.Text(chromedp.ID("error-code")))
	desc := text(t, ctx, chromedp.Text(chromedp.ID("error-description")))
	if code != "invalid_request" || !strings.Contains(desc, "is not registered") {
		t.Errorf("error page says %q: %q, want invalid_request about the redirect URI", code, desc)
	}
}

// text runs an action that reads a string from the page.
func text(t *testing.T, ctx context.Context, a chromedp.Action[string]) string {
	t.Helper()
	v, err := chromedp.Run(ctx, a)
	if err != nil {
		t.Fatalf("reading the page: %v", err)
	}
	return v
}
