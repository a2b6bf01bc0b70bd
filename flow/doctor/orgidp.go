package doctor

import (
	"context"
	"net/url"
	"strings"

	"github.com/xaatools/xaa/flow/explain"
	"github.com/xaatools/xaa/flow/oktaadmin"
	"github.com/xaatools/xaa/inspect"
)

// An Okta custom authorization server that redeems ID-JAGs from an
// external IdP or another Okta org trusts that IdP twice: the org lists it
// as an identity provider (GET /api/v1/idps), and the access-policy rule
// admits it in its identity-provider condition — a field the Management
// API spec does not publish, so that half is left to the admin, with its
// screen.
var itemAdminTrustedIdP = item{"resource_as.org.trusted_idp", ResourceAS, "The org has an ACTIVE identity provider whose issuer is idp.issuer (read from the org)",
	"draft §4.4.1; " + specMgmt + " /api/v1/idps (protocol.issuer.url)", explain.OktaCustomASIdP}

// consoleIdPCondition is where the rule admits the identity provider.
const consoleIdPCondition = "Security › API › Authorization Servers › (server) › Access Policies › (rule) — the IdP condition"

// ruleByHand is said with every verdict of the check: the rule's half
// cannot be read.
const ruleByHand = "the access-policy rule must also admit this identity provider, and the admin API does not publish that condition: check it by hand at " + consoleIdPCondition

// originOf is the scheme and host of raw, lower case; "" when raw is no URL.
func originOf(raw string) string {
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" {
		return ""
	}
	return strings.ToLower(u.Scheme + "://" + u.Host)
}

// idpOutsideOrg reports whether idp.issuer is another party than the org
// whose admin API is read: its origin is neither the org URL's nor the
// resource AS's (an org behind a custom domain serves its issuer and its
// custom authorization servers there, and its admin API on either). Then
// the ID-JAGs come from an external IdP or another Okta org, and the
// requesting app is registered there, not in this org.
func (r *run) idpOutsideOrg(org string) bool {
	idp := originOf(r.cfg.IdP.Issuer)
	return idp != "" && idp != originOf(org) && idp != originOf(r.cfg.ResourceAS.Issuer)
}

// notThisOrgApp records the checks of the requesting app read from the
// org as unknown: the app is registered at the external IdP.
func (r *run) notThisOrgApp(org string, items ...item) {
	why := "idp.issuer (" + r.cfg.IdP.Issuer + ") is not this org (" + org + "): the requesting app is registered at that IdP, so this org's admin API has nothing of it to read; the outside probes judge it"
	for _, i := range items {
		r.unknown(i, "", why, nil)
	}
}

// trustedIdPNotApplicable records the check as not compared: the ID-JAGs
// are the org's own.
func (r *run) trustedIdPNotApplicable(org string) {
	c := itemAdminTrustedIdP.check(inspect.StatusSkip, inspect.NotCompared, "not compared",
		"idp.issuer is this org ("+org+"): its ID-JAGs need no identity provider at its own custom authorization server; this check is for an external IdP or another Okta org", nil)
	c.Console = ""
	r.add(c)
}

// trustedIdPCheck: the org has an ACTIVE OIDC or OKTA_INTEGRATION
// identity provider whose protocol.issuer.url is idp.issuer, byte for byte.
func (r *run) trustedIdPCheck(ctx context.Context, c *oktaadmin.Client) {
	issuer := r.cfg.IdP.Issuer
	expected := "an ACTIVE " + oktaadmin.IdPTypeOIDC + " or " + oktaadmin.IdPTypeOktaIntegration + " identity provider with issuer " + issuer
	idps, read := c.IdentityProviders(ctx)
	if !read.OK() {
		// Whatever refused the read (401, 403, 404), say which scope it takes.
		why := read.Err.Error()
		if read.Err.Kind == oktaadmin.Denied {
			why += " — " + read.Err.Grant()
		}
		if !strings.Contains(why, oktaadmin.ScopeIdPs) {
			why += "; the identity providers are read at " + oktaadmin.IdPsPath + " with " + oktaadmin.ScopeIdPs + " (add it to okta.scopes and grant it to the API Services app)"
		}
		r.unknown(itemAdminTrustedIdP, expected, "not read from the org: "+why, read.Exchanges)
		return
	}
	var inactive, near, seen []string
	for _, p := range idps {
		if p.Type != oktaadmin.IdPTypeOIDC && p.Type != oktaadmin.IdPTypeOktaIntegration {
			continue
		}
		iss := p.Protocol.Issuer.URL
		desc := oktaadmin.Sanitize(p.Name) + " (" + oktaadmin.Sanitize(p.Type) + ", " + orNone(oktaadmin.Sanitize(p.Status)) + "): " + orNone(oktaadmin.Sanitize(iss))
		switch {
		case iss == issuer && p.Status == oktaadmin.StatusActive:
			ck := itemAdminTrustedIdP.check(inspect.StatusPass, expected, desc+" — the rule's IdP condition is not in the API: check it by hand", ruleByHand, read.Exchanges)
			ck.Console = ""
			r.add(ck)
			return
		case iss == issuer:
			inactive = append(inactive, desc)
		case strings.EqualFold(strings.TrimSuffix(iss, "/"), strings.TrimSuffix(issuer, "/")):
			near = append(near, desc)
		}
		seen = append(seen, desc)
	}
	switch {
	case len(inactive) > 0:
		r.fail(itemAdminTrustedIdP, expected, "only INACTIVE: "+strings.Join(inactive, "; "),
			"activate the identity provider (Security › Identity Providers › (IdP) › Activate); an inactive one admits no ID-JAG. Then "+ruleByHand, read.Exchanges)
	case len(near) > 0:
		r.fail(itemAdminTrustedIdP, expected, strings.Join(near, "; "),
			"the identity provider's issuer differs from idp.issuer only by a trailing slash or letter case, and issuers compare byte for byte: make the IdP's Issuer exactly "+issuer+" (or fix idp.issuer). Then "+ruleByHand, read.Exchanges)
	default:
		actual := "no " + oktaadmin.IdPTypeOIDC + " or " + oktaadmin.IdPTypeOktaIntegration + " identity provider has this issuer"
		if len(seen) > 0 {
			actual += "; the org's: " + strings.Join(seen, "; ")
		}
		r.fail(itemAdminTrustedIdP, expected, actual,
			"add the IdP that issues the ID-JAGs with issuer "+issuer+" (Security › Identity Providers › Add identity provider: OpenID Connect, or Okta for another Okta org); otherwise the jwt-bearer grant answers invalid_token (the issuer is not permitted). Then "+ruleByHand+
				". If idp.issuer is this org itself on a custom domain, set okta.org_url to "+originOf(issuer), read.Exchanges)
	}
}
