package explain

import (
	"github.com/xaatools/xaa/flow/config"
	"github.com/xaatools/xaa/flow/wire"
)

// The error explanation catalogue. Entries are tried in order, so the
// specific ones (an Okta description, a check) come before the generic ones
// (an error code at a step) and the network failures come last. Sources:
// the troubleshooting table (§8) and Okta's error table (§7) of the protocol
// reference, RFC 6749 §4.1.2.1 / §5.2, RFC 6750 §3, RFC 8693 §2.2.2, the
// draft §4.3–§4.4 and MCP's transport rules.

var (
	onDiscovery = []Step{Discovery}
	onLogin     = []Step{Login}
	onExchange  = []Step{TokenExchange}
	onBearer    = []Step{JWTBearer}
	onTokens    = []Step{Login, TokenExchange, JWTBearer}
	onResource  = []Step{Resource}
)

// issuerURLFixed says how the Issuer URL of an Okta resource app is
// changed once a connection uses it.
const issuerURLFixed = "Okta does not let you edit it while a connection uses it: delete the connection, correct the Issuer URL, and connect the apps again."

// audienceRewritten explains an ID-JAG whose aud is not the audience the
// token exchange asked for, though it asked for the resource AS's issuer.
var audienceRewritten = Explanation{
	Meaning: "The IdP was asked for the resource AS's issuer but wrote another aud into the ID-JAG; the resource AS refuses it, and no change to the request can fix it.",
	Causes:  []string{"the resource app's Issuer URL at the IdP is not the resource AS metadata issuer (a trailing slash, http/https, an old URL)", "a catalog resource app with a fixed audience (Okta's Todo0 sample always writes http://localhost:5001)"},
	Fix:     "Set the resource app's Issuer URL (" + OktaResourceXAA + ") to the resource AS metadata issuer exactly; " + issuerURLFixed + " A catalog app with a fixed audience (Todo0) needs Okta to change it (xaa@okta.com), or a resource app of your own.",
	Spec:    "draft §4.3, §4.4.1",
}

