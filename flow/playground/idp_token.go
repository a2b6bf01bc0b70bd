package playground

import (
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/xaatools/xaa/inspect"
)

// refreshGrant is what an IdP refresh token stands for.
type refreshGrant struct {
	issuer   string
	clientID string
	user     *User
	scopes   []string
	authTime time.Time
}

// serveToken is the IdP token endpoint: authorization_code (RFC 6749 §4.1.3
// with RFC 7636 §4.6), refresh_token (§6) and token exchange (RFC 8693,
// draft §4.3).
func (s *authServer) serveToken(w http.ResponseWriter, r *http.Request) {
	f, e := readTokenForm(w, r)
	if e != nil {
		writeError(w, e)
		return
	}
	d := s.idp
	grant := f["grant_type"]
	switch grant {
	case "":
		writeError(w, newError("invalid_request", "grant_type is missing"))
		return
	case "authorization_code", "refresh_token":
	case "client_credentials":
		if d.adminTokens == nil || s != d.org {
			writeError(w, unsupportedGrant(grant, "this IdP supports authorization_code, refresh_token and "+inspect.GrantTypeTokenExchange))
			return
		}
	case inspect.GrantTypeTokenExchange:
		if d.p.faults[FaultOktaXAADisabled] {
			writeError(w, d.p.errors.refuse(errTokenExchangeUnsupported, newError("unsupported_grant_type", "token exchange is switched off at this IdP")))
			return
		}
	case inspect.GrantTypeJWTBearer:
		writeError(w, newError("unsupported_grant_type", "the jwt-bearer grant is redeemed at the resource AS, not at the IdP"))
		return
	default:
		writeError(w, unsupportedGrant(grant, "this IdP supports authorization_code, refresh_token and "+inspect.GrantTypeTokenExchange))
		return
	}
	c, _, e := s.clients.authenticate(r, f)
	if e != nil {
		writeError(w, e)
		return
	}
	switch grant {
	case "client_credentials":
		e = s.adminAccessToken(w, f, c)
	case "authorization_code":
		e = s.authorizationCode(w, f, c)
	case "refresh_token":
		e = s.refreshToken(w, f, c)
	default:
		e = s.tokenExchange(w, r, f, c)
	}
	if e != nil {
		writeError(w, e)
	}
}

// authorizationCode redeems a code: single use, 60 s, same client and
// redirect URI, PKCE verified.
func (s *authServer) authorizationCode(w http.ResponseWriter, f form, c *client) *oauthError {
	cat := s.idp.p.errors
	if e := f.require("code", "redirect_uri"); e != nil {
		return e
	}
	now := s.idp.p.now()
	ac, ok := s.idp.codes.take(f["code"], now)
	switch {
	case !ok:
		return cat.refuse(errCodeInvalid, newError("invalid_grant", "the authorization code is unknown, already used or older than %s; codes are single use — log in again", inspect.HumanDuration(codeLifetime)))
	case ac.issuer != s.issuer:
		return cat.refuse(errCodeInvalid, newError("invalid_grant", "the authorization code was issued by %s, not by this authorization server", ac.issuer))
	case ac.clientID != c.id:
		return cat.refuse(errCodeInvalid, newError("invalid_grant", "the authorization code was issued to client %s, not %s", ac.clientID, c.id))
	case ac.redirectURI != f["redirect_uri"]:
		return cat.refuse(errRedirectMismatch, newError("invalid_grant", "redirect_uri %s differs from %s sent in the authorization request; send the same string (RFC 6749 §4.1.3)", f["redirect_uri"], ac.redirectURI))
	case f["code_verifier"] == "":
		return cat.refuse(errPKCEFailed, newError("invalid_request", "code_verifier is missing; the login used PKCE (RFC 7636 §4.5)"))
	}
	sum := sha256.Sum256([]byte(f["code_verifier"]))
	if got := base64.RawURLEncoding.EncodeToString(sum[:]); subtle.ConstantTimeCompare([]byte(got), []byte(ac.challenge)) != 1 {
		return cat.refuse(errPKCEFailed, newError("invalid_grant", "PKCE verification failed: BASE64URL(SHA256(code_verifier)) is not the code_challenge of the login (RFC 7636 §4.6)"))
	}
	return s.issueLoginTokens(w, c, ac.user, ac.scopes, ac.nonce, ac.authTime, now)
}

