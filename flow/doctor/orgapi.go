package doctor

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/xaatools/xaa/flow/config"
	"github.com/xaatools/xaa/flow/explain"
	"github.com/xaatools/xaa/flow/oktaadmin"
	"github.com/xaatools/xaa/inspect"
)

// Checks read from the org with the admin API (opt-in: the okta section).
// Their titles end in "(read from the org)" and their evidence is the
// admin API exchange, so the request URL shows which API path was read.
const (
	consoleAPIAccess   = "Okta Admin Console › Security › API › Tokens (an API token), or Applications › Applications › (API Services app) › Okta API Scopes and Admin roles"
	consoleAuthServer  = explain.OktaCustomAS
	consoleAccessRules = explain.OktaCustomASRule
	consoleASScopes    = consoleAuthServer + " › Scopes › Add Scope"
	consoleClientKeys  = "Okta Admin Console › Applications › Applications › (requesting app) › General › Client Credentials › Public keys"
	specMgmt           = "Okta Management API (okta/okta-management-openapi-spec 2026.06.3)"
)

var (
	itemAdminAccess     = item{"org.admin_api", Org, "The org's admin API can be read (read-only)", specMgmt, consoleAPIAccess}
	itemAdminGrants     = item{"requesting_app.org.grant_types", RequestingApp, "The requesting app's grant types include Token Exchange (read from the org)", "RFC 8693 §2.1; " + specMgmt + " settings.oauthClient.grant_types", explain.OktaGrantTypes}
	itemAdminAuthMethod = item{"requesting_app.org.auth_method", RequestingApp, "The requesting app's client authentication is idp.auth_method (read from the org)", "RFC 8414 §2; " + specMgmt + " credentials.oauthClient.token_endpoint_auth_method", explain.OktaClientCreds}
	itemAdminRedirect   = item{"requesting_app.org.redirect_uri", RequestingApp, "idp.redirect_uri is registered on the requesting app (read from the org)", "RFC 6749 §3.1.2.3; " + specMgmt + " settings.oauthClient.redirect_uris", explain.OktaRedirectURIs}
	itemAdminKeyID      = item{"requesting_app.org.key_id", RequestingApp, "An active key of the requesting app has idp.key_id (read from the org)", "RFC 7523 §3; " + specMgmt + " /api/v1/apps/{appId}/credentials/jwks", consoleClientKeys}
	itemAdminConnection = item{"requesting_app.org.connection", RequestingApp, "An ACTIVE Cross App Access connection leads from the requesting app to a resource app (read from the org)", "draft §4.3; " + specMgmt + " /api/v1/apps/{appId}/cwo/connections", explain.OktaConnection}
	itemAdminAuthServer = item{"resource_as.org.server", ResourceAS, "The org has an ACTIVE custom authorization server whose issuer is resource_as.issuer (read from the org)", "draft §4.4; " + specMgmt + " /api/v1/authorizationServers", consoleAuthServer}
	itemAdminPolicy     = item{"resource_as.org.jwt_bearer_policy", ResourceAS, "An ACTIVE access policy for resource_as.client_id has an ACTIVE rule allowing JWT Bearer (read from the org)", "RFC 7523 §2.1; " + specMgmt + " …/policies, …/rules", consoleAccessRules}
	itemAdminScopes     = item{"resource_as.org.scopes", ResourceAS, "The custom authorization server defines resource_as.scopes (read from the org)", "RFC 6749 §3.3; " + specMgmt + " …/scopes", consoleASScopes}
)

// OrgAPIChecks are the ids of the checks read from the org.
func OrgAPIChecks() []string {
	var out []string
	for _, i := range []item{itemAdminAccess, itemAdminGrants, itemAdminAuthMethod, itemAdminRedirect, itemAdminKeyID, itemAdminConnection,
		itemAgentStatus, itemAgentKey, itemAgentConnection, itemAgentScopes, itemAdminAuthServer, itemAdminPolicy, itemAdminScopes, itemAdminTrustedIdP, itemMCPServer, itemMCPAuthServers} {
		out = append(out, i.id)
	}
	return out
}

