package flow

import (
	"strings"

	"github.com/xaatools/xaa/inspect"
)

// Sections the steps cite inside their functions; the registry's tests
// hold these to what the checks emit.
const (
	specScopeResponse   = "RFC 6749 §5.1; RFC 8693 §2.2.1"
	specAudienceBinding = "RFC 8707 §2; RFC 9728 §2; MCP authorization (token audience binding)"
)

// testStepVerdicts is the registry's own test that makes the step rules
// without a focused test of their own give their worst verdict.
const testStepVerdicts = "TestStepRuleVerdicts"

// Rules returns every check the steps add themselves (Step.Checks), in
// running order, with the checks of inspect's they rename into a step's
// namespace: those carry inspect's rule under the step's ID, with Renames
// naming it. The tokens' checks and the chain checks keep inspect's IDs
// and are inspect.Rules. Tests (rules_registry_test.go) hold the registry
// to what a run emits.
func Rules() []inspect.Rule {
	var r []inspect.Rule
	add := func(id, compares, source string, worst inspect.Status, test string, also ...string) {
		r = append(r, inspect.Rule{ID: id, Compares: compares, Source: source, Also: also, Worst: worst, Test: test})
	}
	renames := func(prefix, id string) {
		rule, ok := inspect.RuleFor(id)
		if !ok {
			panic("flow.Rules: inspect has no rule " + id) // caught by every test that lists the rules
		}
		_, name, _ := strings.Cut(id, ".")
		rule.ID, rule.Renames = prefix+"."+name, id
		r = append(r, rule)
	}
	const fail, warn, unknown = inspect.StatusFail, inspect.StatusWarn, inspect.StatusUnknown

	// Discovery: each server's metadata and keys, then the resources'.
	for _, p := range []struct{ party, key, metadataTest string }{{"idp", "idp.issuer", "TestDiscoveryStepFailures"}, {"as", "resource_as.issuer", testStepVerdicts}} {
		add("discovery."+p.party+".metadata", "a metadata document is found for "+p.key, inspect.SpecServerMetadata, fail, p.metadataTest)
		add("discovery."+p.party+".issuer", "the metadata's issuer is "+p.key+", byte for byte", inspect.SpecServerMetadata, fail, "TestDiscoveryStepFailures")
		add("discovery."+p.party+".endpoints", "the metadata names the endpoints xaa needs", inspect.SpecServerMetadata, fail, testStepVerdicts)
		add("discovery."+p.party+".http", "the endpoints are https (or loopback)", inspect.SpecServerMetadata, warn, testStepVerdicts)
	}
	renames("discovery.idp", "idp_metadata.token_exchange")
	renames("discovery.idp", "idp_metadata.id_jag")
	renames("discovery.idp", "idp_metadata.pkce")
	renames("discovery.idp", "metadata.auth_method")
	add("discovery.idp.jwks", "the IdP's key set is published and holds a usable key", "RFC 7517 §5", fail, testStepVerdicts, inspect.SpecServerMetadata)
	renames("discovery.as", "as_metadata.jwt_bearer")
	renames("discovery.as", "as_metadata.grant_profile")
	renames("discovery.as", "metadata.auth_method")
	renames("discovery.as", "as_metadata.mcp_authorization_endpoint")
	renames("discovery.as", "as_metadata.response_types")
	add("discovery.as.jwks", "the resource AS's key set holds a usable key (opaque access tokens need none)", "RFC 7517 §5", warn, testStepVerdicts, inspect.SpecServerMetadata)
	for _, p := range []struct{ prefix, key string }{{"discovery.idp_client", "idp.client_id"}, {"discovery.as_client", "resource_as.client_id"}} {
		add(p.prefix+".metadata", p.key+", a URL, serves a client metadata document", "draft-ietf-oauth-client-id-metadata-document", unknown, testStepVerdicts)
		renames(p.prefix, "client_metadata.grant_types")
	}
	for _, p := range []struct{ prefix, label string }{{"discovery.api", "the API"}, {"discovery.mcp", "the MCP server"}} {
		add(p.prefix+".reachable", p.label+" answers", inspect.SpecResourceMetadata, fail, testStepVerdicts)
		add(p.prefix+".protected", p.label+" refuses a call without a token", "RFC 6750 §3", warn, testStepVerdicts)
		add(p.prefix+".prm", p.label+" publishes protected resource metadata", "RFC 9728 §3.1, §5.1", warn, testStepVerdicts)
		add(p.prefix+".authorization_servers", p.label+"'s metadata lists resource_as.issuer", "RFC 9728 §2", fail, testStepVerdicts)
	}
	add("discovery.api.resource", "the API's metadata names resource.id (when set)", inspect.SpecResourceMetadata, warn, testStepVerdicts)
	add("discovery.mcp.resource", "the MCP server's metadata names its URL", inspect.SpecResourceMetadata, fail, "TestDiscoveryStepFailures")
	add("discovery.resource_id", "resource.id is the resource of a discovered server", inspect.SpecResourceMetadata, warn, testStepVerdicts)

	// Login.
	add("login.state", "the callback's state is this login's", "RFC 6749 §10.12", fail, testStepVerdicts)
	add("login.iss", "the callback's iss is the IdP; present when it advertises it", "RFC 9207 §2.4", fail, testStepVerdicts)
	add("login.refresh_token", "a refresh token comes back when offline_access is asked for", specOIDCCode, warn, testStepVerdicts)

	// The token exchange's response, and the ID-JAG's audience against the request.
	add("token_exchange.access_token", "the response carries the ID-JAG in access_token", specTokenExchange, fail, testStepVerdicts)
	add("token_exchange.expires_in", "the response gives expires_in", specTokenExchange, warn, testStepVerdicts)
	add("token_exchange.issued_token_type", "the response gives issued_token_type", specTokenExchange, warn, testStepVerdicts)
	add("token_exchange.token_type", "token_type is N_A", specTokenExchange, warn, testStepVerdicts)
	add("token_exchange.refresh_token", "no refresh token comes with an ID-JAG", "draft §4.3.4", warn, testStepVerdicts)
	add("token_exchange.scope_response", "scope is in the response when the grant differs from the request", specScopeResponse, fail, "TestScopeInTheResponse")
	add("token_exchange.resource_response", "resource is in the response, a subset of the request (editor's copy: warns)", specResourceResponse, warn, "TestResourceInTheResponse")
	add("chain.id_jag_aud_requested", "the ID-JAG's aud is the audience the request asked for", "draft §4.3", fail, testStepVerdicts)

	// The jwt-bearer grant's response.
	add("jwt_bearer.access_token", "the response carries the access token", specJWTBearer, fail, testStepVerdicts)
	add("jwt_bearer.expires_in", "the response gives expires_in", specJWTBearer, warn, testStepVerdicts)
	add("jwt_bearer.token_type", "token_type is Bearer (DPoP warns: xaa sends bearer tokens)", "RFC 6750 §4", warn, testStepVerdicts, "RFC 9449 §5", "RFC 6749 §5.1")
	add("jwt_bearer.refresh_token", "no refresh token is issued for an ID-JAG", "draft §4.4.3", warn, testStepVerdicts)
	add("jwt_bearer.scope_response", "scope is in the response when the grant differs from the request", specScopeResponse, fail, "TestScopeInTheResponse")
	add("jwt_bearer.resource_response", "resource is in the response, a subset of the request (editor's copy: warns)", specResourceResponse, warn, "TestResourceInTheResponse")

	// The resource call.
	add("resource.api_aud", "the token sent to the API is for the resource its metadata names", specAudienceBinding, fail, testStepVerdicts, "RFC 8707 §2")
	add("resource.mcp_aud", "the token sent to the MCP server is for the resource its metadata names", specAudienceBinding, fail, "TestOneIdentifierForTwoServers", "RFC 8707 §2")
	return r
}
