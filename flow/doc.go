// Package flow runs the Cross App Access flow (the Identity Assertion JWT
// Authorization Grant, draft-ietf-oauth-identity-assertion-authz-grant-04)
// from the requesting app's side, against real parties: an Okta org, any
// OIDC IdP that issues ID-JAGs, the embedded playground, or a mix.
//
// The steps, each a function of (context, Env, Config, input State) that
// returns a Step record even when it fails:
//
//	discovery       IdP metadata (OIDC Discovery §4, then RFC 8414), resource AS
//	                metadata (RFC 8414 first, then OIDC, in MCP's order), RFC 9728
//	                protected resource metadata, and the JWKS of both servers
//	login           OIDC authorization code + PKCE S256 (RFC 7636) with a loopback
//	                callback listener (RFC 8252 §7.3); the ID token is verified
//	token_exchange  RFC 8693 token exchange of the ID token for an ID-JAG (draft §4.3)
//	jwt_bearer      RFC 7523 §2.1 jwt-bearer grant of the ID-JAG at the resource AS
//	                (draft §4.4) for an access token
//	resource        a REST GET (RFC 6750) and/or an MCP session over Streamable
//	                HTTP with the access token
//
// A step runs whenever the inputs it needs are known — from the config, an
// earlier step or a given token; a failed check is a finding, never a stop,
// and a step is skipped only when an input is missing (Plan.Missing names
// it and the config key that supplies it). Session keeps the records of an
// interactive walk; Runner.Run walks every step once.
//
// Every HTTP request goes through package wire's recording client (also the
// ones made inside golang.org/x/oauth2 and the MCP Go SDK), so a Step holds
// every Exchange with secrets redacted at capture time, and every body is
// read with a size bound and a timeout. Tokens are checked with package
// inspect; package explain turns a server error into its meaning, causes
// and fix. Exports (JSON, HAR) live in package export, the doctor and the
// conformance scorecard in their own packages on top of this one.
//
// flow never prints, never reads flags, files or the environment itself and
// never exits: the caller (cmd/xaa, the TUI) injects all of that through
// config.Config and Env.
package flow
