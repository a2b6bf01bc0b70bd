package report_test

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/xaatools/xaa/flow/doctor"
	"github.com/xaatools/xaa/inspect"

	"github.com/xaatools/xaa/flow/wire"

	"github.com/xaatools/xaa/flow/config"

	"github.com/charmbracelet/lipgloss"

	"github.com/xaatools/xaa/inspect/inspecttest"
	"github.com/xaatools/xaa/tui/report"
)

// doctorFixture is a diagnosis with one check of each status, a refused
// token exchange as evidence, a token in a value and an email.
func doctorFixture(t *testing.T) (*doctor.Diagnosis, string) {
	t.Helper()
	token := fixedIDToken(t)
	refused := &wire.Exchange{Label: "token exchange", Party: wire.PartyIdP, Duration: 12 * time.Millisecond,
		Request: wire.RecordedRequest{Method: "POST", URL: "https://dev-1.okta.com/oauth2/v1/token",
			Header: http.Header{"Content-Type": {"application/x-www-form-urlencoded"}},
			Body:   []byte("grant_type=urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Atoken-exchange&subject_token=" + token)},
		Response: &wire.RecordedResponse{Status: 400, Header: http.Header{"Content-Type": {"application/json"}},
			Body: []byte(`{"error":"invalid_target","error_description":"Token Exchange requests must include a valid audience of the authorization server."}`)}}
	same := "needs a signed-in user: run xaa doctor --token <ID token>"
	d := &doctor.Diagnosis{Duration: 420 * time.Millisecond, Okta: true, SignedIn: true,
		Parties: config.Parties{IdPIssuer: "https://dev-1.okta.com"},
		Checks: []doctor.Check{
			{ID: "org.metadata", Party: doctor.Org, Status: inspect.StatusPass, Title: "The org publishes its metadata", Actual: "https://dev-1.okta.com/.well-known/openid-configuration"},
			{ID: "requesting_app.id_token", Party: doctor.RequestingApp, Status: inspect.StatusPass, Title: "The signed-in user's ID token is accepted", Actual: "the token " + token},
			{ID: "requesting_app.connection", Party: doctor.RequestingApp, Status: inspect.StatusFail, Title: "A managed connection links the requesting app to the resource app",
				Expected: "a connection from 0oa1 to audience https://as.example.com", Actual: "invalid_target (HTTP 400)", Hint: "connect the requesting app to the resource app",
				Console: "Okta Admin Console › Applications › Applications › (requesting app, e.g. Agent0) › Manage Connections", Spec: "draft §4.3.3",
				Evidence: []*wire.Exchange{refused}},
			{ID: "resource_app.audience", Party: doctor.ResourceApp, Status: inspect.StatusUnknown, Title: "The ID-JAG's audience is the resource AS issuer", Actual: "not known", Hint: same},
			{ID: "resource_app.client_id", Party: doctor.ResourceApp, Status: inspect.StatusUnknown, Title: "The ID-JAG's client_id is the client registered at the resource AS", Actual: "not known", Hint: same},
			{ID: "resource_as.id_jag_profile", Party: doctor.ResourceAS, Status: inspect.StatusWarn, Title: "The ID-JAG grant profile is advertised", Expected: "urn:ietf:params:oauth:grant-profile:id-jag",
				Actual: "authorization_grant_profiles_supported absent", Hint: "unknown, not unsupported",
				Email: &doctor.Email{To: "xaa@okta.com", Subject: "Cross App Access: point Todo0 at our authorization server", Body: "Hello Okta XAA team,\n\nOrg URL: https://dev-1.okta.com\n"}},
		}}
	return d, token
}

func fixedIDToken(t *testing.T) string {
	t.Helper()
	return inspecttest.Fixed("idp-key-1").Mint(t, "JWT", inspecttest.Claims(inspecttest.IDTokenClaims(now)...), nil)
}

func TestDoctorReport(t *testing.T) {
	d, token := doctorFixture(t)
	plain := report.Doctor(styles(false), d, report.DoctorOptions{})
	if strings.Contains(plain, "\x1b[") {
		t.Error("plain report has escape codes")
	}
	for _, want := range []string{
		"xaa doctor  ✗ 1 failed · 1 warning · 2 passed · 2 unknown  420.0 ms",
		"org  https://dev-1.okta.com  (an Okta org)",
		"Okta org\n  ✓ The org publishes its metadata  https://dev-1.okta.com/.well-known/openid-configuration\n",
		"  ✗ A managed connection links the requesting app to the resource app\n",
		"      expected  a connection from 0oa1 to audience https://as.example.com\n",
		"      fix       connect the requesting app to the resource app\n",
		"      console   Okta Admin Console › Applications › Applications › (requesting app, e.g. Agent0) › Manage Connections\n",
		"      check     requesting_app.connection\n",
		"    token exchange  POST https://dev-1.okta.com/oauth2/v1/token → 400",
		`body  {"error":"invalid_target"`,
		"curl  curl",
		"  ? The ID-JAG's audience is the resource AS issuer  needs a signed-in user: run xaa doctor --token <ID token>\n",
		"  ? The ID-JAG's client_id is the client registered at the resource AS  (the same reason as above)\n",
		"  ! The ID-JAG grant profile is advertised\n",
		"      email     To: xaa@okta.com\n",
		"                  Hello Okta XAA team,\n",
	} {
		if !strings.Contains(plain, want) {
			t.Errorf("report lacks %q:\n%s", want, plain)
		}
	}
	if strings.Contains(plain, token) {
		t.Error("the report shows a whole token without Reveal")
	}
	if !strings.Contains(report.Doctor(styles(false), d, report.DoctorOptions{Reveal: true}), token) {
		t.Error("Reveal does not show the token")
	}
	if colour := report.Doctor(styles(true), d, report.DoctorOptions{}); !strings.Contains(colour, "\x1b[") {
		t.Error("colour report has no escape codes")
	}
	verbose := report.Doctor(styles(false), d, report.DoctorOptions{Verbose: true})
	if !strings.Contains(verbose, "      check     org.metadata\n") || strings.Contains(verbose, "(the same reason as above)") {
		t.Errorf("verbose report does not detail every check:\n%s", verbose)
	}
}

func TestDoctorReportWidth(t *testing.T) {
	d, _ := doctorFixture(t)
	for _, l := range strings.Split(report.Doctor(styles(false), d, report.DoctorOptions{Width: 70}), "\n") {
		// Curl commands and URLs are single words that cannot wrap.
		if w := lipgloss.Width(l); w > 70 && strings.ContainsAny(strings.TrimSpace(l), " ") && !strings.Contains(l, "curl") && !strings.Contains(l, "://") {
			t.Errorf("line of %d cells at width 70: %q", w, l)
		}
	}
}

func TestDoctorCheckDetail(t *testing.T) {
	d, _ := doctorFixture(t)
	got := report.DoctorCheck(styles(false), d, d.Checks[2], report.DoctorOptions{})
	for _, want := range []string{"✗ A managed connection links the requesting app to the resource app\n", "  Requesting app · fail\n",
		"  console   Okta Admin Console", "  check     requesting_app.connection\n", "→ 400", "curl"} {
		if !strings.Contains(got, want) {
			t.Errorf("detail lacks %q:\n%s", want, got)
		}
	}
}
