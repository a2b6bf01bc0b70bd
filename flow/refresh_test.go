package flow_test

import (
	"net/url"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/xaatools/xaa/flow"
	"github.com/xaatools/xaa/flow/config"
	"github.com/xaatools/xaa/flow/explain"
	"github.com/xaatools/xaa/flow/flowtest"
	"github.com/xaatools/xaa/flow/playground"
	"github.com/xaatools/xaa/flow/tokenstore"
	"github.com/xaatools/xaa/inspect"
)

// TestRefreshTokenSubject walks the refresh-token path as a requesting app
// does: log in once with offline_access, keep the refresh token, and mint
// each new ID-JAG from it until the IdP refuses it — then forget it and log
// in again. Plain and with the Okta profile.
func TestRefreshTokenSubject(t *testing.T) {
	for _, profile := range []string{"", playground.ProfileOkta} {
		t.Run(cmpOr(profile, "plain"), func(t *testing.T) {
			e := flowtest.Start(t, playground.Options{Profile: profile}, "alice")
			e.Config.IdP.Subject = config.SubjectRefreshToken
			store := &tokenstore.Store{File: filepath.Join(t.TempDir(), "refresh-tokens.json"), NoKeyring: true}
			e.Runner.Kept = store
			kept := func() string {
				tok, err := store.Load(e.Config.IdP.Issuer, e.Config.IdP.ClientID)
				if err != nil {
					t.Fatal(err)
				}
				return tok
			}

			first := e.Run(t)
			if !first.OK() || first.Step(flow.StepLogin).Status != inspect.StatusPass {
				t.Fatalf("first run, with a login:%s", flowtest.Summary(first))
			}
			rt := first.Step(flow.StepLogin).Out.RefreshToken
			if rt == "" || kept() != rt {
				t.Fatalf("the login's refresh token was not kept (login gave %q, kept %q)", inspect.ShortenToken(rt), inspect.ShortenToken(kept()))
			}
			if got := sentSubject(t, first); got.Get("subject_token_type") != inspect.TokenTypeRefreshToken || got.Get("subject_token") != rt {
				t.Errorf("first token exchange sent subject_token_type %q; want the refresh token", got.Get("subject_token_type"))
			}
			if title := first.Step(flow.StepTokenExchange).Title(); title != "Token exchange (refresh token → ID-JAG)" {
				t.Errorf("the token exchange is titled %q; want it to name the refresh token it sent", title)
			}
			if notes := first.Step(flow.StepTokenExchange).Notes; !slices.Contains(notes, "subject: the IdP refresh token from the login") {
				t.Errorf("first token exchange notes %q; want the subject named as this run's login's refresh token", notes)
			}

			second := e.Run(t)
			login := second.Step(flow.StepLogin)
			if !second.OK() || login.Status != inspect.StatusSkip || len(login.Exchanges) != 0 {
				t.Fatalf("second run: want the login skipped and the rest passing:%s", flowtest.Summary(second))
			}
			if !slices.ContainsFunc(login.Notes, func(n string) bool { return strings.Contains(n, "kept from an earlier login") }) {
				t.Errorf("the skipped login does not say why: %q", login.Notes)
			}
			if notes := second.Step(flow.StepTokenExchange).Notes; !slices.Contains(notes, "subject: the IdP refresh token kept from an earlier login") {
				t.Errorf("second token exchange notes %q; want the subject named as the kept refresh token", notes)
			}
			if got := sentSubject(t, second); got.Get("subject_token") != rt {
				t.Errorf("second token exchange did not send the kept refresh token")
			}

			// The IdP no longer knows the token (revoked, expired, reset).
			if err := store.Save(e.Config.IdP.Issuer, e.Config.IdP.ClientID, "rt_revoked_long_ago_0123456789"); err != nil {
				t.Fatal(err)
			}
			third := e.Run(t)
			te := third.Step(flow.StepTokenExchange)
			if te.Status != inspect.StatusFail || te.Explanation == nil || te.Explanation.ID != "token_exchange.refresh_token_invalid" {
				t.Fatalf("a refused kept token: want the token exchange to fail as refresh_token_invalid:%s", flowtest.Summary(third))
			}
			if kept() != "" {
				t.Error("the refused refresh token is still kept")
			}

			fourth := e.Run(t)
			if !fourth.OK() || fourth.Step(flow.StepLogin).Status != inspect.StatusPass || kept() == "" {
				t.Errorf("after a refusal the next run logs in again and keeps a new token:%s", flowtest.Summary(fourth))
			}
		})
	}
}

