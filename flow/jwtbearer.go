package flow

import (
	"cmp"
	"context"
	"maps"
	"net/url"
	"strings"

	"github.com/xaatools/xaa/flow/config"
	"github.com/xaatools/xaa/flow/wire"
	"github.com/xaatools/xaa/inspect"
)

const specJWTBearer = "RFC 7523 §2.1; draft-ietf-oauth-identity-assertion-authz-grant-04 §4.4"

// jwtBearerForm is the jwt-bearer request (RFC 7523 §2.1, draft §4.4):
// the ID-JAG as assertion and the scopes, with the overrides on top.
func jwtBearerForm(c *config.Config, in State, o Overrides) url.Values {
	form := url.Values{
		"grant_type": {inspect.GrantTypeJWTBearer},
		"assertion":  {in.IDJAG},
	}
	if len(c.ResourceAS.Scopes) > 0 {
		form.Set("scope", c.ResourceAS.Scopes.String())
	}
	applyOverrides(form, o)
	return form
}

// jwtBearer is step 3: the ID-JAG presented with the RFC 7523 jwt-bearer
// grant at the resource AS, authenticated with the client registered there
// (draft §4.4). The access token is decoded when it is a JWT and verified
// with the AS's keys when it publishes them; the chain of tokens is checked.
func (r *Runner) jwtBearer(ctx context.Context, s *wire.Client, st *Step) {
	c := r.Config
	in := st.In
	as := in.AS
	form := jwtBearerForm(c, in, st.Overrides)
	for _, k := range st.Overrides.keys() {
		st.note("--set %s=%s", k, ShortIfToken(k, st.Overrides[k]))
	}
	assertion := form.Get("assertion")
	var jag *inspect.Token
	if t, err := inspect.Decode(assertion); err == nil {
		jag = t
		jag.Name = "assertion"
	}
	st.Facts.AudienceRequested, st.Facts.ASIssuer, st.Facts.TokenEndpoint = in.AudienceRequested, as.Issuer, as.TokenEndpoint
	if jag != nil {
		st.Facts.IDJAGAud, _, _ = jag.Claims.Strings("aud")
		if assertion != in.IDJAG {
			st.Facts.AudienceRequested = "" // not the ID-JAG the token exchange asked for
		}
	}
	if jag != nil && (!in.IDJAGChecked || assertion != in.IDJAG) {
		// A given (or changed) ID-JAG: check it as the resource AS will.
		expect := inspect.Expect{Now: r.Env.Time(), Audience: as.Issuer, ClientID: c.ResourceAS.ClientID, TokenEndpoint: as.TokenEndpoint, Okta: c.ResourceAS.IsOkta()}
		if in.IdP != nil {
			expect.Issuer = in.IdP.Issuer
		}
		a, keys := s.AnalyzeWithRefetch(ctx, jag, in.IdPKeys, wire.PartyIdP, inspect.Options{Want: inspect.KindIDJAG, Expect: expect})
		st.Tokens = append(st.Tokens, a)
		st.Out.IdPKeys = keys
	}

	auth := wire.ClientAuth{Client: c.ResourceAS, TokenEndpoint: as.TokenEndpoint, Issuer: as.Issuer}
	for i, t := range r.grantTargets(st) {
		if i > 0 {
			s.CloseIdleConnections() // a token request is never retried: send it on a fresh connection
		}
		f := form
		if t.mcp {
			f = maps.Clone(form)
			f.Set("assertion", in.MCPIDJAG)
		}
		n := len(st.Checks)
		at, tt := r.grant(ctx, s, st, t, f, auth)
		if at != nil {
			for _, ch := range checkChain(c, as.Issuer, nil, decodeOrNil(f.Get("assertion")), at) {
				// The ID-JAG's own chain checks ran at the token exchange already.
				jagOnly := ch.ID == "chain.id_jag_aud" || ch.ID == "chain.id_jag_client_id"
				if jagOnly && (i > 0 || in.IDJAGChecked && assertion == in.IDJAG) {
					continue
				}
				st.Checks = append(st.Checks, ch)
			}
			if t.mcp {
				st.Out.MCPAccessToken = at.Raw
			} else {
				st.Out.AccessToken = at.Raw
			}
			st.Out.AccessTokenType = cmp.Or(tt, "Bearer")
		}
		for i := n; i < len(st.Checks); i++ {
			st.Checks[i].Title += t.suffix()
		}
	}
}

// grant sends one jwt-bearer request and checks the answer; it returns the
// access token and its type, or nil when none came (st.Err says why).
func (r *Runner) grant(ctx context.Context, s *wire.Client, st *Step, t target, form url.Values, auth wire.ClientAuth) (*inspect.Token, string) {
	c, as := r.Config, st.In.AS
	fail := st.fail
	tr, err := s.PostToken(ctx, wire.PartyAS, t.label("jwt-bearer grant"), as.TokenEndpoint, form, auth)
	if err != nil {
		fail(err)
		return nil, ""
	}
	responseChecks(st, "jwt_bearer", tr, specJWTBearer)
	tt, _ := tr.Fields.String("token_type")
	switch {
	case strings.EqualFold(tt, "Bearer"):
		st.check("jwt_bearer.token_type", inspect.StatusPass, "token_type is Bearer", "Bearer", tt, "", "RFC 6750 §4")
	case strings.EqualFold(tt, "DPoP"):
		st.check("jwt_bearer.token_type", inspect.StatusWarn, "token_type is Bearer", "Bearer", tt,
			"a DPoP-bound token needs a DPoP proof on every resource call; xaa sends it as a bearer token", "RFC 9449 §5")
	default:
		st.check("jwt_bearer.token_type", inspect.StatusWarn, "token_type is Bearer", "Bearer", cmp.Or(tt, "(absent)"), "token_type is REQUIRED (RFC 6749 §5.1)", "RFC 6749 §5.1")
	}
	if _, ok := tr.Fields.Raw("refresh_token"); ok {
		st.check("jwt_bearer.refresh_token", inspect.StatusWarn, "no refresh token is issued", "(absent)", "present",
			"the draft says the resource AS SHOULD NOT issue a refresh token for an ID-JAG (§4.4.3); mint a new ID-JAG instead", "draft §4.4.3")
	}
	at, err := decodeFromResponse(tr, "access_token")
	if err != nil {
		fail(err)
		return nil, ""
	}
	if at.Format == inspect.FormatJWS {
		expect := inspect.Expect{Now: r.Env.Time(), Issuer: as.Issuer, Audience: t.audience, ClientID: c.ResourceAS.ClientID}
		a, keys := s.AnalyzeWithRefetch(ctx, at, st.In.ASKeys, wire.PartyAS, inspect.Options{Want: inspect.KindAccessToken, Expect: expect})
		a.For = t.server()
		st.Tokens = append(st.Tokens, a)
		st.Out.ASKeys = keys
	} else {
		a := inspect.Analyze(at, inspect.Options{Expect: inspect.Expect{Now: r.Env.Time()}})
		a.For = t.server()
		st.Tokens = append(st.Tokens, a)
		st.note("the access token is opaque: only the resource can tell what it grants")
	}
	scopeResponseCheck(st, "jwt_bearer", tr, form.Get("scope"), at)
	requested := form["resource"]
	if jag, err := inspect.Decode(form.Get("assertion")); err == nil && len(requested) == 0 {
		requested, _, _ = jag.Claims.Strings("resource")
	}
	var restricted []string
	if at.Format == inspect.FormatJWS {
		restricted, _, _ = at.Claims.Strings("aud")
	}
	resourceResponseCheck(st, "jwt_bearer", tr, requested, restricted)
	return at, tt
}
