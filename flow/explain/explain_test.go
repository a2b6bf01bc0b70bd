package explain

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/xaatools/xaa/flow/wire"
	"github.com/xaatools/xaa/inspect"
)

// oauth builds a token endpoint error.
func oauth(status int, code, desc string) *wire.OAuthError {
	return &wire.OAuthError{Status: status, Code: code, Description: desc, Source: "token endpoint"}
}

// callback builds an authorization callback error.
func callbackErr(code, desc string) *wire.OAuthError {
	return &wire.OAuthError{Code: code, Description: desc, Source: "authorization callback"}
}

func failedCheck(id string) *wire.CheckError {
	return &wire.CheckError{Check: inspect.Check{ID: id, Status: inspect.StatusFail, Title: id}}
}

func fetchErr(k wire.FetchErrorKind, status int) *wire.FetchError {
	return &wire.FetchError{Kind: k, What: "the thing", URL: "https://example.com/x", Status: status}
}

// explainCases are, for every catalogue entry, errors that must be
// explained by it — the Okta and spec wording verbatim where there is one.
// What the flow knows when the IdP was asked for the AS's issuer, and when
// it then wrote another aud.
var (
	askedForAS = Facts{AudienceRequested: "https://as.example.com", ASIssuer: "https://as.example.com"}
	rewritten  = Facts{AudienceRequested: "https://as.example.com", ASIssuer: "https://as.example.com", IDJAGAud: []string{"http://localhost:5001"}}
)

type explainCase struct {
	want string
	step Step
	err  error
}

