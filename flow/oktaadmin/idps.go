package oktaadmin

import "context"

// ScopeIdPs is the scope of the identity provider reads.
const ScopeIdPs = "okta.idps.read"

// IdPsPath lists the org's identity providers.
const IdPsPath = "/api/v1/idps"

// Identity provider types whose tokens an Okta custom authorization
// server can take as ID-JAGs: a generic OpenID Connect IdP, and another
// Okta org (Org2Org, OIDC).
const (
	IdPTypeOIDC            = "OIDC"
	IdPTypeOktaIntegration = "OKTA_INTEGRATION"
)

// IdentityProvider is what the doctor reads of an identity provider
// (IdentityProvider in the Management API spec).
type IdentityProvider struct {
	ID       string `json:"id"`
	Name     string `json:"name"`
	Type     string `json:"type"`
	Status   string `json:"status"`
	Protocol struct {
		Type   string `json:"type"`
		Issuer struct {
			// URL is the iss the IdP's tokens carry (OidcIssuer).
			URL string `json:"url"`
		} `json:"issuer"`
		OktaIdPOrgURL string `json:"oktaIdpOrgUrl"`
	} `json:"protocol"`
}

// IdentityProviders lists the org's identity providers.
func (c *Client) IdentityProviders(ctx context.Context) ([]IdentityProvider, *Read) {
	var ps []IdentityProvider
	return ps, c.List(ctx, IdPsPath, nil, ScopeIdPs, &ps)
}
