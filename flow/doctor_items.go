package flow

import (
	"errors"
	"strings"

	"github.com/xaatools/xaa/flow/config"
	"github.com/xaatools/xaa/flow/explain"
	"github.com/xaatools/xaa/flow/wire"
)

// doctorItem is one check the doctor runs: its identity, its title, the
// rule it rests on and the console screen where its fix is made.
type doctorItem struct {
	id      string
	party   DoctorParty
	title   string
	spec    string
	console string
}

// The doctor's checks, by party. IDs are stable: scripts and the tests
// refer to them.
var (
	itemOrgURL          = doctorItem{"org.url", DoctorOrg, "The org URL is an absolute https URL", "RFC 8414 §2", ""}
	itemOrgAdmin        = doctorItem{"org.url.admin", DoctorOrg, "The org URL is not the Admin Console's -admin URL", "protocol reference §7", ""}
	itemOrgAuthServer   = doctorItem{"org.url.authorization_server", DoctorOrg, "The org URL is the org authorization server, not a custom one", "protocol reference §7 (only the org AS issues ID-JAGs)", explain.OktaAuthServers}
	itemOrgSlash        = doctorItem{"org.url.trailing_slash", DoctorOrg, "The org URL has no trailing slash", "RFC 8414 §3.3 (issuers compare byte for byte)", ""}
	itemOrgMetadata     = doctorItem{"org.metadata", DoctorOrg, "The org publishes its metadata", "OIDC Discovery §4; RFC 8414 §3", ""}
	itemOrgIssuer       = doctorItem{"org.issuer", DoctorOrg, "The published issuer is the org URL, byte for byte", "RFC 8414 §3.3; OIDC Discovery §4.3", ""}
	itemOrgGrant        = doctorItem{"org.token_exchange_advertised", DoctorOrg, "The token exchange grant is advertised", specDraft71, ""}
	itemOrgIDJAGType    = doctorItem{"org.id_jag_advertised", DoctorOrg, "The ID-JAG token type is advertised", specDraft71, ""}
	itemOrgJWKS         = doctorItem{"org.jwks", DoctorOrg, "The org's signing keys are published and usable", "RFC 7517 §5; OIDC Discovery §3", ""}
	itemOrgClock        = doctorItem{"org.clock", DoctorOrg, "The org's clock agrees with this machine's", "RFC 7519 §4.1.4-6; RFC 7523 §3", ""}
	itemOrgXAA          = doctorItem{"org.xaa_enabled", DoctorOrg, "Cross App Access is enabled for the org", "draft-ietf-oauth-identity-assertion-authz-grant-04 §4.3", explain.OktaFeature}
	itemOrgIssuesIDJAG  = doctorItem{"org.issues_id_jag", DoctorOrg, "The org issues an ID-JAG for the signed-in user", "draft-ietf-oauth-identity-assertion-authz-grant-04 §4.3.4", ""}
	itemReqConfig       = doctorItem{"requesting_app.config", DoctorRequestingApp, "The config's idp section is complete", "CONTRACT.md", explain.OktaClientCreds}
	itemReqAuthMethod   = doctorItem{"requesting_app.auth_method", DoctorRequestingApp, "idp.auth_method is a method the org advertises", "RFC 8414 §2", explain.OktaClientCreds}
	itemReqCredentials  = doctorItem{"requesting_app.credentials", DoctorRequestingApp, "The requesting app's client credentials are accepted", "RFC 6749 §2.3, §5.2", explain.OktaClientCreds}
	itemReqGrant        = doctorItem{"requesting_app.token_exchange_grant", DoctorRequestingApp, "The Token Exchange grant is enabled on the requesting app", "RFC 6749 §5.2; RFC 8693 §2.1", explain.OktaGrantTypes}
	itemReqRedirect     = doctorItem{"requesting_app.redirect_uri", DoctorRequestingApp, "idp.redirect_uri is a registered sign-in redirect URI", "RFC 6749 §3.1.2.3, §4.1.2.1", explain.OktaRedirectURIs}
	itemReqIDToken      = doctorItem{"requesting_app.id_token", DoctorRequestingApp, "The signed-in user's ID token is accepted", "OIDC Core §3.1.3.7; draft §4.3.3", ""}
	itemReqUserAssigned = doctorItem{"requesting_app.user_assigned", DoctorRequestingApp, "The user is assigned to the requesting app", "draft §4.3.3", explain.OktaAssignRequesting}
	itemReqConnection   = doctorItem{"requesting_app.connection", DoctorRequestingApp, "A managed connection links the requesting app to the resource app", "draft §4.3.3; EMA §7.6.1", explain.OktaManageConnections}
	itemReqScopes       = doctorItem{"requesting_app.scopes", DoctorRequestingApp, "The connection allows the requested scopes", "RFC 6749 §3.3; draft §4.3", explain.OktaConnectionScopes}
	itemResAppUser      = doctorItem{"resource_app.user_assigned", DoctorResourceApp, "The user is assigned to the resource app", "draft §4.3.3", explain.OktaAssignResource}
	itemResAppResource  = doctorItem{"resource_app.resource_indicator", DoctorResourceApp, "The connection allows the resource indicator", "RFC 8707 §2; draft §4.3", explain.OktaManageConnections}
	itemResAppAudience  = doctorItem{"resource_app.audience", DoctorResourceApp, "The ID-JAG's audience is the resource AS issuer", "draft §3.1, §4.4.1", explain.OktaResourceXAA}
	itemResAppClientID  = doctorItem{"resource_app.client_id", DoctorResourceApp, "The ID-JAG's client_id is the client registered at the resource AS", "draft §3.1, §4.4.1", explain.OktaConnectionClient}
	itemASConfig        = doctorItem{"resource_as.config", DoctorResourceAS, "The config's resource_as section is complete", "CONTRACT.md", ""}
	itemASMetadata      = doctorItem{"resource_as.metadata", DoctorResourceAS, "The resource AS publishes its metadata", "RFC 8414 §3; OIDC Discovery §4", ""}
	itemASIssuer        = doctorItem{"resource_as.issuer", DoctorResourceAS, "Its issuer is resource_as.issuer (the audience), byte for byte", "RFC 8414 §3.3; draft §4.3", explain.OktaResourceXAA}
	itemASGrant         = doctorItem{"resource_as.jwt_bearer_advertised", DoctorResourceAS, "The jwt-bearer grant is advertised", specDraft72, ""}
	itemASProfile       = doctorItem{"resource_as.id_jag_profile", DoctorResourceAS, "The ID-JAG grant profile is advertised", specDraft72, ""}
	itemASAuthMethod    = doctorItem{"resource_as.auth_method", DoctorResourceAS, "resource_as.auth_method is a method it advertises", "RFC 8414 §2", ""}
	itemASCredentials   = doctorItem{"resource_as.credentials", DoctorResourceAS, "The requesting app's credentials at the resource AS are accepted", "RFC 6749 §5.2; draft §4.4", ""}
	itemASBearerGrant   = doctorItem{"resource_as.jwt_bearer_grant", DoctorResourceAS, "The requesting app's client may use the jwt-bearer grant", "RFC 6749 §5.2; RFC 7523 §2.1", ""}
	itemASRejects       = doctorItem{"resource_as.rejects_invalid_id_jag", DoctorResourceAS, "It refuses an ID-JAG from an untrusted issuer", "draft §4.4.1", ""}
	itemASAccepts       = doctorItem{"resource_as.accepts_id_jag", DoctorResourceAS, "The resource AS redeems the signed-in user's ID-JAG", "draft §4.4.1", ""}
	itemResConfig       = doctorItem{"resource.config", DoctorResource, "The config's resource section is complete", "CONTRACT.md", ""}
)