var explainCases = []explainCase{
	{"discovery.issuer_mismatch", Discovery, failedCheck("discovery.idp.issuer")},
	{"discovery.issuer_mismatch", Discovery, failedCheck("discovery.as.issuer")},
	{"discovery.metadata_issuer", Discovery, &wire.IssuerMismatchError{URL: "https://idp/.well-known/openid-configuration", Want: "https://idp", Got: "https://idp/"}},
	{"discovery.prm_not_found", Discovery, failedCheck("discovery.mcp.prm")},
	{"discovery.no_metadata_check", Discovery, failedCheck("discovery.idp.metadata")},
	{"discovery.client_metadata", Discovery, failedCheck("discovery.as_client.metadata")},
	{"discovery.unreachable", Discovery, failedCheck("discovery.api.reachable")},
	{"discovery.prm_resource_mismatch", Discovery, failedCheck("discovery.mcp.resource")},
	{"discovery.prm_resource_mismatch", Discovery, failedCheck("discovery.resource_id")},
	{"discovery.as_not_listed", Discovery, failedCheck("discovery.api.authorization_servers")},
	{"discovery.no_grant_profile", Discovery, failedCheck("discovery.as.grant_profile")},
	{"discovery.insecure_endpoint", Discovery, failedCheck("discovery.as.http")},
	{"discovery.no_metadata", Discovery, &wire.DiscoveryError{What: "IdP metadata", Issuer: "https://idp", Attempts: []*wire.FetchError{fetchErr(wire.FetchStatus, 404), fetchErr(wire.FetchStatus, 404)}}},
	{"discovery.keys_unusable", Discovery, failedCheck("discovery.idp.jwks")},

	{"login.user_not_assigned", Login, callbackErr("access_denied", "User is not assigned to the client application.")},
	{"login.pkce_required", Login, callbackErr("invalid_request", "PKCE code challenge is required by the application.")},
	{"login.redirect_uri_not_registered", Login, oauth(400, "invalid_request", "The 'redirect_uri' parameter must be a Login redirect URI in the client app settings.")},
	{"login.redirect_uri_mismatch", Login, oauth(400, "invalid_grant", "The 'redirect_uri' does not match the redirection URI used in the authorization request.")},
	{"login.pkce_failed", Login, oauth(400, "invalid_grant", "PKCE verification failed.")},
	{"login.code_invalid", Login, oauth(400, "invalid_grant", "The authorization code is invalid or has expired.")},
	{"login.state_mismatch", Login, wire.ErrStateMismatch},
	{"wire.insecure_endpoint", TokenExchange, fmt.Errorf("%w: the token endpoint http://idp.example/token is plain http", wire.ErrInsecureEndpoint)},
	{"login.nonce_mismatch", Login, failedCheck("id_token.nonce")},
	{"login.issuer_mismatch", Login, wire.ErrIssuerMismatch},
	{"login.no_refresh_token", Login, &wire.CheckError{Check: inspect.Check{ID: "login.refresh_token", Status: inspect.StatusWarn}}},
	{"login.id_token_key_not_found", Login, failedCheck("id_token.signature")},
	{"login.timeout", Login, fmt.Errorf("%w (5m0s)", wire.ErrLoginTimeout)},
	{"login.listen", Login, fmt.Errorf("%w http://127.0.0.1:8976/callback: address already in use", wire.ErrCallbackListen)},
	{"login.redirect_uri_page", Login, fmt.Errorf("%w: the IdP shows an error page (HTTP 400): invalid_request: The 'redirect_uri' parameter must be a Login redirect URI in the client app settings.", wire.ErrBrowser)},
	// oidc-provider 9.13.3's error page, as text.
	{"login.redirect_uri_page", Login, fmt.Errorf("%w: oops! something went wrong error : invalid_redirect_uri error_description : redirect_uri did not match any of the client's registered redirect_uris state : s1", wire.ErrBrowser)},
	{"login.unknown_client_page", Login, fmt.Errorf("%w: the IdP shows an error page (HTTP 400): invalid_request: there is no client \"x\" at this IdP", wire.ErrBrowser)},
	{"login.browser", Login, fmt.Errorf("%w: exec: \"firefox\": executable file not found in $PATH", wire.ErrBrowser)},
	{"login.no_id_token", Login, wire.ErrMissingIDToken},
	{"login.consent_required", Login, callbackErr("consent_required", "")},
	{"login.login_required", Login, callbackErr("login_required", "")},
	{"login.interaction_required", Login, callbackErr("interaction_required", "")},
	{"login.invalid_scope", Login, callbackErr("invalid_scope", "scope admin is not supported")},

	{"token_exchange.assertion_audience", TokenExchange, oauth(401, "invalid_client", "The audience claim for client_assertion must be the endpoint invoked for the request.")},
	{"client_assertion.invalid", TokenExchange, oauth(401, "invalid_client", "The client_assertion token has an invalid kid.")},
	{"client_assertion.invalid", JWTBearer, oauth(401, "invalid_client", "Private key JWT signature verification failed")},
	{"client.multiple_credentials", TokenExchange, oauth(401, "invalid_request", "Cannot supply multiple client credentials. Use one of the following: credentials in the Authorization header, credentials in the post body, or a client_assertion in the post body.")},
	{"token_exchange.custom_as", TokenExchange, oauth(400, "invalid_request", "'requested_token_type' is invalid or not supported.")},
	{"token_exchange.user_not_assigned", TokenExchange, oauth(400, "invalid_request", "'subject_token' is invalid: the user is not assigned to the client application.")},
	{"token_exchange.subject_inactive", TokenExchange, oauth(400, "invalid_request", "'subject_token' is invalid: the user account is not active.")},
	{"token_exchange.subject_wrong_as", TokenExchange, oauth(400, "invalid_request", "'subject_token' is invalid: the authorization server that issued it is not valid.")},
	{"token_exchange.subject_untrusted", TokenExchange, oauth(403, "access_denied", "The 'subject_token' issuer isn't a trusted authorization server.")},
	{"token_exchange.subject_expired", TokenExchange, oauth(400, "invalid_grant", "The 'subject_token' either expired or the session associated with it was terminated.")},
	{"token_exchange.subject_expired", TokenExchange, oauth(400, "invalid_request", "ID token expired")},
	{"token_exchange.subject_aud", TokenExchange, oauth(400, "invalid_request", "ID Token aud doesn't match the authenticated client_id")},
	{"token_exchange.subject_type", TokenExchange, oauth(400, "invalid_request", "'subject_token_type' is invalid or not supported.")},
	{"token_exchange.subject_invalid", TokenExchange, oauth(400, "invalid_request", "'subject_token' is invalid.")},
	{"token_exchange.subject_invalid", TokenExchange, oauth(400, "invalid_request", "ID Token signature verification failed")},
	{"token_exchange.missing_parameter", TokenExchange, oauth(400, "invalid_request", "missing required parameter: audience")},
	{"token_exchange.refresh_token_invalid", TokenExchange, oauth(400, "invalid_grant", "The refresh token is invalid or expired.")},
	{"token_exchange.refresh_token_invalid", TokenExchange, oauth(400, "invalid_grant", "the refresh token is unknown or expired; log in again")},
	{"token_exchange.refresh_token_other_client", TokenExchange, oauth(400, "invalid_grant", "the refresh token was issued to client other-app, not xaa-agent")},
	{"token_exchange.invalid_audience", TokenExchange, oauth(400, "invalid_target", "Token Exchange requests must include a valid audience of the authorization server.")},
	{"token_exchange.invalid_resource", TokenExchange, oauth(400, "invalid_target", "'resource' is invalid or not supported.")},
	{"token_exchange.invalid_resource", TokenExchange, oauth(400, "invalid_target", "Resource mismatch")},
	{"token_exchange.invalid_resource", TokenExchange, oauth(400, "invalid_target", "none match the requested audience + resource combination")},
	{"token_exchange.resource_app_incomplete", TokenExchange, oauth(400, "invalid_target", "The resource app is not completely configured or user is not assigned to the app.")},
	{"token_exchange.no_connection", TokenExchange, oauth(400, "invalid_target", "client a has no connection to https://as")},
	{"token_exchange.scope_denied", TokenExchange, oauth(400, "unauthorized_client", "Scope not permitted")},
	{"token_exchange.scope_denied", TokenExchange, oauth(403, "access_denied", "scope_denied")},
	{"token_exchange.invalid_scope", TokenExchange, oauth(400, "invalid_scope", "")},
	{"token_exchange.confidential_client_required", TokenExchange, oauth(400, "unauthorized_client", "Confidential client is required to make this request.")},
	{"token_exchange.invalid_target", TokenExchange, oauth(400, "invalid_target", "")},
	{"token_exchange.grant_not_enabled", TokenExchange, oauth(400, "unauthorized_client", "The client is not authorized to use the provided grant type. Configured grant types: [authorization_code, refresh_token].")},
	{"token_exchange.other_grant_refused", TokenExchange, oauth(400, "unauthorized_client", "The client is not authorized to use the provided grant type. Configured grant types: [authorization_code, urn:ietf:params:oauth:grant-type:token-exchange].")},
	{"token_exchange.sku_not_enabled", TokenExchange, oauth(400, "invalid_grant", "The Okta for AI Agents SKU is not enabled. Contact your Account Executive to enable the SKU to use the requested grant type or token exchange flow.")},
	{"token_exchange.grant_unsupported", TokenExchange, oauth(400, "unsupported_grant_type", "'urn:ietf:params:oauth:grant-type:token-exchange' grant type is not supported.")},
	{"token_exchange.invalid_client", TokenExchange, oauth(401, "invalid_client", "Client authentication failed. Either the client or the client credentials are invalid.")},
	{"token_exchange.invalid_client", TokenExchange, oauth(401, "invalid_client", "The client secret supplied for a confidential client is invalid.")},
	{"token_exchange.step_up", TokenExchange, oauth(400, "insufficient_user_authentication", "")},
	{"token_exchange.quota", TokenExchange, oauth(429, "invalid_request", "ID-JAG quota exceeded for this user")},
	{"token_exchange.access_denied", TokenExchange, oauth(400, "access_denied", "Client is not authorized to broker access to the target Resource Authorization Server")},
	{"token_exchange.refresh_token_invalid", TokenExchange, oauth(400, "invalid_grant", "The refresh token is invalid or expired.")},
	{"token_exchange.not_generated", TokenExchange, oauth(500, "server_error", "Failed to create the id assertion authorization grant.")},
	{"token_exchange.issued_token_type", TokenExchange, failedCheck("urn.issued_token_type")},
	{"token_exchange.token_type", TokenExchange, failedCheck("token_exchange.token_type")},
	{"id_jag.aud_mismatch", TokenExchange, failedCheck("id_jag.aud")},
	{"chain.id_jag_aud", TokenExchange, failedCheck("chain.id_jag_aud")},
	{"token_exchange.id_jag_client_id", TokenExchange, failedCheck("chain.id_jag_client_id")},

	{"jwt_bearer.grant_unsupported", JWTBearer, oauth(400, "unsupported_grant_type", "")},
	{"jwt_bearer.unauthorized_client", JWTBearer, oauth(400, "unauthorized_client", "The client is not authorized to use the provided grant type. Configured grant types: [client_credentials].")},
	{"jwt_bearer.invalid_client", JWTBearer, oauth(401, "invalid_client", "Client authentication failed.")},
	{"jwt_bearer.proof_of_possession", JWTBearer, oauth(400, "invalid_grant", "Proof of possession required for this authorization grant")},
	{"jwt_bearer.client_mismatch", JWTBearer, oauth(400, "invalid_grant", "The 'client_id' in the JWT Bearer Grant must match the 'client_id' used to authenticate the client.")},
	{"jwt_bearer.client_mismatch", JWTBearer, oauth(400, "invalid_grant", "The authorized party (client_id) in this JWT does not match the authenticated client")},
	{"jwt_bearer.invalid_audience", JWTBearer, oauth(400, "invalid_grant", "The audience of the JWT Bearer Grant must match the the issuer of the authorization server.")},
	{"jwt_bearer.invalid_audience", JWTBearer, oauth(400, "invalid_grant", "Audience validation failed")},
	{"jwt_bearer.lifetime_too_long", JWTBearer, oauth(400, "invalid_grant", "The lifetime of the id-jag must not exceed 5 minutes.")},
	{"jwt_bearer.expired", JWTBearer, oauth(400, "invalid_grant", "The id-jag is expired.")},
	{"jwt_bearer.expired", JWTBearer, oauth(400, "invalid_grant", "JWT has expired")},
	{"jwt_bearer.issued_in_future", JWTBearer, oauth(400, "invalid_grant", "The id-jag is issued in the future.")},
	{"jwt_bearer.issued_in_future", JWTBearer, oauth(400, "invalid_grant", "JWT (iat=1795428000) is not yet valid")},
	{"jwt_bearer.missing_jti", JWTBearer, oauth(400, "invalid_grant", "id_jag.jti failed: jti is present (replay protection) (expected a unique string, got (absent))")},
	{"jwt_bearer.replayed", JWTBearer, oauth(400, "invalid_grant", "The id-jag was already used.")},
	{"jwt_bearer.replayed", JWTBearer, oauth(400, "invalid_grant", "The jti of the JWT Bearer Grant was already used.")},
	{"jwt_bearer.wrong_typ", JWTBearer, oauth(400, "invalid_grant", "invalid JWT type, expected typ: oauth-id-jag+jwt")},
	{"jwt_bearer.algorithm", JWTBearer, oauth(400, "invalid_grant", "id_jag.alg failed: alg is an allowed asymmetric algorithm (expected one of RS256, got HS256)")},
	{"jwt_bearer.untrusted_issuer", JWTBearer, oauth(400, "invalid_grant", "The issuer of the id-jag is not a trusted authorization server.")},
	{"jwt_bearer.untrusted_issuer", JWTBearer, oauth(401, "invalid_token", "The issuer of the token is not permitted to use the JWT Bearer Grant.")},
	{"jwt_bearer.invalid_signature", JWTBearer, oauth(400, "invalid_grant", "The signature of the id-jag is invalid.")},
	{"jwt_bearer.invalid_subject", JWTBearer, oauth(400, "invalid_grant", "The 'sub' claim in the id-jag is invalid.")},
	{"jwt_bearer.scope_in_request", JWTBearer, oauth(400, "invalid_request", "The id-jag request must not include a 'scope' parameter.")},
	{"jwt_bearer.lacking_scopes", JWTBearer, oauth(400, "invalid_scope", "The id-jag must include at least one scope.")},
	{"jwt_bearer.invalid_scope", JWTBearer, oauth(400, "invalid_scope", "")},
	{"jwt_bearer.resource_mismatch", JWTBearer, oauth(400, "invalid_grant", "The 'resource' claim in the id-jag does not match the 'resource' parameter in the request.")},
	{"jwt_bearer.invalid_grant", JWTBearer, oauth(400, "invalid_grant", "")},

	{"resource.wrong_audience", Resource, &wire.OAuthError{Status: 401, Code: "invalid_token", Description: "unexpected aud claim value", Source: "WWW-Authenticate"}},
	{"resource.expired", Resource, &wire.OAuthError{Status: 401, Code: "invalid_token", Description: "The access token expired", Source: "WWW-Authenticate"}},
	{"resource.insufficient_scope", Resource, &wire.OAuthError{Status: 403, Code: "insufficient_scope", Scope: "mcp.access", Source: "WWW-Authenticate"}},
	{"resource.invalid_token", Resource, &wire.OAuthError{Status: 401, Code: "invalid_token", Source: "WWW-Authenticate"}},
	{"resource.unauthorized", Resource, fmt.Errorf("%w: the API answered 401 Unauthorized without an error code", wire.ErrTokenRejected)},
	{"mcp.not_acceptable", Resource, &wire.MCPError{Operation: "initialize", Status: 406, Message: "HTTP 406 Not Acceptable: initialize: Not Acceptable"}},
	{"mcp.header_mismatch", Resource, &wire.MCPError{Operation: "tools/list", Code: -32020, Message: "HeaderMismatch"}},
	{"mcp.unsupported_version", Resource, &wire.MCPError{Operation: "initialize", Code: -32022, Message: "UnsupportedProtocolVersion"}},
	{"mcp.session_expired", Resource, &wire.MCPError{Operation: "tools/list", Status: 404, Message: "HTTP 404 Not Found: tools/list: failed to connect: session not found"}},
	{"mcp.method_not_allowed", Resource, &wire.MCPError{Operation: "initialize", Status: 405, Message: "HTTP 405 Method Not Allowed"}},
	{"mcp.method_not_found", Resource, &wire.MCPError{Operation: "tools/list", Code: -32601, Message: "Method not found"}},
	{"mcp.unauthorized", Resource, &wire.MCPError{Operation: "initialize", Status: 401, Message: "HTTP 401 Unauthorized: initialize: Unauthorized"}},

	{"oauth.server_error", JWTBearer, oauth(500, "server_error", "database down")},
	{"oauth.temporarily_unavailable", TokenExchange, oauth(503, "temporarily_unavailable", "")},
	{"oauth.invalid_client", Login, oauth(401, "invalid_client", "The client secret supplied for a confidential client is invalid.")},
	{"oauth.unauthorized_client", Login, callbackErr("unauthorized_client", "")},
	{"oauth.access_denied", Login, callbackErr("access_denied", "The resource owner denied the request")},

	{"client.auth_build", TokenExchange, fmt.Errorf("%w: the PEM block is damaged", wire.ErrClientAuth)},
	{"flow.missing_input", JWTBearer, fmt.Errorf("%w: an ID-JAG", wire.ErrNoInput)},
	{"flow.missing_token", JWTBearer, fmt.Errorf("%w: access_token is missing", wire.ErrMissingToken)},
	{"network.dns", TokenExchange, fetchErr(wire.FetchDNS, 0)},
	{"network.refused", Discovery, fetchErr(wire.FetchRefused, 0)},
	{"network.tls", Discovery, fetchErr(wire.FetchTLS, 0)},
	{"network.timeout", TokenExchange, fetchErr(wire.FetchTimeout, 0)},
	{"network.html", JWTBearer, fetchErr(wire.FetchHTML, 200)},
	{"network.not_json", JWTBearer, fetchErr(wire.FetchNotJSON, 200)},
	{"network.too_large", Discovery, fetchErr(wire.FetchTooLarge, 200)},
	{"network.redirect", Discovery, fetchErr(wire.FetchRedirect, 302)},
	{"network.http_status", JWTBearer, fetchErr(wire.FetchStatus, 502)},
	{"network.bad_url", Discovery, fetchErr(wire.FetchBadURL, 0)},
}

