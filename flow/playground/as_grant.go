package playground

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/xaatools/xaa/inspect"
)

// serveToken is the resource AS token endpoint: the jwt-bearer grant only.
func (a *resourceAS) serveToken(w http.ResponseWriter, r *http.Request) {
	if a.p.faults[FaultASSkipSingleAssertion] {
		firstAssertionOnly(r)
	}
	f, e := readTokenForm(w, r)
	if e != nil {
		writeError(w, e)
		return
	}
	switch grant := f["grant_type"]; grant {
	case "":
		writeError(w, newError("invalid_request", "grant_type is missing; use %s", inspect.GrantTypeJWTBearer))
		return
	case inspect.GrantTypeJWTBearer:
	case inspect.GrantTypeTokenExchange:
		writeError(w, newError("unsupported_grant_type", "the token exchange is done at the IdP; redeem the ID-JAG here with grant_type %s (draft §4.4)", inspect.GrantTypeJWTBearer))
		return
	default:
		writeError(w, unsupportedGrant(grant, "this authorization server supports only "+inspect.GrantTypeJWTBearer))
		return
	}
	c, _, e := a.clients.authenticate(r, f)
	if e != nil {
		writeError(w, e)
		return
	}
	resp, e := a.jwtBearer(r.Context(), f, c)
	if e != nil {
		writeError(w, e)
		return
	}
	writeJSON(w, http.StatusOK, resp)
}

// firstAssertionOnly drops every assertion parameter of the body but the
// first, the way a server that reads the form with r.FormValue sees it (the
// as-skip-single-assertion fault). A body it cannot parse, or a large one,
// is left for readTokenForm to judge.
func firstAssertionOnly(r *http.Request) {
	body, err := io.ReadAll(io.LimitReader(r.Body, maxFormBytes+1))
	r.Body = io.NopCloser(io.MultiReader(bytes.NewReader(body), r.Body))
	if err != nil || len(body) > maxFormBytes {
		return
	}
	values, err := url.ParseQuery(string(body))
	if err != nil || len(values["assertion"]) < 2 {
		return
	}
	values["assertion"] = values["assertion"][:1]
	enc := values.Encode()
	r.Body, r.ContentLength = io.NopCloser(strings.NewReader(enc)), int64(len(enc))
}

// jwtBearer validates the ID-JAG and issues an access token, applying the
// rules of draft §4.4.1 in order (protocol reference §4A R4–R22): the
// issuer is looked up before anything else is trusted, inspect runs every
// claim check in the draft's order, then the resource AS's own state —
// replay, the local user, scope and resource.
func (a *resourceAS) jwtBearer(ctx context.Context, f form, c *client) (accessTokenResponse, *oauthError) {
	faults := a.p.faults
	assertion := f["assertion"]
	if assertion == "" {
		return accessTokenResponse{}, newError("invalid_request", "the assertion parameter is missing; send the ID-JAG (the access_token of the token-exchange response) as assertion (RFC 7523 §2.1)")
	}
	if len(f.list("resource")) > 1 {
		return accessTokenResponse{}, newError("invalid_target", "this authorization server issues an access token for one resource at a time (RFC 8707 §2.2); request one token per resource")
	}
	if res := f["resource"]; res != "" && !slices.Contains(a.resources, res) {
		return accessTokenResponse{}, newError("invalid_target", "resource %q is not served by this authorization server (it serves %s)", res, strings.Join(a.resources, ", "))
	}
	tok, err := inspect.Decode(assertion)
	if err != nil || tok.Format != inspect.FormatJWS || tok.Raw != assertion {
		return accessTokenResponse{}, newError("invalid_grant", "the assertion is not one compact JWS (header.payload.signature); send the ID-JAG exactly as the IdP issued it")
	}

	now := a.p.now()
	iss, _ := tok.Claims.String("iss")
	// Okta: true — the playground's resource AS keeps Okta's five-minute
	// bound on an ID-JAG's lifetime, where the draft asks only for a short one.
	expect := inspect.Expect{Now: now, Audience: a.issuer, ClientID: c.id, Scope: f["scope"],
		Resources: []string{a.expectedResource(f["resource"], tok)}, TokenEndpoint: a.tokenURL, Algorithms: asAlgorithms, Okta: true}
	if faults[FaultASSkipAlg] {
		expect.Algorithms = inspect.DefaultAlgorithms
	}
	trusted := a.trust.lookup(iss)
	switch {
	case trusted != nil && trusted != a.trust.issuers[0] && faults[FaultOktaIdPInactive]:
		// An inactive identity provider admits nothing (Okta's answer).
		return accessTokenResponse{}, &oauthError{status: http.StatusUnauthorized, code: "invalid_token", description: "The issuer of the token is not permitted to use the JWT Bearer Grant."}
	case trusted != nil:
		expect.Issuer = iss
	case faults[FaultASSkipIss]:
		trusted, expect.Issuer = a.trust.issuers[0], iss
	default:
		expect.Issuer = a.trust.closest(iss)
	}
	an, e := a.analyze(ctx, tok, trusted, expect)
	if e != nil {
		return accessTokenResponse{}, e
	}
	for _, ch := range an.Checks {
		// The kind follows from typ: when it fails, id_jag.typ (or
		// id_jag.kind, for an ID token) fails too and names the problem.
		if ch.ID == "kind" {
			continue
		}
		if ch.Status == inspect.StatusFail && !faults.skipsCheck(ch.ID) {
			desc := describeCheck(ch)
			if ch.ID == "id_jag.iss" {
				desc += " (trusted issuers: " + a.trust.names() + ")"
			}
			return accessTokenResponse{}, newError("invalid_grant", "%s", desc)
		}
	}
	if !an.Signature.Verified() && !faults.skipsCheck("id_jag.signature") {
		return accessTokenResponse{}, newError("invalid_grant", "id_jag.signature failed: the signature is not verified: %s", an.Signature.Reason)
	}
	if e := a.checkReplay(tok, iss, now); e != nil {
		return accessTokenResponse{}, e
	}
	account, e := a.localAccount(tok, iss)
	if e != nil {
		return accessTokenResponse{}, e
	}
	scopes, e := a.grantScopes(f["scope"], tok)
	if e != nil {
		return accessTokenResponse{}, e
	}
	return a.issueAccessToken(c, account, a.accessTokenAudience(f["resource"], tok), scopes, now)
}

