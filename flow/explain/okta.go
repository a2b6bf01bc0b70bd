package explain

// Okta Admin Console paths, so every fix — in the catalogue, the doctor and
// the terminal UI — names the same screens the same way.
const (
	OktaAssignRequesting = "Okta Admin Console › Applications › Applications › (requesting app) › Assignments"
	OktaAssignResource   = "Okta Admin Console › Applications › Applications › (resource app) › Assignments"
	OktaRedirectURIs     = "Okta Admin Console › Applications › Applications › (requesting app) › General › Login › Sign-in redirect URIs"
	OktaGrantTypes       = "Okta Admin Console › Applications › Applications › (requesting app) › General › General Settings › Grant type (for an AI agent: Directory › AI agents › (agent) › Client registration)"
	OktaConnection       = "Okta Admin Console › Directory › AI agents › (agent) › Resource connections (a requesting app that is not an AI agent, or an older org: Applications › Applications › (requesting app) › Manage Connections)"
	OktaResourceXAA      = "Okta Admin Console › Applications › Applications › (resource app) › Resource Server › Cross App Access (XAA) › Issuer URL"
	OktaClientCreds      = "Okta Admin Console › Applications › Applications › (requesting app) › General › Client Credentials"
	OktaAuthServers      = "Okta Admin Console › Security › API › Authorization Servers (a custom authorization server cannot issue ID-JAGs: use the org URL)"
	OktaFeature          = "Okta Support (Cross App Access is no longer self-service since 2026-07-01; earlier orgs: Settings › Features › Cross App Access)"
	OktaConnectionScopes = OktaConnection + " › Scopes"
	// An Okta custom authorization server as the resource AS (for an
	// external IdP, or another org): the access-policy rule must allow the
	// JWT Bearer grant, and trust the IdP that issues the ID-JAGs.
	OktaCustomAS         = "Okta Admin Console › Security › API › Authorization Servers › (the resource's authorization server)"
	OktaCustomASRule     = OktaCustomAS + " › Access Policies › (the policy for resource_as.client_id) › (its rule) › IF Grant type is › Advanced › JWT Bearer"
	OktaCustomASIdP      = "Okta Admin Console › Security › Identity Providers (the IdP that issues the ID-JAGs, by its issuer) and, in the authorization server's access-policy rule, the condition that admits that identity provider"
	OktaConnectionClient = OktaConnection + " › the AI agent's client ID registered in this app"
)
