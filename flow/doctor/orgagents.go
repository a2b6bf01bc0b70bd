package doctor

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/xaatools/xaa/flow"
	"github.com/xaatools/xaa/flow/config"
	"github.com/xaatools/xaa/flow/explain"
	"github.com/xaatools/xaa/flow/oktaadmin"
	"github.com/xaatools/xaa/inspect"
)

// Checks read from the org's Okta for AI Agents APIs (Beta): the AI agent
// that is the requesting app, and the MCP server. These APIs answer only
// orgs subscribed to Okta for AI Agents, and only a Super Administrator
// (okta.aiAgents.read, okta.resourceServers.mcpServers.read): whatever
// cannot be read is unknown, never a failure.
const (
	consoleAgent     = "Okta Admin Console › Directory › AI agents › (agent)"
	consoleAgentKeys = consoleAgent + " › Credentials (public keys)"
	consoleMCP       = "Okta Admin Console › Directory › MCP servers › (server)"
	specAIAgents     = "Okta for AI Agents API (developer.okta.com/docs/api/secures-ai/ai-agents)"
	specMCPServers   = "Okta for AI Agents API (developer.okta.com/docs/api/secures-ai/mcp-servers)"
)

var (
	itemAgentStatus     = item{"requesting_app.org.ai_agent", RequestingApp, "The requesting app's AI agent is ACTIVE (read from the org)", specAIAgents + " status", consoleAgent}
	itemAgentKey        = item{"requesting_app.org.ai_agent_key", RequestingApp, "An ACTIVE key of the AI agent has idp.key_id (read from the org)", "RFC 7523 §3; " + specAIAgents + " …/credentials/jwks", consoleAgentKeys}
	itemAgentConnection = item{"requesting_app.org.ai_agent_connection", RequestingApp, "An ACTIVE identity-assertion connection of the AI agent has each resource indicator xaa sends, at resource_as.issuer (read from the org)", "RFC 8707 §2; draft §4.3; " + specAIAgents + " …/connections", explain.OktaConnection}
	itemAgentScopes     = item{"requesting_app.org.ai_agent_connection_scopes", RequestingApp, "The AI agent's connections allow resource_as.scopes (read from the org)", "RFC 6749 §3.3; draft §4.3; " + specAIAgents + " …/connections scopeCondition", explain.OktaConnectionScopes}
	itemMCPServer       = item{"resource.org.mcp_server", Resource, "The org registers the MCP server under its RFC 9728 resource, ACTIVE (read from the org)", "RFC 9728 §3.3; " + specMCPServers, consoleMCP}
	itemMCPAuthServers  = item{"resource.org.mcp_authorization_servers", Resource, "An ACTIVE authorization server is resolved for the MCP server (read from the org)", "RFC 9728 §2; " + specMCPServers + " …/authorization-servers", consoleMCP + " › Authorization servers"}
)

// aiNote is added to a refused read of the Okta for AI Agents APIs.
const aiNote = "; the Okta for AI Agents APIs (Beta) need the Super Administrator role, and in private-key mode the scope in okta.scopes too"

