package doctor_test

import (
	"context"
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/xaatools/xaa/flow"
	"github.com/xaatools/xaa/flow/config"
	"github.com/xaatools/xaa/flow/doctor"
	"github.com/xaatools/xaa/flow/explain"
	"github.com/xaatools/xaa/flow/flowtest"
	"github.com/xaatools/xaa/flow/playground"
)

// TestOktaDocNamesRealChecks: every check id docs/okta.md names is one the
// doctor makes against the playground's Okta profile, a rule of xaa run, or
// a config key; and every console path it cites is the catalogue's.
func TestOktaDocNamesRealChecks(t *testing.T) {
	doc, err := os.ReadFile("../../docs/okta.md")
	if err != nil {
		t.Fatal(err)
	}
	e := flowtest.Start(t, playground.Options{Profile: playground.ProfileOkta}, "alice")
	// With the org's admin API too: the page lists the checks read from it.
	d := doctor.Run(context.Background(), doctor.Options{Config: e.Config, IDToken: doctorSignIn(t, e)})
	known := map[string]bool{}
	for _, c := range d.Checks {
		known[c.ID] = true
	}
	// … and on the refresh-token path, which has a check of its own.
	refreshPath := *e.Config
	refreshPath.IdP.Subject = config.SubjectRefreshToken
	for _, c := range doctor.Run(context.Background(), doctor.Options{Config: &refreshPath}).Checks {
		known[c.ID] = true
	}
	for _, k := range append(config.Keys(), doctor.OrgAPIChecks()...) {
		known[k] = true
	}
	ids := regexp.MustCompile("`([a-z_]+\\.[a-z_.]+)`").FindAllStringSubmatch(string(doc), -1)
	if len(ids) < 20 {
		t.Fatalf("docs/okta.md names %d checks; the test's pattern is wrong", len(ids))
	}
	checkPrefixes := []string{"org", "requesting_app", "resource_app", "resource_as", "resource", "discovery", "login",
		"token_exchange", "jwt_bearer", "id_jag", "id_token", "access_token", "chain", "idp"}
	for _, m := range ids {
		id := m[1]
		if first, _, _ := strings.Cut(id, "."); !slices.Contains(checkPrefixes, first) {
			continue // an API field or a scope (settings.oauthClient…, okta.apps.read)
		}
		_, rule := flow.RuleFor(id)
		if !known[id] && !rule && !strings.HasPrefix(id, "jwt_bearer.") {
			t.Errorf("docs/okta.md names %s, which is no doctor check, rule or config key", id)
		}
	}
	for _, path := range []string{explain.OktaCustomASRule, explain.OktaRedirectURIs} {
		short := strings.TrimPrefix(path, "Okta Admin Console › ")
		short = strings.Replace(short, "Applications › Applications ›", "Applications ›", 1)
		if i := strings.Index(short, " (the "); i > 0 {
			short = short[:i]
		}
		if !strings.Contains(string(doc), short) {
			t.Errorf("docs/okta.md does not cite %q", short)
		}
	}
}