// orgAPIChecks reads the org's configuration with the admin API, when the
// okta section configures access. Nothing here stops the doctor: a read
// that fails makes its checks unknown, naming the scope or role to grant.
func (r *run) orgAPIChecks(ctx context.Context) {
	if !r.cfg.Okta.Enabled() && len(r.cfg.OktaProblems()) == 0 {
		return
	}
	expected := "read access to the org's admin API"
	if ps := r.cfg.OktaProblems(); len(ps) > 0 {
		r.fail(itemAdminAccess, expected, joinProblems(ps), "fix the okta section of "+orSource(r.cfg.Source)+" (or Okta's OKTA_CLIENT_* variables); the other checks go on without it", nil)
		return
	}
	c, err := oktaadmin.New(r.cfg.Okta, r.cfg.IdP.Issuer, r.env.Options(r.cfg.Secrets()))
	if err != nil {
		r.fail(itemAdminAccess, expected, err.Error(), "set okta.org_url", nil)
		return
	}
	defer r.mcpServerChecks(ctx, c)
	if r.idpOutsideOrg(c.Org) {
		// The ID-JAGs come from an external IdP or another org: the
		// requesting app (or AI agent) is registered there.
		items := []item{itemAdminGrants, itemAdminAuthMethod, itemAdminRedirect, itemAdminConnection, itemAgentStatus, itemAgentConnection, itemAgentScopes}
		if r.cfg.IdP.Method() == config.AuthPrivateKeyJWT {
			items = append(items, itemAdminKeyID, itemAgentKey)
		}
		r.notThisOrgApp(c.Org, items...)
		r.authServerChecks(ctx, c)
		return
	}
	app, read := c.App(ctx, r.cfg.IdP.ClientID)
	defer r.agentChecks(ctx, c, app.ID)
	dependents := []item{itemAdminGrants, itemAdminAuthMethod, itemAdminRedirect, itemAdminKeyID, itemAdminConnection}
	switch {
	case read.OK():
		r.pass(itemAdminAccess, expected, "read "+c.Org+oktaadmin.AppPath(r.cfg.IdP.ClientID), read.Exchanges)
		r.appChecks(ctx, c, app, read)
	case read.Err.Kind == oktaadmin.NotFound:
		r.pass(itemAdminAccess, expected, "the admin API answered", read.Exchanges)
		for _, i := range dependents {
			r.add(i.check(inspect.StatusFail, "the app whose client id is "+r.cfg.IdP.ClientID, "no such app in the org (404 "+read.Err.Code+")",
				"idp.client_id is not an app of "+c.Org+": copy the Client ID from the app's General tab", read.Exchanges))
		}
	default:
		r.accessUnknown(read, dependents...)
	}
	r.authServerChecks(ctx, c)
}

func orSource(s string) string {
	if s == "" {
		return "the config"
	}
	return s
}

// accessUnknown records the access check and the items as unknown: the
// read failed, and why — for 401/403, what to grant.
func (r *run) accessUnknown(read *oktaadmin.Read, items ...item) {
	why := read.Err.Error()
	if read.Err.Kind == oktaadmin.Denied {
		why += " — " + read.Err.Grant()
		if read.Err.Need == oktaadmin.ScopeAIAgents || read.Err.Need == oktaadmin.ScopeMCPServers {
			why += aiNote
		}
	}
	if _, done := r.diag.Find(itemAdminAccess.id); !done {
		r.unknown(itemAdminAccess, "read access to the org's admin API", why+"; the doctor goes on with its outside probes", read.Exchanges)
	}
	for _, i := range items {
		r.unknown(i, "", "not read from the org: "+why, read.Exchanges)
	}
}

// appChecks judge the requesting app as the org registers it.
func (r *run) appChecks(ctx context.Context, c *oktaadmin.Client, app *oktaadmin.App, read *oktaadmin.Read) {
	ev := read.Exchanges
	oc := app.Settings.OAuthClient
	grants := sanitizedList(oc.GrantTypes)
	want := []string{oktaadmin.GrantTokenExchange}
	if r.cfg.IdP.UsesRefreshToken() {
		want = append(want, oktaadmin.GrantRefreshToken)
	}
	var missing []string
	for _, g := range want {
		if !slices.Contains(oc.GrantTypes, g) {
			missing = append(missing, g)
		}
	}
	if len(missing) == 0 {
		r.pass(itemAdminGrants, strings.Join(want, ", "), grants, ev)
	} else {
		r.fail(itemAdminGrants, strings.Join(want, ", "), grants,
			"enable "+strings.Join(missing, " and ")+" on the requesting app ("+oktaadmin.Sanitize(app.Label)+"): General › General Settings › Edit › Grant type", ev)
	}

	method := oktaadmin.Sanitize(app.Credentials.OAuthClient.TokenEndpointAuthMethod)
	if method == r.cfg.IdP.Method() {
		r.pass(itemAdminAuthMethod, r.cfg.IdP.Method(), method, ev)
	} else {
		r.fail(itemAdminAuthMethod, r.cfg.IdP.Method(), orNone(method),
			"the org authenticates this app with "+orNone(method)+": set idp.auth_method to it, or change Client authentication on the app's General tab", ev)
	}

	if slices.Contains(oc.RedirectURIs, r.cfg.IdP.RedirectURI) {
		r.pass(itemAdminRedirect, r.cfg.IdP.RedirectURI, "registered", ev)
	} else {
		r.fail(itemAdminRedirect, r.cfg.IdP.RedirectURI, orNone(sanitizedList(oc.RedirectURIs)),
			"add "+r.cfg.IdP.RedirectURI+" exactly to the app's Sign-in redirect URIs", ev)
	}

	if r.cfg.IdP.Method() == config.AuthPrivateKeyJWT {
		r.keyIDCheck(ctx, c, app)
	}
	r.connectionCheck(ctx, c, app)
}

