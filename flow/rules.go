package flow

import (
	"strings"

	"github.com/xaatools/xaa/inspect"
)

// Adopted says which of inspect's rules a step repeats under its own name
// (Step.adopt): the IdP's metadata rules as discovery.idp.*, and so on.
var Adopted = []struct {
	// Prefix is the step's name for them; From the rules' own prefixes.
	Prefix string
	From   []string
}{
	{"discovery.idp", []string{"idp_metadata.", "metadata."}},
	{"discovery.as", []string{"as_metadata.", "metadata."}},
	{"discovery.idp_client", []string{"client_metadata."}},
	{"discovery.as_client", []string{"client_metadata."}},
}

// Rules returns the rules the steps check themselves — metadata and keys
// found, the login callback, the token responses, the resource calls —
// beside the token rules they take from inspect (inspect.Rules, Adopted).
func Rules() []inspect.Rule {
	var r []inspect.Rule
	add := func(id, compares string, worst inspect.Status, test string, sources ...string) {
		r = append(r, inspect.Rule{ID: id, Compares: compares, Sources: sources, Worst: worst, Test: test})
	}
	fail, warn := inspect.StatusFail, inspect.StatusWarn
	for _, p := range []struct{ prefix, who string }{{"discovery.idp", "the IdP"}, {"discovery.as", "the resource AS"}} {
		add(p.prefix+".metadata", who(p.who, "publishes RFC 8414 or OIDC discovery metadata"), fail, "TestDiscoveryStepFailures", inspect.SpecServerMetadata)
		add(p.prefix+".issuer", who(p.who, "metadata's issuer is the configured issuer, byte for byte"), fail, "TestDiscoveryStepFailures", inspect.SpecServerMetadata)
		add(p.prefix+".endpoints", who(p.who, "metadata names the endpoints the flow needs"), fail, "TestEndpointChecks", inspect.SpecServerMetadata)
		add(p.prefix+".http", who(p.who, "endpoints use https (or loopback)"), warn, "TestEndpointChecks", inspect.SpecServerMetadata)
	}
	// The IdP's keys are needed to verify every ID token and ID-JAG; the
	// resource AS's only for access tokens that are JWTs.
	add("discovery.idp.jwks", "the IdP publishes usable signing keys", fail, "TestDiscoveryStepFailures", "RFC 7517 §5", inspect.SpecServerMetadata)
	add("discovery.as.jwks", "the resource AS publishes usable signing keys", warn, "TestDiscoveryStepFailures", "RFC 7517 §5", inspect.SpecServerMetadata)
	for _, p := range []struct{ prefix, who string }{{"discovery.api", "the API"}, {"discovery.mcp", "the MCP server"}} {
		add(p.prefix+".reachable", who(p.who, "answers"), fail, "TestDiscoveryStepFailures", inspect.SpecResourceMetadata)
		add(p.prefix+".protected", who(p.who, "refuses a call without a token with 401"), warn, "TestDiscoveryStepFailures", "RFC 6750 §3")
		add(p.prefix+".prm", who(p.who, "publishes protected resource metadata"), warn, "TestDiscoveryStepFailures", "RFC 9728 §3.1, §5.1")
		add(p.prefix+".authorization_servers", who(p.who, "trusts resource_as.issuer"), fail, "TestDiscoveryStepFailures", "RFC 9728 §2")
	}
	add("discovery.api.resource", "the API's metadata names resource.id, when it is set", warn, "TestDiscoveryStepFailures", inspect.SpecResourceMetadata)
	add("discovery.mcp.resource", "the MCP server's metadata names its own URL", fail, "TestDiscoveryStepFailures", inspect.SpecResourceMetadata)
	add("discovery.resource_id", "resource.id is the resource of a discovered server", warn, "TestDiscoveryStepFailures", inspect.SpecResourceMetadata)
	for _, p := range []string{"discovery.idp_client", "discovery.as_client"} {
		add(p+".metadata", "a client ID that is a URL serves the client's metadata document", warn, "TestClientMetadataDocument", "draft-ietf-oauth-client-id-metadata-document")
	}

	add("login.state", "the callback carries the login's state (others are refused, and a login that gets none times out)", fail, "TestLoginCallback", "RFC 6749 §10.12")
	add("login.iss", "the callback's iss is the IdP (mix-up defence)", fail, "TestStepRuleVerdicts", "RFC 9207 §2.4")
	add("login.refresh_token", "a refresh token comes back when offline_access is asked", warn, "TestStepRuleVerdicts", specOIDCCode)

	for _, p := range []struct{ prefix, spec string }{{"token_exchange", specTokenExchange}, {"jwt_bearer", specJWTBearer}} {
		add(p.prefix+".access_token", "the response carries the token in access_token", fail, "TestStepRuleVerdicts", p.spec)
		add(p.prefix+".expires_in", "the response gives expires_in", warn, "TestStepRuleVerdicts", p.spec)
		add(p.prefix+".scope_response", "scope is in the response when the grant differs from the request", fail, "TestScopeInTheResponse", "RFC 6749 §5.1; RFC 8693 §2.2.1")
		add(p.prefix+".resource_response", "resource is in the response, a subset of what was requested (warns: editor's copy)", warn, "TestResourceInTheResponse", specResourceResponse)
	}
	add("token_exchange.issued_token_type", "issued_token_type is present", warn, "TestStepRuleVerdicts", specTokenExchange)
	add("token_exchange.token_type", "token_type is N_A", warn, "TestStepRuleVerdicts", specTokenExchange)
	add("token_exchange.refresh_token", "no refresh token comes with an ID-JAG", warn, "TestStepRuleVerdicts", "draft §4.3.4")
	add("chain.id_jag_aud_requested", "the ID-JAG's aud is the audience requested", fail, "TestStepRuleVerdicts", "draft §4.3")
	add("jwt_bearer.token_type", "token_type is Bearer", warn, "TestStepRuleVerdicts", "RFC 6750 §4", "RFC 9449 §5", "RFC 6749 §5.1")
	add("jwt_bearer.refresh_token", "no refresh token is issued for an ID-JAG", warn, "TestStepRuleVerdicts", "draft §4.4.3")

	add("resource.api_aud", "the token sent to the API is for its resource", fail, "TestOneIdentifierForTwoServers", specAudienceBinding, "RFC 8707 §2")
	add("resource.mcp_aud", "the token sent to the MCP server is for its resource", fail, "TestOneIdentifierForTwoServers", specAudienceBinding, "RFC 8707 §2")
	return r
}

// who starts a rule with its party: "the IdP publishes …".
func who(party, rest string) string {
	if strings.HasPrefix(rest, "metadata") || strings.HasPrefix(rest, "endpoints") {
		return party + "'s " + rest
	}
	return party + " " + rest
}

// RuleFor returns the rule of a check a step made: its own, or inspect's
// under an adopted name.
func RuleFor(id string) (inspect.Rule, bool) {
	for _, r := range Rules() {
		if r.ID == id {
			return r, true
		}
	}
	for _, a := range Adopted {
		if name, ok := strings.CutPrefix(id, a.Prefix+"."); ok {
			for _, from := range a.From {
				if r, ok := inspect.RuleFor(from + name); ok {
					return r, true
				}
			}
		}
	}
	return inspect.RuleFor(id)
}