var catalogue = []rule{
	// ── Discovery ──────────────────────────────────────────────────────
	{id: "discovery.issuer_mismatch", steps: onDiscovery, check: "discovery.*.issuer", rows: []int{2},
		Explanation: Explanation{
			Meaning: "The metadata document names a different issuer than the one configured; RFC 8414 §3.3 says to discard it.",
			Causes:  []string{"a trailing slash or scheme difference between the configured issuer and the published one", "an Okta custom authorization server's issuer configured where the org issuer is meant (or the reverse)", "metadata served by another component than the authorization server"},
			Fix:     "Copy the published issuer verbatim into the config (idp.issuer / resource_as.issuer); for the resource AS it is also the token exchange's audience and the ID-JAG's aud.",
			Spec:    "RFC 8414 §3.3; OIDC Discovery §4.3"}},
	{id: "discovery.metadata_issuer", sentinel: wire.ErrMetadataIssuer, rows: []int{2},
		Explanation: Explanation{
			Meaning: "The metadata document names a different issuer than the one it was looked up for, so it cannot be trusted for that issuer.",
			Causes:  []string{"a trailing slash or scheme difference", "a token whose iss is not the server's published issuer"},
			Fix:     "Use the published issuer verbatim everywhere (config, audience, aud checks).",
			Spec:    "RFC 8414 §3.3; OIDC Discovery §4.3"}},
	{id: "discovery.prm_not_found", steps: onDiscovery, check: "discovery.*.prm", rows: []int{3},
		Explanation: Explanation{
			Meaning: "The resource publishes no RFC 9728 protected resource metadata at the challenge URL or the well-known paths.",
			Causes:  []string{"the resource lives under a path and the metadata is at /.well-known/oauth-protected-resource/<path> (RFC 9728 path insertion) but the server publishes it elsewhere", "the server sends no resource_metadata in its WWW-Authenticate challenge", "a plain REST API that does not publish metadata (fine; MCP servers must)"},
			Fix:     "Publish the metadata at the path-inserted well-known URL, or name it in WWW-Authenticate: Bearer resource_metadata=\"…\"; for a REST API this is optional — set resource.id in the config instead.",
			Spec:    "RFC 9728 §3.1, §5.1"}},
	{id: "discovery.prm_resource_mismatch", steps: onDiscovery, check: "discovery.*resource*", rows: []int{4},
		Explanation: Explanation{
			Meaning: "The protected resource metadata names another resource than the one configured or called; RFC 9728 §3.3 says not to use it.",
			Causes:  []string{"the URL variant differs (/mcp vs /mcp/, http vs https, a port)", "resource.id in the config is not the identifier the server uses", "the server is misconfigured"},
			Fix:     "Set resource.id (and the URL you call) to the metadata's resource value exactly; it is what the token exchange sends as resource and what the access token's aud will be.",
			Spec:    "RFC 9728 §3.3"}},
	{id: "discovery.as_not_listed", steps: onDiscovery, check: "discovery.*.authorization_servers", rows: []int{6},
		Explanation: Explanation{
			Meaning: "The resource's metadata does not list the configured resource AS among its authorization servers.",
			Causes:  []string{"resource_as.issuer differs from the issuer the resource trusts (trailing slash, custom vs org AS)", "the resource is served by another authorization server"},
			Fix:     "Take the issuer from the metadata's authorization_servers, fetch that AS's own metadata, and use its issuer as resource_as.issuer.",
			Spec:    "RFC 9728 §2"}},
	{id: "discovery.no_grant_profile", steps: onDiscovery, check: "discovery.as.grant_profile", rows: []int{5},
		Explanation: Explanation{
			Meaning: "The resource AS metadata does not advertise the ID-JAG grant profile (authorization_grant_profiles_supported).",
			Causes:  []string{"the document came from openid-configuration, where some servers omit it, instead of oauth-authorization-server", "the server predates draft -03, which added the member"},
			Fix:     "Treat it as unknown, not unsupported: the jwt-bearer step is the verdict. Servers implementing the profile should list urn:ietf:params:oauth:grant-profile:id-jag in their RFC 8414 metadata.",
			Spec:    "draft-ietf-oauth-identity-assertion-authz-grant-04 §7.2"}},
	{id: "discovery.insecure_endpoint", steps: onDiscovery, check: "discovery.*.http", rows: []int{6},
		Explanation: Explanation{
			Meaning: "The metadata points to plain-http endpoints on another host.",
			Causes:  []string{"metadata served by the wrong component (an MCP host re-publishing its AS's metadata with internal URLs)", "a proxy that rewrites https to http"},
			Fix:     "Take the issuer from the protected resource metadata's authorization_servers and fetch that AS's own metadata; fix the public URLs the server advertises.",
			Spec:    "RFC 8414 §2"}},
	{id: "discovery.client_metadata", steps: onDiscovery, check: "discovery.*_client.metadata",
		Explanation: Explanation{
			Meaning: "The client ID is a URL, but no client metadata document could be read there.",
			Causes:  []string{"the client is not registered by a client ID metadata document: its ID only looks like a URL", "the document is missing, not JSON, or larger than xaa reads"},
			Fix:     "Serve the client's metadata as JSON at its client ID URL (with client_id equal to that URL), or ignore this warning when the authorization server registered the client another way.",
			Spec:    "draft-ietf-oauth-client-id-metadata-document"}},
	{id: "discovery.no_metadata_check", steps: onDiscovery, check: "discovery.*.metadata", rows: []int{1},
		Explanation: Explanation{
			Meaning: "No metadata document could be fetched for the issuer.",
			Causes:  []string{"the issuer is wrong (a typo, a path missing or extra)", "the server is not reachable from here", "the server publishes only one of OIDC discovery and RFC 8414 and neither URL matched"},
			Fix:     "Open the issuer's /.well-known/openid-configuration in a browser; when it answers, copy its issuer member verbatim into the config.",
			Spec:    "RFC 8414 §3.1; OIDC Discovery §4"}},
	{id: "discovery.unreachable", steps: onDiscovery, check: "discovery.*.reachable",
		Explanation: Explanation{
			Meaning: "The resource did not answer a call without a token, so its metadata could not be looked up.",
			Fix:     "Check resource.api_url / resource.mcp_url and that the server runs and is reachable from here.",
			Spec:    "RFC 9728 §5.1"}},
	{id: "discovery.no_metadata", steps: onDiscovery, fetch: fetchKind(wire.FetchStatus), status: 404, rows: []int{1},
		Explanation: Explanation{
			Meaning: "No metadata document exists at the well-known URLs built from the issuer.",
			Causes:  []string{"the issuer is wrong (a typo, a path missing or extra)", "the server publishes only one of OIDC discovery and RFC 8414 and neither URL matched", "for an Okta custom authorization server: the issuer needs its /oauth2/{id} path"},
			Fix:     "Open the issuer's /.well-known/openid-configuration in a browser; when it answers, copy its issuer member verbatim into the config.",
			Spec:    "RFC 8414 §3.1; OIDC Discovery §4"}},
	{id: "discovery.keys_unusable", steps: onDiscovery, check: "discovery.*.jwks", rows: []int{15},
		Explanation: Explanation{
			Meaning: "The key set named by jwks_uri could not be fetched or holds no usable public key.",
			Causes:  []string{"jwks_uri points to another server or an internal host", "the key set is empty or holds only keys xaa cannot use"},
			Fix:     "Check the jwks_uri in the metadata; an IdP must publish the keys its ID tokens and ID-JAGs are signed with.",
			Spec:    "RFC 8414 §2; RFC 7517 §5"}},

	// ── Login: callback errors (RFC 6749 §4.1.2.1, OIDC Core §3.1.2.6) ──
	{id: "login.user_not_assigned", steps: onLogin, code: "access_denied", desc: re(`not assigned`), rows: []int{12}, okta: []string{"user_not_assigned"},
		Explanation: Explanation{
			Meaning: "The IdP refused the login: the user is not assigned to the requesting app.",
			Causes:  []string{"the test user (or their group) was never assigned to the requesting app"},
			Fix:     "Assign the user or a group of theirs: " + OktaAssignRequesting + ".",
			Spec:    "RFC 6749 §4.1.2.1"}},
	{id: "login.pkce_required", steps: onLogin, code: "invalid_request", desc: re(`PKCE code challenge is required|code_challenge.*required`), rows: []int{9}, okta: []string{"pkce_missing_challenge"},
		Explanation: Explanation{
			Meaning: "The IdP requires PKCE and the authorization request carried no code_challenge.",
			Causes:  []string{"a client that does not send code_challenge (xaa always sends S256)", "an --set that removed code_challenge"},
			Fix:     "Send code_challenge=BASE64URL(SHA256(code_verifier)) with code_challenge_method=S256.",
			Spec:    "RFC 7636 §4.3"}},
	{id: "login.redirect_uri_not_registered", steps: onLogin, desc: re(`redirect_uri.*(must be a Login redirect URI|not registered|is not allowed|did not match any of the client's registered)`), rows: []int{7}, okta: []string{"illegal_redirect_uri"},
		Explanation: Explanation{
			Meaning: "The redirect URI is not registered for this client, byte for byte.",
			Causes:  []string{"a different port, path, trailing slash, or localhost vs 127.0.0.1 in idp.redirect_uri than at the IdP"},
			Fix:     "Register idp.redirect_uri exactly: " + OktaRedirectURIs + ".",
			Spec:    "RFC 6749 §3.1.2.3"}},
	{id: "login.redirect_uri_mismatch", steps: onLogin, code: "invalid_grant", desc: re(`redirect_uri.*(does not match|mismatch)`), rows: []int{8}, okta: []string{"mismatched_redirect_uri"},
		Explanation: Explanation{
			Meaning: "The redirect_uri of the code exchange differs from the one in the authorization request.",
			Causes:  []string{"the two requests were built with different redirect URI strings"},
			Fix:     "Send the identical redirect_uri string in both requests (xaa does; check any --set that changed one).",
			Spec:    "RFC 6749 §4.1.3"}},
	{id: "login.pkce_failed", steps: onLogin, code: "invalid_grant", desc: re(`PKCE verification failed|code_verifier`), rows: []int{10}, okta: []string{"pkce_verification_failed"},
		Explanation: Explanation{
			Meaning: "The code_verifier does not produce the code_challenge sent at login.",
			Causes:  []string{"the verifier belongs to another login attempt", "the challenge was encoded wrongly (padding, hex, plain instead of S256)"},
			Fix:     "Use the verifier of the same attempt; challenge = base64url-nopad(SHA-256(verifier)).",
			Spec:    "RFC 7636 §4.6"}},
	{id: "login.code_invalid", steps: onLogin, code: "invalid_grant", desc: re(`authorization code is invalid|code.*(expired|already (been )?used|invalid)`), rows: []int{11}, okta: []string{"invalid_authorization_code"},
		Explanation: Explanation{
			Meaning: "The authorization code was rejected: used before, or older than its lifetime.",
			Causes:  []string{"the code was exchanged twice", "more than its lifetime passed between login and exchange (Okta: 5 minutes)"},
			Fix:     "Log in again and exchange the code at once, a single time.",
			Spec:    "RFC 6749 §4.1.2"}},
	{id: "login.state_mismatch", steps: onLogin, sentinel: wire.ErrStateMismatch, rows: []int{13},
		Explanation: Explanation{
			Meaning: "The callback's state is not the one xaa sent, so it may not answer this login.",
			Causes:  []string{"a stale browser tab from an earlier attempt", "two logins running at once", "a forged callback (CSRF)"},
			Fix:     "Close old login tabs and run again; each attempt has its own state.",
			Spec:    "RFC 6749 §10.12"}},
	{id: "login.nonce_mismatch", steps: onLogin, check: "id_token.nonce", rows: []int{13},
		Explanation: Explanation{
			Meaning: "The ID token's nonce is not the one sent in this login.",
			Causes:  []string{"the ID token answers another login (a stale tab, parallel logins)", "the IdP dropped the nonce"},
			Fix:     "Run the login again; if the nonce is missing every time, the IdP ignores it (a bug to report).",
			Spec:    "OIDC Core §3.1.3.7 (11)"}},
	{id: "login.issuer_mismatch", steps: onLogin, sentinel: wire.ErrIssuerMismatch,
		Explanation: Explanation{
			Meaning: "The callback's iss parameter names another issuer than the IdP xaa sent the user to.",
			Causes:  []string{"a mix-up: the response came from another authorization server", "the configured issuer differs from the IdP's own (trailing slash)"},
			Fix:     "Use the IdP's published issuer verbatim; if it matches, treat the callback as an attack and stop.",
			Spec:    "RFC 9207 §2.4"}},
	{id: "login.no_refresh_token", steps: onLogin, check: "login.refresh_token", rows: []int{14},
		Explanation: Explanation{
			Meaning: "The IdP returned no refresh token, so a new ID-JAG needs a new login once the ID token expires.",
			Causes:  []string{"offline_access was not requested", "the app is not allowed the Refresh Token grant", "the authorization server's access policy rule does not allow the Refresh Token grant"},
			Fix:     "Add offline_access to idp.scopes and enable the Refresh Token grant: " + OktaGrantTypes + ". With idp.subject refresh_token the token exchange cannot run without it.",
			Spec:    "OIDC Core §11; draft §4.2"}},
	{id: "login.id_token_key_not_found", steps: onLogin, check: "id_token.signature", rows: []int{15},
		Explanation: Explanation{
			Meaning: "The ID token's signature could not be verified with the IdP's published keys.",
			Causes:  []string{"the key set belongs to another authorization server (an Okta custom AS vs the org AS, another org or cell)", "the keys rotated (xaa refetches once on an unknown kid)"},
			Fix:     "Check that the ID token's iss matches idp.issuer and that its jwks_uri is the one its kid is in.",
			Spec:    "OIDC Core §3.1.3.7 (6); §10.1.1"}},
	{id: "login.timeout", steps: onLogin, sentinel: wire.ErrLoginTimeout, rows: []int{7},
		Explanation: Explanation{
			Meaning: "No login callback arrived in time.",
			Causes:  []string{"the IdP showed an error page instead of redirecting — an unregistered redirect_uri or unknown client_id is shown there and never redirected (Okta: \"The 'redirect_uri' parameter must be a Login redirect URI in the client app settings\")", "the browser did not open, or the login was not finished", "the callback was blocked (another program on the port, a browser extension)"},
			Fix:     "Look at the browser tab; register idp.redirect_uri exactly (" + OktaRedirectURIs + "); or open the printed URL by hand.",
			Spec:    "RFC 6749 §4.1.2.1"}},
	{id: "wire.insecure_endpoint", sentinel: wire.ErrInsecureEndpoint,
		Explanation: Explanation{
			Meaning: "The server's issuer is https but its token endpoint is plain http on another host; xaa sent nothing, since the client credentials and the tokens would cross the network in the clear.",
			Causes:  []string{"metadata written by hand or by a proxy that rewrites https to http", "a token_endpoint in the config with the wrong scheme"},
			Fix:     "Publish (or configure) the https token endpoint.",
			Spec:    "RFC 6749 §3.2; RFC 8414 §2"}},
	{id: "login.listen", steps: onLogin, sentinel: wire.ErrCallbackListen,
		Explanation: Explanation{
			Meaning: "xaa could not listen on the redirect URI's port for the callback.",
			Causes:  []string{"another program (or another xaa) is using the port"},
			Fix:     "Stop the other program, or change idp.redirect_uri to a free port and register the new URI at the IdP.",
			Spec:    "RFC 8252 §7.3"}},
	{id: "login.redirect_uri_page", steps: onLogin, sentinel: wire.ErrBrowser, desc: re(`redirect_uri.*(must be a Login redirect URI|not registered|is not allowed|did not match any of the client's registered)`), rows: []int{7}, okta: []string{"illegal_redirect_uri"},
		Explanation: Explanation{
			Meaning: "The IdP shows an error page instead of the login: the redirect URI is not registered for this client, byte for byte.",
			Causes:  []string{"a different port, path, trailing slash, or localhost vs 127.0.0.1 in idp.redirect_uri than at the IdP"},
			Fix:     "Register idp.redirect_uri exactly: " + OktaRedirectURIs + ".",
			Spec:    "RFC 6749 §4.1.2.1"}},
	{id: "login.unknown_client_page", steps: onLogin, sentinel: wire.ErrBrowser, desc: re(`no client|unknown client|client_id`),
		Explanation: Explanation{
			Meaning: "The IdP shows an error page: it does not know idp.client_id.",
			Causes:  []string{"a typo in idp.client_id", "the resource-AS client id used at the IdP"},
			Fix:     "Use the requesting app's client id at the IdP (" + OktaClientCreds + ").",
			Spec:    "RFC 6749 §4.1.2.1"}},
	{id: "login.browser", steps: onLogin, sentinel: wire.ErrBrowser,
		Explanation: Explanation{
			Meaning: "The browser could not be started, or could not complete the login.",
			Causes:  []string{"no browser on this machine (a server, a container)", "$BROWSER names a program that failed"},
			Fix:     "Run with --no-browser (xaa run, or the terminal UI) and open the URL it shows in a browser on this machine (over SSH: forward the callback port first).",
		}},
	{id: "login.no_id_token", steps: onLogin, sentinel: wire.ErrMissingIDToken,
		Explanation: Explanation{
			Meaning: "The IdP's token response has no id_token, so there is nothing to exchange.",
			Causes:  []string{"openid is missing from the scopes", "the server is a plain OAuth server, not an OpenID Provider"},
			Fix:     "Include openid in idp.scopes.",
			Spec:    "OIDC Core §3.1.3.3"}},
	{id: "login.consent_required", steps: onLogin, code: "consent_required",
		Explanation: Explanation{
			Meaning: "The IdP needs the user's consent and could not ask for it.",
			Fix:     "Log in without prompt=none, or grant consent in the app's settings (Okta: the app's General › User Consent).",
			Spec:    "OIDC Core §3.1.2.6"}},
	{id: "login.login_required", steps: onLogin, code: "login_required",
		Explanation: Explanation{
			Meaning: "The IdP needs the user to log in interactively.",
			Fix:     "Remove prompt=none (a --set) and log in in the browser.",
			Spec:    "OIDC Core §3.1.2.6"}},
	{id: "login.interaction_required", steps: onLogin, code: "interaction_required",
		Explanation: Explanation{
			Meaning: "The IdP needs the user to interact (consent, MFA, account choice) and was asked not to.",
			Fix:     "Remove prompt=none (a --set) and complete the login in the browser.",
			Spec:    "OIDC Core §3.1.2.6"}},
	{id: "login.invalid_scope", steps: onLogin, code: "invalid_scope",
		Explanation: Explanation{
			Meaning: "The IdP refused a scope of the login.",
			Causes:  []string{"a scope in idp.scopes is unknown to the IdP or not granted to the app (offline_access without the Refresh Token grant)"},
			Fix:     "Request scopes the IdP lists in scopes_supported; keep openid.",
			Spec:    "RFC 6749 §4.1.2.1"}},

	// ── Token exchange (RFC 8693, draft §4.3) ──────────────────────────
	{id: "client.multiple_credentials", steps: onTokens, desc: re(`multiple client credentials`), rows: []int{31}, okta: []string{"multiple_client_credentials"},
		Explanation: Explanation{
			Meaning: "The request carried two client authentications at once.",
			Causes:  []string{"a Basic header and a client_secret in the body", "a secret and a client_assertion"},
			Fix:     "Send exactly one method (auth_method in the config).",
			Spec:    "RFC 6749 §2.3"}},
	{id: "token_exchange.assertion_audience", steps: onTokens, code: "invalid_client", desc: re(`audience claim for client_assertion|client_assertion.*aud`), rows: []int{30}, okta: []string{"client_assertion_invalid_audience"},
		Explanation: Explanation{
			Meaning: "The client assertion's aud is not what the server wants.",
			Causes:  []string{"Okta wants aud = the exact token endpoint URL being called; other servers want their issuer"},
			Fix:     "Set assertion_audience: token_endpoint (the default) for Okta, or issuer for servers following RFC 7523bis.",
			Spec:    "RFC 7523 §3; draft-ietf-oauth-rfc7523bis"}},
	{id: "client_assertion.invalid", steps: onTokens, code: "invalid_client", desc: re(`client_assertion|client assertion|private key JWT`), rows: []int{30},
		okta: []string{"client_assertion_invalid_kid", "client_assertion_invalid_signature", "client_assertion_expired_token", "client_assertion_expires_too_far_in_future", "client_assertion_already_used", "client_assertion_issued_at_in_future", "client_assertion_invalid_issuer", "client_assertion_invalid_subject"},
		Explanation: Explanation{
			Meaning: "The server rejected the client assertion (private_key_jwt).",
			Causes:  []string{"its kid is not a key registered for the client", "it is signed with another key", "exp is more than an hour ahead, or already passed", "the jti was used before", "iss or sub is not the client id"},
			Fix:     "Register the public key (and its kid) for the client — Okta: the AI agent's or app's Client registration / Client Credentials — and set key_id to that kid.",
			Spec:    "RFC 7523 §3"}},
	{id: "token_exchange.custom_as", steps: onExchange, desc: re(`'?requested_token_type'? is invalid or not supported`), rows: []int{16}, okta: []string{"invalid_requested_token_type"},
		Explanation: Explanation{
			Meaning: "This token endpoint does not issue ID-JAGs (requested_token_type refused).",
			Causes:  []string{"the exchange went to an Okta custom authorization server (/oauth2/default/v1/token); only the org AS issues ID-JAGs", "a misspelt URN (id_jag, urn:okta:…)"},
			Fix:     "Use the org authorization server (idp.issuer = https://{yourOktaDomain}, token endpoint …/oauth2/v1/token) and requested_token_type=urn:ietf:params:oauth:token-type:id-jag.",
			Spec:    "draft §4.3; RFC 8693 §2.2.2"}},
	{id: "token_exchange.user_not_assigned", steps: onExchange, desc: re(`subject_token'? is invalid: the user is not assigned`), rows: []int{25}, okta: []string{"invalid_subject_token_user_not_assigned"},
		Explanation: Explanation{
			Meaning: "The user in the ID token is not assigned to the requesting app.",
			Fix:     "Assign the user: " + OktaAssignRequesting + ".",
			Spec:    "RFC 8693 §2.2.2"}},
	{id: "token_exchange.subject_inactive", steps: onExchange, desc: re(`subject_token'? is invalid: .*(not active|no longer active|inactive)`),
		okta: []string{"invalid_subject_token_user_inactive", "invalid_subject_token_client_inactive", "invalid_subject_token_session_expired"},
		Explanation: Explanation{
			Meaning: "The ID token's user, app or session is no longer active at the IdP.",
			Causes:  []string{"the user was deactivated", "the requesting app was deactivated", "the user signed out and the session ended"},
			Fix:     "Reactivate the user or app in the Admin Console, then log in again.",
			Spec:    "RFC 8693 §2.2.2"}},
	{id: "token_exchange.subject_wrong_as", steps: onExchange, desc: re(`authorization server that issued it is not valid`), rows: []int{17}, okta: []string{"invalid_subject_token_authorization_server"},
		Explanation: Explanation{
			Meaning: "The ID token was issued by an authorization server this exchange does not accept.",
			Causes:  []string{"the login happened at an Okta custom AS (…/oauth2/default) while the exchange runs at the org AS", "the ID token comes from another org"},
			Fix:     "Log in at the org authorization server of the same org (idp.issuer = https://{yourOktaDomain}) and exchange that ID token.",
			Spec:    "RFC 8693 §2.2.2"}},
	{id: "token_exchange.subject_untrusted", steps: onExchange, desc: re(`issuer isn't a trusted authorization server|not a trusted`), rows: []int{17}, okta: []string{"associated_server_not_trusted"},
		Explanation: Explanation{
			Meaning: "The ID token's issuer is not trusted by the IdP's exchange.",
			Causes:  []string{"the subject token was minted by another org or a custom authorization server"},
			Fix:     "Log in at the org authorization server of the org that runs the exchange.",
			Spec:    "RFC 8693 §2.2.2"}},
	{id: "token_exchange.subject_expired", steps: onExchange, desc: re(`subject_token'? either expired|session associated with it was terminated|ID token (has )?expired|token expired`), rows: []int{18}, okta: []string{"token_exchange_subject_token_expired"},
		Explanation: Explanation{
			Meaning: "The ID token expired (or its session ended) before the exchange.",
			Causes:  []string{"more time passed since login than the ID token lives (xaa.dev: about 10 minutes)", "the user signed out"},
			Fix:     "Run the login again, or log in with offline_access and use the IdP refresh token as the subject (--set subject_token_type=urn:ietf:params:oauth:token-type:refresh_token).",
			Spec:    "draft §4.3.3"}},
	{id: "token_exchange.subject_aud", steps: onExchange, desc: re(`aud doesn't match the authenticated client|aud.*does not match.*client`), rows: []int{19},
		Explanation: Explanation{
			Meaning: "The ID token was issued to another client than the one authenticating the exchange.",
			Causes:  []string{"the login used one client and the exchange another (idp.client_id differs between them)", "resource-AS credentials used at the IdP"},
			Fix:     "Log in and exchange with the same IdP client (an Okta AI agent shares its linked app's client id).",
			Spec:    "draft §4.3.3; RFC 8693 §2.2.2"}},
	{id: "token_exchange.subject_type", steps: onExchange, desc: re(`subject_token_type'? is invalid or not supported`), rows: []int{20}, okta: []string{"invalid_subject_token_type"},
		Explanation: Explanation{
			Meaning: "The IdP does not accept this subject_token_type for this token.",
			Causes:  []string{"a URN that does not match the token (…:access_token for an ID token)", "an IdP that accepts only ID tokens, not refresh tokens"},
			Fix:     "Send urn:ietf:params:oauth:token-type:id_token with an ID token, …:refresh_token with a refresh token.",
			Spec:    "RFC 8693 §3"}},
	{id: "token_exchange.subject_invalid", steps: onExchange, desc: re(`subject_token'? is invalid|signature verification failed|subject token`), rows: []int{17}, okta: []string{"invalid_subject_token"},
		Explanation: Explanation{
			Meaning: "The IdP rejected the ID token itself.",
			Causes:  []string{"the ID token was minted by another authorization server (an Okta custom AS) or another org", "the token was modified or truncated when pasted"},
			Fix:     "Log in at the org authorization server of the same org and exchange that ID token unchanged.",
			Spec:    "RFC 8693 §2.2.2"}},
	{id: "token_exchange.missing_parameter", steps: onExchange, code: "invalid_request", desc: re(`(missing|required|must include).*(audience|resource|subject_token|requested_token_type)|(audience|resource).*(missing|required)`), rows: []int{21},
		Explanation: Explanation{
			Meaning: "A required parameter of the token exchange is missing.",
			Causes:  []string{"a library dropped audience or resource", "an --set removed it"},
			Fix:     "Send grant_type, requested_token_type, subject_token, subject_token_type and audience (and resource where the IdP requires it).",
			Spec:    "draft §4.3; RFC 8693 §2.1"}},
	// The same refusal when the audience sent is the resource AS's own
	// metadata issuer: the request is right, the IdP's setup is not.
	{id: "token_exchange.audience_not_connected", steps: onExchange, when: askedForTheAS, desc: re(`valid audience of the authorization server|audience.*(invalid|not (allowed|supported|valid))|invalid audience`), rows: []int{22, 34}, okta: []string{"token_exchange_invalid_audience"},
		Explanation: Explanation{
			Meaning: "The IdP knows no resource app with this Issuer URL connected to this client — and the audience sent is the resource AS's own metadata issuer, so the request is right.",
			Causes:  []string{"no Cross App Access connection from the requesting app to the resource app (Okta answers this same text then)", "the resource app's Issuer URL at the IdP differs from the resource AS metadata issuer (a trailing slash, http/https)", "Cross App Access is not enabled on the resource app"},
			Fix:     "Connect the requesting app to the resource app: " + OktaConnection + ". If they are connected, compare the resource app's Issuer URL (" + OktaResourceXAA + ") with resource_as.issuer; " + issuerURLFixed + " `xaa doctor` tells the causes apart.",
			Spec:    "draft §4.3, §4.3.3; RFC 8693 §2.2.2"}},
	{id: "token_exchange.invalid_audience", steps: onExchange, desc: re(`valid audience of the authorization server|audience.*(invalid|not (allowed|supported|valid))|invalid audience`), rows: []int{22}, okta: []string{"token_exchange_invalid_audience"},
		Explanation: Explanation{
			Meaning: "The audience is not a resource AS the IdP knows for this client.",
			Causes:  []string{"resource_as.issuer differs from the issuer configured at the IdP (trailing slash, http/https)", "the resource URL or the token endpoint URL sent instead of the AS issuer", "an HTTP library that appends / to a bare host"},
			Fix:     "Set resource_as.issuer to the resource AS metadata issuer exactly, and register the same string at the IdP: " + OktaResourceXAA + ".",
			Spec:    "draft §4.3; RFC 8693 §2.2.2"}},
	{id: "token_exchange.invalid_resource", steps: onExchange, desc: re(`'?resource'? is invalid or not supported|resource mismatch|none match the requested audience|too many resources|unsupported resource`), rows: []int{23}, okta: []string{"token_exchange_invalid_resource", "unsupported_resource", "too_many_resources"},
		Explanation: Explanation{
			Meaning: "The resource is not one the connection allows with this audience.",
			Causes:  []string{"resource.id differs from the connection's resource indicator", "the resource is paired with another audience at the IdP"},
			Fix:     "Use the exact resource indicator of the connection (for MCP: the protected resource metadata's resource): " + OktaConnection + ".",
			Spec:    "RFC 8707 §2; EMA §7.6.1"}},
	{id: "token_exchange.resource_app_incomplete", steps: onExchange, desc: re(`resource app is not completely configured|not assigned to the (resource )?app`), rows: []int{24}, okta: []string{"token_exchange_incomplete_resource_configuration"},
		Explanation: Explanation{
			Meaning: "The resource app's XAA setup is incomplete, or the user is not assigned to it.",
			Fix:     "Assign the user to the resource app (" + OktaAssignResource + ") and finish its XAA settings (" + OktaResourceXAA + ").",
			Spec:    "draft §4.3.3"}},
	{id: "token_exchange.no_connection", steps: onExchange, code: "invalid_target", desc: re(`no connection|not connected|connection .*(disabled|missing)`), rows: []int{34},
		Explanation: Explanation{
			Meaning: "The IdP has no connection from the requesting app to this resource AS.",
			Causes:  []string{"nobody connected the requesting app to the resource app", "the connection was disabled"},
			Fix:     "Connect them: " + OktaConnection + ".",
			Spec:    "draft §4.3.3; EMA §7.6.1"}},
	{id: "token_exchange.scope_denied", steps: onExchange, desc: re(`scope not permitted|scope_denied|no_scope_allowed|scope.*not (allowed|permitted)`), rows: []int{26},
		Explanation: Explanation{
			Meaning: "A requested scope is not allowed for this connection.",
			Fix:     "Request only the connection's scopes (resource_as.scopes), or add the scope to it: " + OktaConnection + ".",
			Spec:    "RFC 6749 §5.2"}},
	{id: "token_exchange.invalid_scope", steps: onExchange, code: "invalid_scope", rows: []int{26},
		Explanation: Explanation{
			Meaning: "The IdP refused a requested scope.",
			Fix:     "Request only scopes the connection allows (resource_as.scopes), or add them to it: " + OktaConnection + ".",
			Spec:    "RFC 6749 §5.2"}},
	{id: "token_exchange.confidential_client_required", steps: onExchange, desc: re(`confidential client is required`), okta: []string{"confidential_client_required"},
		Explanation: Explanation{
			Meaning: "The IdP performs the exchange only for confidential clients.",
			Fix:     "Give the client a secret or a key (idp.auth_method client_secret_basic, client_secret_post or private_key_jwt).",
			Spec:    "draft §9.1"}},
	{id: "token_exchange.invalid_target", steps: onExchange, code: "invalid_target", rows: []int{22, 23},
		Explanation: Explanation{
			Meaning: "The IdP will not issue an ID-JAG for this audience and resource.",
			Causes:  []string{"resource_as.issuer differs from the audience configured at the IdP", "resource.id is not allowed by the connection", "the user is not assigned to the resource app"},
			Fix:     "Compare audience and resource with the IdP's connection (" + OktaConnection + ") and the resource app's Issuer URL (" + OktaResourceXAA + ").",
			Spec:    "RFC 8693 §2.2.2"}},
	// Okta's refusal lists the app's grant types: when the token exchange is
	// among them, the Token Exchange grant is not what is missing.
	{id: "token_exchange.other_grant_refused", steps: onExchange, code: "unauthorized_client", desc: re(`Configured grant types: \[[^\]]*urn:ietf:params:oauth:grant-type:token-exchange`), rows: []int{27},
		Explanation: Explanation{
			Meaning: "The IdP refused the request as not allowed for this client, though the grant types it lists for the app include the token exchange.",
			Causes:  []string{"with idp.subject refresh_token: the Refresh Token grant missing from the listed grant types", "a scope the connection does not allow"},
			Fix:     "Compare the listed grant types with what the request needs — the token exchange is there; with a refresh token as the subject, enable the Refresh Token grant too: " + OktaGrantTypes + " — then the connection's scopes: " + OktaConnectionScopes + ".",
			Spec:    "RFC 6749 §5.2"}},
	{id: "token_exchange.grant_not_enabled", steps: onExchange, code: "unauthorized_client", rows: []int{27, 26}, okta: []string{"unauthorized_client"},
		Explanation: Explanation{
			Meaning: "The IdP client is not allowed the token exchange grant.",
			Causes:  []string{"Token Exchange is not enabled among the app's grant types", "Okta's guide also reports \"Scope not permitted\" with this code when a scope is not in the connection"},
			Fix:     "Enable the Token Exchange grant: " + OktaGrantTypes + ".",
			Spec:    "RFC 6749 §5.2"}},
	{id: "token_exchange.sku_not_enabled", steps: onExchange, desc: re(`SKU is not enabled`), rows: []int{28}, okta: []string{"invalid_grant_type_or_token_exchange_sku_not_enabled"},
		Explanation: Explanation{
			Meaning: "Cross App Access is not licensed for this org.",
			Fix:     "Ask Okta to enable Cross App Access (no longer self-service since 2026-07-01: Okta Support, or developers@okta.com for Integrator Free Plan orgs).",
		}},
	{id: "token_exchange.not_offered", steps: onExchange, when: idpNotOkta, code: "unsupported_grant_type",
		Explanation: Explanation{
			Meaning: "The IdP does not offer the token exchange grant (RFC 8693), so it cannot issue an ID-JAG.",
			Causes:  []string{"the IdP does not implement Cross App Access (an OpenID Provider without the token exchange, or with it turned off)", "idp.token_endpoint names another server's token endpoint"},
			Fix:     "Use an IdP that issues ID-JAGs by token exchange (draft-ietf-oauth-identity-assertion-authz-grant), or turn the token exchange on in this IdP's configuration; the login and its ID token are checked all the same.",
			Spec:    "RFC 8693 §2.1; RFC 6749 §5.2"}},
	{id: "token_exchange.grant_unsupported", steps: onExchange, code: "unsupported_grant_type", rows: []int{28}, okta: []string{"unsupported_grant_type_token_exchange"},
		Explanation: Explanation{
			Meaning: "This token endpoint does not support the token exchange grant.",
			Causes:  []string{"Cross App Access is not enabled for the org", "the request went to the wrong authorization server (a custom AS)"},
			Fix:     "Use the org authorization server's token endpoint and have Cross App Access enabled for the org: " + OktaFeature + ".",
			Spec:    "RFC 6749 §5.2"}},
	{id: "token_exchange.invalid_client", steps: onExchange, code: "invalid_client", rows: []int{29}, okta: []string{"invalid_client", "invalid_client_secret"},
		Explanation: Explanation{
			Meaning: "The IdP could not authenticate the client.",
			Causes:  []string{"a wrong client secret", "the resource-AS credentials used at the IdP (the two client pairs crossed)", "an auth_method the client is not registered for"},
			Fix:     "Use the IdP client's credentials in steps 1–2 (idp.client_id, " + config.EnvIdPClientSecret + ") — " + OktaClientCreds + ".",
			Spec:    "RFC 6749 §5.2"}},
	{id: "token_exchange.step_up", steps: onExchange, code: "insufficient_user_authentication", rows: []int{32},
		Explanation: Explanation{
			Meaning: "The IdP wants a fresher or stronger login before issuing the ID-JAG.",
			Fix:     "Log in again with prompt=login (--set login.prompt=login) or the max_age the error names, then retry.",
			Spec:    "RFC 9470 §3"}},
	{id: "token_exchange.quota", steps: onExchange, desc: re(`quota|rate limit|limit (exceeded|reached)|too many requests`), rows: []int{35},
		Explanation: Explanation{
			Meaning: "The IdP's ID-JAG quota or rate limit was reached.",
			Causes:  []string{"Okta limits XAA under the SSO SKU to 250 ID-JAGs per user, per resource app, per month"},
			Fix:     "Wait, or move to Okta for AI Agents for a higher limit.",
		}},
	{id: "token_exchange.access_denied", steps: onExchange, code: "access_denied", rows: []int{34, 26},
		Explanation: Explanation{
			Meaning: "IdP policy forbids this client to get a grant for this resource AS.",
			Causes:  []string{"the managed connection is disabled", "a policy denies the scopes (scope_denied)"},
			Fix:     "Enable the connection: " + OktaConnection + ".",
			Spec:    "draft §4.3.4 (post-04 proposal)"}},
	{id: "token_exchange.refresh_token_other_client", steps: onExchange, desc: re(`refresh token was issued (to|by) `),
		Explanation: Explanation{
			Meaning: "The refresh token used as the subject was issued to another client (or by another IdP); an IdP exchanges a refresh token only for the client it issued it to.",
			Causes:  []string{"a refresh token from another app's login, pasted with --from token_exchange", "idp.client_id changed since the token was kept"},
			Fix:     "Use a refresh token from this client's own login: run `xaa logout`, then log in again with offline_access.",
			Spec:    "RFC 6749 §6; draft §4.3.3"}},
	{id: "token_exchange.refresh_token_invalid", steps: onExchange, desc: re(`refresh token is (invalid|unknown) or expired`), okta: []string{"invalid_refresh_token"},
		Explanation: Explanation{
			Meaning: "The IdP refresh token used as the subject is invalid, expired or revoked.",
			Causes:  []string{"it expired (Okta: the refresh token lifetime of the app's access policy rule, or idle time)", "it was revoked: the user signed out everywhere, an admin cleared the user's sessions, or the app's grant was revoked", "the IdP was reset (the playground keeps refresh tokens in memory)"},
			Fix:     "Log in again with offline_access to get a new refresh token; xaa forgets a kept token the IdP refuses, so the next run logs in.",
			Spec:    "RFC 6749 §5.2; draft §4.3.3"}},
	{id: "token_exchange.not_generated", steps: onExchange, desc: re(`Failed to create the id assertion authorization grant|failed to create the ID-JAG`), okta: []string{"id_jag_not_generated"},
		Explanation: Explanation{
			Meaning: "The IdP failed while creating the ID-JAG.",
			Fix:     "Retry; if it persists, check the connection's configuration and contact the IdP's support with the request time.",
		}},
	{id: "token_exchange.issued_token_type", steps: onExchange, check: "urn.issued_token_type", rows: []int{33},
		Explanation: Explanation{
			Meaning: "The IdP answered with another token type than an ID-JAG.",
			Causes:  []string{"the IdP does generic identity chaining (…:jwt) instead of the ID-JAG profile", "a non-conformant IdP"},
			Fix:     "Expect the resource AS to reject it in the next step; ask the IdP for requested_token_type=urn:ietf:params:oauth:token-type:id-jag support.",
			Spec:    "draft §4.3.4"}},
	{id: "token_exchange.token_type", steps: onExchange, check: "token_exchange.token_type", rows: []int{33},
		Explanation: Explanation{
			Meaning: "The token exchange response's token_type is not N_A.",
			Causes:  []string{"the IdP treats the ID-JAG as an access token"},
			Fix:     "Nothing to do as a client; the IdP should answer token_type N_A (the ID-JAG is not an access token).",
			Spec:    "draft §4.3.4; RFC 8693 §2.2.1"}},
	{id: "token_exchange.aud_rewritten", check: "chain.id_jag_aud_requested", rows: []int{22, 40}, Explanation: audienceRewritten},
	{id: "token_exchange.aud_rewritten", check: "id_jag.aud", when: idpRewroteAudience, rows: []int{22, 40}, Explanation: audienceRewritten},
	{id: "token_exchange.aud_rewritten", check: "chain.id_jag_aud", when: idpRewroteAudience, rows: []int{40}, Explanation: audienceRewritten},
	{id: "id_jag.aud_mismatch", check: "id_jag.aud", rows: []int{22, 40},
		Explanation: Explanation{
			Meaning: "The ID-JAG's aud is not the resource AS issuer; the resource AS will refuse it (invalid_grant).",
			Causes:  []string{"resource_as.issuer (the audience sent) differs from the AS metadata issuer", "the IdP maps the audience to another issuer (Okta: the resource app's Issuer URL)"},
			Fix:     "Make resource_as.issuer and the IdP's issuer URL for the resource app (" + OktaResourceXAA + ") equal the AS metadata issuer exactly.",
			Spec:    "draft §3.1, §4.4.1"}},
	{id: "chain.id_jag_aud", check: "chain.id_jag_aud", rows: []int{40},
		Explanation: Explanation{
			Meaning: "The ID-JAG is addressed to another authorization server than the resource AS of this run.",
			Fix:     "Send the resource AS metadata issuer, verbatim, as the token exchange's audience (resource_as.issuer).",
			Spec:    "draft §4.3"}},
	{id: "token_exchange.id_jag_client_id", steps: []Step{TokenExchange, JWTBearer}, check: "chain.id_jag_client_id", rows: []int{39},
		Explanation: Explanation{
			Meaning: "The ID-JAG's client_id is not the client that will authenticate at the resource AS.",
			Causes:  []string{"the IdP maps the requesting app to another client id at the resource AS (Todo0's fixed wiki0-at-todo0)"},
			Fix:     "Fix the connection's \"client ID registered in this app\" (" + OktaConnection + ") or authenticate at the resource AS as that client (resource_as.client_id).",
			Spec:    "draft §3.1, §4.4.1"}},

	// ── JWT bearer at the resource AS (RFC 7523, draft §4.4) ───────────
	{id: "jwt_bearer.grant_unsupported", steps: onBearer, code: "unsupported_grant_type", rows: []int{36},
		Explanation: Explanation{
			Meaning: "The resource AS does not accept the jwt-bearer grant (or got another grant type).",
			Causes:  []string{"the AS does not implement RFC 7523 / the ID-JAG profile", "the ID-JAG was sent with grant_type=…token-exchange"},
			Fix:     "Send grant_type=urn:ietf:params:oauth:grant-type:jwt-bearer to an AS that advertises it in grant_types_supported.",
			Spec:    "RFC 7523 §2.1"}},
	{id: "jwt_bearer.unauthorized_client", steps: onBearer, code: "unauthorized_client", rows: []int{37},
		Explanation: Explanation{
			Meaning: "The client at the resource AS is not allowed the jwt-bearer grant.",
			Causes:  []string{"the jwt-bearer grant is not enabled for resource_as.client_id", "an Okta custom authorization server: no active access-policy rule for this client allows the JWT Bearer grant"},
			Fix:     "Enable it for resource_as.client_id (Auth0: the application's Cross App Access toggle; an Okta custom authorization server: " + OktaCustomASRule + ", on an active policy that covers the client).",
			Spec:    "RFC 6749 §5.2"}},
	{id: "jwt_bearer.invalid_client", steps: onBearer, code: "invalid_client", rows: []int{38},
		Explanation: Explanation{
			Meaning: "The resource AS could not authenticate the client.",
			Causes:  []string{"a wrong secret", "the IdP credentials reused at the resource AS", "the wrong method: check token_endpoint_auth_methods_supported (MCP conformance expects client_secret_basic, xaa.dev client_secret_post)"},
			Fix:     "Use the client registered at the resource AS (resource_as.client_id, " + config.EnvASClientSecret + ") with a method its metadata lists.",
			Spec:    "RFC 6749 §5.2"}},
	{id: "jwt_bearer.proof_of_possession", steps: onBearer, desc: re(`proof of possession|DPoP`), rows: []int{50},
		Explanation: Explanation{
			Meaning: "The ID-JAG is sender-constrained (cnf.jkt) and the request carried no DPoP proof.",
			Fix:     "Send a DPoP proof signed with the key whose thumbprint is in cnf.jkt; xaa does not send DPoP yet.",
			Spec:    "draft §9.8; RFC 9449 §4"}},
	{id: "jwt_bearer.client_mismatch", steps: onBearer, desc: re(`id_jag\.client_id\b|client_?id.*(must match|does not match|mismatch)|authorized party`), rows: []int{39}, okta: []string{"id_jag_client_mismatch"},
		Explanation: Explanation{
			Meaning: "The ID-JAG's client_id is not the client that authenticated at the resource AS.",
			Causes:  []string{"the IdP writes another client id into the ID-JAG than resource_as.client_id (Todo0's placeholder is always wiki0-at-todo0)"},
			Fix:     "Fix the IdP connection's \"client ID registered in this app\" (" + OktaConnection + "), or authenticate as the client the ID-JAG names.",
			Spec:    "draft §4.4.1"}},
	// Before the rules below: this refusal is the AS's audience rule, not
	// the ID-JAG's aud.
	{id: "jwt_bearer.aud_token_endpoint", steps: onBearer, when: wantsTokenEndpoint, desc: re(`\baud\b|audience`), rows: []int{40},
		Explanation: Explanation{
			Meaning: "The resource AS wants the ID-JAG's aud to be its token endpoint URL and refuses its issuer — but an ID-JAG's aud is the resource AS issuer: an AS with this rule refuses every ID-JAG.",
			Causes:  []string{"the AS implements the RFC 7523 jwt-bearer grant (whose aud may be the token endpoint) without the ID-JAG profile: fosite-based servers such as Ory Hydra accept only their token endpoint URLs as aud"},
			Fix:     "Nothing on the client side fixes it: the IdP writes the resource AS issuer into the aud. The AS must accept its issuer as an ID-JAG's aud.",
			Spec:    "draft §4.4.1 (aud is the resource AS issuer); RFC 7523 §3 item 3"}},
	{id: "jwt_bearer.aud_rewritten", steps: onBearer, when: idpRewroteAudience, desc: re(`id_jag\.aud\b|audience`), rows: []int{40}, okta: []string{"jwt_bearer_grant_invalid_audience"}, Explanation: audienceRewritten},
	{id: "jwt_bearer.invalid_audience", steps: onBearer, desc: re(`id_jag\.aud\b|audience`), rows: []int{40}, okta: []string{"jwt_bearer_grant_invalid_audience"},
		Explanation: Explanation{
			Meaning: "The ID-JAG's aud is not this resource AS's issuer.",
			Causes:  []string{"a trailing slash or http/https difference", "the wrong Issuer URL in the IdP's resource app settings", "a placeholder audience (http://localhost:5001)"},
			Fix:     "Make the IdP's issuer URL for the resource app (" + OktaResourceXAA + ") and resource_as.issuer equal the AS metadata issuer exactly.",
			Spec:    "draft §4.4.1; RFC 7523 §3"}},
	{id: "jwt_bearer.lifetime_too_long", steps: onBearer, desc: re(`id_jag\.lifetime\b|lifetime of the id-jag`), okta: []string{"id_jag_lifetime_too_long"},
		Explanation: Explanation{
			Meaning: "The ID-JAG lives longer than the resource AS accepts (Okta: 5 minutes).",
			Fix:     "The IdP must issue shorter-lived ID-JAGs (exp - iat ≤ 300 s).",
			Spec:    "draft §3.1"}},
	{id: "jwt_bearer.expired", steps: onBearer, desc: re(`id_jag\.exp\b|expired`), rows: []int{41}, okta: []string{"id_jag_expired"},
		Explanation: Explanation{
			Meaning: "The ID-JAG had expired when the resource AS received it.",
			Causes:  []string{"it was cached or reused after its 5 minutes"},
			Fix:     "Mint a fresh ID-JAG for every access-token request (run from token_exchange).",
			Spec:    "RFC 7523 §3 (4)"}},
	{id: "jwt_bearer.issued_in_future", steps: onBearer, desc: re(`id_jag\.(iat|nbf)\b|issued in the future|not yet valid|\biat\b`), rows: []int{42}, okta: []string{"id_jag_issued_in_future"},
		Explanation: Explanation{
			Meaning: "The ID-JAG's iat is in the future, or too old, for the resource AS's clock.",
			Causes:  []string{"clock skew between IdP, client and resource AS", "a resource AS that rejects an iat older than 30 s (the Todo0 sample)"},
			Fix:     "Synchronise clocks (NTP) and present the ID-JAG right after getting it.",
			Spec:    "RFC 7523 §3 (5)"}},
	{id: "jwt_bearer.missing_jti", steps: onBearer, desc: re(`id_jag\.jti failed: jti is present|jti.*(missing|required)`),
		Explanation: Explanation{
			Meaning: "The ID-JAG has no jti, so the resource AS cannot detect a replay and refuses it.",
			Fix:     "The IdP must put a unique jti into every ID-JAG.",
			Spec:    "draft §3.1; EMA §7.4"}},
	{id: "jwt_bearer.replayed", steps: onBearer, desc: re(`already used|replay`), rows: []int{43}, okta: []string{"id_jag_replayed", "jwt_bearer_grant_replayed"},
		Explanation: Explanation{
			Meaning: "This ID-JAG was presented before; the resource AS accepts each jti once.",
			Fix:     "Do not retry with the same ID-JAG: run from token_exchange for a new one.",
			Spec:    "EMA §7.4; RFC 7523 §3 (7)"}},
	{id: "jwt_bearer.wrong_typ", steps: onBearer, desc: re(`id_jag\.(typ|kind)\b|\btyp\b|JWT type|oauth-id-jag\+jwt`), rows: []int{44},
		Explanation: Explanation{
			Meaning: "The assertion is not typed oauth-id-jag+jwt.",
			Causes:  []string{"the ID token was sent instead of the ID-JAG", "a hand-made JWT", "an IdP that emits typ JWT"},
			Fix:     "Send the access_token member of the token exchange response (the ID-JAG) as the assertion.",
			Spec:    "draft §3.1, §4.4.1"}},
	{id: "jwt_bearer.algorithm", steps: onBearer, desc: re(`id_jag\.alg\b|algorithm`),
		Explanation: Explanation{
			Meaning: "The ID-JAG is signed with an algorithm the resource AS does not accept.",
			Causes:  []string{"the IdP signs with an algorithm outside the AS's allow-list", "an unsigned (none) or HMAC-signed token"},
			Fix:     "Sign ID-JAGs with an asymmetric algorithm both sides allow (RS256 or ES256).",
			Spec:    "RFC 8725 §3.1; EMA §7.4.1"}},
	{id: "jwt_bearer.untrusted_issuer", steps: onBearer, desc: re(`id_jag\.iss\b|not a trusted|not permitted to use the JWT Bearer|does not match a configured|unknown issuer|untrusted`), rows: []int{45}, okta: []string{"id_jag_untrusted_issuer", "jwt_bearer_grant_invalid_issuer"},
		Explanation: Explanation{
			Meaning: "The resource AS does not trust the IdP that issued the ID-JAG.",
			Causes: []string{"the IdP's issuer is not in the AS's trust list (another org, preview vs production, org vs custom AS issuer)",
				"an Okta custom authorization server as the resource AS for an external IdP or another org: that IdP is not set up as an identity provider, or the access-policy rule does not admit it (Okta answers \"The issuer of the token is not permitted to use the JWT Bearer Grant.\")"},
			Fix:  "Add the IdP's issuer, exactly as in its metadata, to the resource AS's trusted issuers (an Okta custom authorization server: " + OktaCustomASIdP + ").",
			Spec: "draft §4.4.1"}},
	{id: "jwt_bearer.invalid_signature", steps: onBearer, desc: re(`id_jag\.signature\b|signature`), rows: []int{46}, okta: []string{"id_jag_invalid_signature"},
		Explanation: Explanation{
			Meaning: "The resource AS could not verify the ID-JAG's signature.",
			Causes:  []string{"it verifies with the wrong key set (an Okta custom AS's /oauth2/default/v1/keys instead of the org's /oauth2/v1/keys)", "a stale key cache after rotation"},
			Fix:     "The resource AS must resolve the JWKS from the ID-JAG's iss (the IdP's metadata) and refetch on an unknown kid.",
			Spec:    "draft §4.4.1"}},
	{id: "jwt_bearer.invalid_subject", steps: onBearer, desc: re(`id_jag\.sub\b|'?sub'? claim|subject|user not found|not licensed|not provisioned`), rows: []int{47}, okta: []string{"id_jag_invalid_subject"},
		Explanation: Explanation{
			Meaning: "The resource AS cannot resolve the ID-JAG's user.",
			Causes:  []string{"the user was never provisioned in the resource app", "pairwise sub values differ", "SAML NameID resolution fails"},
			Fix:     "Provision or link the user at the resource app (by email, aud_sub or sub_id), and assign them to the resource app: " + OktaAssignResource + ".",
			Spec:    "draft §3.1, §4.4.1"}},
	{id: "jwt_bearer.scope_in_request", steps: onBearer, desc: re(`must not include a 'scope' parameter`), okta: []string{"id_jag_scopes_in_request"},
		Explanation: Explanation{
			Meaning: "This resource AS (an Okta custom AS) takes the scopes from the ID-JAG and refuses a scope parameter.",
			Fix:     "Remove the scope from the jwt-bearer request (--set jwt_bearer.scope=).",
		}},
	{id: "jwt_bearer.lacking_scopes", steps: onBearer, desc: re(`id_jag\.scope\b|at least one scope|scope`), rows: []int{48}, okta: []string{"id_jag_lacking_scopes"},
		Explanation: Explanation{
			Meaning: "No scope is left: the ID-JAG carries none, or the requested scopes are not within it.",
			Fix:     "Request the scopes at the token exchange, and keep the jwt-bearer scope a subset of the ID-JAG's scope (or omit it).",
			Spec:    "EMA §7.2.1; RFC 6749 §3.3"}},
	{id: "jwt_bearer.invalid_scope", steps: onBearer, code: "invalid_scope", rows: []int{48},
		Explanation: Explanation{
			Meaning: "The resource AS refused the requested scope.",
			Fix:     "Keep resource_as.scopes within the ID-JAG's scope, or omit the scope (--set jwt_bearer.scope=).",
			Spec:    "RFC 6749 §5.2"}},
	{id: "jwt_bearer.resource_mismatch", steps: onBearer, desc: re(`id_jag\.resource\b|resource`), rows: []int{49}, okta: []string{"id_jag_resource_mismatch", "id_jag_resource_not_allowed_for_as"},
		Explanation: Explanation{
			Meaning: "The resource does not fit: the request's resource differs from the ID-JAG's, or the ID-JAG is for an API this AS does not serve.",
			Fix:     "Omit resource at the jwt-bearer step or copy the ID-JAG's resource claim; re-mint the ID-JAG for the right resource.",
			Spec:    "RFC 8707 §2; EMA §7.6.2"}},
	{id: "jwt_bearer.invalid_grant", steps: onBearer, code: "invalid_grant", rows: []int{40, 41, 43, 45, 46},
		Explanation: Explanation{
			Meaning: "The resource AS rejected the ID-JAG without saying which rule failed.",
			Causes:  []string{"aud is not its issuer", "the ID-JAG expired or was used before", "it does not trust the IdP's issuer or cannot verify the signature", "client_id is not the authenticated client"},
			Fix:     "Compare the ID-JAG's checks above with the resource AS's configuration: issuer, trusted IdP, client id.",
			Spec:    "draft §4.4.1"}},

	// ── Resource (RFC 6750 §3, MCP) ────────────────────────────────────
	{id: "resource.wrong_audience", steps: onResource, code: "invalid_token", desc: re(`aud`), rows: []int{51},
		Explanation: Explanation{
			Meaning: "The resource server rejects the access token's audience.",
			Causes:  []string{"the access token's aud (the ID-JAG's resource) differs from the URL the server validates — often only a trailing slash"},
			Fix:     "Set resource.id exactly as the resource server expects it (its protected resource metadata's resource) and run again.",
			Spec:    "RFC 8707 §2; RFC 6750 §3.1"}},
	{id: "resource.expired", steps: onResource, code: "invalid_token", desc: re(`expired`), rows: []int{52},
		Explanation: Explanation{
			Meaning: "The access token expired.",
			Fix:     "Run from token_exchange for a new ID-JAG and access token (from login when the ID token is gone too).",
			Spec:    "RFC 6750 §3.1"}},
	{id: "resource.insufficient_scope", steps: onResource, code: "insufficient_scope", rows: []int{53},
		Explanation: Explanation{
			Meaning: "The access token lacks a scope the resource needs.",
			Fix:     "Add the challenged scope to resource_as.scopes (and to the connection at the IdP), then run from token_exchange.",
			Spec:    "RFC 6750 §3.1"}},
	{id: "resource.invalid_token", steps: onResource, code: "invalid_token", rows: []int{59},
		Explanation: Explanation{
			Meaning: "The resource server does not accept the access token.",
			Causes:  []string{"the token is for another resource", "it was minted by an authorization server the resource does not trust", "it was sent other than in the Authorization header"},
			Fix:     "Check the access token's aud and iss above against the resource's protected resource metadata.",
			Spec:    "RFC 6750 §3.1"}},
	{id: "resource.unauthorized", steps: onResource, sentinel: wire.ErrTokenRejected, rows: []int{59},
		Explanation: Explanation{
			Meaning: "The resource answered 401 to a request that carried the access token.",
			Causes:  []string{"the token is for another resource or from an untrusted authorization server"},
			Fix:     "Compare the access token's aud and iss with the resource's protected resource metadata.",
			Spec:    "RFC 6750 §3"}},
	{id: "mcp.not_acceptable", steps: onResource, desc: re(`not acceptable|\b406\b`), sentinel: wire.ErrMCP, rows: []int{54},
		Explanation: Explanation{
			Meaning: "The MCP server refused the request's Accept header.",
			Fix:     "Send Accept: application/json, text/event-stream (the Go SDK does; a proxy may strip it).",
			Spec:    "MCP Streamable HTTP transport"}},
	{id: "mcp.header_mismatch", steps: onResource, mcpCode: -32020, rows: []int{55},
		Explanation: Explanation{
			Meaning: "The MCP server found the MCP-Protocol-Version / Mcp-Method / Mcp-Name headers missing or different from the body.",
			Fix:     "Use an MCP client that sets the headers from the body (the official SDKs do); check proxies that drop headers.",
			Spec:    "MCP 2026-07-28 Streamable HTTP"}},
	{id: "mcp.unsupported_version", steps: onResource, mcpCode: -32022, rows: []int{55},
		Explanation: Explanation{
			Meaning: "The MCP server does not support the protocol version the client sent.",
			Fix:     "Retry with a version from the error's data.supported list; legacy servers need the initialize handshake.",
			Spec:    "MCP versioning"}},
	{id: "mcp.session_expired", steps: onResource, desc: re(`session not found|unknown session|\b404\b`), sentinel: wire.ErrMCP, rows: []int{56},
		Explanation: Explanation{
			Meaning: "The MCP server no longer knows the session (404 with Mcp-Session-Id).",
			Fix:     "Initialize a new session without the old session id.",
			Spec:    "MCP 2025-11-25 transports §Session Management"}},
	{id: "mcp.method_not_allowed", steps: onResource, desc: re(`method not allowed|\b405\b`), sentinel: wire.ErrMCP, rows: []int{57},
		Explanation: Explanation{
			Meaning: "The MCP server refused a GET or DELETE (a stateless 2026-07-28 server, or one without a GET stream).",
			Fix:     "Use POST only; xaa's MCP client does not open the GET stream.",
			Spec:    "MCP 2026-07-28 Streamable HTTP"}},
	{id: "mcp.method_not_found", steps: onResource, mcpCode: -32601, rows: []int{58},
		Explanation: Explanation{
			Meaning: "The MCP server does not implement the method (tools/list on a server without tools).",
			Causes:  []string{"the server exposes only resources or prompts (reported for mcp.xaa.dev)"},
			Fix:     "Call resources/list or check the server's capabilities.",
			Spec:    "JSON-RPC 2.0 §5.1"}},
	{id: "mcp.unauthorized", steps: onResource, desc: re(`unauthorized|\b401\b`), sentinel: wire.ErrMCP, rows: []int{59},
		Explanation: Explanation{
			Meaning: "The MCP server answered 401 although the access token was sent.",
			Causes:  []string{"the token is for another resource (aud)", "it was minted by an authorization server the MCP server does not trust"},
			Fix:     "Check the access token's aud against the MCP server's protected resource metadata resource, and its iss against authorization_servers.",
			Spec:    "MCP authorization"}},

	// ── Generic OAuth codes at any token step ──────────────────────────
	{id: "oauth.server_error", steps: onTokens, code: "server_error",
		Explanation: Explanation{
			Meaning: "The server failed while handling the request.",
			Fix:     "Retry; if it persists, report the request (xaa run --report) to the server's operators.",
			Spec:    "RFC 6749 §4.1.2.1"}},
	{id: "oauth.temporarily_unavailable", steps: onTokens, code: "temporarily_unavailable",
		Explanation: Explanation{
			Meaning: "The server is overloaded or in maintenance.",
			Fix:     "Retry later.",
			Spec:    "RFC 6749 §4.1.2.1"}},
	{id: "oauth.invalid_client", steps: onLogin, code: "invalid_client",
		Explanation: Explanation{
			Meaning: "The IdP could not authenticate the client at the code exchange.",
			Causes:  []string{"a wrong idp.client_secret", "an auth_method the client is not registered for"},
			Fix:     "Check idp.client_id and " + config.EnvIdPClientSecret + " (" + OktaClientCreds + ").",
			Spec:    "RFC 6749 §5.2"}},
	{id: "oauth.unauthorized_client", steps: onLogin, code: "unauthorized_client",
		Explanation: Explanation{
			Meaning: "The client is not allowed the authorization code grant.",
			Fix:     "Enable Authorization Code for the app: " + OktaGrantTypes + ".",
			Spec:    "RFC 6749 §4.1.2.1"}},
	{id: "oauth.access_denied", steps: onLogin, code: "access_denied",
		Explanation: Explanation{
			Meaning: "The user or the IdP's policy denied the login.",
			Fix:     "Check the app's sign-on policy and the user's assignment (" + OktaAssignRequesting + ").",
			Spec:    "RFC 6749 §4.1.2.1"}},

	// ── Requesting side and network ────────────────────────────────────
	{id: "client.auth_build", sentinel: wire.ErrClientAuth,
		Explanation: Explanation{
			Meaning: "xaa could not build the client authentication.",
			Fix:     "Check the private key file (private_key) and auth_method in the config.",
		}},
	{id: "flow.missing_input", sentinel: wire.ErrNoInput,
		Explanation: Explanation{
			Meaning: "The step lacks an input an earlier step should have provided.",
			Fix:     "Run from an earlier step, or give the token with --from STEP --token T.",
		}},
	{id: "flow.missing_token", sentinel: wire.ErrMissingToken,
		Explanation: Explanation{
			Meaning: "The server answered with success but without the token.",
			Fix:     "Report it to the server's operators; the response must carry access_token.",
			Spec:    "RFC 6749 §5.1"}},
	{id: "network.dns", fetch: fetchKind(wire.FetchDNS),
		Explanation: Explanation{Meaning: "The host name does not resolve.", Fix: "Check the URL's spelling, and whether the host is only reachable on a VPN."}},
	{id: "network.refused", fetch: fetchKind(wire.FetchRefused),
		Explanation: Explanation{Meaning: "Nothing is listening at that address.", Fix: "Start the server, or correct the port in the URL."}},
	{id: "network.tls", fetch: fetchKind(wire.FetchTLS),
		Explanation: Explanation{Meaning: "The TLS certificate is not valid for this host or not trusted here.", Fix: "Check the host name; install the issuing CA if it is a private one (xaa never turns TLS verification off silently)."}},
	{id: "network.timeout", fetch: fetchKind(wire.FetchTimeout),
		Explanation: Explanation{Meaning: "The server did not answer in time.", Fix: "Check that the server is up and reachable from here (firewall, proxy)."}},
	{id: "network.html", fetch: fetchKind(wire.FetchHTML),
		Explanation: Explanation{Meaning: "An HTML page came back where JSON was expected.", Fix: "The URL serves a web page (a login page, a proxy error): check the issuer or endpoint URL."}},
	{id: "network.not_json", fetch: fetchKind(wire.FetchNotJSON),
		Explanation: Explanation{Meaning: "The body is not the JSON document the spec asks for.", Fix: "Check the URL; the server may be another application."}},
	{id: "network.too_large", fetch: fetchKind(wire.FetchTooLarge),
		Explanation: Explanation{Meaning: "The body is far larger than any metadata or token response.", Fix: "Check the URL; it does not serve the document expected."}},
	{id: "network.redirect", fetch: fetchKind(wire.FetchRedirect),
		Explanation: Explanation{Meaning: "The server redirected instead of answering.", Fix: "Configure the final URL (often https instead of http, or a trailing slash)."}},
	{id: "network.http_status", fetch: fetchKind(wire.FetchStatus),
		Explanation: Explanation{Meaning: "The server answered with an HTTP error and no OAuth error body.", Fix: "Check the URL and the server's logs."}},
	{id: "network.bad_url", fetch: fetchKind(wire.FetchBadURL),
		Explanation: Explanation{Meaning: "The URL cannot be requested.", Fix: "Use an absolute http(s) URL."}},
}