// refreshToken issues new tokens from a refresh token; the scopes may only
// shrink (RFC 6749 §6).
func (s *authServer) refreshToken(w http.ResponseWriter, f form, c *client) *oauthError {
	if !s.idp.p.grantEnabled("refresh_token") {
		return s.idp.p.grantRefused(newError("unauthorized_client", "the refresh_token grant is not enabled for %s", c.id))
	}
	if e := f.require("refresh_token"); e != nil {
		return e
	}
	now := s.idp.p.now()
	g, e := s.lookupRefresh(f["refresh_token"], c, now)
	if e != nil {
		return e
	}
	scopes := g.scopes
	if f["scope"] != "" {
		scopes = strings.Fields(f["scope"])
		for _, sc := range scopes {
			if !slices.Contains(g.scopes, sc) {
				return newError("invalid_scope", "scope %s was not granted at login (granted: %s)", sc, strings.Join(g.scopes, " "))
			}
		}
	}
	resp, e := s.tokenResponse(c, g.user, scopes, "", g.authTime, now)
	if e != nil {
		return e
	}
	resp["refresh_token"] = f["refresh_token"]
	writeJSON(w, http.StatusOK, resp)
	return nil
}

// lookupRefresh finds a live refresh token issued here to c.
func (s *authServer) lookupRefresh(token string, c *client, now time.Time) (*refreshGrant, *oauthError) {
	g, ok := s.idp.refresh.get(token, now)
	switch {
	case !ok:
		return nil, s.idp.p.errors.refuse(errRefreshInvalid, newError("invalid_grant", "the refresh token is unknown or expired; log in again"))
	case g.issuer != s.issuer:
		return nil, s.idp.p.errors.refuse(errRefreshInvalid, newError("invalid_grant", "the refresh token was issued by %s, not by this authorization server", g.issuer))
	case g.clientID != c.id && !s.idp.p.faults[FaultIdPSkipRefreshClient]:
		return nil, s.idp.p.errors.refuse(errRefreshInvalid, newError("invalid_grant", "the refresh token was issued to client %s, not %s", g.clientID, c.id))
	}
	return g, nil
}

// issueLoginTokens answers a code redemption (OIDC Core §3.1.3.3), with a
// refresh token when offline_access was granted.
func (s *authServer) issueLoginTokens(w http.ResponseWriter, c *client, u *User, scopes []string, nonce string, authTime, now time.Time) *oauthError {
	resp, e := s.tokenResponse(c, u, scopes, nonce, authTime, now)
	if e != nil {
		return e
	}
	// Like Okta, an app without the Refresh Token grant gets none, even
	// when offline_access was granted.
	if slices.Contains(scopes, "offline_access") && s.idp.p.grantEnabled("refresh_token") {
		rt, ok := s.idp.refresh.add("rt_", &refreshGrant{issuer: s.issuer, clientID: c.id, user: u, scopes: scopes, authTime: authTime}, now.Add(refreshLifetime), now)
		if !ok {
			return newError("temporarily_unavailable", "too many refresh tokens are live; try again later")
		}
		resp["refresh_token"] = rt
	}
	writeJSON(w, http.StatusOK, resp)
	return nil
}

// tokenResponse is an access token (opaque: only the IdP reads it) and an
// ID token.
func (s *authServer) tokenResponse(c *client, u *User, scopes []string, nonce string, authTime, now time.Time) (map[string]any, *oauthError) {
	idToken, err := s.mintIDToken(c, u, scopes, nonce, authTime, now)
	if err != nil {
		return nil, &oauthError{status: http.StatusInternalServerError, code: "server_error", description: "signing the ID token failed: " + err.Error()}
	}
	return map[string]any{
		"access_token": "at_" + randomID(32),
		"token_type":   "Bearer",
		"expires_in":   int(idTokenLifetime / time.Second),
		"scope":        strings.Join(scopes, " "),
		"id_token":     idToken,
	}, nil
}

// mintIDToken signs an ID token (OIDC Core §2) with the current RS256 key.
func (s *authServer) mintIDToken(c *client, u *User, scopes []string, nonce string, authTime, now time.Time) (string, error) {
	key := s.keys.signer("RS256")
	claims := map[string]any{
		"iss": s.issuer, "sub": u.Subject, "aud": c.id,
		"iat": now.Unix(), "exp": now.Add(idTokenLifetime).Unix(),
		"auth_time": authTime.Unix(), "amr": []string{"pwd"},
	}
	if nonce != "" {
		claims["nonce"] = nonce
	}
	if slices.Contains(scopes, "email") {
		claims["email"], claims["email_verified"] = u.Email, true
	}
	if slices.Contains(scopes, "profile") {
		claims["name"], claims["preferred_username"] = u.Name, u.Username
	}
	return signCompact(map[string]any{"alg": "RS256", "kid": key.kid}, claims, key.priv)
}

// describeCheck words a failed inspect check for an error description.
func describeCheck(c inspect.Check) string {
	s := fmt.Sprintf("%s failed: %s", c.ID, c.Title)
	if c.Expected != "" || c.Actual != "" {
		s += fmt.Sprintf(" (expected %s, got %s)", c.Expected, c.Actual)
	}
	if c.Hint != "" {
		s += " — " + c.Hint
	}
	return s
}
