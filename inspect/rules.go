package inspect

// Rule is one rule xaa checks, as docs/rules.md lists it. The registry is
// kept in step with the checks the code emits by tests (rules_registry_test.go):
// an emitted check with no rule, or citing another section, fails them.
type Rule struct {
	// ID is the check's ID ("id_jag.aud").
	ID string `json:"id"`
	// Compares says what the check compares, in a few words.
	Compares string `json:"compares"`
	// Source is the Spec the check cites: the section that makes it a rule.
	Source string `json:"source"`
	// Also are sections some of its verdicts cite instead of Source.
	Also []string `json:"also,omitempty"`
	// Worst is the worst verdict the check can give: fail or warn.
	Worst Status `json:"worst"`
	// Test is the Go test, in the package that emits the check, that makes
	// it give Worst.
	Test string `json:"test"`
	// Renames is the check of another package this one is, under the ID of
	// a flow step ("as_metadata.grant_profile" for "discovery.as.grant_profile").
	Renames string `json:"renames,omitempty"`
}

// Sources returns Source and Also: every section the check may cite.
func (r Rule) Sources() []string { return append([]string{r.Source}, r.Also...) }

// specKind and specURN are the citations of the kind and URN checks.
const (
	specKind = "draft-ietf-oauth-identity-assertion-authz-grant §3"
	specURN  = "RFC 8693 §3; draft-ietf-oauth-identity-assertion-authz-grant §4.3"
)

// testVerdicts is the registry's own test that makes the rules without a
// focused test of their own give their worst verdict.
const testVerdicts = "TestRuleVerdicts"

