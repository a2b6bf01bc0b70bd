package doctor

import (
	"errors"
	"strings"

	"github.com/xaatools/xaa/flow/config"
	"github.com/xaatools/xaa/flow/explain"
	"github.com/xaatools/xaa/flow/wire"
	"github.com/xaatools/xaa/inspect"
)

// item is one check the doctor runs: its identity, its title, the
// rule it rests on and the console screen where its fix is made.
type item struct {
	id      string
	party   Party
	title   string
	spec    string
	console string
}

// The doctor's checks, by party. IDs are stable: scripts and the tests
// refer to them.
var (
	itemOrgURL          = item{"org.url", Org, "The org URL is an absolute https URL", "RFC 8414 §2", ""}
	itemOrgAdmin        = item{"org.url.admin", Org, "The org URL is not the Admin Console's -admin URL", "Okta developer docs: the Okta domain (https://{yourOktaDomain}) is the org URL", ""}
	itemOrgAuthServer   = item{"org.url.authorization_server", Org, "The org URL is the org authorization server, not a custom one", "Okta developer docs, Cross App Access: only the org authorization server issues ID-JAGs", explain.OktaAuthServers}
	itemOrgSlash        = item{"org.url.trailing_slash", Org, "The org URL has no trailing slash", "RFC 8414 §3.3 (issuers compare byte for byte)", ""}
	itemOrgMetadata     = item{"org.metadata", Org, "The org publishes its metadata", "OIDC Discovery §4; RFC 8414 §3", ""}
	itemOrgIssuer       = item{"org.issuer", Org, "The published issuer is the org URL, byte for byte", "RFC 8414 §3.3; OIDC Discovery §4.3", ""}
	itemOrgGrant        = item{"org.token_exchange_advertised", Org, "The token exchange grant is advertised", inspect.SpecIdPMetadata, ""}
	itemOrgIDJAGType    = item{"org.id_jag_advertised", Org, "The ID-JAG token type is advertised", inspect.SpecIdPMetadata, ""}
	itemOrgJWKS         = item{"org.jwks", Org, "The org's signing keys are published and usable", "RFC 7517 §5; OIDC Discovery §3", ""}
	itemOrgClock        = item{"org.clock", Org, "The org's clock agrees with this machine's", "RFC 7519 §4.1.4-6; RFC 7523 §3", ""}
	itemOrgXAA          = item{"org.xaa_enabled", Org, "Cross App Access is enabled for the org", "draft-ietf-oauth-identity-assertion-authz-grant-04 §4.3", explain.OktaFeature}
	itemOrgIssuesIDJAG  = item{"org.issues_id_jag", Org, "The org issues an ID-JAG for the signed-in user", "draft-ietf-oauth-identity-assertion-authz-grant-04 §4.3.4", ""}
	itemReqConfig       = item{"requesting_app.config", RequestingApp, "The config's idp section is complete", "docs/formats.md (the config file)", explain.OktaClientCreds}
	itemReqAuthMethod   = item{"requesting_app.auth_method", RequestingApp, "idp.auth_method is a method the org advertises", "RFC 8414 §2", explain.OktaClientCreds}
	itemReqCredentials  = item{"requesting_app.credentials", RequestingApp, "The requesting app's client credentials are accepted", "RFC 6749 §2.3, §5.2", explain.OktaClientCreds}
	itemReqGrant        = item{"requesting_app.token_exchange_grant", RequestingApp, "The Token Exchange grant is enabled on the requesting app", "RFC 6749 §5.2; RFC 8693 §2.1", explain.OktaGrantTypes}
	itemReqRedirect     = item{"requesting_app.redirect_uri", RequestingApp, "idp.redirect_uri is a registered sign-in redirect URI", "RFC 6749 §3.1.2.3, §4.1.2.1", explain.OktaRedirectURIs}
	itemReqIDToken      = item{"requesting_app.id_token", RequestingApp, "The signed-in user's ID token is accepted", "OIDC Core §3.1.3.7; draft §4.3.3", ""}
	itemReqUserAssigned = item{"requesting_app.user_assigned", RequestingApp, "The user is assigned to the requesting app", "draft §4.3.3", explain.OktaAssignRequesting}
	itemReqConnection   = item{"requesting_app.connection", RequestingApp, "A managed connection links the requesting app to the resource app", "draft §4.3.3; EMA §7.6.1", explain.OktaConnection}
	itemReqScopes       = item{"requesting_app.scopes", RequestingApp, "The connection allows the requested scopes", "RFC 6749 §3.3; draft §4.3", explain.OktaConnectionScopes}
	itemResAppUser      = item{"resource_app.user_assigned", ResourceApp, "The user is assigned to the resource app", "draft §4.3.3", explain.OktaAssignResource}
	itemResAppResource  = item{"resource_app.resource_indicator", ResourceApp, "The connection allows the resource indicator", "RFC 8707 §2; draft §4.3", explain.OktaConnection}
	itemResAppAudience  = item{"resource_app.audience", ResourceApp, "The ID-JAG's audience is the resource AS issuer", "draft §3.1, §4.4.1", explain.OktaResourceXAA}
	itemResAppClientID  = item{"resource_app.client_id", ResourceApp, "The ID-JAG's client_id is the client registered at the resource AS", "draft §3.1, §4.4.1", explain.OktaConnectionClient}
	itemASConfig        = item{"resource_as.config", ResourceAS, "The config's resource_as section is complete", "docs/formats.md (the config file)", ""}
	itemASMetadata      = item{"resource_as.metadata", ResourceAS, "The resource AS publishes its metadata", "RFC 8414 §3; OIDC Discovery §4", ""}
	itemASIssuer        = item{"resource_as.issuer", ResourceAS, "Its issuer is resource_as.issuer (the audience), byte for byte", "RFC 8414 §3.3; draft §4.3", explain.OktaResourceXAA}
	itemASGrant         = item{"resource_as.jwt_bearer_advertised", ResourceAS, "The jwt-bearer grant is advertised", inspect.SpecASMetadata, ""}
	itemASProfile       = item{"resource_as.id_jag_profile", ResourceAS, "The ID-JAG grant profile is advertised", inspect.SpecASMetadata, ""}
	itemASAuthMethod    = item{"resource_as.auth_method", ResourceAS, "resource_as.auth_method is a method it advertises", "RFC 8414 §2", ""}
	itemASCredentials   = item{"resource_as.credentials", ResourceAS, "The requesting app's credentials at the resource AS are accepted", "RFC 6749 §5.2; draft §4.4", ""}
	itemASBearerGrant   = item{"resource_as.jwt_bearer_grant", ResourceAS, "The requesting app's client may use the jwt-bearer grant", "RFC 6749 §5.2; RFC 7523 §2.1", ""}
	itemASRejects       = item{"resource_as.rejects_invalid_id_jag", ResourceAS, "It refuses an ID-JAG from an untrusted issuer", "draft §4.4.1", ""}
	itemASAccepts       = item{"resource_as.accepts_id_jag", ResourceAS, "The resource AS redeems the signed-in user's ID-JAG", "draft §4.4.1", ""}
	itemResConfig       = item{"resource.config", Resource, "The config's resource section is complete", "docs/formats.md (the config file)", ""}
)

