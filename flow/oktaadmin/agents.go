package oktaadmin

import (
	"bytes"
	"context"
	"encoding/json"
	"net/url"
	"slices"
)

// Okta for AI Agents (Beta, SUPER_ADMIN): the AI agents (workload
// principals) with their keys and resource connections, and the MCP
// servers (resource servers) with their authorization servers. These APIs
// are not in the Management API spec; the shapes follow Okta's API
// reference, https://developer.okta.com/docs/api/secures-ai/ai-agents and
// https://developer.okta.com/docs/api/secures-ai/mcp-servers.

// Scopes of the Okta for AI Agents reads.
const (
	ScopeAIAgents   = "okta.aiAgents.read"
	ScopeMCPServers = "okta.resourceServers.mcpServers.read"
)

// Paths of the Okta for AI Agents APIs.
const (
	AIAgentsPath   = "/workload-principals/api/v1/ai-agents"
	MCPServersPath = "/resource-servers/api/v1/mcp-servers"
)

// Identity-assertion connection types of an AI agent: the ones Cross App
// Access uses (to an app, a resource behind a custom authorization
// server, an MCP server).
const (
	ConnectionAppInstance = "IDENTITY_ASSERTION_APP_INSTANCE"
	ConnectionCustomAS    = "IDENTITY_ASSERTION_CUSTOM_AS"
	ConnectionMCPServer   = "IDENTITY_ASSERTION_MCP_SERVER"
)

// AIAgent is what the doctor reads of an AI agent.
type AIAgent struct {
	ID      string `json:"id"`
	Status  string `json:"status"`
	Profile struct {
		Name string `json:"name"`
	} `json:"profile"`
	// OAuthClient is the agent's own client registration (its sub-fields
	// are read when present).
	OAuthClient struct {
		ClientID string `json:"clientId"`
	} `json:"oauthClient"`
	// SignOnProvider links the agent to the app users sign in to; an
	// older schema has AppID.
	SignOnProvider struct {
		AppInstanceID string `json:"appInstanceId"`
	} `json:"signOnProvider"`
	AppID string `json:"appId"`
}

// Is reports whether the agent is the requesting client: its id, its own
// client id, or its linked app is clientID or appID.
func (a AIAgent) Is(clientID, appID string) bool {
	for _, s := range []string{a.ID, a.OAuthClient.ClientID, a.SignOnProvider.AppInstanceID, a.AppID} {
		if s != "" && (s == clientID || s == appID) {
			return true
		}
	}
	return false
}

// AgentConnection is a resource connection of an AI agent.
type AgentConnection struct {
	ID                  string `json:"id"`
	ConnectionType      string `json:"connectionType"`
	Status              string `json:"status"`
	ResourceIndicator   string `json:"resourceIndicator"`
	AuthorizationServer struct {
		ORN       string `json:"orn"`
		Name      string `json:"name"`
		IssuerURL string `json:"issuerUrl"`
	} `json:"authorizationServer"`
	Resource struct {
		ORN  string `json:"orn"`
		Name string `json:"name"`
	} `json:"resource"`
	App struct {
		ORN  string `json:"orn"`
		Name string `json:"name"`
	} `json:"app"`
	// ScopeCondition is ALL_SCOPES, INCLUDE_ONLY or EXCLUDE (the scopes
	// listed); Okta shows it on app-instance and custom-AS connections.
	ScopeCondition string   `json:"scopeCondition"`
	Scopes         []string `json:"scopes"`
}

// Scope conditions of an agent's resource connection.
const (
	ScopesAll     = "ALL_SCOPES"
	ScopesInclude = "INCLUDE_ONLY"
	ScopesExclude = "EXCLUDE"
)

// Refuses returns the scopes of requested the connection does not allow,
// and false when its scope condition is absent or unknown (nothing was
// compared).
func (c AgentConnection) Refuses(requested []string) ([]string, bool) {
	var refused []string
	switch c.ScopeCondition {
	case ScopesAll:
	case ScopesInclude:
		if !slices.Contains(c.Scopes, "*") {
			for _, s := range requested {
				if !slices.Contains(c.Scopes, s) {
					refused = append(refused, s)
				}
			}
		}
	case ScopesExclude:
		for _, s := range requested {
			if slices.Contains(c.Scopes, s) {
				refused = append(refused, s)
			}
		}
	default:
		return nil, false
	}
	return refused, true
}