// analyze runs inspect's ID-JAG checks with the trusted issuer's keys (none
// for an untrusted issuer: its iss check fails first), fetched again when
// the token names a kid they do not hold.
func (a *resourceAS) analyze(ctx context.Context, tok *inspect.Token, trusted *trustedIssuer, expect inspect.Expect) (inspect.Analysis, *oauthError) {
	var keys *inspect.KeySet
	var source string
	if trusted != nil {
		var err error
		if keys, source, err = a.trust.keySet(ctx, trusted, tok.KID()); err != nil {
			return inspect.Analysis{}, newError("invalid_grant", "the keys of trusted issuer %s cannot be fetched: %v", trusted.issuer, err)
		}
	}
	return inspect.Analyze(tok, inspect.Options{Want: inspect.KindIDJAG, Keys: keys, KeySource: source, Expect: expect}), nil
}

// expectedResource is what the ID-JAG's resource claim must contain: the
// request's resource parameter, else a resource this AS serves.
func (a *resourceAS) expectedResource(requested string, tok *inspect.Token) string {
	if requested != "" {
		return requested
	}
	claimed, _, ok := tok.Claims.Strings("resource")
	if !ok {
		return ""
	}
	for _, r := range claimed {
		if slices.Contains(a.resources, r) {
			return r
		}
	}
	return a.resources[0]
}

// accessTokenAudience is the resource the access token is for (EMA §5.1:
// audience-restricted to the resource).
func (a *resourceAS) accessTokenAudience(requested string, tok *inspect.Token) string {
	if requested != "" {
		return requested
	}
	if claimed, _, ok := tok.Claims.Strings("resource"); ok && len(claimed) > 0 {
		for _, r := range claimed {
			if slices.Contains(a.resources, r) {
				return r
			}
		}
		return claimed[0]
	}
	return a.resources[0]
}

// checkReplay records the jti until the ID-JAG expires (plus the allowed
// skew) and refuses a second use (draft §4.4.1, RFC 7523 §3 item 7).
func (a *resourceAS) checkReplay(tok *inspect.Token, iss string, now time.Time) *oauthError {
	if a.p.faults.skipsCheck("id_jag.jti") {
		return nil
	}
	jti, _ := tok.Claims.String("jti")
	// Remember it at least one lifetime, so a token whose exp is missing or
	// passed (with as-skip-exp) cannot be replayed either.
	exp, _ := tok.Claims.Time("exp")
	if floor := now.Add(IDJAGLifetime); exp.Before(floor) {
		exp = floor
	}
	switch a.grants.use(iss, jti, exp.Add(inspect.DefaultSkew), now) {
	case jtiReplayed:
		return newError("invalid_grant", "id_jag.jti failed: jti %q was already used — an ID-JAG is redeemed once; get a new one from the IdP", jti)
	case jtiFull:
		return &oauthError{status: http.StatusServiceUnavailable, code: "temporarily_unavailable", description: "the replay cache is full of unexpired ID-JAGs; retry in a minute"}
	}
	return nil
}