// resourceItems are the checks of one resource (the API or the MCP server).
type resourceItems struct {
	challenge, metadata, resource, servers item
}

func newResourceItems(prefix, label string) resourceItems {
	return resourceItems{
		challenge: item{prefix + ".challenge", Resource, "The " + label + " answers 401 with resource_metadata", "RFC 9728 §5.1; MCP authorization", ""},
		metadata:  item{prefix + ".metadata", Resource, "The " + label + " publishes protected resource metadata", "RFC 9728 §3", ""},
		resource:  item{prefix + ".resource", Resource, "Tokens for it are requested for its own resource identifier", inspect.SpecResourceMetadata, explain.OktaConnection},
		servers:   item{prefix + ".authorization_servers", Resource, "Its authorization_servers lists resource_as.issuer", "RFC 9728 §2", ""},
	}
}

var (
	itemsAPI = newResourceItems("resource.api", "API")
	itemsMCP = newResourceItems("resource.mcp", "MCP server")
)

// check returns the item's result.
func (i item) check(st inspect.Status, expected, actual, hint string, evidence []*wire.Exchange) Check {
	return Check{ID: i.id, Party: i.party, Status: st, Title: i.title, Expected: expected, Actual: actual,
		Hint: hint, Spec: i.spec, Console: i.console, Evidence: evidence}
}

func (r *run) pass(i item, expected, actual string, ev []*wire.Exchange) {
	c := i.check(inspect.StatusPass, expected, actual, "", ev)
	c.Console = ""
	r.add(c)
}

func (r *run) warn(i item, expected, actual, hint string, ev []*wire.Exchange) {
	r.add(i.check(inspect.StatusWarn, expected, actual, hint, ev))
}

func (r *run) fail(i item, expected, actual, hint string, ev []*wire.Exchange) {
	r.add(i.check(inspect.StatusFail, expected, actual, hint, ev))
}

// judged records a check inspect made, as the item: its status and the
// values it compared, and hint in place of inspect's own when the check
// did not pass and hint is given (the doctor knows which check decides).
func (r *run) judged(i item, c inspect.Check, hint string, ev []*wire.Exchange) {
	if c.Status != inspect.StatusPass && c.Status != inspect.StatusUnknown && hint != "" {
		c.Hint = hint
	}
	dc := i.check(c.Status, c.Expected, c.Actual, c.Hint, ev)
	if c.Status == inspect.StatusPass || c.Status == inspect.StatusUnknown {
		dc.Console = ""
	}
	r.add(dc)
}

// unknown records a check that could not be decided, and why.
func (r *run) unknown(i item, expected, why string, ev []*wire.Exchange) {
	c := i.check(inspect.StatusUnknown, expected, "not known", why, ev)
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
