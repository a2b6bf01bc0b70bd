package flow

import (
	"cmp"
	"context"
	"fmt"
	"maps"
	"net/url"
	"slices"
	"strings"

	"github.com/xaatools/xaa/flow/config"
	"github.com/xaatools/xaa/flow/wire"
	"github.com/xaatools/xaa/inspect"
)

const specTokenExchange = "RFC 8693 §2.2.1; draft-ietf-oauth-identity-assertion-authz-grant-04 §4.3.4"

// tokenExchange is step 2: the RFC 8693 token exchange at the IdP of the
// subject token (the ID token, an IdP refresh token, or a given token) for
// an ID-JAG whose audience is the resource AS (draft §4.3). The response is
// checked, the ID-JAG verified with the IdP's keys and checked against what
// was sent and what step 3 will use.
func (r *Runner) tokenExchange(ctx context.Context, s *wire.Client, st *Step) {
	c := r.Config
	in := st.In
	idp := in.IdP
	form := tokenExchangeForm(c, in, st.Overrides)
	if form.Get("subject_token") == in.RefreshToken && in.RefreshToken != "" {
		// No ID token in the state: the login did not run, and the token
		// is the one kept from an earlier run's.
		if in.RefreshTokenKept && in.IDToken == "" {
			st.note("subject: the IdP refresh token kept from an earlier login")
		} else {
			st.note("subject: the IdP refresh token from the login")
		}
	}
	if res := form["resource"]; len(res) > 0 && c.Resource.ID == "" && st.Overrides["resource"] == "" {
		st.note("resource %s: each resource's own identifier, from its protected resource metadata (resource.id is not set)", strings.Join(res, " and "))
	}
	for _, k := range st.Overrides.keys() {
		st.note("--set %s=%s", k, ShortIfToken(k, st.Overrides[k]))
	}
	if c.IdP.Method() == config.AuthNone {
		st.note("idp.auth_method is none: the requesting app is a public client, and the draft limits the token exchange to confidential clients (§9.1) — most IdPs refuse it (invalid_client)")
	}

	switch form.Get("subject_token_type") {
	case inspect.TokenTypeRefreshToken:
		st.Subject = config.SubjectRefreshToken
	case inspect.TokenTypeIDToken:
		st.Subject = config.SubjectIDToken
	}
	st.Facts.AudienceRequested = form.Get("audience")
	if in.AS != nil {
		st.Facts.ASIssuer = in.AS.Issuer
	}
	auth := wire.ClientAuth{Client: c.IdP.ClientConfig, TokenEndpoint: idp.TokenEndpoint, Issuer: idp.Issuer}
	for i, t := range r.exchangeTargets(st) {
		if i > 0 {
			s.CloseIdleConnections() // a token request is never retried: send it on a fresh connection
		}
		f := form
		if t.resource != "" {
			f = maps.Clone(form)
			f["resource"] = []string{t.resource}
		}
		n := len(st.Checks)
		jag := r.exchange(ctx, s, st, t, f, auth)
		for i := n; i < len(st.Checks); i++ {
			st.Checks[i].Title += t.suffix()
		}
		if jag == nil {
			continue
		}
		if t.mcp {
			st.Out.MCPIDJAG = jag.Raw
		} else {
			st.Out.IDJAG = jag.Raw
		}
		st.Out.IDJAGChecked = true
	}
	st.Out.AudienceRequested = st.Facts.AudienceRequested
}

// exchange sends one token exchange and checks the answer and the ID-JAG;
// it returns the ID-JAG, or nil when none came (st.Err says why).
func (r *Runner) exchange(ctx context.Context, s *wire.Client, st *Step, t target, form url.Values, auth wire.ClientAuth) *inspect.Token {
	c, in := r.Config, st.In
	idp := in.IdP
	tr, err := s.PostToken(ctx, wire.PartyIdP, t.label("token exchange"), idp.TokenEndpoint, form, auth)
	if err != nil {
		st.fail(err)
		return nil
	}
	responseChecks(st, "token_exchange", tr, specTokenExchange)
	if _, ok := tr.Fields.String("issued_token_type"); !ok {
		st.check("token_exchange.issued_token_type", inspect.StatusWarn, "issued_token_type is present", inspect.TokenTypeIDJAG, "(absent)",
			"REQUIRED by RFC 8693 §2.2.1; the MCP Go SDK refuses a response without it", specTokenExchange)
	}
	switch tt, _ := tr.Fields.String("token_type"); {
	case tt == "N_A":
		st.check("token_exchange.token_type", inspect.StatusPass, "token_type is N_A", "N_A", tt, "", specTokenExchange)
	default:
		st.check("token_exchange.token_type", inspect.StatusWarn, "token_type is N_A", "N_A", cmp.Or(tt, "(absent)"),
			"an ID-JAG is not an access token; the IdP should answer token_type N_A", specTokenExchange)
	}
	if _, ok := tr.Fields.Raw("refresh_token"); ok {
		st.check("token_exchange.refresh_token", inspect.StatusWarn, "no refresh token is issued", "(absent)", "present",
			"the draft says the IdP SHOULD NOT issue a refresh token with an ID-JAG", "draft §4.3.4")
	}
	jag, err := decodeFromResponse(tr, "access_token")
	if err != nil {
		st.fail(err)
		return nil
	}
	as := in.AS
	expect := inspect.Expect{Now: r.Env.Time(), Issuer: idp.Issuer, Audience: c.ResourceAS.Issuer, Okta: c.ResourceAS.IsOkta(),
		ClientID: c.ResourceAS.ClientID, Resources: form["resource"]}
	if as != nil {
		expect.Audience, expect.TokenEndpoint = as.Issuer, as.TokenEndpoint
	}
	a, keys := s.AnalyzeWithRefetch(ctx, jag, in.IdPKeys, wire.PartyIdP, inspect.Options{Want: inspect.KindIDJAG, Expect: expect})
	a.For = t.server()
	st.Tokens = append(st.Tokens, a)
	scopeResponseCheck(st, "token_exchange", tr, form.Get("scope"), jag)
	restricted, _, _ := jag.Claims.Strings("resource")
	resourceResponseCheck(st, "token_exchange", tr, form["resource"], restricted)
	st.Out.IdPKeys = keys
	st.Facts.IDJAGAud, _, _ = jag.Claims.Strings("aud")
	audienceAsRequested(st)
	st.Checks = append(st.Checks, checkChain(c, expect.Audience, decodeOrNil(in.IDToken), jag, nil)...)
	return jag
}

