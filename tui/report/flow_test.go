package report_test

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/xaatools/xaa/flow/explain"

	"github.com/xaatools/xaa/flow/wire"

	"github.com/xaatools/xaa/flow"
	"github.com/xaatools/xaa/inspect"
	"github.com/xaatools/xaa/tui/report"
)

// runFixture is a run whose token exchange returned an ID-JAG with a
// trailing slash in aud (xaa warns) and whose jwt-bearer grant was refused
// (the resource AS fails it), so the resource step was skipped.
func runFixture(t *testing.T) (*flow.Run, string) {
	t.Helper()
	jag := badAudAnalysis(t)
	ok := func(label, method, url string) *wire.Exchange {
		return &wire.Exchange{Label: label, Party: wire.PartyIdP, Duration: 3 * time.Millisecond,
			Request:  wire.RecordedRequest{Method: method, URL: url, Header: http.Header{"Accept": {"application/json"}}},
			Response: &wire.RecordedResponse{Status: 200, Header: http.Header{"Content-Type": {"application/json"}}, Body: []byte(`{"issuer":"https://idp.example.com"}`)}}
	}
	refusal := &wire.OAuthError{Status: 400, Code: "invalid_grant", Source: "token endpoint",
		Description: "The audience of the JWT Bearer Grant must match the the issuer of the authorization server."}
	bearer := &wire.Exchange{Label: "jwt-bearer grant", Party: wire.PartyAS, Duration: 4 * time.Millisecond,
		Request: wire.RecordedRequest{Method: "POST", URL: "https://as.example.com/token", BasicUser: "agent-at-todo",
			Header: http.Header{"Authorization": {"Basic " + wire.Redacted}, "Content-Type": {"application/x-www-form-urlencoded"}},
			Body:   []byte("grant_type=urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Ajwt-bearer&assertion=" + jag.Token.Raw)},
		Response: &wire.RecordedResponse{Status: 400, Header: http.Header{"Content-Type": {"application/json"}},
			Body: []byte(`{"error":"invalid_grant","error_description":"` + refusal.Description + `"}`)}}
	run := &flow.Run{Duration: 42 * time.Millisecond, Steps: []*flow.Step{
		{ID: flow.StepDiscovery, Status: inspect.StatusPass, Duration: 20 * time.Millisecond,
			Checks:    inspect.Report{{ID: "discovery.idp.issuer", Status: inspect.StatusPass, Title: "IdP metadata issuer is idp.issuer", Actual: "https://idp.example.com"}},
			Exchanges: []*wire.Exchange{ok("IdP metadata (oidc)", "GET", "https://idp.example.com/.well-known/openid-configuration")}},
		{ID: flow.StepLogin, Status: inspect.StatusSkip, Notes: []string{"skipped: the run started from token_exchange with a given token"}},
		{ID: flow.StepTokenExchange, Status: inspect.StatusWarn, Duration: 9 * time.Millisecond, Tokens: []inspect.Analysis{jag},
			Notes: []string{"some checks of the tokens failed; they are advice here — the resource AS (jwt_bearer step) gives the verdict"}},
		{ID: flow.StepJWTBearer, Status: inspect.StatusFail, Duration: 5 * time.Millisecond, Err: refusal,
			Explanation: explain.Error(flow.StepJWTBearer, refusal), Exchanges: []*wire.Exchange{bearer}},
		{ID: flow.StepResource, Status: inspect.StatusSkip, Notes: []string{"skipped: the jwt_bearer step failed"}},
	}}
	return run, jag.Token.Raw
}

func TestRunReport(t *testing.T) {
	run, token := runFixture(t)
	plain := report.Run(styles(false), run, report.RunOptions{})
	if strings.Contains(plain, "\x1b[") {
		t.Error("plain report has escape codes")
	}
	if colour := report.Run(styles(true), run, report.RunOptions{}); !strings.Contains(colour, "\x1b[") {
		t.Error("colour report has no escape codes")
	}
	for _, want := range []string{
		"xaa run  ✗ a step failed  42.0 ms\n✓ discovery · · login · ! token_exchange · ✗ jwt_bearer · · resource\n",
		"✓ 0 Discovery  20.0 ms\n",
		"· 1 Login (authorization code + PKCE)\n  · skipped: the run started from token_exchange with a given token\n",
		"! 2 Token exchange (ID token → ID-JAG)  9.0 ms\n",
		"    ✗ aud is the resource AS issuer\n",
		"    why     id_jag.aud: The ID-JAG's aud is not the resource AS issuer",
		"✗ 3 JWT bearer grant (ID-JAG → access token)  5.0 ms\n  ✗ invalid_grant (HTTP 400) from the token endpoint: The audience of the JWT Bearer Grant must match",
		"    means   The ID-JAG's aud is not this resource AS's issuer.\n",
		"    causes  - a trailing slash or http/https difference\n",
		"    fix     Make the IdP's issuer URL for the resource app",
		"    jwt-bearer grant  POST https://as.example.com/token → 400  4.0 ms\n      body  {\"error\":\"invalid_grant\"",
		`      curl  curl -sS -X POST https://as.example.com/token -u agent-at-todo:"$XAA_AS_CLIENT_SECRET"`,
		`--data-urlencode "assertion=$XAA_ID_JAG"`,
	} {
		if !strings.Contains(plain, want) {
			t.Errorf("report lacks %q:\n%s", want, plain)
		}
	}
	if strings.Contains(plain, token) {
		t.Error("the report shows the ID-JAG in full without Reveal")
	}
	if strings.Count(plain, "curl  ") != 1 {
		t.Errorf("report has %d curl lines, want one, for the refused request", strings.Count(plain, "curl  "))
	}

	revealed := report.Run(styles(false), run, report.RunOptions{Reveal: true})
	if !strings.Contains(revealed, token) {
		t.Error("Reveal does not show the ID-JAG")
	}
	verbose := report.Run(styles(false), run, report.RunOptions{Verbose: true})
	for _, want := range []string{"Header", "Claims", "curl -sS https://idp.example.com/.well-known/openid-configuration", "✓ IdP metadata issuer is idp.issuer"} {
		if !strings.Contains(verbose, want) {
			t.Errorf("verbose report lacks %q", want)
		}
	}
}
