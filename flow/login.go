package flow

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/xaatools/xaa/flow/config"
	"github.com/xaatools/xaa/flow/wire"

	"golang.org/x/oauth2"

	"github.com/xaatools/xaa/inspect"
)

const specOIDCCode = "OIDC Core §3.1.2, §3.1.3"

// login is step 1: the authorization code flow with PKCE S256, state and
// nonce (OIDC Core §3.1, RFC 7636), the callback on a loopback listener,
// the code exchanged with golang.org/x/oauth2 through the recorder, and the
// ID token verified with the IdP's keys.
func (r *Runner) login(ctx context.Context, s *wire.Client, st *Step) {
	c := r.Config
	idp := st.In.IdP
	state, err1 := s.Random(24)
	nonce, err2 := s.Random(24)
	verifier, err3 := s.Random(32) // 43 characters, RFC 7636 §4.1
	if err := errors.Join(err1, err2, err3); err != nil {
		st.Err = err
		return
	}
	auth := wire.ClientAuth{Client: c.IdP.ClientConfig, TokenEndpoint: idp.TokenEndpoint, Issuer: idp.Issuer}
	scopes := c.LoginScopes()
	if v, ok := st.Overrides["scope"]; ok {
		scopes = strings.Fields(v)
	}
	conf := &oauth2.Config{
		ClientID:    c.IdP.ClientID,
		Endpoint:    oauth2.Endpoint{AuthURL: idp.AuthorizationEndpoint, TokenURL: idp.TokenEndpoint, AuthStyle: auth.OAuth2Style()},
		RedirectURL: c.IdP.RedirectURI,
		Scopes:      scopes,
	}
	if m := auth.Client.Method(); m == config.AuthClientSecretBasic || m == config.AuthClientSecretPost {
		conf.ClientSecret = c.IdP.ClientSecret.Reveal()
	}
	opts := []oauth2.AuthCodeOption{oauth2.S256ChallengeOption(verifier), oauth2.SetAuthURLParam("nonce", nonce)}
	for _, k := range st.Overrides.keys() {
		if k != "scope" && st.Overrides[k] != "" {
			opts = append(opts, oauth2.SetAuthURLParam(k, st.Overrides[k]))
		}
	}

	ln, err := wire.ListenCallback(c.IdP.RedirectURI, state)
	if err != nil {
		st.Err = err
		return
	}
	defer ln.Close()
	authURL := conf.AuthCodeURL(state, opts...)
	st.note("authorization request: %s", authURL)
	cb, err := r.awaitCallback(ctx, ln, authURL)
	if n := ln.Rejected(); n > 0 {
		st.note("refused %d callback(s) whose state was not this login's (a stale tab, or a request another page sent to the redirect URI); the login went on", n)
	}
	if err != nil {
		st.Err = err
		return
	}
	if !r.callbackChecks(st, cb, state, idp) {
		return
	}

	if err := wire.CheckEndpoint(idp.Issuer, idp.TokenEndpoint); err != nil {
		st.Err = err
		return
	}
	exchangeCtx := context.WithValue(wire.WithLabel(ctx, wire.PartyIdP, "authorization code exchange"), oauth2.HTTPClient, s.HTTP())
	exOpts := []oauth2.AuthCodeOption{oauth2.VerifierOption(verifier)}
	if m := auth.Client.Method(); m == config.AuthPrivateKeyJWT {
		params, err := auth.FormParams(s)
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
		st.Err = s.OAuth2Error(err, "the authorization code exchange response", idp.TokenEndpoint)
		return
	}
	idToken, _ := tok.Extra("id_token").(string)
	r.refreshTokenCheck(st, tok.RefreshToken, scopes)
	if idToken == "" {
		st.Err = wire.ErrMissingIDToken
		return
	}
	t, err := inspect.Decode(idToken)
	if err != nil {
		st.Err = fmt.Errorf("%w: the id_token is not a token: %v", wire.ErrBadResponse, err)
		return
	}
	t.Name = "id_token"
	a, keys := s.AnalyzeWithRefetch(ctx, t, st.In.IdPKeys, wire.PartyIdP, inspect.Options{
		Want:   inspect.KindIDToken,
		Expect: inspect.Expect{Now: r.Env.Time(), Issuer: idp.Issuer, ClientID: c.IdP.ClientID, Nonce: nonce},
	})
	st.Tokens = append(st.Tokens, a)
	st.Out.IdPKeys = keys
	st.Out.IDToken, st.Out.RefreshToken, st.Out.Nonce = idToken, tok.RefreshToken, nonce
	st.Out.SubjectToken, st.Out.SubjectTokenType = "", ""
}

// awaitCallback opens the browser (unless told not to) and waits for the
// Callback, the opener's failure, the timeout or cancellation.
func (r *Runner) awaitCallback(ctx context.Context, ln *wire.CallbackListener, authURL string) (wire.Callback, error) {
	open := r.Env.OpenBrowser != nil && !r.NoBrowser
	msg := "open this URL in a browser to log in (waiting for the callback on " + r.Config.IdP.RedirectURI + ")"
	switch {
	case open && r.Env.Browser != "":
		msg = r.Env.Browser + " logs in at this URL (waiting for the callback on " + r.Config.IdP.RedirectURI + ")"
	case open:
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
		case cb := <-ln.Result():
			return cb, nil
		case err := <-opened:
			if err != nil {
				// A scripted browser may fail after the callback arrived.
				select {
				case cb := <-ln.Result():
					return cb, nil
				default:
				}
				return wire.Callback{}, fmt.Errorf("%w: %v", wire.ErrBrowser, err)
			}
		case <-timer.C:
			err := fmt.Errorf("%w (%s): nobody completed the login at %s", wire.ErrLoginTimeout, r.Env.loginTimeout(), r.Config.IdP.RedirectURI)
			if n := ln.Rejected(); n > 0 {
				err = fmt.Errorf("%w; %d callback(s) with another state were refused meanwhile (a stale tab, or a forged request)", err, n)
			}
			return wire.Callback{}, err
		case <-ctx.Done():
			return wire.Callback{}, ctx.Err()
		}
	}
}

// callbackChecks checks state, error, iss and code; it reports whether the
// login can go on.
func (r *Runner) callbackChecks(st *Step, cb wire.Callback, state string, idp *wire.Metadata) bool {
	if cb.State != state {
		st.check("login.state", inspect.StatusFail, "the callback's state is the one sent", "the state of this login", cmp.Or(cb.State, "(absent)"),
			"a stale tab, parallel logins, or a forged callback", "RFC 6749 §10.12")
		st.Err = wire.ErrStateMismatch
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
		st.Err = wire.ErrIssuerMismatch
		return false
	case cb.Iss != "":
		st.check("login.iss", inspect.StatusPass, "the callback's iss is the IdP", idp.Issuer, cb.Iss, "", "RFC 9207 §2.4")
	case idp.AuthorizationResponseIssParameterSupported:
		st.check("login.iss", inspect.StatusWarn, "the callback's iss is the IdP", idp.Issuer, "(absent)",
			"the IdP advertises authorization_response_iss_parameter_supported but sent no iss", "RFC 9207 §2.4")
	}
	if cb.Code == "" {
		st.Err = wire.ErrMissingCode
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