// Rules returns every rule of the token, chain, key set and metadata
// checks, in the order a report shows them.
func Rules() []Rule {
	var r []Rule
	add := func(id, compares, source string, worst Status, test string, also ...string) {
		r = append(r, Rule{ID: id, Compares: compares, Source: source, Also: also, Worst: worst, Test: test})
	}
	const fail, warn = StatusFail, StatusWarn

	add("decode", "the token decodes cleanly: segments, base64url, JSON", "RFC 7515 §7.1", fail, testVerdicts)
	add("kind", "the token is the kind the step expects (an ID-JAG, not the ID token)", specKind, fail, "TestCheckKindNamesMixUps")
	add("keys.usable", "the key set holds at least one usable public key", "RFC 7517 §5", fail, "TestCheckKeySetAndRefresh")
	for _, p := range []string{"grant_type", "requested_token_type", "issued_token_type", "subject_token_type"} {
		add("urn."+p, p+" is a registered identifier, byte for byte", specURN, fail, "TestCheckURN")
	}
	add("urn.client_assertion_type", "client_assertion_type is a registered identifier, byte for byte", specURN, fail, testVerdicts)

	// The ID token, as the requesting app and the IdP judge it.
	add("id_token.alg", "alg is on the allow-list (asymmetric, never none or HMAC)", specBCP, fail, testVerdicts)
	add("id_token.signature", "the signature verifies with the IdP's keys", specOIDC, fail, testVerdicts)
	add("id_token.iss", "iss is the IdP's issuer", specOIDC, fail, "TestCheckIDToken")
	add("id_token.aud", "aud contains the IdP client id", specOIDC, fail, "TestCheckIDToken")
	add("id_token.azp", "azp is the client id; present when there are several audiences", specOIDC, fail, "TestCheckIDToken")
	add("id_token.exp", "exp is in the future (with the clock skew)", specOIDC, fail, "TestCheckIDToken")
	add("id_token.iat", "iat is not in the future", specOIDC, fail, "TestCheckIDToken")
	add("id_token.nonce", "nonce is the login request's", specOIDC, fail, "TestCheckIDToken")
	add("id_token.sub", "sub is a non-empty string", specOIDC, fail, "TestCheckIDToken")

	// The ID-JAG, as the resource AS judges it (§3.1, §4.4.1).
	add("id_jag.kind", "no ID token claims (nonce, at_hash, c_hash)", specIDJAG, fail, "TestCheckIDJAGRules")
	add("id_jag.typ", "typ is oauth-id-jag+jwt", specIDJAG, fail, "TestCheckIDJAGRules")
	add("id_jag.alg", "alg is on the allow-list (asymmetric, never none or HMAC)", specBCP, fail, "TestCheckIDJAGSignature")
	add("id_jag.iss", "iss is the trusted IdP's issuer", specIDJAG, fail, "TestCheckIDJAGRules")
	add("id_jag.signature", "the signature verifies with the trusted IdP's keys", specIDJAG, fail, "TestCheckIDJAGSignature")
	add("id_jag.aud", "aud is one value, the resource AS issuer byte for byte", specIDJAGAS, fail, "TestCheckIDJAGRules", specIDJAG)
	add("id_jag.exp", "exp is in the future (with the clock skew)", specIDJAG, fail, "TestCheckIDJAGRules")
	add("id_jag.iat", "iat is not in the future", specIDJAG, fail, "TestCheckIDJAGRules")
	add("id_jag.nbf", "nbf, when present, has passed", specIDJAG, fail, "TestCheckIDJAGRules")
	add("id_jag.lifetime", "exp - iat is short: warns above 5 minutes, fails there for Okta", specIDJAG, fail, "TestCheckIDJAGRules")
	add("id_jag.jti", "jti is present", specIDJAG, fail, "TestCheckIDJAGRules")
	add("id_jag.client_id", "client_id is the client at the resource AS", specIDJAG, fail, "TestCheckIDJAGRules")
	add("id_jag.sub", "sub is a non-empty string", specIDJAG, fail, "TestCheckIDJAGRules")
	add("id_jag.scope", "scope is a space-separated string granting the requested scopes", specIDJAG, fail, "TestCheckIDJAGRules")
	add("id_jag.resource_format", "each resource is an absolute URI, no fragment (a query warns), named once", specResourceIndicator, fail, "TestCheckIDJAGRules")
	add("id_jag.resource", "resource names every resource requested (RFC 3986 §6.2.2 normalized)", specIDJAG, fail, "TestCheckIDJAGRules")
	add("id_jag.sub_id", "sub_id is a subject identifier object; saml-nameid has issuer and nameid", specIDJAGSubID, fail, "TestCheckIDJAGRules", "RFC 9493 §3", "RFC 9493 §3.2")
	add("id_jag.authorization_details", "authorization_details is a non-empty array of objects with a type", "RFC 9396 §2", fail, "TestCheckIDJAGRules")

	// The access token, as the resource judges it (RFC 9068).
	add("access_token.typ", "typ is at+jwt", specAT, warn, "TestCheckAccessToken")
	add("access_token.alg", "alg is on the allow-list (asymmetric, never none or HMAC)", specBCP, fail, testVerdicts)
	add("access_token.signature", "the signature verifies with the resource AS's keys", specAT, fail, testVerdicts)
	add("access_token.iss", "iss is the resource AS issuer", specAT, fail, "TestCheckAccessToken")
	add("access_token.aud", "aud contains the resource", specAT, fail, "TestCheckAccessToken")
	add("access_token.exp", "exp is in the future (with the clock skew)", specAT, fail, "TestCheckAccessToken")
	add("access_token.iat", "iat is not in the future", specAT, fail, testVerdicts)
	add("access_token.nbf", "nbf, when present, has passed", specAT, fail, testVerdicts)
	add("access_token.sub", "sub is a non-empty string", specAT, fail, testVerdicts)
	add("access_token.client_id", "client_id is the client at the resource AS", specAT, fail, "TestCheckAccessToken")
	add("access_token.jti", "jti is present", specAT, fail, "TestCheckAccessToken")
	add("access_token.scope", "scope grants the requested scopes", specAT, fail, "TestCheckAccessToken")

	// A JWT of no known kind.
	add("jwt.alg", "alg is on the allow-list (asymmetric, never none or HMAC)", specBCP, fail, testVerdicts)
	add("jwt.signature", "the signature verifies with the issuer's keys", specJWT, fail, testVerdicts)
	add("jwt.exp", "exp, when present, is in the future", specJWT, fail, "TestAnalyzeOpaqueAndGeneric")
	add("jwt.iat", "iat, when present, is not in the future", specJWT, fail, testVerdicts)
	add("jwt.nbf", "nbf, when present, has passed", specJWT, fail, testVerdicts)

	// The tokens of one flow, against each other.
	add("chain.id_token_aud", "the ID token's aud is the IdP client that exchanges it", specChain, fail, "TestCheckChain")
	add("chain.iss", "the ID-JAG's iss is the ID token's", specChain, fail, "TestCheckChain")
	add("chain.sub", "the ID-JAG's sub is the ID token's (pairwise subjects differ)", specChain, warn, "TestCheckChain")
	add("chain.subject_fresh", "the ID token was unexpired when the ID-JAG was issued", specChain, fail, "TestCheckChain")
	add("chain.id_jag_aud", "the ID-JAG's aud is the resource AS issuer", specChain, fail, "TestCheckChain")
	add("chain.id_jag_client_id", "the ID-JAG's client_id is the client at the resource AS", specChain, fail, "TestCheckChain")
	add("chain.access_token_aud", "the access token's aud is within the ID-JAG's resources", specChain, fail, "TestCheckChain")
	add("chain.scope", "the access token's scope is within the ID-JAG's", specChain, fail, "TestCheckChain")
	add("chain.grant_fresh", "the access token was issued while the ID-JAG was valid", specChain, fail, "TestCheckChain")

	// What metadata advertises: evidence, so mostly warnings.
	add("idp_metadata.token_exchange", "the IdP lists the token exchange grant", SpecIdPMetadata, warn, "TestCheckMetadata")
	add("idp_metadata.id_jag", "the IdP lists the ID-JAG requested token type", SpecIdPMetadata, warn, "TestCheckMetadata")
	add("idp_metadata.pkce", "the IdP lists PKCE S256", "RFC 8414 §2; RFC 7636", warn, "TestCheckMetadata")
	add("as_metadata.jwt_bearer", "the resource AS lists the jwt-bearer grant; must when it lists the profile", SpecASMetadata, fail, "TestCheckMetadata")
	add("as_metadata.grant_profile", "the resource AS lists the ID-JAG grant profile", SpecASMetadata, warn, "TestCheckMetadata")
	add("as_metadata.mcp_authorization_endpoint", "the resource AS publishes an authorization_endpoint (MCP client SDKs)", "RFC 8414 §2", warn, "TestCheckASForMCPClients")
	add("as_metadata.response_types", "the resource AS publishes response_types_supported", "RFC 8414 §2", warn, "TestCheckASForMCPClients")
	add("metadata.auth_method", "the configured client authentication is one the server lists", "RFC 8414 §2", warn, "TestCheckMetadata")
	add("client_metadata.grant_types", "a client listing the ID-JAG profile lists both its grants", SpecDraft+" §8", fail, "TestCheckMetadata")

	// A client assertion (private_key_jwt), as the server receiving it judges it.
	add("client_assertion.iss_sub", "iss and sub are both the client id", specAssertion, fail, "TestCheckClientAssertion")
	add("client_assertion.client_id", "the assertion's iss is the client_id sent with it", "RFC 7521 §4.2", fail, "TestCheckClientAssertion")
	add("client_assertion.exp", "exp is present", specAssertion, fail, "TestCheckClientAssertion")
	add("client_assertion.lifetime", "exp is not too far ahead", specAssertion, fail, "TestCheckClientAssertion")
	add("client_assertion.aud", "aud is this server (its token endpoint or issuer)", specAssertion, fail, "TestCheckClientAssertion")
	add("client_assertion.jti", "jti is present, so replays can be detected", specAssertion, warn, "TestCheckClientAssertion")
	return r
}

// RuleFor returns the rule of a check ID.
func RuleFor(id string) (Rule, bool) {
	for _, r := range Rules() {
		if r.ID == id {
			return r, true
		}
	}
	return Rule{}, false
}
