package flow

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/xaatools/xaa/flow/config"

	"golang.org/x/oauth2"

	"github.com/xaatools/xaa/inspect"
)

const specOIDCCode = "OIDC Core §3.1.2, §3.1.3"

// login is step 1: the authorization code flow with PKCE S256, state and
// nonce (OIDC Core §3.1, RFC 7636), the callback on a loopback listener,
// the code exchanged with golang.org/x/oauth2 through the recorder, and the
// ID token verified with the IdP's keys.
func (r *Runner) login(ctx context.Context, s *session, st *Step) {
	c := r.Config
	idp := st.In.IdP
	if idp == nil || idp.AuthorizationEndpoint == "" || idp.TokenEndpoint == "" {
		st.Err = wrapNoInput("the IdP's authorization and token endpoints (discovery found none)")
		return
	}
	state, err1 := r.Env.randomString(24)
	nonce, err2 := r.Env.randomString(24)
	verifier, err3 := r.Env.randomString(32) // 43 characters, RFC 7636 §4.1
	if err := errors.Join(err1, err2, err3); err != nil {
		st.Err = err
		return
	}
	auth := clientAuth{cc: c.IdP.ClientConfig, tokenEndpoint: idp.TokenEndpoint, issuer: idp.Issuer}
	scopes := c.LoginScopes()
	if v, ok := st.Overrides["scope"]; ok {
		scopes = strings.Fields(v)
	}
	conf := &oauth2.Config{
		ClientID:    c.IdP.ClientID,
		Endpoint:    oauth2.Endpoint{AuthURL: idp.AuthorizationEndpoint, TokenURL: idp.TokenEndpoint, AuthStyle: auth.oauth2Style()},
		RedirectURL: c.IdP.RedirectURI,
		Scopes:      scopes,
	}
	if m := auth.cc.Method(); m == config.AuthClientSecretBasic || m == config.AuthClientSecretPost {
		conf.ClientSecret = c.IdP.ClientSecret.Reveal()
	}
	opts := []oauth2.AuthCodeOption{oauth2.S256ChallengeOption(verifier), oauth2.SetAuthURLParam("nonce", nonce)}
	for _, k := range st.Overrides.keys() {
		if k != "scope" && st.Overrides[k] != "" {
			opts = append(opts, oauth2.SetAuthURLParam(k, st.Overrides[k]))
		}
	}

	ln, err := listenCallback(c.IdP.RedirectURI, state)
	if err != nil {
		st.Err = err
		return
	}
	defer ln.close()
	authURL := conf.AuthCodeURL(state, opts...)
	st.note("authorization request: %s", authURL)
	cb, err := r.awaitCallback(ctx, ln, authURL)
	if err != nil {
		st.Err = err
		return
	}
	if !r.callbackChecks(st, cb, state, idp) {
		return
	}

	exchangeCtx := context.WithValue(withLabel(ctx, PartyIdP, "authorization code exchange"), oauth2.HTTPClient, s.client)
	exOpts := []oauth2.AuthCodeOption{oauth2.VerifierOption(verifier)}
	if m := auth.cc.Method(); m == config.AuthPrivateKeyJWT {
		params, err := auth.formParams(r.Env)
		if err != nil {
			st.Err = err
			return
		}
		for _, k := range []string{"client_assertion_type", "client_assertion"} {
			exOpts = append(exOpts, oauth2.SetAuthURLParam(k, params.Get(k)))
		}
	}
	tok, err := conf.Exchange(exchangeCtx, cb.Code, exOpts...)
	if err != nil {
		st.Err = s.oauth2Error(err, "the authorization code exchange response", idp.TokenEndpoint)
		return
	}
	idToken, _ := tok.Extra("id_token").(string)
	r.refreshTokenCheck(st, tok.RefreshToken, scopes)
	if idToken == "" {
		st.Err = ErrMissingIDToken
		return
	}
	t, err := inspect.Decode(idToken)
	if err != nil {
		st.Err = fmt.Errorf("%w: the id_token is not a token: %v", ErrBadResponse, err)
		return
	}
	t.Name = "id_token"
	a, keys := s.analyzeWithRefetch(ctx, t, st.In.IdPKeys, PartyIdP, inspect.Options{
		Want:   inspect.KindIDToken,
		Expect: inspect.Expect{Now: r.Env.now(), Issuer: idp.Issuer, ClientID: c.IdP.ClientID, Nonce: nonce},
	})
	st.Tokens = append(st.Tokens, a)
	st.Out.IdPKeys = keys
	st.Out.IDToken, st.Out.RefreshToken, st.Out.Nonce = idToken, tok.RefreshToken, nonce
	st.Out.SubjectToken, st.Out.SubjectTokenType = "", ""
}

