package playground

import (
	"context"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/xaatools/xaa/inspect"
)

// subject is who a token exchange is for, from its subject token.
type subject struct {
	user  *User
	email bool // the login granted the email scope
}

// tokenExchange issues an ID-JAG (draft §4.3, RFC 8693 §2), applying the
// IdP's rules in the order of protocol reference §4B.
func (s *authServer) tokenExchange(w http.ResponseWriter, r *http.Request, f form, c *client) *oauthError {
	d := s.idp
	p := d.p
	cat := p.errors
	if !p.grantEnabled(inspect.GrantTypeTokenExchange) {
		return p.grantRefused(newError("unauthorized_client", "the token exchange grant is not enabled for %s", c.id))
	}
	if _, has := f["requested_token_type"]; !has && p.faults[FaultIdPSkipRequestedTypeMissing] {
		f["requested_token_type"] = inspect.TokenTypeIDJAG
	}
	if p.faults[FaultIdPSkipRequestedType] && f["requested_token_type"] != "" {
		f["requested_token_type"] = inspect.TokenTypeIDJAG
	}
	if _, has := f["audience"]; !has && p.faults[FaultIdPSkipAudienceMissing] {
		if i := slices.IndexFunc(d.connections, func(conn connection) bool { return conn.clientID == c.id }); i >= 0 {
			f["audience"] = d.connections[i].audience
		}
	}
	if e := f.require("requested_token_type"); e != nil {
		e.description += "; for an ID-JAG send " + inspect.TokenTypeIDJAG + " (draft §4.3)"
		return e
	}
	if rtt := f["requested_token_type"]; rtt != inspect.TokenTypeIDJAG || !s.issuesIDJAG {
		desc := fmt.Sprintf("requested_token_type %q is not supported", rtt)
		switch {
		case !s.issuesIDJAG:
			desc = fmt.Sprintf("%s issues no ID-JAGs; the org authorization server %s does", s.issuer, d.org.issuer)
		case rtt != inspect.TokenTypeIDJAG:
			desc += ": " + inspect.CheckURN("requested_token_type", rtt).Hint
		}
		return cat.refuse(errRequestedTokenType, newError("invalid_request", "%s", desc))
	}
	if e := f.require("subject_token", "subject_token_type", "audience"); e != nil {
		return e
	}
	if _, has := f["actor_token"]; has || f["actor_token_type"] != "" {
		return newError("invalid_request", "this IdP does not act on actor tokens; send neither actor_token nor actor_token_type (RFC 8693 §2.1)")
	}
	sub, e := s.validateSubject(f, c)
	if e != nil {
		return e
	}
	conn, e := s.findConnection(f, c)
	if e != nil {
		return e
	}
	if (!sub.user.AssignedToResourceApp && !p.faults[FaultIdPSkipUserAssigned]) || p.faults[FaultUserNotAssigned] || p.faults[FaultOktaUserNotAssignedResource] {
		return cat.refuse(errResourceNotAssigned, newError("invalid_target",
			"user %s is not assigned to the resource app behind %s; the IdP issues ID-JAGs only for users assigned to it", sub.user.Username, conn.audience))
	}
	scopes, e := grantedScopes(f["scope"], conn)
	if e != nil {
		e = cat.refuse(errScopeNotPermitted, e)
	}
	if p.faults[FaultIdPSkipScope] && f["scope"] != "" {
		scopes, e = strings.Fields(f["scope"]), nil
	}
	if e != nil {
		return e
	}
	if p.faults[FaultIdPSlow] {
		if e := sleepCtx(r.Context(), IdPSlowDelay); e != nil {
			return e
		}
	}
	if p.faults[FaultIdP500] {
		return cat.refuse(errIDJAGNotGenerated, &oauthError{status: http.StatusInternalServerError, code: "server_error", description: "the IdP failed to create the ID-JAG (fault idp-500)"})
	}
	now := p.now()
	jag, err := s.mintIDJAG(c, sub, conn, f.list("resource"), scopes, now)
	if err != nil {
		return cat.refuse(errIDJAGNotGenerated, &oauthError{status: http.StatusInternalServerError, code: "server_error", description: "signing the ID-JAG failed: " + err.Error()})
	}
	answer := map[string]any{
		"access_token":      jag,
		"issued_token_type": inspect.TokenTypeIDJAG,
		"token_type":        "N_A",
		"expires_in":        int(IDJAGLifetime / time.Second),
		"scope":             strings.Join(scopes, " "),
	}
	if p.faults[FaultIdPSkipIssuedTokenType] {
		delete(answer, "issued_token_type")
	}
	if p.faults[FaultIdPSkipTokenType] {
		answer["token_type"] = "Bearer"
	}
	// The working group's editor's copy (for -05) returns the resources an
	// ID-JAG is restricted to.
	if res := f.list("resource"); len(res) > 0 {
		answer["resource"] = res
	}
	writeJSON(w, http.StatusOK, answer)
	return nil
}

