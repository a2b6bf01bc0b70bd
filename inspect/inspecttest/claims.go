package inspecttest

import "time"

// The parties of the example flow the claim sets describe.
const (
	IdPIssuer       = "https://idp.example.com"
	ASIssuer        = "https://as.example.com"
	ASTokenEndpoint = "https://as.example.com/oauth2/token"
	Resource        = "https://api.example.com/todos"
	IdPClientID     = "agent-at-idp"
	ASClientID      = "agent-at-as"
)

// IDJAGClaims is a valid ID-JAG claim set at now, as ordered pairs.
func IDJAGClaims(now time.Time) []any {
	return []any{
		"iss", IdPIssuer,
		"sub", "00u123",
		"aud", ASIssuer,
		"client_id", ASClientID,
		"jti", "jag-1",
		"exp", now.Add(4 * time.Minute).Unix(),
		"iat", now.Add(-time.Minute).Unix(),
		"resource", Resource,
		"scope", "todos.read todos.write",
		"email", "alice@example.com",
	}
}

// IDTokenClaims is a valid ID token claim set at now, as ordered pairs.
func IDTokenClaims(now time.Time) []any {
	return []any{
		"iss", IdPIssuer,
		"sub", "00u123",
		"aud", IdPClientID,
		"exp", now.Add(50 * time.Minute).Unix(),
		"iat", now.Add(-10 * time.Minute).Unix(),
		"nonce", "n-0S6_WzA2Mj",
		"at_hash", "77QmUPtjPfzWtF2AnpK9RQ",
	}
}

// AccessTokenClaims is a valid RFC 9068 access token claim set at now, as
// ordered pairs.
func AccessTokenClaims(now time.Time) []any {
	return []any{
		"iss", ASIssuer,
		"sub", "alice",
		"aud", Resource,
		"client_id", ASClientID,
		"jti", "at-1",
		"exp", now.Add(time.Hour).Unix(),
		"iat", now.Add(-30 * time.Second).Unix(),
		"scope", "todos.read",
	}
}