// tokenExchangeForm is the token exchange request (draft §4.3): the
// subject token (the ID token, a given token, or the IdP refresh token
// when the overrides ask for it), the resource AS issuer as audience, the
// resource and the scopes, with the overrides on top.
func tokenExchangeForm(c *config.Config, in State, o Overrides) url.Values {
	subject, subjectType := in.IDToken, inspect.TokenTypeIDToken
	switch {
	case in.SubjectToken != "":
		subject, subjectType = in.SubjectToken, in.SubjectTokenType
	case c.IdP.UsesRefreshToken():
		subject, subjectType = in.RefreshToken, inspect.TokenTypeRefreshToken
	}
	if o["subject_token_type"] == inspect.TokenTypeRefreshToken && in.RefreshToken != "" {
		subject, subjectType = in.RefreshToken, inspect.TokenTypeRefreshToken
	}
	form := url.Values{
		"grant_type":           {inspect.GrantTypeTokenExchange},
		"requested_token_type": {inspect.TokenTypeIDJAG},
		"subject_token":        {subject},
		"subject_token_type":   {subjectType},
		"audience":             {c.ResourceAS.Issuer},
	}
	if res := ResourceIndicators(c, in); len(res) > 0 {
		form["resource"] = res
	}
	if len(c.ResourceAS.Scopes) > 0 {
		form.Set("scope", c.ResourceAS.Scopes.String())
	}
	applyOverrides(form, o)
	return form
}

// decodeFromResponse decodes the named token of a token response, keeping
// the other members as its envelope so inspect checks the URNs there.
func decodeFromResponse(tr *wire.TokenResponse, field string) (*inspect.Token, error) {
	raw := tr.Str(field)
	if raw == "" {
		return nil, fmt.Errorf("%w: %s is missing or not a string", wire.ErrMissingToken, field)
	}
	toks, err := inspect.DecodeAll(string(tr.Body))
	if err == nil {
		for _, t := range toks {
			if t.Name == field {
				return t, nil
			}
		}
	}
	t, err := inspect.Decode(raw)
	if err != nil {
		return nil, fmt.Errorf("%w: %s: %v", wire.ErrBadResponse, field, err)
	}
	t.Name = field
	return t, nil
}

// decodeOrNil decodes a token from the state for the chain checks.
func decodeOrNil(raw string) *inspect.Token {
	if raw == "" {
		return nil
	}
	t, err := inspect.Decode(raw)
	if err != nil {
		return nil
	}
	return t
}

// ShortIfToken shortens the value of a token parameter for a note.
func ShortIfToken(param, value string) string {
	if wire.IsTokenParam(param) {
		return inspect.ShortenToken(value)
	}
	if strings.Count(value, ".") >= 2 && strings.HasPrefix(value, "eyJ") {
		return inspect.ShortenToken(value)
	}
	return value
}

// audienceAsRequested checks that the IdP wrote the audience it was asked
// for: when it did not, the IdP maps the resource app to another issuer
// (Okta: the resource app's Issuer URL), and no change to the request can
// fix the ID-JAG.
func audienceAsRequested(st *Step) {
	f := st.Facts
	if f.AudienceRequested == "" || len(f.IDJAGAud) == 0 {
		return
	}
	status := inspect.StatusPass
	if !slices.Contains(f.IDJAGAud, f.AudienceRequested) {
		status = inspect.StatusFail
	}
	st.check("chain.id_jag_aud_requested", status, "the ID-JAG's aud is the audience requested", f.AudienceRequested, strings.Join(f.IDJAGAud, ", "),
		"the IdP wrote another audience than the request's: it has another issuer for the resource app (Okta: the resource app's Issuer URL)", "draft §4.3")
}
