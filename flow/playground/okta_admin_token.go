package playground

import (
	"net/http"
	"strings"
	"time"
)

// OktaServiceClientID is the simulated org's API Services app: it signs
// client assertions with the demo client key (the key file beside the
// private_key_jwt config) and gets okta.*.read access tokens for the
// admin API with the client-credentials grant.
const OktaServiceClientID = "xaa-doctor-service"

// adminTokenLifetime is an admin API access token's, as Okta's (one hour).
const adminTokenLifetime = time.Hour

// adminAccessToken answers the client-credentials grant of the API
// Services app, as Okta's org authorization server does: only that app,
// only okta.*.read scopes (this org grants no others), an opaque token.
func (s *authServer) adminAccessToken(w http.ResponseWriter, f form, c *client) *oauthError {
	if c.id != OktaServiceClientID {
		return newError("unauthorized_client", "The client is not authorized to use the provided grant type. Configured grant types: [authorization_code, refresh_token, urn:ietf:params:oauth:grant-type:token-exchange].")
	}
	scopes := strings.Fields(f["scope"])
	if len(scopes) == 0 {
		return newError("invalid_scope", "The authorization server resource does not have any configured default scopes, 'scope' must be provided.")
	}
	for _, sc := range scopes {
		if !strings.HasPrefix(sc, "okta.") || !strings.HasSuffix(sc, ".read") {
			return newError("invalid_scope", "One or more scopes are not configured for the authorization server resource.")
		}
	}
	now := s.idp.p.now()
	token, ok := s.idp.adminTokens.add("oktaat_", scopes, now.Add(adminTokenLifetime), now)
	if !ok {
		return newError("temporarily_unavailable", "too many admin API tokens are live; try again later")
	}
	writeJSON(w, http.StatusOK, map[string]any{
		"token_type": "Bearer", "expires_in": int(adminTokenLifetime / time.Second),
		"access_token": token, "scope": strings.Join(scopes, " "),
	})
	return nil
}

// adminBearer says whether token is a live access token of the API
// Services app.
func (p *Playground) adminBearer(token string) bool {
	if p.idp == nil || p.idp.adminTokens == nil {
		return false
	}
	_, ok := p.idp.adminTokens.get(token, p.now())
	return ok
}