// TestRefreshTokenSubjectNeedsOne: without a refresh token (no
// offline_access granted), the token exchange is skipped naming it — it
// does not fall back to the ID token behind the user's back.
func TestRefreshTokenSubjectNeedsOne(t *testing.T) {
	e := flowtest.Start(t, playground.Options{}, "alice")
	e.Config.IdP.Subject = config.SubjectRefreshToken
	e.Runner.Overrides = flow.StepOverrides{flow.StepLogin: {"scope": "openid email"}}
	run := e.Run(t)
	te := run.Step(flow.StepTokenExchange)
	if te.Status != inspect.StatusSkip || len(te.Missing) != 1 || !strings.Contains(te.Missing[0].What, "refresh token") {
		t.Fatalf("token exchange without a refresh token: %s, missing %v; want skipped for want of one:%s", te.Status, te.Missing, flowtest.Summary(run))
	}
	if !strings.Contains(te.Missing[0].From, "offline_access") {
		t.Errorf("the skip does not say where a refresh token comes from: %+v", te.Missing[0])
	}
}

func sentSubject(t *testing.T, run *flow.Run) url.Values {
	t.Helper()
	te := run.Step(flow.StepTokenExchange)
	if len(te.Exchanges) == 0 {
		t.Fatalf("the token exchange sent nothing:%s", flowtest.Summary(run))
	}
	form, err := url.ParseQuery(string(te.Exchanges[0].Request.Body))
	if err != nil {
		t.Fatal(err)
	}
	return form
}

func cmpOr(s, or string) string {
	if s == "" {
		return or
	}
	return s
}

// TestRefreshNotEnabled: an Okta app without the Refresh Token grant gets
// no refresh token from a login with offline_access. The login warns and
// sends the admin to the grant types; with idp.subject refresh_token the
// token exchange cannot run, and the run's verdict names it rather than
// calling the run passed.
func TestRefreshNotEnabled(t *testing.T) {
	e := flowtest.Start(t, playground.Options{Profile: playground.ProfileOkta, Faults: []string{playground.FaultOktaRefreshNotEnabled}}, "alice")
	e.Config.IdP.Subject = config.SubjectRefreshToken
	run := e.Run(t)
	login := run.Step(flow.StepLogin)
	if login.Status != inspect.StatusWarn || login.Out.RefreshToken != "" {
		t.Fatalf("login: %s with refresh token %q; want a warning and none:%s", login.Status, inspect.ShortenToken(login.Out.RefreshToken), flowtest.Summary(run))
	}
	i := slices.IndexFunc(login.Checks, func(c inspect.Check) bool { return c.ID == "login.refresh_token" })
	if i < 0 {
		t.Fatalf("login has no login.refresh_token check:%s", flowtest.Summary(run))
	}
	if ex := explain.CheckGiven(login.ID, login.Checks[i], login.Facts); ex == nil || ex.ID != "login.no_refresh_token" || !strings.Contains(ex.Fix, explain.OktaGrantTypes) {
		t.Errorf("login.refresh_token explanation = %+v; want login.no_refresh_token sending the admin to %s", ex, explain.OktaGrantTypes)
	}
	if te := run.Step(flow.StepTokenExchange); te.Status != inspect.StatusSkip || len(te.Missing) == 0 {
		t.Fatalf("token exchange: %s, missing %v; want skipped for want of a refresh token", te.Status, te.Missing)
	}
	status, verdict := run.Verdict()
	if status != inspect.StatusWarn || !strings.Contains(verdict, "token_exchange did not run") || !strings.Contains(verdict, "refresh token") {
		t.Errorf("verdict = %s %q; want a warning naming the token exchange and the refresh token", status, verdict)
	}

	// With the ID token as the subject the same org completes the flow.
	e.Config.IdP.Subject = config.SubjectIDToken
	if run := e.Run(t); !run.OK() || run.Step(flow.StepResource).Status == inspect.StatusSkip {
		t.Errorf("ID-token subject on the same org:%s", flowtest.Summary(run))
	}
}