func orNone(s string) string {
	if s == "" {
		return "(none)"
	}
	return s
}

func sanitizedList(l []string) string {
	out := make([]string, 0, min(len(l), 20))
	for _, s := range l[:min(len(l), 20)] {
		out = append(out, oktaadmin.Sanitize(s))
	}
	if len(l) > 20 {
		out = append(out, fmt.Sprintf("… (%d more)", len(l)-20))
	}
	return strings.Join(out, ", ")
}

// keyIDCheck: with private_key_jwt an ACTIVE key of the app has the kid
// of the config's key.
func (r *run) keyIDCheck(ctx context.Context, c *oktaadmin.Client, app *oktaadmin.App) {
	keys, read := c.Keys(ctx, app.ID)
	if !read.OK() {
		r.accessUnknown(read, itemAdminKeyID)
		return
	}
	r.judgeKID(itemAdminKeyID, keys, read, "add the public key of idp.private_key with kid %s to the app (or activate it), or set idp.key_id to a registered kid")
}

// noConnectionFrom starts the actual of a requesting app without a connection.
const noConnectionFrom = "the org has no Cross App Access connection from "

// connectionCheck: an ACTIVE Cross App Access connection leads from the
// requesting app to a resource app.
func (r *run) connectionCheck(ctx context.Context, c *oktaadmin.Client, app *oktaadmin.App) {
	conns, read := c.Connections(ctx, app.ID)
	if !read.OK() {
		r.accessUnknown(read, itemAdminConnection)
		return
	}
	label := oktaadmin.Sanitize(app.Label)
	var active, inactive []string
	for _, cn := range conns {
		if cn.RequestingAppInstanceID != app.ID {
			continue // inbound: this app is the resource
		}
		to := oktaadmin.Sanitize(cn.ResourceAppInstanceID)
		if cn.Status == oktaadmin.StatusActive {
			active = append(active, to)
		} else {
			inactive = append(inactive, to+" ("+oktaadmin.Sanitize(cn.Status)+")")
		}
	}
	expected := "an ACTIVE connection from " + label + " to the resource app"
	switch {
	case len(active) > 0:
		r.pass(itemAdminConnection, expected, "ACTIVE to "+strings.Join(active, ", "), read.Exchanges)
	case len(inactive) > 0:
		r.fail(itemAdminConnection, expected, "only INACTIVE: "+strings.Join(inactive, ", "),
			"activate the connection from "+label+" to the resource app (Manage Connections)", read.Exchanges)
	default:
		r.fail(itemAdminConnection, expected, noConnectionFrom+label,
			"add the resource app as a connection of "+label+" (Manage Connections, or the agent's Resource connections); without it the token exchange answers invalid_target", read.Exchanges)
	}
}

// authServerChecks judge the resource's custom authorization server, when
// the org has one with the config's issuer.
func (r *run) authServerChecks(ctx context.Context, c *oktaadmin.Client) {
	items := []item{itemAdminAuthServer, itemAdminPolicy, itemAdminScopes}
	external := r.idpOutsideOrg(c.Org)
	if external {
		items = append(items, itemAdminTrustedIdP)
	} else {
		r.trustedIdPNotApplicable(c.Org)
	}
	servers, read := c.AuthServers(ctx)
	if !read.OK() {
		r.accessUnknown(read, items...)
		return
	}
	if _, done := r.diag.Find(itemAdminAccess.id); !done { // the app was not read: the IdP is not this org
		r.pass(itemAdminAccess, "read access to the org's admin API", "read "+read.URL, read.Exchanges)
	}
	issuer := r.cfg.ResourceAS.Issuer
	i := slices.IndexFunc(servers, func(s oktaadmin.AuthServer) bool { return s.Issuer == issuer })
	if i < 0 {
		var near []string
		for _, s := range servers {
			if strings.TrimSuffix(s.Issuer, "/") == strings.TrimSuffix(issuer, "/") {
				near = append(near, oktaadmin.Sanitize(s.Issuer))
			}
		}
		if len(near) > 0 {
			r.fail(itemAdminAuthServer, issuer, "issuer "+strings.Join(near, ", "), "set resource_as.issuer to the server's issuer byte for byte (a trailing slash differs)", read.Exchanges)
		} else {
			why := "no custom authorization server of " + c.Org + " has issuer " + issuer + ": the resource AS is not this org's, so the outside probes judge it"
			r.unknown(itemAdminAuthServer, issuer, why, read.Exchanges)
		}
		for _, i := range items[1:] {
			r.unknown(i, "", needs("the resource's authorization server in the org", itemAdminAuthServer.id), nil)
		}
		return
	}
	as := servers[i]
	name := oktaadmin.Sanitize(as.Name)
	if as.Status == oktaadmin.StatusActive {
		r.pass(itemAdminAuthServer, issuer+", ACTIVE", name+": "+issuer+", ACTIVE", read.Exchanges)
	} else {
		r.fail(itemAdminAuthServer, issuer+", ACTIVE", name+": "+oktaadmin.Sanitize(as.Status), "activate the authorization server "+name, read.Exchanges)
	}
	r.policyCheck(ctx, c, as)
	r.scopesCheck(ctx, c, as)
	if external {
		r.trustedIdPCheck(ctx, c)
	}
}