func TestExplain(t *testing.T) {
	for _, c := range explainCases {
		t.Run(c.want+" "+c.err.Error(), func(t *testing.T) {
			got := Error(c.step, c.err)
			if got == nil {
				t.Fatalf("Error(%s, %v) = nil, want %s", c.step, c.err, c.want)
			}
			if got.ID != c.want {
				t.Errorf("Error(%s, %v) = %s, want %s", c.step, c.err, got.ID, c.want)
			}
			if got.Meaning == "" || got.Fix == "" {
				t.Errorf("entry %s lacks a meaning or a fix: %+v", got.ID, got)
			}
		})
	}
}

func TestExplainGivenFacts(t *testing.T) {
	for _, c := range factCases {
		t.Run(c.want+" "+c.err.Error(), func(t *testing.T) {
			if got := ErrorGiven(c.step, c.err, c.facts); got == nil || got.ID != c.want {
				t.Errorf("ErrorGiven(%s, %v, %+v) = %+v, want %s", c.step, c.err, c.facts, got, c.want)
			}
		})
	}
}

// TestCatalogueCoverage checks that every entry has a case, never keys on
// the HTTP status alone, and that the entries cover every row of the
// troubleshooting table (§8) and every Okta error code (§7).
func TestCatalogueCoverage(t *testing.T) {
	tested := map[string]bool{}
	for _, c := range explainCases {
		tested[c.want] = true
	}
	for _, c := range factCases {
		tested[c.want] = true
	}
	rows := map[int]bool{}
	okta := map[string]bool{}
	for _, r := range catalogue {
		if !tested[r.id] {
			t.Errorf("catalogue entry %s has no case in explainCases", r.id)
		}
		if !r.signal() {
			t.Errorf("catalogue entry %s matches on nothing but the status", r.id)
		}
		if r.Meaning == "" || r.Fix == "" {
			t.Errorf("catalogue entry %s lacks a meaning or a fix", r.id)
		}
		for _, n := range r.rows {
			rows[n] = true
		}
		for _, o := range r.okta {
			okta[o] = true
		}
	}
	for n := 1; n <= 59; n++ {
		if !rows[n] {
			t.Errorf("troubleshooting row %d is not covered by the catalogue", n)
		}
	}
	for _, code := range oktaCodes {
		if !okta[code] {
			t.Errorf("Okta error code %s is not covered by the catalogue", code)
		}
	}
}

