package playground_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/xaatools/xaa/flow/playground"
)

// outcome is where a flow stopped and what it got there.
type outcome struct {
	step string // "" when every step passed
	resp response
	err  string // the scripted browser's error, at the login step
}

// tryFlow runs the four steps for a user and stops at the first failure.
func (e *env) tryFlow(username string) outcome {
	e.t.Helper()
	verifier, challenge := pkce()
	if err := e.p.LoginBrowser(username)(e.authorizeURL("openid email offline_access", challenge)); err != nil {
		return outcome{step: playground.StepLogin, err: err.Error()}
	}
	cb := <-e.callback
	if cb.Get("error") != "" {
		return outcome{step: playground.StepLogin, err: cb.Get("error") + ": " + cb.Get("error_description")}
	}
	login := e.post(e.idpTokenURL(), url.Values{"grant_type": {"authorization_code"}, "code": {cb.Get("code")},
		"redirect_uri": {e.cfg.IdP.RedirectURI}, "code_verifier": {verifier}}, e.idpBasic())
	if login.status != http.StatusOK {
		return outcome{step: playground.StepLogin, resp: login}
	}
	ex := e.exchange(login.str("id_token"), nil)
	if ex.status != http.StatusOK {
		return outcome{step: playground.StepTokenExchange, resp: ex}
	}
	br := e.bearer(ex.str("access_token"), nil)
	if br.status != http.StatusOK {
		return outcome{step: playground.StepJWTBearer, resp: br}
	}
	api := e.get(e.cfg.Resource.APIURL, br.str("access_token"))
	if api.status != http.StatusOK {
		return outcome{step: playground.StepResource, resp: api}
	}
	return outcome{resp: api}
}