// policyCheck: an ACTIVE policy whose clients include resource_as.client_id
// (or ALL_CLIENTS) has an ACTIVE rule allowing the JWT Bearer grant.
func (r *run) policyCheck(ctx context.Context, c *oktaadmin.Client, as oktaadmin.AuthServer) {
	client := r.cfg.ResourceAS.ClientID
	policies, read := c.Policies(ctx, as.ID)
	if !read.OK() {
		r.accessUnknown(read, itemAdminPolicy)
		return
	}
	ev := read.Exchanges
	expected := "an ACTIVE rule allowing " + oktaadmin.GrantJWTBearer + " in an ACTIVE policy for " + client
	var seen []string
	for _, p := range policies {
		inc := p.Conditions.Clients.Include
		if p.Status != oktaadmin.StatusActive || !(slices.Contains(inc, client) || slices.Contains(inc, "ALL_CLIENTS")) {
			continue
		}
		rules, rread := c.Rules(ctx, as.ID, p.ID)
		ev = append(ev, rread.Exchanges...)
		if !rread.OK() {
			rread.Exchanges = ev
			r.accessUnknown(rread, itemAdminPolicy)
			return
		}
		for _, rule := range rules {
			desc := oktaadmin.Sanitize(p.Name) + " › " + oktaadmin.Sanitize(rule.Name) + " (" + oktaadmin.Sanitize(rule.Status) + "): " + sanitizedList(rule.Conditions.GrantTypes.Include)
			if rule.Status == oktaadmin.StatusActive && slices.Contains(rule.Conditions.GrantTypes.Include, oktaadmin.GrantJWTBearer) {
				r.pass(itemAdminPolicy, expected, desc, ev)
				return
			}
			seen = append(seen, desc)
		}
		if len(rules) == 0 {
			seen = append(seen, oktaadmin.Sanitize(p.Name)+": no rules")
		}
	}
	if len(seen) == 0 {
		r.fail(itemAdminPolicy, expected, "no ACTIVE access policy of "+oktaadmin.Sanitize(as.Name)+" is assigned to "+client+" or All clients",
			"assign an access policy of the authorization server to "+client+" (or All clients), with a rule allowing JWT Bearer; otherwise the jwt-bearer grant answers access_denied (Policy evaluation failed)", ev)
		return
	}
	r.fail(itemAdminPolicy, expected, strings.Join(seen, "; "),
		"edit the rule: IF Grant type is › Advanced › JWT Bearer, and make sure it is ACTIVE; otherwise the jwt-bearer grant answers access_denied (Policy evaluation failed)", ev)
}

// scopesCheck: every scope of resource_as.scopes exists on the server.
func (r *run) scopesCheck(ctx context.Context, c *oktaadmin.Client, as oktaadmin.AuthServer) {
	want := r.cfg.ResourceAS.Scopes
	if len(want) == 0 {
		r.unknown(itemAdminScopes, "", "resource_as.scopes is empty: the token's scopes are the server's defaults, so there is nothing to compare", nil)
		return
	}
	scopes, read := c.Scopes(ctx, as.ID)
	if !read.OK() {
		r.accessUnknown(read, itemAdminScopes)
		return
	}
	var missing []string
	for _, s := range want {
		if !slices.ContainsFunc(scopes, func(x oktaadmin.Scope) bool { return x.Name == s }) {
			missing = append(missing, s)
		}
	}
	if len(missing) == 0 {
		r.pass(itemAdminScopes, want.String(), "all defined", read.Exchanges)
		return
	}
	r.fail(itemAdminScopes, want.String(), "missing: "+strings.Join(missing, ", "),
		"add the scopes to "+oktaadmin.Sanitize(as.Name)+" (Scopes › Add Scope), or remove them from resource_as.scopes", read.Exchanges)
}
