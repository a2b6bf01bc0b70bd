package playground

import (
	"encoding/json"
	"net/http"
	"strings"
)

// With the Okta profile the simulated org also has Okta for AI Agents
// (Beta): its requesting client is an AI agent, with the demo client key
// and identity-assertion connections to the todo API and the todo MCP
// server behind the resource's custom authorization server, and the MCP
// server is registered. These APIs are not in the Management API spec;
// the shapes follow the examples of Okta's API reference,
// https://developer.okta.com/docs/api/secures-ai/ai-agents and
// https://developer.okta.com/docs/api/secures-ai/mcp-servers. Lists of
// AI agents answer with an array, those of MCP servers with {"data": …};
// the doctor's client takes both.

// Faults of the simulated org's Okta for AI Agents.
const (
	// FaultOktaAgentStaged: the AI agent is STAGED (registered, not activated).
	FaultOktaAgentStaged = "okta-agent-staged"
	// FaultOktaMCPInvalid: the registered MCP server is INVALID (Okta's
	// validation failed).
	FaultOktaMCPInvalid = "okta-mcp-invalid"
	// FaultOktaConnectionScope: the agent's resource connection to the todo
	// API allows only todos.read.
	FaultOktaConnectionScope = "okta-connection-scope-missing"
)

func init() {
	faultTable = append(faultTable,
		FaultInfo{Name: FaultOktaAgentStaged, Party: PartyIdP, Step: StepTokenExchange, Profile: ProfileOkta,
			Description: "the requesting client's AI agent is STAGED, not ACTIVE (read with the admin API; the playground's IdP still issues ID-JAGs)"},
		FaultInfo{Name: FaultOktaMCPInvalid, Party: PartyIdP, Step: StepResource, Profile: ProfileOkta,
			Description: "the org's registration of the todo MCP server is INVALID (read with the admin API; the MCP server still answers)"},
		FaultInfo{Name: FaultOktaConnectionScope, Party: PartyIdP, Step: StepTokenExchange, Profile: ProfileOkta,
			Description: "the AI agent's resource connection allows only " + ScopeTodosRead + ": the token exchange for " + ScopeTodosWrite + " answers unauthorized_client 'Scope not permitted', and the admin API shows the connection's scopes as INCLUDE_ONLY " + ScopeTodosRead})
}

const (
	aiAgentsPath      = "/workload-principals/api/v1/ai-agents"
	mcpServersPath    = "/resource-servers/api/v1/mcp-servers"
	oktaOrgID         = "00oplayground0000x1"
	oktaAgentID       = "wlptodosagent0000x1"
	oktaMCPServerID   = "emstodosmcp00000x1"
	oktaAgentConnAPI  = "mcntodosapi0000x1"
	oktaAgentConnMCP  = "mcntodosmcp0000x1"
	oktaAgentKeyID    = "pkstodosagent000x1"
	oktaOrnAuthServer = "orn:okta:idp:" + oktaOrgID + ":authorization_servers:" + oktaAuthServerID
)

// serveAIAdmin answers the reads of the Okta for AI Agents APIs.
func (p *Playground) serveAIAdmin(w http.ResponseWriter, r *http.Request) {
	if !p.adminAuthorized(w, r) {
		return
	}
	var body any
	switch path := strings.TrimSuffix(r.URL.Path, "/"); path {
	case aiAgentsPath:
		body = p.adminPage(w, r, []any{p.adminAgent()})
	case aiAgentsPath + "/" + oktaAgentID:
		body = p.adminAgent()
	case aiAgentsPath + "/" + oktaAgentID + "/credentials/jwks":
		body = p.adminPage(w, r, p.adminAgentKeys())
	case aiAgentsPath + "/" + oktaAgentID + "/connections":
		body = p.adminPage(w, r, p.adminAgentConnections())
	case mcpServersPath:
		body = map[string]any{"data": p.adminPage(w, r, []any{p.adminMCPServer()}), "_links": p.adminLinks(path)}
	case mcpServersPath + "/" + oktaMCPServerID:
		body = p.adminMCPServer()
	case mcpServersPath + "/" + oktaMCPServerID + "/authorization-servers":
		body = map[string]any{"data": p.adminPage(w, r, []any{p.adminMCPAuthServer()}), "_links": p.adminLinks(path)}
	}
	if body == nil {
		writeAdminError(w, http.StatusNotFound, "E0000007", "Not found: Resource not found: "+r.URL.Path+" (playground)")
		return
	}
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(body)
}

func (p *Playground) adminCreated() string {
	return p.now().UTC().Add(-24 * 3600e9).Format("2006-01-02T15:04:05.000Z")
}