// agentChecks judge the AI agent that is the requesting app: okta.ai_agent_id,
// else the agent whose client registration or linked app is idp.client_id
// (appID is the requesting app's id, when it was read).
func (r *run) agentChecks(ctx context.Context, c *oktaadmin.Client, appID string) {
	items := []item{itemAgentStatus, itemAgentKey, itemAgentConnection, itemAgentScopes}
	var agent *oktaadmin.AIAgent
	var read *oktaadmin.Read
	if id := r.cfg.Okta.AIAgentID; id != "" {
		agent, read = c.AIAgent(ctx, id)
		if !read.OK() && read.Err.Kind == oktaadmin.NotFound {
			r.unknown(itemAgentStatus, "the AI agent "+id+" (okta.ai_agent_id)", "the org answered 404 "+read.Err.Code+": okta.ai_agent_id is no AI agent of "+c.Org+
				" (copy the id from "+consoleAgent+"), or the org has no Okta for AI Agents", read.Exchanges)
			return
		}
	} else {
		var agents []oktaadmin.AIAgent
		agents, read = c.AIAgents(ctx)
		if !read.OK() && read.Err.Kind == oktaadmin.NotFound {
			r.unknown(itemAgentStatus, "", "the org has no AI agents API (404 "+read.Err.Code+"): without Okta for AI Agents the requesting app is no AI agent, so there is nothing to compare", read.Exchanges)
			return
		}
		if read.OK() {
			i := slices.IndexFunc(agents, func(a oktaadmin.AIAgent) bool { return a.Is(r.cfg.IdP.ClientID, appID) })
			if i < 0 {
				r.unknown(itemAgentStatus, "", fmt.Sprintf("idp.client_id is the client of none of the org's %d AI agents, so the AI agent checks do not apply (set okta.ai_agent_id if the requesting app is one)", len(agents)), read.Exchanges)
				return
			}
			agent = &agents[i]
		}
	}
	if !read.OK() {
		r.accessUnknown(read, items...)
		return
	}
	name := oktaadmin.Sanitize(agent.Profile.Name)
	if name == "" {
		name = oktaadmin.Sanitize(agent.ID)
	}
	status := oktaadmin.Sanitize(agent.Status)
	switch status {
	case oktaadmin.StatusActive:
		r.pass(itemAgentStatus, "ACTIVE", name+": ACTIVE", read.Exchanges)
	case "STAGED":
		r.fail(itemAgentStatus, "ACTIVE", name+": STAGED", "the agent is registered but not activated, and only an ACTIVE agent can use its credentials: add its owners and credentials (a public key), then Actions › Activate", read.Exchanges)
	default:
		r.fail(itemAgentStatus, "ACTIVE", name+": "+orNone(status), "activate the agent (Actions › Activate): only an ACTIVE agent can use its credentials", read.Exchanges)
	}
	if r.cfg.IdP.Method() == config.AuthPrivateKeyJWT {
		keys, kread := c.AgentKeys(ctx, agent.ID)
		if !kread.OK() {
			r.accessUnknown(kread, itemAgentKey)
		} else {
			r.judgeKID(itemAgentKey, keys, kread, "add the public key of idp.private_key with kid %s to the agent (Credentials), or activate it, or set idp.key_id to a registered kid")
		}
	}
	r.agentConnectionCheck(ctx, c, agent, name)
}

// configKID is the kid of the config's key: idp.key_id, else the key's.
func (r *run) configKID() string {
	if r.cfg.IdP.KeyID == "" && r.cfg.IdP.Key != nil {
		return r.cfg.IdP.Key.KeyID
	}
	return r.cfg.IdP.KeyID
}

// judgeKID: an ACTIVE key among keys has the config key's kid; fix has
// one %s for the kid.
func (r *run) judgeKID(i item, keys []oktaadmin.JWK, read *oktaadmin.Read, fix string) {
	kid := r.configKID()
	var active []string
	for _, k := range keys {
		if k.Status == oktaadmin.StatusActive {
			active = append(active, oktaadmin.Sanitize(k.KID))
		}
	}
	expected := "an ACTIVE key with kid " + kid
	switch {
	case kid == "":
		r.unknown(i, "an ACTIVE key with the config key's kid", "idp.key_id is not set and the key has no kid, so there is nothing to compare: set idp.key_id", read.Exchanges)
	case slices.Contains(active, kid):
		r.pass(i, expected, "ACTIVE kids: "+strings.Join(active, ", "), read.Exchanges)
	default:
		r.fail(i, expected, "ACTIVE kids: "+orNone(strings.Join(active, ", ")), fmt.Sprintf(fix, kid), read.Exchanges)
	}
}

