package inspect

import (
	"fmt"
	"strings"
)

// Identifiers of the ID-JAG profile and the grants it builds on
// (draft-ietf-oauth-identity-assertion-authz-grant-04 §3–§7, RFC 8693 §3,
// RFC 7523 §2.1). They must match byte for byte on the wire.
const (
	GrantTypeTokenExchange = "urn:ietf:params:oauth:grant-type:token-exchange"
	GrantTypeJWTBearer     = "urn:ietf:params:oauth:grant-type:jwt-bearer"

	TokenTypeIDJAG        = "urn:ietf:params:oauth:token-type:id-jag"
	TokenTypeIDToken      = "urn:ietf:params:oauth:token-type:id_token"
	TokenTypeRefreshToken = "urn:ietf:params:oauth:token-type:refresh_token"
	TokenTypeAccessToken  = "urn:ietf:params:oauth:token-type:access_token"
	TokenTypeJWT          = "urn:ietf:params:oauth:token-type:jwt"
	TokenTypeSAML2        = "urn:ietf:params:oauth:token-type:saml2"

	ClientAssertionTypeJWTBearer = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"
	GrantProfileIDJAG            = "urn:ietf:params:oauth:grant-profile:id-jag"

	// TypIDJAG is the JOSE typ of an ID-JAG (draft §3.1); TypAccessToken the
	// typ of an RFC 9068 access token.
	TypIDJAG        = "oauth-id-jag+jwt"
	TypAccessToken  = "at+jwt"
	MediaTypePrefix = "application/"
)

// knownURNs are the identifiers CheckURN accepts, by parameter.
var knownURNs = map[string][]string{
	"grant_type":            {GrantTypeTokenExchange, GrantTypeJWTBearer, "authorization_code", "refresh_token", "client_credentials"},
	"requested_token_type":  {TokenTypeIDJAG, TokenTypeRefreshToken},
	"issued_token_type":     {TokenTypeIDJAG, TokenTypeRefreshToken},
	"subject_token_type":    {TokenTypeIDToken, TokenTypeRefreshToken, TokenTypeSAML2, TokenTypeAccessToken, TokenTypeJWT},
	"client_assertion_type": {ClientAssertionTypeJWTBearer},
}

// historicURNs are names that were never (or no longer) right, with the
// story behind each. Sources: the draft's git history and the protocol
// reference's list of spellings seen in the wild.
var historicURNs = map[string]string{
	"urn:ietf:params:oauth:token-type:id_jag":                  "an underscore where the registered URN has a hyphen",
	"urn:okta:params:oauth:token-type:id-jag":                  "an Okta display label, never a wire value",
	"urn:ietf:params:oauth:token-type:jwt-acdc":                "a 2023 pre-draft name",
	"urn:ietf:params:oauth:token-type:jwt-authorization-grant": "a February 2024 pre-draft name",
	"urn:ietf:params:oauth:grant-type:jwt-authorization-grant": "a pre-draft grant type, reverted the day it was added",
	"urn:ietf:params:oauth:token-type:mtag":                    "a February 2024 pre-draft name",
}

// CheckURN checks the value of a protocol parameter that must be one of the
// registered identifiers (grant_type, requested_token_type,
// issued_token_type, subject_token_type, client_assertion_type) and names
// the common misspellings.
func CheckURN(param, value string) Check {
	c := Check{ID: "urn." + param, Title: param + " is a registered identifier", Actual: value,
		Spec: "RFC 8693 §3; draft-ietf-oauth-identity-assertion-authz-grant §4.3"}
	known := knownURNs[param]
	c.Expected = strings.Join(known, " or ")
	for _, k := range known {
		if value == k {
			c.Status = StatusPass
			return c
		}
	}
	c.Status = StatusFail
	if why, ok := historicURNs[value]; ok {
		c.Hint = fmt.Sprintf("%q is %s; use %s", value, why, suggestURN(param, value, known))
		return c
	}
	if param == "issued_token_type" && value == TokenTypeJWT {
		c.Hint = "the IdP answered with a generic identity-chaining token (…:jwt), not an ID-JAG; resource authorization servers will likely reject it"
		return c
	}
	norm := normalizeURN(value)
	for _, k := range known {
		if normalizeURN(k) == norm {
			c.Hint = fmt.Sprintf("%q is a misspelling of %q (identifiers are compared byte for byte)", value, k)
			return c
		}
	}
	c.Hint = fmt.Sprintf("use %s", suggestURN(param, value, known))
	return c
}

func suggestURN(param, value string, known []string) string {
	if strings.Contains(value, "jag") || strings.Contains(value, "authorization-grant") || strings.Contains(value, "mtag") || strings.Contains(value, "acdc") {
		if param == "grant_type" {
			return GrantTypeJWTBearer + " (at the resource AS) or " + GrantTypeTokenExchange + " (at the IdP)"
		}
		return TokenTypeIDJAG
	}
	return strings.Join(known, " or ")
}

// normalizeURN folds the differences people get wrong: case, and '_' vs '-'.
func normalizeURN(s string) string {
	return strings.ReplaceAll(strings.ToLower(strings.TrimSpace(s)), "_", "-")
}
