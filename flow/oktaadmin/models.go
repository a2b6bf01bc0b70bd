package oktaadmin

import (
	"context"
	"net/url"
)

// Scopes each read needs (Okta API Scopes of an API Services app).
const (
	ScopeApps        = "okta.apps.read"
	ScopeAuthServers = "okta.authorizationServers.read"
)

// Grant types the doctor looks for.
const (
	GrantTokenExchange = "urn:ietf:params:oauth:grant-type:token-exchange"
	GrantJWTBearer     = "urn:ietf:params:oauth:grant-type:jwt-bearer"
	GrantRefreshToken  = "refresh_token"
	StatusActive       = "ACTIVE"
)

// App is what the doctor reads of an app (Application,
// OpenIdConnectApplication in the Management API spec).
type App struct {
	ID          string `json:"id"`
	Label       string `json:"label"`
	Status      string `json:"status"`
	SignOnMode  string `json:"signOnMode"`
	Credentials struct {
		OAuthClient struct {
			ClientID                string `json:"client_id"`
			TokenEndpointAuthMethod string `json:"token_endpoint_auth_method"`
		} `json:"oauthClient"`
	} `json:"credentials"`
	Settings struct {
		OAuthClient struct {
			GrantTypes   []string `json:"grant_types"`
			RedirectURIs []string `json:"redirect_uris"`
			JWKS         *struct {
				Keys []JWK `json:"keys"`
			} `json:"jwks"`
			JWKSURI string `json:"jwks_uri"`
		} `json:"oauthClient"`
	} `json:"settings"`
}

// JWK is a client key (OAuth2ClientJsonSigningKeyResponse).
type JWK struct {
	ID     string `json:"id"`
	KID    string `json:"kid"`
	Status string `json:"status"`
	Kty    string `json:"kty"`
}

// Connection is a Cross App Access connection (OrgCrossAppAccessConnection).
type Connection struct {
	ID                      string `json:"id"`
	RequestingAppInstanceID string `json:"requestingAppInstanceId"`
	ResourceAppInstanceID   string `json:"resourceAppInstanceId"`
	Status                  string `json:"status"`
}

// AuthServer is a custom authorization server (AuthorizationServer).
type AuthServer struct {
	ID        string   `json:"id"`
	Name      string   `json:"name"`
	Issuer    string   `json:"issuer"`
	Status    string   `json:"status"`
	Audiences []string `json:"audiences"`
}

// Policy is an access policy of an authorization server
// (AuthorizationServerPolicy).
type Policy struct {
	ID         string `json:"id"`
	Name       string `json:"name"`
	Status     string `json:"status"`
	Priority   int    `json:"priority"`
	Conditions struct {
		Clients struct {
			Include []string `json:"include"`
		} `json:"clients"`
	} `json:"conditions"`
}

// Rule is a rule of an access policy (AuthorizationServerPolicyRule).
type Rule struct {
	ID         string `json:"id"`
	Name       string `json:"name"`
	Status     string `json:"status"`
	Priority   int    `json:"priority"`
	Conditions struct {
		GrantTypes struct {
			Include []string `json:"include"`
		} `json:"grantTypes"`
		Scopes struct {
			Include []string `json:"include"`
		} `json:"scopes"`
	} `json:"conditions"`
}

// Scope is a scope of an authorization server (OAuth2Scope).
type Scope struct {
	ID   string `json:"id"`
	Name string `json:"name"`
}

// AppPath is the path of an app; an OIDC app's id is its client id.
func AppPath(id string) string { return "/api/v1/apps/" + url.PathEscape(id) }

// App reads an app by id (an OIDC app's client id is its app id).
func (c *Client) App(ctx context.Context, id string) (*App, *Read) {
	var a App
	return &a, c.Get(ctx, AppPath(id), nil, ScopeApps, &a)
}

// Keys reads an OIDC app's client keys.
func (c *Client) Keys(ctx context.Context, appID string) ([]JWK, *Read) {
	var ks []JWK
	return ks, c.List(ctx, AppPath(appID)+"/credentials/jwks", nil, ScopeApps, &ks)
}

// Connections reads an app's Cross App Access connections (inbound and
// outbound).
func (c *Client) Connections(ctx context.Context, appID string) ([]Connection, *Read) {
	var cs []Connection
	r := c.List(ctx, AppPath(appID)+"/cwo/connections", nil, ScopeApps, &cs)
	return cs, r
}

// AuthServers lists the custom authorization servers.
func (c *Client) AuthServers(ctx context.Context) ([]AuthServer, *Read) {
	var as []AuthServer
	r := c.List(ctx, "/api/v1/authorizationServers", nil, ScopeAuthServers, &as)
	return as, r
}

func asPath(id string) string { return "/api/v1/authorizationServers/" + url.PathEscape(id) }

// Policies lists an authorization server's access policies.
func (c *Client) Policies(ctx context.Context, asID string) ([]Policy, *Read) {
	var ps []Policy
	r := c.List(ctx, asPath(asID)+"/policies", nil, ScopeAuthServers, &ps)
	return ps, r
}

// Rules lists a policy's rules.
func (c *Client) Rules(ctx context.Context, asID, policyID string) ([]Rule, *Read) {
	var rs []Rule
	r := c.List(ctx, asPath(asID)+"/policies/"+url.PathEscape(policyID)+"/rules", nil, ScopeAuthServers, &rs)
	return rs, r
}

// Scopes lists an authorization server's scopes.
func (c *Client) Scopes(ctx context.Context, asID string) ([]Scope, *Read) {
	var ss []Scope
	r := c.List(ctx, asPath(asID)+"/scopes", nil, ScopeAuthServers, &ss)
	return ss, r
}
