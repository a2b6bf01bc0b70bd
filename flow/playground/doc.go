// Package playground runs the three parties of Cross App Access as real HTTP
// servers on loopback, each on its own origin: an OpenID Connect IdP that
// issues ID-JAGs by RFC 8693 token exchange, a resource authorization server
// that redeems them with the RFC 7523 jwt-bearer grant, and a resource server
// with a small todo REST API and an MCP server (Streamable HTTP).
//
// It follows draft-ietf-oauth-identity-assertion-authz-grant-04: the IdP
// applies the token-exchange rules of §4.3, the resource AS every rule of
// §4.4.1 in order, validating ID-JAGs with package inspect so the rules live
// in one place. Faults (see Faults) switch off or bend exactly one rule each,
// and the Okta profile makes the IdP look and fail like an Okta org.
//
// Start returns a running Playground; Config says everything a client needs.
// The playground never imports package flow, so flow's tests can start it.
package playground
