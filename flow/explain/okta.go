package explain

import "strings"

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

// forAnyIdP words the IdP's Okta screens as the settings they hold, for the
// admin of another IdP, who would look for Okta's menus in vain. The
// resource's custom authorization server keeps its Okta paths: an Okta
// custom AS can serve ID-JAGs from any IdP. Paths that contain others come
// first.
var forAnyIdP = strings.NewReplacer(
	OktaConnectionClient, "the client id that the IdP's connection to the resource names for the requesting app",
	OktaConnectionScopes, "the scopes the IdP's connection from the requesting app to the resource allows",
	OktaConnection, "the IdP's connection (or policy) that lets the requesting app obtain ID-JAGs for the resource",
	OktaAssignRequesting, "the IdP's assignment of users to the requesting app",
	OktaAssignResource, "the IdP's assignment of users to the resource app",
	OktaRedirectURIs, "the requesting app's registered redirect URIs at the IdP",
	OktaGrantTypes, "the requesting app's allowed grant types at the IdP",
	OktaResourceXAA, "the audience the IdP writes into ID-JAGs for the resource (the resource AS issuer)",
	OktaClientCreds, "the requesting app's client credentials at the IdP",
	OktaAuthServers, "the IdP's authorization server that issues ID-JAGs",
	OktaFeature, "the IdP's operators (the token exchange for ID-JAGs must be turned on)",
)