// awaitCallback opens the browser (unless told not to) and waits for the
// callback, the opener's failure, the timeout or cancellation.
func (r *Runner) awaitCallback(ctx context.Context, ln *callbackListener, authURL string) (callback, error) {
	open := r.Env.OpenBrowser != nil && !r.NoBrowser
	msg := "open this URL in a browser to log in (waiting for the callback on " + r.Config.IdP.RedirectURI + ")"
	if open {
		msg = "opening the browser to log in; if it does not open, use this URL (waiting for the callback on " + r.Config.IdP.RedirectURI + ")"
	}
	r.Env.progress(Progress{Step: StepLogin, Message: msg, URL: authURL})
	opened := make(chan error, 1)
	if open {
		go func() { opened <- r.Env.OpenBrowser(authURL) }()
	}
	timer := time.NewTimer(r.Env.loginTimeout())
	defer timer.Stop()
	for {
		select {
		case cb := <-ln.result:
			return cb, nil
		case err := <-opened:
			if err != nil {
				// A scripted browser may fail after the callback arrived.
				select {
				case cb := <-ln.result:
					return cb, nil
				default:
				}
				return callback{}, fmt.Errorf("%w: %v", ErrBrowser, err)
			}
		case <-timer.C:
			return callback{}, fmt.Errorf("%w (%s): nobody completed the login at %s", ErrLoginTimeout, r.Env.loginTimeout(), r.Config.IdP.RedirectURI)
		case <-ctx.Done():
			return callback{}, ctx.Err()
		}
	}
}

// callbackChecks checks state, error, iss and code; it reports whether the
// login can go on.
func (r *Runner) callbackChecks(st *Step, cb callback, state string, idp *Metadata) bool {
	if cb.State != state {
		st.check("login.state", inspect.StatusFail, "the callback's state is the one sent", "the state of this login", orText(cb.State, "(absent)"),
			"a stale tab, parallel logins, or a forged callback", "RFC 6749 §10.12")
		st.Err = ErrStateMismatch
		return false
	}
	st.check("login.state", inspect.StatusPass, "the callback's state is the one sent", "the state of this login", "matches", "", "RFC 6749 §10.12")
	if cb.Err != nil {
		st.Err = cb.Err
		return false
	}
	switch {
	case cb.Iss != "" && cb.Iss != idp.Issuer:
		st.check("login.iss", inspect.StatusFail, "the callback's iss is the IdP", idp.Issuer, cb.Iss, "a mix-up: the answer came from another authorization server", "RFC 9207 §2.4")
		st.Err = ErrIssuerMismatch
		return false
	case cb.Iss != "":
		st.check("login.iss", inspect.StatusPass, "the callback's iss is the IdP", idp.Issuer, cb.Iss, "", "RFC 9207 §2.4")
	case idp.AuthorizationResponseIssParameterSupported:
		st.check("login.iss", inspect.StatusWarn, "the callback's iss is the IdP", idp.Issuer, "(absent)",
			"the IdP advertises authorization_response_iss_parameter_supported but sent no iss", "RFC 9207 §2.4")
	}
	if cb.Code == "" {
		st.Err = ErrMissingCode
		return false
	}
	return true
}

// refreshTokenCheck records whether a refresh token came back, which lets
// the token exchange be repeated without a new login (draft §4.2).
func (r *Runner) refreshTokenCheck(st *Step, refresh string, scopes []string) {
	asked := false
	for _, sc := range scopes {
		asked = asked || sc == "offline_access"
	}
	switch {
	case refresh != "":
		st.check("login.refresh_token", inspect.StatusPass, "a refresh token came back", "with offline_access", "present", "", specOIDCCode)
	case asked:
		st.check("login.refresh_token", inspect.StatusWarn, "a refresh token came back", "with offline_access", "(absent)",
			"offline_access was requested but no refresh token came back: the app may lack the Refresh Token grant", specOIDCCode)
	default:
		st.check("login.refresh_token", inspect.StatusSkip, "a refresh token came back", "with offline_access", "not requested",
			"add offline_access to idp.scopes to exchange a refresh token when the ID token expires", specOIDCCode)
	}
}

// oauth2Error turns an error of golang.org/x/oauth2 into an *OAuthError
// or a *FetchError, using the recorded exchange for what the library drops.
func (s *session) oauth2Error(err error, what, endpoint string) error {
	var re *oauth2.RetrieveError
	if errors.As(err, &re) {
		status := 0
		if re.Response != nil {
			status = re.Response.StatusCode
		}
		if re.ErrorCode != "" {
			return s.scrubError(&OAuthError{Status: status, Code: re.ErrorCode, Description: re.ErrorDescription, URI: re.ErrorURI,
				Source: "token endpoint"}, re.Body)
		}
		resp := &response{Status: status, Body: re.Body, Header: http.Header{}}
		if re.Response != nil {
			resp.Header = re.Response.Header
		}
		var v any
		if ferr := checkJSON(resp, what, endpoint, &v); ferr != nil {
			return ferr
		}
		return &FetchError{Kind: FetchStatus, What: what, URL: endpoint, Status: status}
	}
	var fe *FetchError
	if errors.As(err, &fe) {
		return fe
	}
	xs := s.exchanges()
	if n := len(xs); n > 0 && xs[n-1].Err != nil {
		return classifyTransportError(what, endpoint, s.client.Timeout, xs[n-1].Err)
	}
	if n := len(xs); n > 0 && xs[n-1].Response != nil {
		last := xs[n-1].Response
		var v any
		if ferr := checkJSON(&response{Status: last.Status, Header: last.Header, Body: last.Body}, what, endpoint, &v); ferr != nil {
			return ferr
		}
		if strings.Contains(err.Error(), "missing access_token") {
			return fmt.Errorf("%w: %v", ErrMissingToken, err)
		}
	}
	return fmt.Errorf("%w: %v", ErrBadResponse, err)
}
