package doctor_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/xaatools/xaa/flow/config"
	"github.com/xaatools/xaa/flow/doctor"
	"github.com/xaatools/xaa/flow/flowtest"
	"github.com/xaatools/xaa/flow/playground"
	"github.com/xaatools/xaa/inspect"
)

// twoOrgs is the shape of an external IdP: playground B is the IdP that
// issues the ID-JAGs; playground A (the Okta profile) is the org whose
// custom authorization server redeems them, read with A's admin API. The
// config is B's idp section with A's resource AS, resource and okta.
func twoOrgs(t *testing.T, trust func(bIssuer string) []string, faults ...string) (*config.Config, *flowtest.Env) {
	t.Helper()
	b := flowtest.Start(t, playground.Options{}, "alice")
	var trusted []string
	if trust != nil {
		trusted = trust(b.Config.IdP.Issuer)
	}
	a := flowtest.Start(t, playground.Options{Profile: playground.ProfileOkta, TrustIssuers: trusted, Faults: faults}, "alice")
	cfg := *a.Config
	cfg.IdP = b.Config.IdP
	return &cfg, a
}

func trustB(issuer string) []string { return []string{issuer} }

const trustedIdP = "resource_as.org.trusted_idp"

// TestOrgAPITrustedIdP: with the ID-JAGs from an external IdP, the org's
// custom authorization server trusts it when the org has an ACTIVE OIDC
// identity provider with that issuer — and each verdict tells the admin to
// check the rule's IdP condition by hand, which the API does not publish.
func TestOrgAPITrustedIdP(t *testing.T) {
	cases := []struct {
		name   string
		trust  func(string) []string
		faults []string
		status inspect.Status
		actual string
		hint   string
	}{
		{"trusted", trustB, nil, inspect.StatusPass, "(OIDC, ACTIVE): http", ""},
		{"inactive", trustB, []string{playground.FaultOktaIdPInactive}, inspect.StatusFail, "only INACTIVE", "activate the identity provider"},
		{"not trusted", nil, nil, inspect.StatusFail, "no OIDC or OKTA_INTEGRATION identity provider has this issuer", "Add identity provider"},
		{"trailing slash", func(iss string) []string { return []string{iss + "/"} }, nil, inspect.StatusFail, "(OIDC, ACTIVE): http", "only by a trailing slash or letter case"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			cfg, _ := twoOrgs(t, c.trust, c.faults...)
			d := doctor.Run(context.Background(), doctor.Options{Config: cfg})
			got, ok := d.Find(trustedIdP)
			if !ok || got.Status != c.status || !strings.Contains(got.Actual, c.actual) || !strings.Contains(got.Hint, c.hint) {
				t.Fatalf("%s = %v %q %q; want %v, actual with %q, hint with %q:%s", trustedIdP, got.Status, got.Actual, got.Hint, c.status, c.actual, c.hint, describeDiagnosis(d))
			}
			if !strings.Contains(got.Hint, "Access Policies › (rule) — the IdP condition") || !strings.Contains(got.Hint, "by hand") {
				t.Errorf("the hint does not send the admin to the rule's IdP condition: %q", got.Hint)
			}
			if len(got.Evidence) == 0 || !strings.HasSuffix(got.Evidence[len(got.Evidence)-1].Request.URL, "/api/v1/idps") {
				t.Errorf("evidence is not the read of /api/v1/idps")
			}
			want := []string(nil)
			if c.status == inspect.StatusFail {
				want = []string{trustedIdP}
			}
			if bad := orgChecks(d, inspect.StatusFail); !slices.Equal(bad, want) {
				t.Errorf("failed org checks %v, want %v:%s", bad, want, describeDiagnosis(d))
			}
		})
	}
}

// TestOrgAPITwoOrgsRequestingApp: with an external IdP the requesting app
// (and its AI agent) is registered there, not in the org read: its org
// checks are unknown saying so — neither passed on a client id that
// happens to match, nor failed — while the resource side is read.
func TestOrgAPITwoOrgsRequestingApp(t *testing.T) {
	cfg, _ := twoOrgs(t, trustB)
	d := doctor.Run(context.Background(), doctor.Options{Config: cfg})
	for _, id := range []string{"requesting_app.org.grant_types", "requesting_app.org.auth_method", "requesting_app.org.redirect_uri",
		"requesting_app.org.connection", "requesting_app.org.ai_agent", "requesting_app.org.ai_agent_connection",
		"requesting_app.org.ai_agent_connection_scopes"} {
		c, ok := d.Find(id)
		if !ok || c.Status != inspect.StatusUnknown || !strings.Contains(c.Hint, "is not this org") || !strings.Contains(c.Hint, cfg.IdP.Issuer) {
			t.Errorf("%s = %v %q, want unknown: the app is registered at the external IdP", id, c.Status, c.Hint)
		}
	}
	for _, id := range []string{"org.admin_api", "resource_as.org.server", "resource_as.org.jwt_bearer_policy", "resource_as.org.scopes", trustedIdP} {
		if c, _ := d.Find(id); c.Status != inspect.StatusPass {
			t.Errorf("%s = %v %q %q, want pass", id, c.Status, c.Actual, c.Hint)
		}
	}
}

// TestOrgAPITrustedIdPNotApplicable: when idp.issuer is the org itself the
// check does not apply: not compared, never a pass.
func TestOrgAPITrustedIdPNotApplicable(t *testing.T) {
	e := flowtest.Start(t, playground.Options{Profile: playground.ProfileOkta, TrustIssuers: []string{"https://idp.example.com"}}, "alice")
	d := doctor.Run(context.Background(), doctor.Options{Config: e.Config})
	c, ok := d.Find(trustedIdP)
	if !ok || c.Status != inspect.StatusSkip || !strings.Contains(c.Hint, "is this org") || len(c.Evidence) != 0 {
		t.Fatalf("%s = %v %q (%d exchanges), want skipped: the IdP is this org", trustedIdP, c.Status, c.Hint, len(c.Evidence))
	}
}

// TestOrgAPITrustedIdPRefused: a read of /api/v1/idps that the org refuses
// (401, 403, 404) leaves the check unknown, naming okta.idps.read; nothing fails.
func TestOrgAPITrustedIdPRefused(t *testing.T) {
	cfg, a := twoOrgs(t, trustB)
	org, _ := url.Parse(a.Config.Okta.OrgURL)
	for _, status := range []int{http.StatusUnauthorized, http.StatusForbidden, http.StatusNotFound} {
		proxy := httputil.NewSingleHostReverseProxy(org)
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.URL.Path == "/api/v1/idps" {
				w.Header().Set("Content-Type", "application/json")
				w.WriteHeader(status)
				_, _ = w.Write([]byte(`{"errorCode":"E0000006","errorSummary":"You do not have permission to perform the requested action"}`))
				return
			}
			proxy.ServeHTTP(w, r)
		}))
		t.Cleanup(srv.Close)
		c := *cfg
		c.Okta.OrgURL = srv.URL
		d := doctor.Run(context.Background(), doctor.Options{Config: &c})
		got, _ := d.Find(trustedIdP)
		if got.Status != inspect.StatusUnknown || !strings.Contains(got.Hint, "okta.idps.read") {
			t.Errorf("%d: %s = %v %q, want unknown naming okta.idps.read", status, trustedIdP, got.Status, got.Hint)
		}
		if bad := orgChecks(d, inspect.StatusFail); len(bad) != 0 {
			t.Errorf("%d: org checks %v fail", status, bad)
		}
	}
}
