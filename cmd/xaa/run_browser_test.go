//go:build browser

package main

import (
	"context"
	"flag"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// Environment of the chromedp helper: the demo user's credentials and
// where to leave the text of the page the login ended on.
const (
	helperLoginEnv  = "XAA_TEST_CHROME_LOGIN"
	helperResultEnv = "XAA_TEST_CHROME_RESULT"
	chromiumPath    = "/usr/bin/chromium"
)

// TestRunInChromium runs `xaa run` with BROWSER set to a small chromedp
// helper (this test binary, running TestChromeLoginHelper), which opens
// the authorization URL in headless Chromium and signs in on the
// playground's login page; the flow must complete.
func TestRunInChromium(t *testing.T) {
	if _, err := os.Stat(chromiumPath); err != nil {
		t.Fatalf("browser tests need %s (apt-get install -y chromium): %v", chromiumPath, err)
	}
	e := startPlaygroundForRun(t)
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	result := t.TempDir() + "/page.txt"
	t.Setenv(helperLoginEnv, "alice:alice-demo")
	t.Setenv(helperResultEnv, result)
	browser := exe + " -test.run=^TestChromeLoginHelper$ -test.count=1 --"

	r := runXAA(t, "", map[string]string{"BROWSER": browser}, "run", "--config", e.config, "--json")
	j := decodeRun(t, r.stdout)
	if r.code != exitOK || !j.OK {
		t.Fatalf("xaa run with BROWSER=chromedp helper = %d (ok %t)\nstderr:\n%s", r.code, j.OK, r.stderr)
	}
	if !strings.Contains(r.stderr, "$BROWSER (") || strings.Contains(r.stderr, "if it does not open") {
		t.Errorf("the login's progress line does not name $BROWSER:\n%s", r.stderr)
	}
	// xaa goes on as soon as the callback arrives; the helper writes the
	// page it ended on a moment later.
	var page []byte
	for deadline := time.Now().Add(30 * time.Second); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		if page, err = os.ReadFile(result); err == nil {
			break
		}
	}
	if err != nil {
		l, _ := os.ReadFile(result + ".log")
		t.Logf("helper log: %s", l)
		t.Fatalf("the helper left no page text: %v\nstderr:\n%s", err, r.stderr)
	}
	if !strings.Contains(string(page), "Login complete") || !strings.Contains(string(page), "close this tab") {
		t.Errorf("the callback page in Chromium = %q, want xaa's 'Login complete … close this tab' page", page)
	}
}

// TestChromeLoginHelper is the BROWSER of TestRunInChromium: it signs in on
// the login page at the URL given as its argument. It does nothing when run
// on its own.
func TestChromeLoginHelper(t *testing.T) {
	cred := os.Getenv(helperLoginEnv)
	if cred == "" || flag.NArg() != 1 {
		t.Skip("runs only as the BROWSER of TestRunInChromium")
	}
	user, password, _ := strings.Cut(cred, ":")
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(chromiumPath),
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
	defer cancel()
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(ctx, opts...)
	defer cancelAlloc()
	browserCtx, cancelBrowser := chromedp.NewContext(allocCtx)
	defer cancelBrowser()

	err := chromedp.Do(browserCtx,
		chromedp.Navigate(flag.Arg(0)),
		chromedp.WaitVisible(chromedp.ID("login")),
		chromedp.SendKeys(chromedp.ID("username"), user),
		chromedp.SendKeys(chromedp.ID("password"), password),
		chromedp.Click(chromedp.ID("sign-in")),
		chromedp.WaitVisible("h1.ok, h1.fail"), // xaa's callback page, not the login page
	)
	if err != nil {
		os.WriteFile(os.Getenv(helperResultEnv)+".log", []byte(err.Error()), 0o600)
		t.Fatalf("signing in as %s: %v", user, err)
	}
	page, err := chromedp.Run(browserCtx, chromedp.Text("body"))
	if err != nil {
		t.Fatalf("reading the callback page: %v", err)
	}
	if err := os.WriteFile(os.Getenv(helperResultEnv), []byte(page), 0o600); err != nil {
		t.Fatal(err)
	}
}