// TestFaults: each IdP and Okta fault makes the flow fail at the step
// Faults() names, with the error it should. (Each AS fault is tested by
// TestASRules with a token that breaks its rule.)
func TestFaults(t *testing.T) {
	cases := []struct {
		fault   string
		okta    bool
		status  int
		code    string
		contain string
	}{
		{fault: playground.FaultIDJAGWrongAud, status: 400, code: "invalid_grant", contain: "id_jag.aud failed"},
		{fault: playground.FaultIDJAGWrongTyp, status: 400, code: "invalid_grant", contain: "id_jag.typ failed"},
		{fault: playground.FaultIDJAGExpired, status: 400, code: "invalid_grant", contain: "id_jag.exp failed"},
		{fault: playground.FaultIDJAGUnknownKID, status: 400, code: "invalid_grant", contain: "is not in the JWKS"},
		{fault: playground.FaultIDJAGBadSignature, status: 400, code: "invalid_grant", contain: "the signature does not verify"},
		{fault: playground.FaultIDJAGMissingJTI, status: 400, code: "invalid_grant", contain: "id_jag.jti failed"},
		{fault: playground.FaultIDJAGLongLifetime, status: 400, code: "invalid_grant", contain: "id_jag.lifetime failed"},
		{fault: playground.FaultIDJAGWrongClientID, status: 400, code: "invalid_grant", contain: "id_jag.client_id failed"},
		{fault: playground.FaultNoConnection, status: 400, code: "invalid_target", contain: "has no connection"},
		{fault: playground.FaultUserNotAssigned, status: 400, code: "invalid_target", contain: "not assigned to the resource app"},
		{fault: playground.FaultIdP500, status: 500, code: "server_error", contain: "idp-500"},
		{fault: playground.FaultOktaXAADisabled, okta: true, status: 400, code: "unsupported_grant_type",
			contain: "'urn:ietf:params:oauth:grant-type:token-exchange' grant type is not supported."},
		{fault: playground.FaultOktaGrantNotEnabled, okta: true, status: 400, code: "unauthorized_client",
			contain: "The client is not authorized to use the provided grant type. Configured grant types: [authorization_code, refresh_token]."},
		{fault: playground.FaultOktaUserNotAssignedRequesting, okta: true, status: 400, code: "invalid_request",
			contain: "'subject_token' is invalid: the user is not assigned to the client application."},
		{fault: playground.FaultOktaUserNotAssignedResource, okta: true, status: 400, code: "invalid_target",
			contain: "The resource app is not completely configured or user is not assigned to the app."},
		{fault: playground.FaultOktaNoConnection, okta: true, status: 400, code: "invalid_target",
			contain: "Token Exchange requests must include a valid audience of the authorization server."},
		{fault: playground.FaultOktaTodo0Audience, okta: true, status: 400, code: "invalid_grant", contain: "got http://localhost:5001"},
		{fault: playground.FaultOktaConnectionScope, okta: true, status: 400, code: "unauthorized_client", contain: "Scope not permitted"},
		{fault: playground.FaultOktaWrongSecret, okta: true, status: 401, code: "invalid_client",
			contain: "The client secret supplied for a confidential client is invalid."},
	}
	// okta-policy-no-jwt-bearer, okta-agent-staged, okta-mcp-invalid and
	// okta-idp-inactive show only in the admin API: flow/doctor's
	// TestOrgAPIFaults and TestOrgAPITrustedIdP.
	tested := map[string]bool{playground.FaultIdPSlow: true, playground.FaultOktaRefreshNotEnabled: true, playground.FaultOktaRedirectNotRegistered: true, playground.FaultOktaPolicyNoJWTBearer: true,
		playground.FaultOktaAgentStaged: true, playground.FaultOktaMCPInvalid: true, playground.FaultOktaIdPInactive: true}
	for _, c := range cases {
		tested[c.fault] = true
		t.Run(c.fault, func(t *testing.T) {
			o := playground.Options{Faults: []string{c.fault}}
			if c.okta {
				o.Profile = playground.ProfileOkta
			}
			e := start(t, o)
			got := e.tryFlow("alice")
			if want := faultInfo(t, c.fault).Step; got.step != want {
				t.Fatalf("flow stopped at step %q (%s %s), want %q", got.step, got.resp.raw, got.err, want)
			}
			wantError(t, got.resp, c.status, c.code, c.contain)
		})
	}
	t.Run(playground.FaultOktaRedirectNotRegistered, func(t *testing.T) {
		e := start(t, playground.Options{Profile: playground.ProfileOkta, Faults: []string{playground.FaultOktaRedirectNotRegistered}})
		got := e.tryFlow("alice")
		want := "The 'redirect_uri' parameter must be a Login redirect URI in the client app settings."
		if got.step != playground.StepLogin || !strings.Contains(got.err, want) {
			t.Errorf("got step %q error %q, want the login to stop on an error page saying %q", got.step, got.err, want)
		}
	})
	t.Run(playground.FaultOktaRefreshNotEnabled, func(t *testing.T) {
		e := start(t, playground.Options{Profile: playground.ProfileOkta, Faults: []string{playground.FaultOktaRefreshNotEnabled}})
		if login := e.login("alice"); login.status != http.StatusOK || login.str("refresh_token") != "" {
			t.Errorf("login with offline_access: %d, refresh token %q; want tokens without one", login.status, login.str("refresh_token"))
		}
		refresh := e.post(e.idpTokenURL(), url.Values{"grant_type": {"refresh_token"}, "refresh_token": {"rt_from_before_the_change"}}, e.idpBasic())
		wantError(t, refresh, 400, "unauthorized_client",
			"The client is not authorized to use the provided grant type. Configured grant types: [authorization_code, urn:ietf:params:oauth:grant-type:token-exchange].")
		if got := e.tryFlow("alice"); got.step != "" {
			t.Errorf("an ID-token subject: flow stopped at %q (%s); want it to complete", got.step, got.resp.raw)
		}
	})
	t.Run(playground.FaultIdPSlow, func(t *testing.T) {
		e := start(t, playground.Options{Faults: []string{playground.FaultIdPSlow}})
		idToken := e.login("alice").str("id_token")
		impatient := &http.Client{Timeout: 200 * time.Millisecond}
		f := url.Values{"grant_type": {"urn:ietf:params:oauth:grant-type:token-exchange"}, "requested_token_type": {"urn:ietf:params:oauth:token-type:id-jag"},
			"subject_token": {idToken}, "subject_token_type": {"urn:ietf:params:oauth:token-type:id_token"}, "audience": {e.cfg.ResourceAS.Issuer},
			"client_id": {e.cfg.IdP.ClientID}, "client_secret": {e.cfg.IdP.ClientSecret.Reveal()}}
		if _, err := impatient.PostForm(e.idpTokenURL(), f); err == nil {
			t.Errorf("a client that waits 200ms got an answer; want the slow IdP to make it time out")
		}
		if got := e.tryFlow("alice"); got.step != "" {
			t.Errorf("a patient client: flow stopped at %q (%s); want it to complete", got.step, got.resp.raw)
		}
	})
	for _, f := range playground.Faults() {
		// Each idp-skip-* fault is tested by flow/conform's
		// TestIdPFaultPerCase: it makes exactly its case fail.
		if f.Party == playground.PartyIdP && !tested[f.Name] && !strings.HasPrefix(f.Name, "idp-skip-") {
			t.Errorf("IdP fault %s has no test", f.Name)
		}
	}
}

func faultInfo(t *testing.T, name string) playground.FaultInfo {
	for _, f := range playground.Faults() {
		if f.Name == name {
			return f
		}
	}
	t.Fatalf("no fault %s", name)
	return playground.FaultInfo{}
}

// TestFaultOptions: unknown faults and Okta faults without the profile are
// refused with the list.
func TestFaultOptions(t *testing.T) {
	cases := []struct {
		name string
		o    playground.Options
		want string
	}{
		{"unknown fault", playground.Options{Faults: []string{"idjag-wrong-audience"}}, "unknown fault \"idjag-wrong-audience\"; the faults are: idjag-wrong-aud, "},
		{"okta fault without profile", playground.Options{Faults: []string{playground.FaultOktaWrongSecret}}, "needs --profile okta"},
		{"unknown profile", playground.Options{Profile: "auth0"}, "unknown profile \"auth0\""},
		{"bad redirect URI", playground.Options{RedirectURIs: []string{"/callback"}}, "must be an absolute http(s) URL"},
		{"bad trusted issuer", playground.Options{TrustIssuers: []string{"dev-123.okta.com"}}, "must be an issuer URL"},
		{"bad listen address", playground.Options{Listen: "9400"}, "want host:port"},
		{"port too high", playground.Options{Listen: "127.0.0.1:65535"}, "the port must be a number from 0 to 65533"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			p, err := playground.Start(t.Context(), c.o)
			if err == nil {
				p.Close()
				t.Fatalf("Start succeeded; want an error containing %q", c.want)
			}
			if !strings.Contains(err.Error(), c.want) {
				t.Errorf("error %q does not contain %q", err, c.want)
			}
		})
	}
}
