package tui

import (
	"bytes"
	"context"
	"errors"
	"testing"
	"time"

	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/exp/teatest"

	"github.com/xaatools/xaa/flow"
	"github.com/xaatools/xaa/flow/playground"
	"github.com/xaatools/xaa/inspect"
)

// waitFor waits until the program's screen shows every one of texts. The
// generous limit is for a loaded machine; nothing here measures speed.
func waitFor(t *testing.T, tm *teatest.TestModel, texts ...string) {
	t.Helper()
	teatest.WaitFor(t, tm.Output(), func(out []byte) bool {
		plain := []byte(ansi.Strip(string(out)))
		for _, text := range texts {
			if !bytes.Contains(plain, []byte(text)) {
				return false
			}
		}
		return true
	}, teatest.WithDuration(20*time.Second), teatest.WithCheckInterval(20*time.Millisecond))
}

// TestJourneyPlayground is the first run of a new user: no config, so the
// setup screen starts the built-in playground; enter walks it, a runs every
// step, and the token exchange's Tokens tab shows the ID-JAG's claims.
func TestJourneyPlayground(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	m := New(Options{Context: ctx, Now: time.Now(), SavePath: t.TempDir() + "/config.yaml"})
	tm := teatest.NewTestModel(t, m, teatest.WithInitialTermSize(120, 40))

	waitFor(t, tm, "Playground:", "ready")
	tm.Send(keyMsg("enter"))
	waitFor(t, tm, "0 Discovery", "enter runs Discovery")
	tm.Send(keyMsg("a"))
	waitFor(t, tm, "flow complete")
	// The selection followed the steps as they ran: it is on the resource.
	tm.Send(keyMsg("up")) // jwt-bearer
	tm.Send(keyMsg("up")) // token exchange
	tm.Send(keyMsg("3"))
	waitFor(t, tm, "2 · Token exchange", "ID-JAG", "typ  oauth-id-jag+jwt", "client_id  "+playground.ASClientID, "✓ VERIFIED")

	if err := tm.Quit(); err != nil {
		t.Fatal(err)
	}
	final := tm.FinalModel(t, teatest.WithFinalTimeout(10*time.Second)).(Model)
	defer final.Playground().Close()
	for _, id := range flow.Steps() {
		if st := final.flow.session.Record(id); st == nil || st.Status == inspect.StatusFail {
			t.Errorf("%s did not pass: %+v", id, st)
		}
	}
	jag, ok := final.flow.session.Record(flow.StepTokenExchange).Token(inspect.KindIDJAG)
	if !ok {
		t.Fatal("the token exchange step holds no ID-JAG")
	}
	if aud, _, _ := jag.Token.Claims.Strings("aud"); len(aud) != 1 || aud[0] != final.flow.config().ResourceAS.Issuer {
		t.Errorf("ID-JAG aud = %v, want the resource AS issuer %q", aud, final.flow.config().ResourceAS.Issuer)
	}
}

// TestJourneyCancelLogin waits at the login (nobody logs in) and cancels it
// with esc: the step ends, says so, and can be retried.
func TestJourneyCancelLogin(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	uri, err := playground.FreeRedirectURI()
	if err != nil {
		t.Fatal(err)
	}
	pg, err := playground.Start(ctx, playground.Options{RedirectURIs: []string{uri}})
	if err != nil {
		t.Fatal(err)
	}
	defer pg.Close()
	cfg := pg.Config()
	idle := func(string) error { return nil } // a browser nobody uses
	m := New(Options{Context: ctx, Config: cfg, Now: time.Now(), Env: flow.Env{OpenBrowser: idle}})
	tm := teatest.NewTestModel(t, m, teatest.WithInitialTermSize(100, 30))

	tm.Send(keyMsg("a"))
	waitFor(t, tm, "waiting for the login", "Authorization URL", "left")
	tm.Send(keyMsg("esc"))
	waitFor(t, tm, "1 Login failed", "You cancelled")
	if err := tm.Quit(); err != nil {
		t.Fatal(err)
	}
	final := tm.FinalModel(t, teatest.WithFinalTimeout(10*time.Second)).(Model)
	login := final.flow.session.Record(flow.StepLogin)
	if login == nil || !errors.Is(login.Err, context.Canceled) {
		t.Fatalf("login record after cancel: %+v; want a failure caused by the cancellation", login)
	}
	if final.flow.run.active || final.flow.run.all {
		t.Errorf("after cancelling: running %v, run all %v; want idle", final.flow.run.active, final.flow.run.all)
	}
}