// resourceItems are the checks of one resource (the API or the MCP server).
type resourceItems struct {
	challenge, metadata, resource, servers doctorItem
}

func newResourceItems(prefix, label string) resourceItems {
	return resourceItems{
		challenge: doctorItem{prefix + ".challenge", DoctorResource, "The " + label + " answers 401 with resource_metadata", "RFC 9728 §5.1; MCP authorization", ""},
		metadata:  doctorItem{prefix + ".metadata", DoctorResource, "The " + label + " publishes protected resource metadata", "RFC 9728 §3", ""},
		resource:  doctorItem{prefix + ".resource", DoctorResource, "Its resource is the configured identifier, byte for byte", specRFC9728, explain.OktaManageConnections},
		servers:   doctorItem{prefix + ".authorization_servers", DoctorResource, "Its authorization_servers lists resource_as.issuer", "RFC 9728 §2", ""},
	}
}

var (
	itemsAPI = newResourceItems("resource.api", "API")
	itemsMCP = newResourceItems("resource.mcp", "MCP server")
)

// check returns the item's result.
func (i doctorItem) check(st DoctorStatus, expected, actual, hint string, evidence []*wire.Exchange) DoctorCheck {
	return DoctorCheck{ID: i.id, Party: i.party, Status: st, Title: i.title, Expected: expected, Actual: actual,
		Hint: hint, Spec: i.spec, Console: i.console, Evidence: evidence}
}

func (r *doctorRun) pass(i doctorItem, expected, actual string, ev []*wire.Exchange) {
	c := i.check(DoctorPass, expected, actual, "", ev)
	c.Console = ""
	r.add(c)
}

func (r *doctorRun) warn(i doctorItem, expected, actual, hint string, ev []*wire.Exchange) {
	r.add(i.check(DoctorWarn, expected, actual, hint, ev))
}

func (r *doctorRun) fail(i doctorItem, expected, actual, hint string, ev []*wire.Exchange) {
	r.add(i.check(DoctorFail, expected, actual, hint, ev))
}

// unknown records a check that could not be decided, and why.
func (r *doctorRun) unknown(i doctorItem, expected, why string, ev []*wire.Exchange) {
	c := i.check(DoctorUnknown, expected, "not known", why, ev)
	c.Console = ""
	r.add(c)
}

// undecided reports whether err means nothing usable came back — the
// server could not be reached, or answered with something that is no
// answer (HTML, not JSON, too large) — so the check is unknown rather than
// failed. An HTTP error status or a redirect is an answer.
func undecided(err error) bool {
	var de *wire.DiscoveryError
	if errors.As(err, &de) {
		for _, a := range de.Attempts {
			if a.Kind != wire.FetchStatus && a.Kind != wire.FetchRedirect {
				return true
			}
		}
		return len(de.Attempts) == 0
	}
	var fe *wire.FetchError
	if errors.As(err, &fe) {
		return fe.Kind != wire.FetchStatus && fe.Kind != wire.FetchRedirect
	}
	return false
}

// needs is the reason of a check that depends on an earlier one.
func needs(what, checkID string) string {
	return "not checked: it needs " + what + " (see " + checkID + ")"
}

// joinProblems renders config problems on one line.
func joinProblems(ps []config.Problem) string {
	parts := make([]string, len(ps))
	for i, p := range ps {
		parts[i] = p.String()
	}
	return strings.Join(parts, "; ")
}