// oktaCodes are the Okta internal codes of the protocol reference's Okta
// error table (§7) and IdP/AS rule tables (§4).
var oktaCodes = []string{
	"invalid_requested_token_type", "invalid_subject_token", "invalid_subject_token_type", "invalid_subject_token_authorization_server",
	"invalid_subject_token_user_not_assigned", "invalid_subject_token_user_inactive", "invalid_subject_token_client_inactive",
	"invalid_subject_token_session_expired", "token_exchange_subject_token_expired", "associated_server_not_trusted",
	"token_exchange_invalid_audience", "token_exchange_invalid_resource", "token_exchange_incomplete_resource_configuration",
	"unauthorized_client", "confidential_client_required", "unsupported_grant_type_token_exchange",
	"invalid_grant_type_or_token_exchange_sku_not_enabled", "invalid_client", "invalid_client_secret",
	"client_assertion_invalid_audience", "client_assertion_invalid_kid", "client_assertion_invalid_signature",
	"client_assertion_expired_token", "client_assertion_expires_too_far_in_future", "client_assertion_already_used",
	"client_assertion_issued_at_in_future", "client_assertion_invalid_issuer", "client_assertion_invalid_subject",
	"multiple_client_credentials", "id_jag_scopes_in_request", "jwt_bearer_grant_invalid_audience", "jwt_bearer_grant_replayed",
	"jwt_bearer_grant_invalid_issuer", "id_jag_client_mismatch", "id_jag_untrusted_issuer", "id_jag_expired",
	"id_jag_issued_in_future", "id_jag_lifetime_too_long", "id_jag_invalid_signature", "id_jag_replayed", "id_jag_invalid_subject",
	"id_jag_lacking_scopes", "id_jag_resource_mismatch", "id_jag_resource_not_allowed_for_as", "id_jag_not_generated",
	"user_not_assigned", "illegal_redirect_uri", "mismatched_redirect_uri", "pkce_missing_challenge", "pkce_verification_failed",
	"invalid_authorization_code", "unsupported_resource", "too_many_resources", "invalid_refresh_token",
}