// agentConnectionCheck: for each resource indicator xaa sends, an ACTIVE
// identity-assertion connection of the agent has it, and its authorization
// server is resource_as.issuer where the API shows the issuer.
func (r *run) agentConnectionCheck(ctx context.Context, c *oktaadmin.Client, agent *oktaadmin.AIAgent, name string) {
	conns, read := c.AgentConnections(ctx, agent.ID)
	if !read.OK() {
		r.accessUnknown(read, itemAgentConnection, itemAgentScopes)
		return
	}
	want := flow.ResourceIndicators(r.cfg, flow.State{API: r.api, MCP: r.mcp})
	issuer := r.cfg.ResourceAS.Issuer
	if len(want) == 0 {
		r.unknown(itemAgentConnection, "", "xaa sends no resource indicator (resource.id is not set and no resource metadata was read), so the connections' indicators were not compared", read.Exchanges)
		r.unknown(itemAgentScopes, "", needs("a connection for a resource indicator xaa sends", itemAgentConnection.id), nil)
		return
	}
	var connected []oktaadmin.AgentConnection
	defer func() { r.agentScopesCheck(connected, read) }()
	expected := "ACTIVE identity-assertion connections for " + strings.Join(want, ", ") + " at " + issuer
	var seen, matched, problems []string
	for _, cn := range conns {
		if !cn.IdentityAssertion() {
			continue
		}
		seen = append(seen, oktaadmin.Sanitize(cn.ConnectionType)+" "+orNone(oktaadmin.Sanitize(cn.ResourceIndicator))+" ("+oktaadmin.Sanitize(cn.Status)+", authorization server "+orNone(oktaadmin.Sanitize(cn.AuthorizationServer.IssuerURL))+")")
	}
	for _, ind := range want {
		found := false
		for _, cn := range conns {
			if !cn.IdentityAssertion() || cn.ResourceIndicator != ind {
				continue
			}
			iss := cn.AuthorizationServer.IssuerURL
			switch {
			case cn.Status != oktaadmin.StatusActive:
				problems = append(problems, "the connection for "+ind+" is "+orNone(oktaadmin.Sanitize(cn.Status))+": activate it")
				continue
			case iss != "" && iss != issuer:
				problems = append(problems, "the connection for "+ind+" is to the authorization server "+oktaadmin.Sanitize(iss)+", not "+issuer+": connect the agent to the resource's authorization server, or set resource_as.issuer to it")
				continue
			}
			found = true
			connected = append(connected, cn)
			note := "at " + issuer
			if iss == "" {
				note = "its authorization server's issuer is not shown by the API (not compared)"
			}
			matched = append(matched, oktaadmin.Sanitize(cn.ConnectionType)+" "+ind+" ACTIVE, "+note)
			break
		}
		if !found && !slices.ContainsFunc(problems, func(p string) bool { return strings.HasPrefix(p, "the connection for "+ind+" ") }) {
			problems = append(problems, "no connection has the resource indicator "+ind+": add a resource connection for it (Resource connections › Add connection), or make resource.id the connection's indicator")
		}
	}
	if len(problems) == 0 {
		r.pass(itemAgentConnection, expected, strings.Join(matched, "; "), read.Exchanges)
		return
	}
	actual := strings.Join(seen, "; ")
	if actual == "" {
		actual = "the AI agent " + name + " has no identity-assertion connection"
	}
	r.fail(itemAgentConnection, expected, actual, strings.Join(problems, "; ")+"; otherwise the token exchange answers invalid_target", read.Exchanges)
}

