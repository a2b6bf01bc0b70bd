package playground

import (
	"fmt"
	"net/http"
	"slices"
	"strings"

	"github.com/xaatools/xaa/inspect"
)

// ProfileOkta makes the IdP behave like an Okta org (protocol reference §7):
// org authorization server paths with the issuer at the root, a custom
// authorization server at /oauth2/default that refuses to issue ID-JAGs,
// Okta-style user ids and ID-JAG ids, and Okta's error codes and
// descriptions, verbatim.
const ProfileOkta = "okta"

// Paths of an Okta org authorization server and of its "default" custom
// authorization server.
const (
	oktaOrgBase    = "/oauth2/v1"
	oktaCustomBase = "/oauth2/default"
)

// refusal names a situation the servers refuse, so the Okta profile can word
// it the way Okta does.
type refusal int

const (
	errMultipleCredentials refusal = iota + 1
	errUnknownClient
	errWrongSecret
	errAssertionInvalid
	errAssertionAudience
	errRequestedTokenType
	errSubjectTokenType
	errSubjectTokenInvalid
	errSubjectTokenWrongServer
	errSubjectTokenExpired
	errSubjectTokenUserNotAssigned
	errInvalidAudience
	errInvalidResource
	errResourceNotAssigned
	errGrantNotEnabled
	errTokenExchangeUnsupported
	errIDJAGNotGenerated
	errLoginNotAssigned
	errRedirectNotRegistered
	errRedirectMismatch
	errPKCEMissing
	errPKCEFailed
	errCodeInvalid
	errRefreshInvalid
	errScopeNotPermitted
)

// oktaErrors are Okta's responses, copied from Okta's error catalog
// (okta-developer-docs data/oauth2-error-codes.json, protocol reference §7).
var oktaErrors = map[refusal]oauthError{
	errMultipleCredentials: {status: http.StatusUnauthorized, code: "invalid_request",
		description: "Cannot supply multiple client credentials. Use one of the following: credentials in the Authorization header, credentials in the post body, or a client_assertion in the post body."},
	errUnknownClient: {status: http.StatusUnauthorized, code: "invalid_client",
		description: "Client authentication failed. Either the client or the client credentials are invalid."},
	errWrongSecret: {status: http.StatusUnauthorized, code: "invalid_client",
		description: "The client secret supplied for a confidential client is invalid."},
	errAssertionAudience: {status: http.StatusUnauthorized, code: "invalid_client",
		description: "The audience claim for client_assertion must be the endpoint invoked for the request."},
	errRequestedTokenType: {status: http.StatusBadRequest, code: "invalid_request",
		description: "'requested_token_type' is invalid or not supported."},
	errSubjectTokenType: {status: http.StatusBadRequest, code: "invalid_request",
		description: "'subject_token_type' is invalid or not supported."},
	errSubjectTokenInvalid: {status: http.StatusBadRequest, code: "invalid_request",
		description: "'subject_token' is invalid."},
	errSubjectTokenWrongServer: {status: http.StatusBadRequest, code: "invalid_request",
		description: "'subject_token' is invalid: the authorization server that issued it is not valid."},
	errSubjectTokenExpired: {status: http.StatusBadRequest, code: "invalid_grant",
		description: "The 'subject_token' either expired or the session associated with it was terminated."},
	errSubjectTokenUserNotAssigned: {status: http.StatusBadRequest, code: "invalid_request",
		description: "'subject_token' is invalid: the user is not assigned to the client application."},
	errInvalidAudience: {status: http.StatusBadRequest, code: "invalid_target",
		description: "Token Exchange requests must include a valid audience of the authorization server."},
	errInvalidResource: {status: http.StatusBadRequest, code: "invalid_target",
		description: "'resource' is invalid or not supported."},
	errResourceNotAssigned: {status: http.StatusBadRequest, code: "invalid_target",
		description: "The resource app is not completely configured or user is not assigned to the app."},
	errGrantNotEnabled: {status: http.StatusBadRequest, code: "unauthorized_client",
		description: "The client is not authorized to use the provided grant type. Configured grant types: [%s]."},
	errTokenExchangeUnsupported: {status: http.StatusBadRequest, code: "unsupported_grant_type",
		description: "'urn:ietf:params:oauth:grant-type:token-exchange' grant type is not supported."},
	errIDJAGNotGenerated: {status: http.StatusInternalServerError, code: "server_error",
		description: "Failed to create the id assertion authorization grant."},
	errLoginNotAssigned: {status: http.StatusBadRequest, code: "access_denied",
		description: "User is not assigned to the client application."},
	errRedirectNotRegistered: {status: http.StatusBadRequest, code: "invalid_request",
		description: "The 'redirect_uri' parameter must be a Login redirect URI in the client app settings."},
	errRedirectMismatch: {status: http.StatusBadRequest, code: "invalid_grant",
		description: "The 'redirect_uri' does not match the redirection URI used in the authorization request."},
	errPKCEMissing: {status: http.StatusBadRequest, code: "invalid_request",
		description: "PKCE code challenge is required by the application."},
	errPKCEFailed: {status: http.StatusBadRequest, code: "invalid_grant",
		description: "PKCE verification failed."},
	errCodeInvalid: {status: http.StatusBadRequest, code: "invalid_grant",
		description: "The authorization code is invalid or has expired."},
	errRefreshInvalid: {status: http.StatusBadRequest, code: "invalid_grant",
		description: "The refresh token is invalid or expired."},
	// As Okta's Cross App Access guide reports it for a scope the resource
	// connection does not allow.
	errScopeNotPermitted: {status: http.StatusBadRequest, code: "unauthorized_client", description: "Scope not permitted"},
}

// errorCatalog words refusals: the playground's own descriptions, which name
// the exact problem, or Okta's with the Okta profile.
type errorCatalog struct {
	okta bool
}

// refuse returns def, or Okta's response for the same situation.
func (c *errorCatalog) refuse(r refusal, def *oauthError) *oauthError {
	if !c.okta {
		return def
	}
	o, ok := oktaErrors[r]
	if !ok {
		return def
	}
	o.basicChallenge = def.basicChallenge
	return &o
}

// appGrantTypes are the grant types enabled on the requesting app: all three
// of a Cross App Access client unless an Okta fault switched one off.
func (p *Playground) appGrantTypes() []string {
	grants := []string{"authorization_code", "refresh_token", inspect.GrantTypeTokenExchange}
	if p.faults[FaultOktaRefreshNotEnabled] {
		grants = slices.DeleteFunc(grants, func(g string) bool { return g == "refresh_token" })
	}
	if p.faults[FaultOktaGrantNotEnabled] {
		grants = slices.DeleteFunc(grants, func(g string) bool { return g == inspect.GrantTypeTokenExchange })
	}
	return grants
}

// grantEnabled reports whether the requesting app may use grant.
func (p *Playground) grantEnabled(grant string) bool {
	return slices.Contains(p.appGrantTypes(), grant)
}

// grantRefused refuses a grant the app is not allowed, with Okta's text
// listing the grants it is allowed (Okta's own answer names them).
func (p *Playground) grantRefused(def *oauthError) *oauthError {
	e := p.errors.refuse(errGrantNotEnabled, def)
	if e != def {
		e.description = fmt.Sprintf(e.description, strings.Join(p.appGrantTypes(), ", "))
	}
	return e
}