// TestExplainNeverOnStatusAlone: the same status with no code or text that
// an entry knows is left unexplained rather than guessed.
func TestExplainNeverOnStatusAlone(t *testing.T) {
	for _, step := range []Step{Discovery, Login, TokenExchange, JWTBearer, Resource} {
		for _, status := range []int{400, 401, 403, 404, 500} {
			if got := Error(step, &wire.OAuthError{Status: status, Code: "made_up_code"}); got != nil {
				t.Errorf("Explain(%s, HTTP %d made_up_code) = %s, want nil", step, status, got.ID)
			}
		}
	}
}

func TestExplainCheckFallsBackToItsHint(t *testing.T) {
	c := inspect.Check{ID: "id_jag.nbf", Status: inspect.StatusFail, Title: "nbf has passed", Hint: "the token is not valid yet; check the clocks"}
	got := Check(TokenExchange, c)
	if got == nil || got.ID != "check.id_jag.nbf" || got.Fix != c.Hint {
		t.Errorf("Check(nbf) = %+v, want the check's own hint", got)
	}
	if got := Check(TokenExchange, inspect.Check{ID: "id_jag.aud", Status: inspect.StatusPass}); got != nil {
		t.Errorf("Check(a passing check) = %+v, want nil", got)
	}
}

func TestErrorsAs(t *testing.T) {
	wrapped := fmt.Errorf("token exchange: %w", oauth(400, "invalid_target", "x"))
	var oe *wire.OAuthError
	if !errors.As(wrapped, &oe) || oe.Code != "invalid_target" {
		t.Errorf("errors.As(OAuthError) = %v", oe)
	}
	de := &wire.DiscoveryError{Attempts: []*wire.FetchError{fetchErr(wire.FetchDNS, 0)}}
	var fe *wire.FetchError
	if !errors.As(de, &fe) || fe.Kind != wire.FetchDNS {
		t.Errorf("errors.As(DiscoveryError → FetchError) = %v", fe)
	}
	if !errors.Is(&wire.IssuerMismatchError{}, wire.ErrMetadataIssuer) || !errors.Is(&wire.MCPError{}, wire.ErrMCP) {
		t.Errorf("errors.Is on IssuerMismatchError / MCPError does not find the sentinel")
	}
	if errors.Is(context.Canceled, wire.ErrMCP) {
		t.Errorf("errors.Is(context.Canceled, ErrMCP) = true")
	}
	if !slices.Contains([]string{"invalid_target (HTTP 400) from the token endpoint: x"}, oe.Error()) {
		t.Errorf("OAuthError.Error() = %q", oe.Error())
	}
	if got := (&wire.CheckError{Check: inspect.Check{ID: "id_jag.aud", Title: "aud is the resource AS issuer", Expected: "a", Actual: "b"}}).Error(); !strings.Contains(got, "expected a, got b") {
		t.Errorf("CheckError.Error() = %q", got)
	}
}

