// Package inspect decodes, classifies and verifies the tokens of a Cross App
// Access flow, and checks their claims against the rules of the specs.
//
// It is pure: bytes and keys in, a Token, a Signature and a Report out. It
// never touches the network or the terminal, so the flow engine, the
// playground's authorization server and the terminal UI all share one set of
// rules.
//
// The pieces:
//
//   - Decode and DecodeAll take whatever a user pastes (a bare JWT, "Bearer
//     …", a quoted string, a JSON token response, a form body) and return
//     Tokens whose header and claims keep their original order. Broken input
//     is decoded as far as it goes and every Problem says where it broke.
//   - Classify names the kind of token: an OIDC ID token, an ID-JAG
//     (typ oauth-id-jag+jwt, draft-ietf-oauth-identity-assertion-authz-grant
//     §3), an RFC 9068 access token, another JWT, an encrypted JWT, or an
//     opaque string.
//   - ParseJWKS and Verify find the key that signed a token (by kid, then
//     x5t / x5t#S256, then by trying each key), report every key tried, and
//     verify with go-jose against an explicit algorithm allow-list. "none" is
//     never accepted, HS* tokens are flagged as unverifiable against public
//     keys, and keys named by the token itself (jku, x5u, jwk, x5c) are shown
//     but never used.
//   - CheckIDToken, CheckIDJAG and CheckAccessToken run the claim rules of
//     OIDC Core §3.1.3.7, the ID-JAG draft §3 / §4.4.1 and RFC 9068 §4; each
//     Check carries the values it compared, the spec section and a hint.
//     CheckChain looks across the tokens of one flow.
//   - Analyze bundles all of it for one token.
package inspect
