package flow

import (
	"net/url"
	"slices"
	"strings"

	"github.com/xaatools/xaa/flow/wire"
)

// Param is a request parameter of a step that --set and the edit form can
// change, with what it is for.
type Param struct {
	Name string
	Hint string
	// Edit says the edit form offers it: the parameters people change when
	// a step is refused (draft §4.3, §4.4).
	Edit bool
}

// stepParams are the parameters each step lets --set change.
var stepParams = map[StepID][]Param{
	StepLogin: {
		{"scope", "space-separated scopes requested at login; openid is needed for an ID token", true},
		{"prompt", "login forces a fresh login (how to satisfy a step-up demand)", true},
		{"max_age", "the most seconds since the user last authenticated", false},
		{"login_hint", "the user to pre-fill on the IdP's login page", true},
		{"acr_values", "the authentication context classes asked for", false},
	},
	StepTokenExchange: {
		{"audience", "the resource AS issuer, byte for byte: the IdP writes it into the ID-JAG's aud (draft §4.3); empty removes the parameter", true},
		{"resource", "the RFC 8707 resource indicator: the API or MCP server the access token is for; empty removes it", true},
		{"scope", "space-separated scopes; the IdP may narrow them (RFC 8693 §2.1); empty removes the parameter", true},
		{"subject_token_type", "urn:ietf:params:oauth:token-type:id_token for an ID token, …:refresh_token for an IdP refresh token (RFC 8693 §3)", true},
		{"requested_token_type", "what the IdP is asked to issue: urn:ietf:params:oauth:token-type:id-jag", false},
		{"subject_token", "the token exchanged: a given one instead of the login's", false},
		{"grant_type", "urn:ietf:params:oauth:grant-type:token-exchange", false},
		{"actor_token", "a token of the party acting for the user (RFC 8693 §2.1)", false},
		{"actor_token_type", "the type of actor_token", false},
		{"authorization_details", "RFC 9396 authorization details, a JSON array", false},
	},
	StepJWTBearer: {
		{"scope", "space-separated scopes; they must be within the ID-JAG's; empty removes the parameter", true},
		{"resource", "the RFC 8707 resource indicator the access token is for; empty removes it", true},
		{"assertion", "the ID-JAG presented: a given one instead of the token exchange's", false},
		{"grant_type", "urn:ietf:params:oauth:grant-type:jwt-bearer", false},
		{"authorization_details", "RFC 9396 authorization details, a JSON array", false},
	},
}

// Params returns the parameters --set can change at a step; those with
// Edit set are the ones the edit form offers.
func Params(id StepID) []Param { return slices.Clone(stepParams[id]) }

func paramNames(id StepID) []string {
	names := make([]string, len(stepParams[id]))
	for i, p := range stepParams[id] {
		names[i] = p.Name
	}
	return names
}

// Params returns the request parameters the step sends, as they stand
// with the config, its input and the overrides: what the edit form starts
// from. Tokens and secrets are left out.
func (p Plan) Params() map[string]string {
	var form url.Values
	switch p.ID {
	case StepLogin:
		form = url.Values{"scope": {p.Config.LoginScopes().String()}}
		applyOverrides(form, p.Overrides)
	case StepTokenExchange:
		form = tokenExchangeForm(p.Config, p.In, p.Overrides)
	case StepJWTBearer:
		form = jwtBearerForm(p.Config, p.In, p.Overrides)
	}
	out := map[string]string{}
	for k := range form {
		if !wire.IsTokenParam(k) {
			out[k] = strings.Join(form[k], " ") // several resources: space-separated, as --set takes them
		}
	}
	return out
}
