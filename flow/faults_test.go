package flow_test

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/xaatools/xaa/flow/explain"
	"github.com/xaatools/xaa/flow/flowtest"

	"github.com/xaatools/xaa/flow"
	"github.com/xaatools/xaa/flow/playground"
	"github.com/xaatools/xaa/inspect"
)

// faultCase is what one playground fault (or demo user) must do to a run:
// the step that fails and the catalogue entry that explains it, or — for a
// resource AS that skips a rule — that the run passes, with xaa's own check
// of the bad ID-JAG still failing at the token exchange.
type faultCase struct {
	faults  []string
	profile string
	user    string
	// failStep and explanation are the step that fails and the ID of the
	// explanation; failStep -1 means every step passes or warns.
	failStep    flow.StepID
	explanation string
	// flagged is the ID-JAG check xaa fails (as advice) at the token exchange.
	flagged string
	// timeout shortens the request timeout.
	timeout time.Duration
	// console is the Okta Admin Console screen the explanation's fix must
	// send the admin to.
	console string
}

const passes = flow.StepID(-1)

var faultCases = map[string]faultCase{
	playground.FaultIDJAGWrongAud:      {failStep: flow.StepJWTBearer, explanation: "jwt_bearer.aud_rewritten", flagged: "id_jag.aud"},
	playground.FaultIDJAGWrongTyp:      {failStep: flow.StepJWTBearer, explanation: "jwt_bearer.wrong_typ", flagged: "id_jag.typ"},
	playground.FaultIDJAGExpired:       {failStep: flow.StepJWTBearer, explanation: "jwt_bearer.expired", flagged: "id_jag.exp"},
	playground.FaultIDJAGUnknownKID:    {failStep: flow.StepJWTBearer, explanation: "jwt_bearer.invalid_signature", flagged: "id_jag.signature"},
	playground.FaultIDJAGBadSignature:  {failStep: flow.StepJWTBearer, explanation: "jwt_bearer.invalid_signature", flagged: "id_jag.signature"},
	playground.FaultIDJAGMissingJTI:    {failStep: flow.StepJWTBearer, explanation: "jwt_bearer.missing_jti", flagged: "id_jag.jti"},
	playground.FaultIDJAGLongLifetime:  {failStep: flow.StepJWTBearer, explanation: "jwt_bearer.lifetime_too_long", flagged: "id_jag.lifetime"},
	playground.FaultIDJAGWrongClientID: {failStep: flow.StepJWTBearer, explanation: "jwt_bearer.client_mismatch", flagged: "id_jag.client_id"},
	playground.FaultNoConnection:       {failStep: flow.StepTokenExchange, explanation: "token_exchange.no_connection"},
	playground.FaultUserNotAssigned:    {failStep: flow.StepTokenExchange, explanation: "token_exchange.resource_app_incomplete"},
	playground.FaultIdPSlow:            {failStep: flow.StepTokenExchange, explanation: "network.timeout", timeout: time.Second},
	playground.FaultIdP500:             {failStep: flow.StepTokenExchange, explanation: "token_exchange.not_generated"},

	// xaa sends one assertion, so an AS that takes the first of several passes.
	playground.FaultASSkipSingleAssertion: {failStep: passes},

	// A resource AS that skips a rule accepts a good ID-JAG like any other.
	playground.FaultASSkipAlg:      {failStep: passes},
	playground.FaultASSkipIss:      {failStep: passes},
	playground.FaultASSkipIat:      {failStep: passes},
	playground.FaultASSkipNbf:      {failStep: passes},
	playground.FaultASSkipScope:    {failStep: passes},
	playground.FaultASSkipResource: {failStep: passes},
	// … and accepts a bad one the IdP was made to issue, which only xaa flags.
	playground.FaultASSkipTyp:       {faults: []string{playground.FaultIDJAGWrongTyp}, failStep: passes, flagged: "id_jag.typ"},
	playground.FaultASSkipSignature: {faults: []string{playground.FaultIDJAGBadSignature}, failStep: passes, flagged: "id_jag.signature"},
	playground.FaultASSkipAud:       {faults: []string{playground.FaultIDJAGWrongAud}, failStep: passes, flagged: "id_jag.aud"},
	playground.FaultASSkipExp:       {faults: []string{playground.FaultIDJAGExpired}, failStep: passes, flagged: "id_jag.exp"},
	playground.FaultASSkipLifetime:  {faults: []string{playground.FaultIDJAGLongLifetime}, failStep: passes, flagged: "id_jag.lifetime"},
	playground.FaultASSkipJTI:       {faults: []string{playground.FaultIDJAGMissingJTI}, failStep: passes, flagged: "id_jag.jti"},
	playground.FaultASSkipClientID:  {faults: []string{playground.FaultIDJAGWrongClientID}, failStep: passes, flagged: "id_jag.client_id"},
	playground.FaultASSkipSub:       {user: "dave", failStep: passes},

	playground.FaultOktaXAADisabled:     {profile: playground.ProfileOkta, failStep: flow.StepTokenExchange, explanation: "token_exchange.grant_unsupported", console: explain.OktaFeature},
	playground.FaultOktaGrantNotEnabled: {profile: playground.ProfileOkta, failStep: flow.StepTokenExchange, explanation: "token_exchange.grant_not_enabled", console: explain.OktaGrantTypes},
	// With the ID token as the subject only the login warns; the refresh-token
	// path is TestRefreshNotEnabled.
	playground.FaultOktaRefreshNotEnabled:         {profile: playground.ProfileOkta, failStep: passes},
	playground.FaultOktaUserNotAssignedRequesting: {profile: playground.ProfileOkta, failStep: flow.StepTokenExchange, explanation: "token_exchange.user_not_assigned", console: explain.OktaAssignRequesting},
	playground.FaultOktaUserNotAssignedResource:   {profile: playground.ProfileOkta, failStep: flow.StepTokenExchange, explanation: "token_exchange.resource_app_incomplete", console: explain.OktaAssignResource},
	// Shows only in what the admin API reads of the org (flow/doctor's TestOrgAPIFaults).
	playground.FaultOktaPolicyNoJWTBearer:     {profile: playground.ProfileOkta, failStep: -1},
	playground.FaultOktaAgentStaged:           {profile: playground.ProfileOkta, failStep: -1},
	playground.FaultOktaMCPInvalid:            {profile: playground.ProfileOkta, failStep: -1},
	playground.FaultOktaConnectionScope:       {profile: playground.ProfileOkta, failStep: flow.StepTokenExchange, explanation: "token_exchange.scope_denied", console: explain.OktaConnection},
	playground.FaultOktaIdPInactive:           {profile: playground.ProfileOkta, failStep: -1},
	playground.FaultOktaNoConnection:          {profile: playground.ProfileOkta, failStep: flow.StepTokenExchange, explanation: "token_exchange.audience_not_connected", console: explain.OktaConnection},
	playground.FaultOktaTodo0Audience:         {profile: playground.ProfileOkta, failStep: flow.StepJWTBearer, explanation: "jwt_bearer.aud_rewritten", flagged: "id_jag.aud", console: explain.OktaResourceXAA},
	playground.FaultOktaRedirectNotRegistered: {profile: playground.ProfileOkta, failStep: flow.StepLogin, explanation: "login.redirect_uri_page", console: explain.OktaRedirectURIs},
	playground.FaultOktaWrongSecret:           {profile: playground.ProfileOkta, failStep: flow.StepLogin, explanation: "oauth.invalid_client", console: explain.OktaClientCreds},
}

