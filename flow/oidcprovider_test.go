package flow_test

import (
	"context"
	"strings"
	"testing"

	"github.com/xaatools/xaa/flow"
	"github.com/xaatools/xaa/flow/flowtest"
	"github.com/xaatools/xaa/flow/playground"
	"github.com/xaatools/xaa/inspect"
)

// TestTokenExchangeAtAnOpenIDProviderWithoutIt: an IdP that is not Okta's
// (oidc-provider, as flowtest.OIDCProviderIdP answers for it) refuses the
// token exchange with unsupported_grant_type. The explanation says the IdP
// does not offer the token exchange — not Okta's org feature and support
// path — and the jwt-bearer step is skipped naming the ID-JAG.
func TestTokenExchangeAtAnOpenIDProviderWithoutIt(t *testing.T) {
	e := flowtest.Start(t, playground.Options{}, "alice")
	e.Config.IdP.Issuer = flowtest.OIDCProviderIdP(t, e.Config.IdP.RedirectURI)
	run, err := e.Runner.Run(context.Background(), flow.StepTokenExchange, "an-id-token-oidc-provider-never-reads")
	if err != nil {
		t.Fatal(err)
	}
	x := run.Step(flow.StepTokenExchange)
	if x.Status != inspect.StatusFail || x.Explanation == nil || x.Explanation.ID != "token_exchange.not_offered" {
		t.Fatalf("token exchange = %s, want fail explained as token_exchange.not_offered:%s", x.Status, flowtest.Summary(run))
	}
	ex := x.Explanation
	for _, text := range append([]string{ex.Meaning, ex.Fix}, ex.Causes...) {
		if strings.Contains(text, "Okta") {
			t.Errorf("the explanation of a non-Okta IdP's refusal talks of Okta: %q", text)
		}
	}
	if jb := run.Step(flow.StepJWTBearer); jb.Status != inspect.StatusSkip || !strings.Contains(missingNames(jb), "an ID-JAG") {
		t.Errorf("jwt_bearer = %s, missing %q; want skipped for want of an ID-JAG", jb.Status, missingNames(jb))
	}
}