// validateSubject checks the subject token: an ID token this authorization
// server issued to the authenticated client, unexpired, for a user assigned
// to the requesting app; or a refresh token issued to that client
// (draft §4.3.3, protocol reference §4B I6–I10).
func (s *authServer) validateSubject(f form, c *client) (subject, *oauthError) {
	cat := s.idp.p.errors
	typ := f["subject_token_type"]
	if s.idp.p.faults[FaultIdPSkipSubjectType] && (typ == inspect.TokenTypeIDToken || typ == inspect.TokenTypeRefreshToken) {
		typ = inspect.TokenTypeRefreshToken
		if strings.Count(f["subject_token"], ".") == 2 {
			typ = inspect.TokenTypeIDToken
		}
	}
	switch typ {
	case inspect.TokenTypeIDToken:
	case inspect.TokenTypeRefreshToken:
		g, e := s.lookupRefresh(f["subject_token"], c, s.idp.p.now())
		if e != nil {
			if strings.Count(f["subject_token"], ".") == 2 {
				e.description += " (subject_token looks like a JWT: if it is an ID token, its subject_token_type is " + inspect.TokenTypeIDToken + ")"
			}
			return subject{}, e
		}
		return s.checkAssigned(subject{user: g.user, email: slices.Contains(g.scopes, "email")})
	default:
		hint := inspect.CheckURN("subject_token_type", typ).Hint
		if slices.Contains([]string{inspect.TokenTypeAccessToken, inspect.TokenTypeJWT, inspect.TokenTypeSAML2}, typ) {
			hint = "this IdP exchanges ID tokens (" + inspect.TokenTypeIDToken + ") and refresh tokens (" + inspect.TokenTypeRefreshToken + ")"
		}
		return subject{}, cat.refuse(errSubjectTokenType, newError("invalid_request", "subject_token_type %q is not supported: %s", typ, hint))
	}
	tok, err := inspect.Decode(f["subject_token"])
	if err != nil || tok.Format != inspect.FormatJWS {
		return subject{}, cat.refuse(errSubjectTokenInvalid, newError("invalid_request",
			"subject_token is not a signed JWT, so it is no ID token (if it is a refresh token, its subject_token_type is %s)", inspect.TokenTypeRefreshToken))
	}
	if iss, _ := tok.Claims.String("iss"); iss != s.issuer && s.idp.p.faults[FaultIdPSkipSubjectIssuer] {
		return s.subjectOf(tok)
	}
	if iss, _ := tok.Claims.String("iss"); iss != s.issuer {
		desc := fmt.Sprintf("the ID token was issued by %q; this authorization server exchanges only ID tokens it issued (%s)", iss, s.issuer)
		if d := s.idp; d.custom != nil && iss == d.custom.issuer {
			desc = fmt.Sprintf("the ID token comes from the custom authorization server %s; log in at the org authorization server %s", iss, s.issuer)
		}
		return subject{}, cat.refuse(errSubjectTokenWrongServer, newError("invalid_request", "%s", desc))
	}
	// An ID token without a nonce has no mark that classifies it, so the
	// kind is checked only against the mix-ups inspect recognises.
	if tok.Kind == inspect.KindIDJAG && s.idp.p.faults[FaultIdPSkipSubjectIDJAG] {
		if sig := inspect.Verify(tok, s.keys.KeySet(), inspect.VerifyOptions{Algorithms: []string{"RS256"}, KeySource: s.jwks}); !sig.Verified() {
			return subject{}, cat.refuse(errSubjectTokenInvalid, newError("invalid_request", "subject_token: the signature is not verified: %s", sig.Reason))
		}
		return s.subjectOf(tok)
	}
	if tok.Kind == inspect.KindIDJAG || tok.Kind == inspect.KindAccessToken {
		k := inspect.CheckKind(tok, inspect.KindIDToken)
		return subject{}, cat.refuse(errSubjectTokenInvalid, newError("invalid_request", "subject_token: %s — %s", k.Title, k.Hint))
	}
	for _, pr := range tok.Problems {
		if pr.Status == inspect.StatusFail {
			return subject{}, cat.refuse(errSubjectTokenInvalid, newError("invalid_request", "subject_token does not decode: %s", pr.Message))
		}
	}
	sig := inspect.Verify(tok, s.keys.KeySet(), inspect.VerifyOptions{Algorithms: []string{"RS256"}, KeySource: s.jwks})
	checks := inspect.CheckIDToken(tok, sig, inspect.Expect{Now: s.idp.p.now(), Issuer: s.issuer, ClientID: c.id, Algorithms: []string{"RS256"}})
	checks = slices.DeleteFunc(checks, func(ch inspect.Check) bool { return s.skipsSubjectCheck(ch.ID) })
	if failed, bad := checks.FirstFailure(); bad {
		code := errSubjectTokenInvalid
		if failed.ID == "id_token.exp" {
			code = errSubjectTokenExpired
		}
		return subject{}, cat.refuse(code, newError("invalid_request", "subject_token: %s", describeCheck(failed)))
	}
	if !sig.Verified() && !s.idp.p.faults[FaultIdPSkipSubjectSignature] {
		return subject{}, cat.refuse(errSubjectTokenInvalid, newError("invalid_request", "subject_token: the signature is not verified: %s", sig.Reason))
	}
	return s.subjectOf(tok)
}