// IdentityAssertion reports whether the connection is one Cross App
// Access uses.
func (c AgentConnection) IdentityAssertion() bool {
	switch c.ConnectionType {
	case ConnectionAppInstance, ConnectionCustomAS, ConnectionMCPServer:
		return true
	}
	return false
}

// MCPServer is what the doctor reads of an MCP server registered in the org.
type MCPServer struct {
	ID          string `json:"id"`
	Status      string `json:"status"`
	ResourceURL string `json:"resourceUrl"`
	Metadata    struct {
		DisplayName string `json:"displayName"`
	} `json:"metadata"`
	DetectedMetadata struct {
		ResourceName string `json:"resourceName"`
	} `json:"detectedMetadata"`
}

// Name is the server's display name, else its detected resource name.
func (m MCPServer) Name() string {
	if m.Metadata.DisplayName != "" {
		return m.Metadata.DisplayName
	}
	return m.DetectedMetadata.ResourceName
}

// MCPAuthServer is an authorization server that protects an MCP server.
type MCPAuthServer struct {
	ID        string `json:"id"`
	Name      string `json:"name"`
	Status    string `json:"status"`
	Issuer    string `json:"issuer"`
	IssuerURL string `json:"issuerUrl"`
}

func agentPath(id string) string { return AIAgentsPath + "/" + url.PathEscape(id) }

// AIAgents lists the org's AI agents.
func (c *Client) AIAgents(ctx context.Context) ([]AIAgent, *Read) {
	var as []AIAgent
	return as, c.list(ctx, AIAgentsPath, nil, ScopeAIAgents, &as, true)
}

// AIAgent reads one AI agent.
func (c *Client) AIAgent(ctx context.Context, id string) (*AIAgent, *Read) {
	var a AIAgent
	return &a, c.Get(ctx, agentPath(id), nil, ScopeAIAgents, &a)
}

// AgentKeys reads an AI agent's public keys.
func (c *Client) AgentKeys(ctx context.Context, agentID string) ([]JWK, *Read) {
	var ks []JWK
	return ks, c.list(ctx, agentPath(agentID)+"/credentials/jwks", nil, ScopeAIAgents, &ks, true)
}

// AgentConnections reads an AI agent's resource connections.
func (c *Client) AgentConnections(ctx context.Context, agentID string) ([]AgentConnection, *Read) {
	var cs []AgentConnection
	return cs, c.list(ctx, agentPath(agentID)+"/connections", nil, ScopeAIAgents, &cs, true)
}

// MCPServers lists the org's MCP servers.
func (c *Client) MCPServers(ctx context.Context) ([]MCPServer, *Read) {
	var ms []MCPServer
	return ms, c.list(ctx, MCPServersPath, nil, ScopeMCPServers, &ms, true)
}

// MCPAuthServers lists the authorization servers of an MCP server.
func (c *Client) MCPAuthServers(ctx context.Context, serverID string) ([]MCPAuthServer, *Read) {
	var as []MCPAuthServer
	return as, c.list(ctx, MCPServersPath+"/"+url.PathEscape(serverID)+"/authorization-servers", nil, ScopeMCPServers, &as, true)
}

// pageItems decodes one page of a list: a JSON array or, when wrapped
// (the Okta for AI Agents APIs), also an object whose data is the array.
func pageItems(body []byte, wrapped bool) ([]json.RawMessage, error) {
	var items []json.RawMessage
	if wrapped && bytes.HasPrefix(bytes.TrimSpace(body), []byte("{")) {
		var w struct {
			Data []json.RawMessage `json:"data"`
		}
		err := json.Unmarshal(body, &w)
		return w.Data, err
	}
	err := json.Unmarshal(body, &items)
	return items, err
}