// agentScopesCheck: the scope condition of each connection xaa's tokens go
// through allows every scope of resource_as.scopes. A connection whose
// condition the API does not show is not compared.
func (r *run) agentScopesCheck(connected []oktaadmin.AgentConnection, read *oktaadmin.Read) {
	requested := []string(r.cfg.ResourceAS.Scopes)
	switch {
	case len(connected) == 0:
		r.unknown(itemAgentScopes, "", needs("an ACTIVE connection for a resource indicator xaa sends", itemAgentConnection.id), nil)
		return
	case len(requested) == 0:
		r.unknown(itemAgentScopes, "", "resource_as.scopes is empty: xaa requests no scope, so the connections' scopes were not compared", read.Exchanges)
		return
	}
	expected := "each connection allows " + strings.Join(requested, " ")
	var seen, problems []string
	compared := false
	for _, cn := range connected {
		label := oktaadmin.Sanitize(cn.ConnectionType) + " " + oktaadmin.Sanitize(cn.ResourceIndicator)
		refused, ok := cn.Refuses(requested)
		switch {
		case !ok:
			seen = append(seen, label+": scope condition "+orNone(oktaadmin.Sanitize(cn.ScopeCondition))+" (not compared)")
			continue
		case len(refused) > 0:
			problems = append(problems, label+" does not allow "+strings.Join(refused, ", "))
		}
		compared = true
		seen = append(seen, label+": "+oktaadmin.Sanitize(cn.ScopeCondition)+" "+oktaadmin.Sanitize(strings.Join(cn.Scopes, " ")))
	}
	actual := strings.Join(seen, "; ")
	switch {
	case len(problems) > 0:
		r.fail(itemAgentScopes, expected, actual, strings.Join(problems, "; ")+
			": add the scopes to the connection, or request only the scopes it allows (resource_as.scopes); otherwise the token exchange answers unauthorized_client \"Scope not permitted\"", read.Exchanges)
	case !compared:
		r.unknown(itemAgentScopes, expected, "the API shows no scope condition on these connections, so their scopes were not compared: "+actual, read.Exchanges)
	default:
		r.pass(itemAgentScopes, expected, actual, read.Exchanges)
	}
}

