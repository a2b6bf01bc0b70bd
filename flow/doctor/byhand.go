package doctor

import (
	"cmp"
	"strings"

	"github.com/xaatools/xaa/inspect"
)

// Settings that only the Admin Console shows — Okta publishes no API field
// for them, and without a signed-in user no probe reaches them — are
// checklist items: unknown, never ✓, with the screen and what to look for
// there in this config's terms.

// byHand says, per check that needs a signed-in user, what an admin looks
// for on the check's console screen instead.
var byHand = map[string]func(r *run) string{
	itemReqUserAssigned.id: func(r *run) string {
		return "the people who will sign in are assigned to the requesting app (client " + r.cfg.IdP.ClientID + "), directly or through a group"
	},
	itemReqConnection.id: func(r *run) string {
		return "a Cross App Access connection from the requesting app (client " + r.cfg.IdP.ClientID + ") to the resource app whose Issuer URL is " + r.audience()
	},
	itemReqScopes.id: func(r *run) string {
		return "the connection's scopes include " + cmp.Or(r.cfg.ResourceAS.Scopes.String(), "the scopes the resource needs (resource_as.scopes is empty)")
	},
	itemResAppResource.id: func(r *run) string {
		return "the connection's resource indicator is " + cmp.Or(r.resourceID(), "the resource's identifier (none is known yet: set resource.id, or let xaa read the resource's metadata)") + ", byte for byte"
	},
	itemResAppUser.id: func(r *run) string {
		return "the same people are assigned to the resource app, and its Cross App Access settings are complete"
	},
	itemResAppAudience.id: func(r *run) string {
		return "the resource app's Issuer URL is " + r.audience() + ", byte for byte (Okta does not let you edit it while a connection uses it: delete the connection, correct the Issuer URL, connect the apps again)"
	},
	itemResAppClientID.id: func(r *run) string {
		return "\"The AI agent's client ID registered in this app\" is " + cmp.Or(r.cfg.ResourceAS.ClientID, "resource_as.client_id (not set)")
	},
}

// checklist records an item to check by hand: expected is what to look
// for, why says why xaa did not compare it, and the console screen stays.
func (r *run) checklist(i item, expected, why, how string) {
	c := i.check(inspect.StatusUnknown, expected, "not compared: "+why, how, nil)
	c.Checklist = true
	r.add(c)
}

// noUserChecklist stands in for the checks of a signed-in user when there
// is none: on an Okta org, each with its screen and what to look for.
func (r *run) noUserChecklist(items []item, why string) {
	okta := looksLikeOkta(r.cfg.IdP.Issuer, r.idp)
	for _, i := range items {
		lookFor, ok := byHand[i.id]
		if !okta || !ok || i.console == "" {
			r.unknown(i, "", why, nil)
			continue
		}
		r.checklist(i, lookFor(r), "no signed-in user", "look for it on the Admin Console screen below, or have the org judge it: "+strings.TrimPrefix(why, "needs a signed-in user: "))
	}
}

// itemMCPXAASettings: the Cross App Access settings of an MCP server's
// authorization server in Okta (subject format, tenant ID) have no API
// field; what Okta wrote into the MCP server's ID-JAG shows their effect.
var itemMCPXAASettings = item{"resource.org.mcp_xaa_settings", Resource, "The MCP server's Cross App Access settings (subject format, tenant ID) are what the server expects (check by hand)",
	"Okta for AI Agents help: Cross App Access for MCP servers", consoleMCP + " › Authorization servers › (server) › Cross App Access › Configure"}

// mcpSettingsChecklist adds the MCP server's settings to check by hand,
// quoting the subject of the ID-JAG Okta minted for it when a signed-in
// user's token exchange produced one.
func (r *run) mcpSettingsChecklist() {
	lookFor := "Subject format matches how the MCP server maps the ID-JAG's sub to its users (Okta user id, or email as sub), and Tenant ID is the server's tenant, if it has one"
	why := "Okta publishes no API field for these settings"
	if r.mcpSubject != "" {
		why += "; the ID-JAG for the MCP server carried " + r.mcpSubject
	}
	r.checklist(itemMCPXAASettings, lookFor, why, "compare them with what the MCP server expects on the Admin Console screen below")
}

// describeSubject names the sub of an ID-JAG and its tenant claims, for a
// person to compare with what a server expects. Values come from the IdP:
// they are sanitised where they are shown.
func describeSubject(t *inspect.Token) string {
	sub, _ := t.Claims.String("sub")
	kind := "an IdP user id"
	if strings.Contains(sub, "@") {
		kind = "an email address"
	}
	out := "sub " + sub + " (" + kind + ")"
	for _, name := range []string{"aud_tenant", "aud_sub", "email"} {
		if v, ok := t.Claims.String(name); ok {
			out += ", " + name + " " + v
		}
	}
	return out
}