// localAccount maps iss + sub to an account at the resource app.
func (a *resourceAS) localAccount(tok *inspect.Token, iss string) (string, *oauthError) {
	sub, _ := tok.Claims.String("sub")
	if a.p.faults.skipsCheck("id_jag.sub") {
		if account, _ := a.accounts.resolve(iss, sub); account != "" {
			return account, nil
		}
		return "unmapped:" + sub, nil
	}
	account, full := a.accounts.resolve(iss, sub)
	switch {
	case full:
		return "", &oauthError{status: http.StatusServiceUnavailable, code: "temporarily_unavailable", description: "too many accounts provisioned; restart the playground"}
	case account == "":
		return "", newError("invalid_grant", "id_jag.sub failed: sub %q of %s is not an account at this resource app — the IdP knows the user, but the resource app has not provisioned them", sub, iss)
	}
	return account, nil
}

// grantScopes grants the requested scopes (each already checked by inspect
// to be in the ID-JAG), or the ID-JAG's scopes this resource knows.
func (a *resourceAS) grantScopes(requested string, tok *inspect.Token) ([]string, *oauthError) {
	want := strings.Fields(requested)
	for _, s := range want {
		if !slices.Contains(a.scopes, s) {
			return nil, newError("invalid_scope", "scope %s is not a scope of this resource (scopes: %s)", s, strings.Join(a.scopes, " "))
		}
	}
	if len(want) > 0 {
		return want, nil
	}
	jag, _ := tok.Claims.String("scope")
	var granted []string
	for _, s := range strings.Fields(jag) {
		if slices.Contains(a.scopes, s) {
			granted = append(granted, s)
		}
	}
	if len(granted) == 0 {
		return nil, newError("invalid_scope", "the ID-JAG grants no scope of this resource (its scope: %q; this resource's scopes: %s)", jag, strings.Join(a.scopes, " "))
	}
	return granted, nil
}

// accessTokenClaims are the claims of an RFC 9068 §2.2 access token, in
// the order they are shown.
type accessTokenClaims struct {
	Iss      string `json:"iss"`
	Sub      string `json:"sub"`
	Aud      string `json:"aud"`
	ClientID string `json:"client_id"`
	Scope    string `json:"scope"`
	JTI      string `json:"jti"`
	IAT      int64  `json:"iat"`
	Exp      int64  `json:"exp"`
}

// accessTokenResponse is the RFC 6749 §5.1 response of a grant, its
// members in the order encoding/json gives a map's.
type accessTokenResponse struct {
	AccessToken string `json:"access_token"`
	ExpiresIn   int    `json:"expires_in"`
	Scope       string `json:"scope"`
	TokenType   string `json:"token_type"`
	// Resource is the resource the token is restricted to (the editor's
	// copy of the draft, for -05).
	Resource string `json:"resource,omitempty"`
}

// issueAccessToken signs an RFC 9068 access token (typ at+jwt) for the
// resource; no refresh token (draft §4.4.3).
func (a *resourceAS) issueAccessToken(c *client, account, audience string, scopes []string, now time.Time) (accessTokenResponse, *oauthError) {
	key := a.keys.signer("ES256")
	scope := strings.Join(scopes, " ")
	claims := accessTokenClaims{Iss: a.issuer, Sub: account, Aud: audience, ClientID: c.id, Scope: scope,
		JTI: "at_" + randomID(18), IAT: now.Unix(), Exp: now.Add(AccessTokenLifetime).Unix()}
	at, err := signWithHeader("ES256", key.accessTokenHeader(), claims, key.priv)
	if err != nil {
		return accessTokenResponse{}, &oauthError{status: http.StatusInternalServerError, code: "server_error", description: fmt.Sprintf("signing the access token failed: %v", err)}
	}
	return accessTokenResponse{AccessToken: at, TokenType: "Bearer", ExpiresIn: int(AccessTokenLifetime / time.Second), Scope: scope, Resource: audience}, nil
}