// userCases are the demo users whose outcome is a refusal.
var userCases = map[string]faultCase{
	"bob":   {failStep: flow.StepTokenExchange, explanation: "token_exchange.resource_app_incomplete"},
	"carol": {failStep: flow.StepLogin, explanation: "login.user_not_assigned"},
	"dave":  {failStep: flow.StepJWTBearer, explanation: "jwt_bearer.invalid_subject"},
}

// TestFaults runs the whole flow once per playground fault and checks that
// the right step fails with the right explanation.
func TestFaults(t *testing.T) {
	for _, f := range playground.Faults() {
		// The idp-skip-* faults make the IdP accept what it must refuse;
		// flow/conform's TestIdPFaultPerCase proves each with its case.
		if _, ok := faultCases[f.Name]; !ok && !strings.HasPrefix(f.Name, "idp-skip-") {
			t.Errorf("fault %s (%s) has no case in faultCases", f.Name, f.Description)
		}
	}
	for name, c := range faultCases {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			user := c.user
			if user == "" {
				user = "alice"
			}
			e := flowtest.Start(t, playground.Options{Faults: append([]string{name}, c.faults...), Profile: c.profile}, user)
			e.Runner.Env.RequestTimeout = c.timeout
			run := e.Run(t)
			checkFaultRun(t, run, c)
			if c.profile == "" {
				noOktaScreens(t, run)
			}
		})
	}
	for user, c := range userCases {
		t.Run("user "+user, func(t *testing.T) {
			t.Parallel()
			checkFaultRun(t, flowtest.Start(t, playground.Options{}, user).Run(t), c)
		})
	}
}