// skipsSubjectCheck reports whether an idp-skip-* fault switches off the
// subject ID token check with id.
func (s *authServer) skipsSubjectCheck(id string) bool {
	f := s.idp.p.faults
	switch id {
	case "id_token.exp":
		return f[FaultIdPSkipSubjectExp]
	case "id_token.aud", "id_token.azp":
		return f[FaultIdPSkipSubjectClient]
	case "id_token.signature":
		return f[FaultIdPSkipSubjectSignature]
	}
	return false
}

// subjectOf finds the user a subject token's sub names.
func (s *authServer) subjectOf(tok *inspect.Token) (subject, *oauthError) {
	sub, _ := tok.Claims.String("sub")
	u := s.idp.p.users.bySubject(sub)
	if u == nil {
		return subject{}, s.idp.p.errors.refuse(errSubjectTokenInvalid, newError("invalid_request", "subject_token: sub %q is not a user of this IdP", sub))
	}
	return s.checkAssigned(subject{user: u, email: tok.Claims.Has("email")})
}

// checkAssigned refuses users no longer assigned to the requesting app.
func (s *authServer) checkAssigned(sub subject) (subject, *oauthError) {
	if !sub.user.AssignedToRequestingApp || s.idp.p.faults[FaultOktaUserNotAssignedRequesting] {
		return subject{}, s.idp.p.errors.refuse(errSubjectTokenUserNotAssigned, newError("invalid_request",
			"subject_token: user %s is not assigned to the requesting app", sub.user.Username))
	}
	return sub, nil
}

// findConnection resolves audience and resource to a connection of client c
// (draft §4.3.3: invalid_target when the IdP will not issue for them).
func (s *authServer) findConnection(f form, c *client) (connection, *oauthError) {
	p := s.idp.p
	cat := p.errors
	aud := f["audience"]
	var known []string
	for _, conn := range s.idp.connections {
		known = append(known, conn.audience)
	}
	i := slices.IndexFunc(s.idp.connections, func(conn connection) bool { return conn.audience == aud && conn.clientID == c.id })
	if i < 0 {
		i = slices.IndexFunc(s.idp.connections, func(conn connection) bool { return conn.audience == aud })
	}
	if j := slices.IndexFunc(s.idp.connections, func(conn connection) bool { return conn.clientID == c.id }); i < 0 && j >= 0 && p.faults[FaultIdPSkipAudience] {
		conn := s.idp.connections[j]
		conn.audience = aud
		return conn, nil
	}
	if i < 0 {
		desc := fmt.Sprintf("audience %q is not a resource authorization server this IdP knows (known: %s)", aud, strings.Join(known, ", "))
		for _, k := range known {
			if _, near := inspect.CompareIdentifier(k, aud); near != "" {
				desc += fmt.Sprintf("; closest is %s: %s", k, near)
				break
			}
		}
		if aud == p.rsURL || aud == p.rsURL+mcpPath {
			desc += "; that is the resource: the audience is the issuer of its authorization server"
		}
		return connection{}, cat.refuse(errInvalidAudience, newError("invalid_target", "%s", desc))
	}
	conn := s.idp.connections[i]
	if conn.clientID != c.id || p.faults[FaultNoConnection] || p.faults[FaultOktaNoConnection] {
		return connection{}, cat.refuse(errInvalidAudience, newError("invalid_target",
			"client %s has no connection to %s: an IdP administrator must connect the requesting app to the resource app", c.id, aud))
	}
	for _, resource := range f.list("resource") {
		if slices.Contains(conn.resources, resource) || p.faults[FaultIdPSkipResource] {
			continue
		}
		desc := fmt.Sprintf("resource %q is not allowed by the connection to %s (allowed: %s)", resource, aud, strings.Join(conn.resources, ", "))
		for _, k := range conn.resources {
			if _, near := inspect.CompareIdentifier(k, resource); near != "" {
				desc += fmt.Sprintf("; closest is %s: %s", k, near)
				break
			}
		}
		return connection{}, cat.refuse(errInvalidResource, newError("invalid_target", "%s", desc))
	}
	return conn, nil
}

// grantedScopes checks the requested scopes against the connection; none
// requested grants all the connection allows.
func grantedScopes(requested string, conn connection) ([]string, *oauthError) {
	if strings.TrimSpace(requested) == "" {
		return conn.scopes, nil
	}
	scopes := strings.Fields(requested)
	for _, sc := range scopes {
		if !slices.Contains(conn.scopes, sc) {
			hint := ""
			if slices.Contains(supportedScopes, sc) {
				hint = "; login scopes (openid, email …) belong in the authorization request, not in the token exchange"
			}
			return nil, newError("invalid_scope", "scope %s is not allowed by the connection to %s (allowed: %s)%s", sc, conn.audience, strings.Join(conn.scopes, " "), hint)
		}
	}
	return scopes, nil
}

// sleepCtx waits d or until the request is cancelled.
func sleepCtx(ctx context.Context, d time.Duration) *oauthError {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return &oauthError{status: http.StatusServiceUnavailable, code: "temporarily_unavailable", description: "the request was cancelled"}
	}
}
