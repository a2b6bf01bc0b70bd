package inspect

// Rule is one rule xaa checks: the check it gives, what it compares, the
// sections that make it a rule, the worst verdict it can give, and the
// test that makes it give that verdict. docs/rules.md is generated from
// the rules (xaa decode --list-checks), and tests keep the list in step
// with the checks the code makes.
type Rule struct {
	// ID is the check's ID ("id_jag.aud"); for urn.<parameter>, one rule
	// covers every parameter.
	ID string `json:"id"`
	// Compares says what the check compares, in a few words.
	Compares string `json:"compares"`
	// Sources are the sections the check cites (its Spec); the first is
	// the rule's own.
	Sources []string `json:"sources"`
	// Worst is fail or warn.
	Worst Status `json:"worst"`
	// Test is the Go test that makes the check give Worst.
	Test string `json:"test"`
}

// Rules returns every rule of the token, key set and metadata checks, in
// the order a report shows them.
func Rules() []Rule {
	var r []Rule
	add := func(id, compares string, worst Status, test string, sources ...string) {
		r = append(r, Rule{ID: id, Compares: compares, Sources: sources, Worst: worst, Test: test})
	}
	add("decode", "the token decodes cleanly (segments, base64url, JSON)", StatusFail, "TestRuleVerdictsOfEveryKind", "RFC 7515 §7.1")
	add("kind", "the token is the kind the step expects", StatusFail, "TestCheckIDJAGRules", "draft-ietf-oauth-identity-assertion-authz-grant §3")

	add("id_token.alg", "alg is an allowed asymmetric algorithm", StatusFail, "TestRuleVerdictsOfEveryKind", specBCP)
	add("id_token.signature", "the signature verifies with the issuer's key", StatusFail, "TestRuleVerdictsOfEveryKind", specOIDC)
	add("id_token.iss", "iss is the IdP's issuer", StatusFail, "TestCheckIDToken", specOIDC)
	add("id_token.aud", "aud contains the client id", StatusFail, "TestCheckIDToken", specOIDC)
	add("id_token.azp", "azp is the client id (several audiences)", StatusFail, "TestCheckIDToken", specOIDC)
	add("id_token.exp", "exp is in the future", StatusFail, "TestCheckIDToken", specOIDC)
	add("id_token.iat", "iat is not in the future", StatusFail, "TestCheckIDToken", specOIDC)
	add("id_token.nonce", "nonce matches the authorization request", StatusFail, "TestCheckIDToken", specOIDC)
	add("id_token.sub", "sub names the user", StatusFail, "TestCheckIDToken", specOIDC)

	add("id_jag.kind", "no ID token claims (nonce, at_hash, …) in an ID-JAG", StatusFail, "TestCheckIDJAGRules", specIDJAG)
	add("id_jag.typ", "typ is oauth-id-jag+jwt", StatusFail, "TestCheckIDJAGRules", specIDJAG)
	add("id_jag.alg", "alg is an allowed asymmetric algorithm", StatusFail, "TestCheckIDJAGSignature", specBCP)
	add("id_jag.iss", "iss is the trusted IdP", StatusFail, "TestCheckIDJAGRules", specIDJAG)
	add("id_jag.signature", "the signature verifies with a trusted IdP's key", StatusFail, "TestCheckIDJAGSignature", specIDJAG)
	add("id_jag.aud", "aud is the resource AS issuer, one value, byte for byte", StatusFail, "TestCheckIDJAGRules", specIDJAGAS, specIDJAG)
	add("id_jag.exp", "exp is in the future (with the clock skew)", StatusFail, "TestCheckIDJAGRules", specIDJAG)
	add("id_jag.iat", "iat is not in the future", StatusFail, "TestCheckIDJAGRules", specIDJAG)
	add("id_jag.nbf", "nbf has passed", StatusFail, "TestCheckIDJAGRules", specIDJAG)
	add("id_jag.lifetime", "exp - iat is short: warns above 5 minutes, fails there for Okta (--expect-okta)", StatusFail, "TestCheckIDJAGRules", specIDJAG)
	add("id_jag.jti", "jti is present (replay protection)", StatusFail, "TestCheckIDJAGRules", specIDJAG)
	add("id_jag.client_id", "client_id is the client at the resource AS", StatusFail, "TestCheckIDJAGRules", specIDJAG)
	add("id_jag.sub", "sub names the user", StatusFail, "TestCheckIDJAGRules", specIDJAG)
	add("id_jag.scope", "scope is a space-separated string covering the requested scopes", StatusFail, "TestCheckIDJAGRules", specIDJAG)
	add("id_jag.resource_format", "each resource is an absolute URI without a fragment (a query warns), named once", StatusFail, "TestCheckIDJAGRules", specResourceIndicator)
	add("id_jag.resource", "resource names every resource requested (RFC 3986 §6.2.2 normalized)", StatusFail, "TestCheckIDJAGRules", specIDJAG)
	add("id_jag.sub_id", "sub_id is a subject identifier; saml-nameid has format, issuer and nameid", StatusFail, "TestCheckIDJAGRules", specIDJAGSubID, "RFC 9493 §3", "RFC 9493 §3.2")
	add("id_jag.authorization_details", "authorization_details is a non-empty array of objects with a type", StatusFail, "TestCheckIDJAGRules", "RFC 9396 §2")

	add("access_token.typ", "typ is at+jwt", StatusWarn, "TestCheckAccessToken", specAT)
	add("access_token.alg", "alg is an allowed asymmetric algorithm", StatusFail, "TestRuleVerdictsOfEveryKind", specBCP)
	add("access_token.iss", "iss is the resource AS", StatusFail, "TestCheckAccessToken", specAT)
	add("access_token.signature", "the signature verifies with the resource AS's key", StatusFail, "TestRuleVerdictsOfEveryKind", specAT)
	add("access_token.aud", "aud contains the resource", StatusFail, "TestCheckAccessToken", specAT)
	add("access_token.exp", "exp is in the future", StatusFail, "TestCheckAccessToken", specAT)
	add("access_token.iat", "iat is not in the future", StatusFail, "TestRuleVerdictsOfEveryKind", specAT)
	add("access_token.nbf", "nbf has passed", StatusFail, "TestRuleVerdictsOfEveryKind", specAT)
	add("access_token.sub", "sub names the user", StatusFail, "TestRuleVerdictsOfEveryKind", specAT)
	add("access_token.client_id", "client_id names the client", StatusFail, "TestCheckAccessToken", specAT)
	add("access_token.jti", "jti is present", StatusFail, "TestCheckAccessToken", specAT)
	add("access_token.scope", "scope covers the requested scopes", StatusFail, "TestCheckAccessToken", specAT)

	add("jwt.alg", "alg is an allowed asymmetric algorithm", StatusFail, "TestRuleVerdictsOfEveryKind", specBCP)
	add("jwt.signature", "the signature verifies with the issuer's key", StatusFail, "TestRuleVerdictsOfEveryKind", specJWT)
	add("jwt.exp", "exp is in the future", StatusFail, "TestAnalyzeOpaqueAndGeneric", specJWT)
	add("jwt.iat", "iat is not in the future", StatusFail, "TestRuleVerdictsOfEveryKind", specJWT)
	add("jwt.nbf", "nbf has passed", StatusFail, "TestRuleVerdictsOfEveryKind", specJWT)

	add("urn", "token type and grant type URNs are registered identifiers, spelled exactly", StatusFail, "TestRuleVerdictsOfEveryKind", "RFC 8693 §3; draft-ietf-oauth-identity-assertion-authz-grant §4.3")
	add("keys.usable", "the key set holds usable public signing keys", StatusFail, "TestRuleVerdictsOfEveryKind", "RFC 7517 §5")

	add("chain.id_token_aud", "the ID token was issued to the IdP client", StatusFail, "TestCheckChain", specChain)
	add("chain.iss", "the ID-JAG's iss is the ID token's issuer", StatusFail, "TestCheckChain", specChain)
	add("chain.sub", "the ID-JAG continues the ID token's sub", StatusWarn, "TestCheckChain", specChain)
	add("chain.subject_fresh", "the ID token was valid when the ID-JAG was issued", StatusFail, "TestCheckChain", specChain)
	add("chain.id_jag_aud", "the ID-JAG's aud is the resource AS issuer", StatusFail, "TestCheckChain", specChain)
	add("chain.id_jag_client_id", "the ID-JAG's client_id is the client at the resource AS", StatusFail, "TestCheckChain", specChain)
	add("chain.access_token_aud", "the access token's aud is within the ID-JAG's resources", StatusFail, "TestCheckChain", specChain)
	add("chain.scope", "the access token's scope is within the ID-JAG's", StatusFail, "TestCheckChain", specChain)
	add("chain.grant_fresh", "the access token was issued while the ID-JAG was valid", StatusFail, "TestCheckChain", specChain)

	add("idp_metadata.token_exchange", "the IdP advertises the token exchange grant", StatusWarn, "TestCheckMetadata", SpecIdPMetadata)
	add("idp_metadata.id_jag", "the IdP advertises the ID-JAG token type", StatusWarn, "TestCheckMetadata", SpecIdPMetadata)
	add("idp_metadata.pkce", "the IdP advertises PKCE S256", StatusWarn, "TestCheckMetadata", "RFC 8414 §2; RFC 7636")
	add("as_metadata.jwt_bearer", "the resource AS advertises the jwt-bearer grant; fails when it lists the profile without it", StatusFail, "TestCheckMetadata", SpecASMetadata)
	add("as_metadata.grant_profile", "the resource AS advertises the ID-JAG grant profile", StatusWarn, "TestCheckMetadata", SpecASMetadata)
	add("as_metadata.mcp_authorization_endpoint", "the resource AS publishes an authorization_endpoint, as MCP client SDKs expect", StatusWarn, "TestCheckASForMCPClients", "RFC 8414 §2")
	add("as_metadata.response_types", "the resource AS publishes response_types_supported", StatusWarn, "TestCheckASForMCPClients", "RFC 8414 §2")
	add("metadata.auth_method", "the configured client authentication is advertised", StatusWarn, "TestCheckMetadata", "RFC 8414 §2")
	add("client_metadata.grant_types", "a client listing the ID-JAG profile lists both its grants", StatusFail, "TestCheckMetadata", SpecDraft+" §8")

	add("client_assertion.iss_sub", "a client assertion's iss and sub are the client id", StatusFail, "TestCheckClientAssertion", specAssertion)
	add("client_assertion.client_id", "the assertion is the client_id's", StatusFail, "TestCheckClientAssertion", "RFC 7521 §4.2")
	add("client_assertion.exp", "the assertion has an expiry", StatusFail, "TestCheckClientAssertion", specAssertion)
	add("client_assertion.lifetime", "the assertion's exp is not too far ahead", StatusFail, "TestCheckClientAssertion", specAssertion)
	add("client_assertion.aud", "the assertion's aud is this server", StatusFail, "TestCheckClientAssertion", specAssertion)
	add("client_assertion.jti", "the assertion's jti makes it single-use", StatusWarn, "TestCheckClientAssertion", specAssertion)
	return r
}

// RuleFor returns the rule of a check ID ("urn.grant_type" is urn's).
func RuleFor(id string) (Rule, bool) {
	for _, r := range Rules() {
		if r.ID == id || r.ID == "urn" && len(id) > 4 && id[:4] == "urn." {
			return r, true
		}
	}
	return Rule{}, false
}
