package playground

import "fmt"

// The simulated org's identity providers are the truth of what its
// resource AS trusts besides the embedded IdP: one ACTIVE OpenID Connect
// IdP per Options.TrustIssuers entry, whose issuer is that entry, as an
// Okta custom authorization server trusts an external IdP or another org
// (Security › Identity Providers). Shapes follow IdentityProvider in the
// Management API spec.

// FaultOktaIdPInactive: the org lists the identity provider of every
// trusted issuer INACTIVE.
const FaultOktaIdPInactive = "okta-idp-inactive"

func init() {
	faultTable = append(faultTable, FaultInfo{Name: FaultOktaIdPInactive, Party: PartyIdP, Step: StepJWTBearer, Profile: ProfileOkta,
		Description: "the org lists the identity provider of each --trust-issuer INACTIVE (read with the admin API), and the resource AS refuses its ID-JAGs with Okta's invalid_token 'The issuer of the token is not permitted to use the JWT Bearer Grant.'"})
}

// adminIdPs are the org's identity providers: one per trusted issuer.
func (p *Playground) adminIdPs() []any {
	created := p.now().UTC().Add(-24 * 3600e9).Format("2006-01-02T15:04:05.000Z")
	status := "ACTIVE"
	if p.faults[FaultOktaIdPInactive] {
		status = "INACTIVE"
	}
	out := []any{}
	for i, issuer := range p.opts.TrustIssuers {
		id := fmt.Sprintf("0oaidp%014d", i)
		out = append(out, map[string]any{
			"id": id, "type": "OIDC", "name": fmt.Sprintf("Trusted IdP %d (playground)", i+1), "status": status,
			"created": created, "lastUpdated": created, "issuerMode": "ORG_URL",
			"protocol": map[string]any{"type": "OIDC", "issuer": map[string]any{"url": issuer}, "scopes": []string{"openid", "profile", "email"}},
			"policy": map[string]any{
				"provisioning": map[string]any{"action": "DISABLED", "profileMaster": false, "groups": map[string]any{"action": "NONE"}},
				"accountLink":  map[string]any{"action": "AUTO"},
				"subject":      map[string]any{"userNameTemplate": map[string]any{"template": "idpuser.email"}, "matchType": "USERNAME"},
				"maxClockSkew": 0,
			},
			"_links": p.adminLinks("/api/v1/idps/" + id),
		})
	}
	return out
}