// mcpServerChecks judge the MCP server as the org registers it: under the
// server's RFC 9728 resource, ACTIVE, with an authorization server.
func (r *run) mcpServerChecks(ctx context.Context, c *oktaadmin.Client) {
	if r.cfg.Resource.MCPURL == "" {
		return
	}
	if r.mcp == nil {
		why := needs("the MCP server's protected resource metadata", itemsMCP.metadata.id)
		r.unknown(itemMCPServer, "", why, nil)
		r.unknown(itemMCPAuthServers, "", why, nil)
		return
	}
	servers, read := c.MCPServers(ctx)
	if !read.OK() {
		if read.Err.Kind == oktaadmin.NotFound {
			why := "the org has no MCP servers API (404 " + read.Err.Code + "): it is part of Okta for AI Agents (Beta), which this org does not have; nothing was compared"
			r.unknown(itemMCPServer, "", why, read.Exchanges)
			r.unknown(itemMCPAuthServers, "", why, read.Exchanges)
			return
		}
		r.accessUnknown(read, itemMCPServer, itemMCPAuthServers)
		return
	}
	resource := r.mcp.Resource
	expected := "an ACTIVE MCP server with resource URL " + resource
	i := slices.IndexFunc(servers, func(m oktaadmin.MCPServer) bool { return m.ResourceURL == resource })
	if i < 0 {
		after := needs("the MCP server registered in the org", itemMCPServer.id)
		defer r.unknown(itemMCPAuthServers, "", after, nil)
		var urls []string
		near := ""
		for _, m := range servers {
			if m.ResourceURL == "" {
				continue
			}
			urls = append(urls, oktaadmin.Sanitize(m.ResourceURL))
			if _, n := inspect.CompareIdentifier(resource, m.ResourceURL); n != "" && near == "" {
				near = n
			}
		}
		switch {
		case len(servers) > 0 && len(urls) == 0:
			r.unknown(itemMCPServer, expected, fmt.Sprintf("the org's %d MCP servers show no resource URL the doctor can compare", len(servers)), read.Exchanges)
		case near != "":
			r.fail(itemMCPServer, expected, "resource URLs: "+strings.Join(urls, ", "), inspect.WithNearMiss(near,
				"the org's MCP server names another resource than the server's metadata: make them the same string, byte for byte (the connection's resource indicator is the org's)"), read.Exchanges)
		default:
			r.warn(itemMCPServer, expected, "resource URLs: "+orNone(strings.Join(urls, ", ")),
				"register the MCP server with resource URL "+resource+" (Directory › MCP servers › Add) and connect the agent to it; an agent that reaches it through a custom authorization server connection does not need this", read.Exchanges)
		}
		return
	}
	m := servers[i]
	name := oktaadmin.Sanitize(m.Name())
	status := oktaadmin.Sanitize(m.Status)
	actual := name + ": " + resource + ", " + orNone(status)
	switch status {
	case oktaadmin.StatusActive:
		r.pass(itemMCPServer, expected, actual, read.Exchanges)
	case "INVALID":
		r.fail(itemMCPServer, expected, actual, "Okta's validation of the server failed: fix its protected resource metadata (authorization_servers, at /.well-known/oauth-protected-resource) or its authorization server information, then validate it again", read.Exchanges)
	case "PENDING":
		r.fail(itemMCPServer, expected, actual, "Okta has not finished validating the server: wait and run the doctor again; if it stays PENDING, check that Okta can reach its protected resource metadata", read.Exchanges)
	case "INACTIVE":
		r.fail(itemMCPServer, expected, actual, "the server is validated but not active: activate it (Actions › Activate)", read.Exchanges)
	default:
		r.fail(itemMCPServer, expected, actual, "activate the MCP server", read.Exchanges)
	}
	r.mcpSettingsChecklist()
	as, aread := c.MCPAuthServers(ctx, m.ID)
	if !aread.OK() {
		r.accessUnknown(aread, itemMCPAuthServers)
		return
	}
	var active, other []string
	for _, a := range as {
		d := oktaadmin.Sanitize(a.ID)
		if iss := a.Issuer + a.IssuerURL; iss != "" {
			d += " " + oktaadmin.Sanitize(iss)
		}
		if a.Status == oktaadmin.StatusActive {
			active = append(active, d)
		} else {
			other = append(other, d+" ("+orNone(oktaadmin.Sanitize(a.Status))+")")
		}
	}
	if len(active) > 0 {
		r.pass(itemMCPAuthServers, "at least one ACTIVE authorization server", strings.Join(active, ", "), aread.Exchanges)
		return
	}
	r.fail(itemMCPAuthServers, "at least one ACTIVE authorization server", orNone(strings.Join(other, ", ")),
		"Okta resolves the server's authorization servers from its protected resource metadata (authorization_servers): list "+r.cfg.ResourceAS.Issuer+" there, or add the custom authorization server to the MCP server, and make it ACTIVE", aread.Exchanges)
}

// joinConnection joins outside and inside: when the token exchange was
// refused with invalid_target and the org read shows no connection from
// the requesting app, one line says both.
func (r *run) joinConnection() {
	out, ok1 := r.diag.Find(itemReqConnection.id)
	in, ok2 := r.diag.Find(itemAdminConnection.id)
	if !ok1 || !ok2 || out.Status != inspect.StatusFail || in.Status != inspect.StatusFail ||
		!strings.Contains(out.Actual, "invalid_target") || !strings.HasPrefix(in.Actual, noConnectionFrom) {
		return
	}
	label := strings.TrimPrefix(in.Actual, noConnectionFrom)
	line := "the token exchange was refused with invalid_target; the org has no Cross App Access connection from " + label + " to the resource app of " + r.audience()
	for k := range r.diag.Checks {
		if c := &r.diag.Checks[k]; c.ID == itemReqConnection.id {
			c.Hint = line + ": add the resource app as a connection of " + label + " (" + explain.OktaConnection + ")"
			c.Evidence = append(c.Evidence, in.Evidence...)
		}
	}
}