// hydraAudDescription is Ory Hydra v2.3.0's error_description for an
// ID-JAG whose aud is its issuer, http://127.0.0.1:9444.
const hydraAudDescription = "The provided authorization grant (e.g., authorization code, resource owner credentials) or refresh token is invalid, expired, revoked, does not match the redirection URI used in the authorization request, or was issued to another client. The JWT in 'assertion' request parameter MUST contain an 'aud' (audience) claim containing a value 'http://127.0.0.1:9444/oauth2/token' that identifies the authorization server as an intended audience."

// factCases are told apart by what the flow knew beside the error.
var factCases = []struct {
	explainCase
	facts Facts
}{
	{explainCase{"token_exchange.audience_not_connected", TokenExchange, oauth(400, "invalid_target", "Token Exchange requests must include a valid audience of the authorization server.")}, askedForAS},
	{explainCase{"token_exchange.aud_rewritten", TokenExchange, failedCheck("chain.id_jag_aud_requested")}, rewritten},
	{explainCase{"token_exchange.aud_rewritten", TokenExchange, failedCheck("id_jag.aud")}, rewritten},
	{explainCase{"token_exchange.aud_rewritten", TokenExchange, failedCheck("chain.id_jag_aud")}, rewritten},
	{explainCase{"id_jag.aud_mismatch", TokenExchange, failedCheck("id_jag.aud")}, askedForAS},
	{explainCase{"jwt_bearer.aud_rewritten", JWTBearer, oauth(400, "invalid_grant", "Audience validation failed")}, rewritten},
	{explainCase{"jwt_bearer.invalid_audience", JWTBearer, oauth(400, "invalid_grant", "Audience validation failed")}, askedForAS},
	// Ory Hydra v2.3.0's answer to a valid ID-JAG (aud = its issuer), verbatim
	// (.ci/peers/hydra-conform.sh): it wants its token endpoint as aud.
	{explainCase{"jwt_bearer.aud_token_endpoint", JWTBearer, oauth(400, "invalid_grant", hydraAudDescription)}, Facts{TokenEndpoint: "http://127.0.0.1:9444/oauth2/token"}},
	// The same words about another URL are an aud this AS does not own.
	{explainCase{"jwt_bearer.invalid_audience", JWTBearer, oauth(400, "invalid_grant", hydraAudDescription)}, Facts{TokenEndpoint: "http://127.0.0.1:9999/oauth2/token"}},
	// oidc-provider 9.13.3's answer to a token exchange (.ci/peers).
	{explainCase{"token_exchange.not_offered", TokenExchange, oauth(400, "unsupported_grant_type", "unsupported grant_type requested")}, Facts{IdPNotOkta: true}},
}

// TestOktaCustomASAdvice: with an Okta custom authorization server as the
// resource AS, a refused jwt-bearer grant sends the admin to the access
// policy rule (the JWT Bearer grant) or to the identity provider it must
// admit.
func TestOktaCustomASAdvice(t *testing.T) {
	for _, c := range []struct {
		err  error
		path string
	}{
		{oauth(400, "unauthorized_client", "The client is not authorized to use the provided grant type. Configured grant types: [client_credentials]."), OktaCustomASRule},
		{oauth(401, "invalid_token", "The issuer of the token is not permitted to use the JWT Bearer Grant."), OktaCustomASIdP},
	} {
		if got := Error(JWTBearer, c.err); got == nil || !strings.Contains(got.Fix, c.path) {
			t.Errorf("%v: fix %+v, want it to name %s", c.err, got, c.path)
		}
	}
}