func checkFaultRun(t *testing.T, run *flow.Run, c faultCase) {
	t.Helper()
	for _, s := range run.Steps {
		switch {
		case s.ID == c.failStep:
			if s.Status != inspect.StatusFail {
				t.Errorf("%s: %s, want fail:%s", s.ID, s.Status, flowtest.Summary(run))
				continue
			}
			if s.Explanation == nil || s.Explanation.ID != c.explanation {
				t.Errorf("%s explanation = %+v, want %s:%s", s.ID, s.Explanation, c.explanation, flowtest.Summary(run))
			} else if !strings.Contains(s.Explanation.Fix, c.console) {
				t.Errorf("%s fix %q does not send the admin to %q", s.ID, s.Explanation.Fix, c.console)
			}
		case c.failStep == passes || s.ID < c.failStep:
			if s.Status == inspect.StatusFail {
				t.Errorf("%s: fail, want pass or warn:%s", s.ID, flowtest.Summary(run))
			}
		default:
			if s.Status != inspect.StatusSkip {
				t.Errorf("%s after the failed %s: %s, want skipped", s.ID, c.failStep, s.Status)
			}
		}
	}
	if c.flagged == "" {
		return
	}
	te := run.Step(flow.StepTokenExchange)
	jag, ok := te.Token(inspect.KindIDJAG)
	if !ok {
		jag, ok = te.Token(inspect.KindUnknown)
	}
	if !ok {
		t.Fatalf("token exchange has no ID-JAG:%s", flowtest.Summary(run))
	}
	// A warning flags it too: a long lifetime fails only where Okta judges.
	failed := slices.IndexFunc(jag.Checks, func(ch inspect.Check) bool {
		return ch.ID == c.flagged && (ch.Status == inspect.StatusFail || ch.Status == inspect.StatusWarn)
	})
	if failed < 0 {
		t.Errorf("xaa did not flag %s at the token exchange:%s", c.flagged, flowtest.Summary(run))
	}
	if te.Status != inspect.StatusWarn {
		t.Errorf("token exchange with a flagged ID-JAG: %s, want warn (xaa's checks are advice there)", te.Status)
	}
}

// noOktaScreens: an IdP that is no Okta org gets fixes without Okta's
// console screens (the same settings, named as settings).
func noOktaScreens(t *testing.T, run *flow.Run) {
	t.Helper()
	for _, s := range run.Steps {
		if s.Explanation != nil && strings.Contains(s.Explanation.Fix, "Okta Admin Console") {
			t.Errorf("%s: the playground's IdP is no Okta org, yet the fix names Okta's console: %s", s.ID, s.Explanation.Fix)
		}
	}
}