// adminAgent is the requesting client as an AI agent, linked to the
// requesting app users sign in to.
func (p *Playground) adminAgent() map[string]any {
	status := "ACTIVE"
	if p.faults[FaultOktaAgentStaged] {
		status = "STAGED"
	}
	created := p.adminCreated()
	return map[string]any{"id": oktaAgentID, "orn": "orn:okta:directory:" + oktaOrgID + ":workload-principals:ai-agents:" + oktaAgentID,
		"created": created, "lastUpdated": created, "source": "MANUAL", "status": status,
		"profile":        map[string]any{"name": "xaa agent (playground)", "description": "The playground's requesting client"},
		"signOnProvider": map[string]any{"appInstanceId": IdPClientID},
		"_links":         map[string]any{"self": map[string]any{"href": p.idpURL + aiAgentsPath + "/" + oktaAgentID}}}
}

// adminAgentKeys are the agent's public keys: the demo client key.
func (p *Playground) adminAgentKeys() []any {
	keys := p.adminKeys()
	for _, k := range keys {
		delete(k.(map[string]any), "_links")
		k.(map[string]any)["id"] = oktaAgentKeyID
	}
	return keys
}

// adminAgentConnections connect the agent to the todo API and the todo
// MCP server, behind the resource's custom authorization server.
func (p *Playground) adminAgentConnections() []any {
	created := p.adminCreated()
	as := map[string]any{"orn": oktaOrnAuthServer, "name": "Todos", "issuerUrl": p.asURL}
	conn := func(id, typ, indicator string, extra map[string]any) map[string]any {
		c := map[string]any{"id": id, "orn": "orn:okta:idp:" + oktaOrgID + ":connections:" + id, "connectionType": typ, "protocolType": "IDENTITY_ASSERTION",
			"status": "ACTIVE", "resourceIndicator": indicator, "authorizationServer": as, "created": created, "lastUpdated": created}
		for k, v := range extra {
			c[k] = v
		}
		return c
	}
	return []any{
		conn(oktaAgentConnAPI, "IDENTITY_ASSERTION_CUSTOM_AS", p.rsURL, p.adminConnectionScopes()),
		conn(oktaAgentConnMCP, "IDENTITY_ASSERTION_MCP_SERVER", p.rsURL+mcpPath, map[string]any{
			"resource": map[string]any{"orn": "orn:okta:directory:" + oktaOrgID + ":resource-servers:mcp:" + oktaMCPServerID, "name": "Todos MCP"}}),
	}
}

// adminMCPServer is the org's registration of the todo MCP server.
func (p *Playground) adminMCPServer() map[string]any {
	status := "ACTIVE"
	if p.faults[FaultOktaMCPInvalid] {
		status = "INVALID"
	}
	created := p.adminCreated()
	return map[string]any{"id": oktaMCPServerID, "orn": "orn:okta:directory:" + oktaOrgID + ":resource-servers:mcp:" + oktaMCPServerID,
		"status": status, "resourceUrl": p.rsURL + mcpPath, "created": created, "lastUpdated": created,
		"metadata":         map[string]any{"displayName": "Todos MCP"},
		"detectedMetadata": map[string]any{"resourceName": "xaa playground todo MCP server"},
		"_links":           p.adminLinks(mcpServersPath + "/" + oktaMCPServerID)}
}

// adminMCPAuthServer is the custom authorization server that protects it.
func (p *Playground) adminMCPAuthServer() map[string]any {
	return map[string]any{"id": oktaAuthServerID, "orn": oktaOrnAuthServer, "name": "Todos", "issuer": p.asURL, "status": "ACTIVE",
		"_links": p.adminLinks(mcpServersPath + "/" + oktaMCPServerID + "/authorization-servers/" + oktaAuthServerID)}
}

// adminConnectionScopes are the scope condition of the agent's connection,
// as the IdP enforces it (connectionScopes).
func (p *Playground) adminConnectionScopes() map[string]any {
	if p.faults[FaultOktaConnectionScope] {
		return map[string]any{"scopeCondition": "INCLUDE_ONLY", "scopes": p.connectionScopes()}
	}
	return map[string]any{"scopeCondition": "ALL_SCOPES", "scopes": []string{"*"}}
}

// connectionScopes are the scopes the requesting app's connection allows.
func (p *Playground) connectionScopes() []string {
	if p.faults[FaultOktaConnectionScope] {
		return []string{ScopeTodosRead}
	}
	return []string{ScopeTodosRead, ScopeTodosWrite}
}
