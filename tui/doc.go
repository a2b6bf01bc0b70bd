// Package tui is xaa's terminal user interface, a Bubble Tea (v1) program.
// It walks the Cross App Access flow one step at a time — discovery, OIDC
// login with PKCE, the RFC 8693 token exchange of the ID token for an ID-JAG
// (draft-ietf-oauth-identity-assertion-authz-grant-04 §4.3), the RFC 7523
// jwt-bearer grant at the resource authorization server (draft §4.4) and the
// resource call — and shows, for each step, the request and response as they
// went over the wire, every token decoded and verified, every check with the
// values it compared, the error explained with its fix, and a curl command
// that reproduces the request.
//
// The screens:
//
//   - Setup, when no configuration was found: walk the built-in playground
//     (started in-process on loopback, so the first run works offline), or
//     fill in a form for an Okta org, saved as the config file (docs/formats.md).
//   - Flow: a flow.Session walked one key at a time — enter runs the next
//     step, a every remaining one; a step runs whenever its inputs are
//     known, and one that lacks an input is recorded as skipped, naming it.
//     Three components: the step list (status, spinner, duration, and what
//     the next step lacks), the step tabs (Request, Response, Tokens,
//     Checks, Explain, curl; the two responses of a resend side by side; the
//     chain of tokens hop to hop), and the edit form that changes a step's
//     inputs and resends it.
//   - Login: the authorization URL, a spinner and the time left, cancellable.
//   - Decoder: paste a token or a whole token response, read it decoded, and
//     verify it with keys discovered from its iss or a JWKS URL or file.
//
// The model follows the Elm architecture strictly: Update and View never
// touch the network, files or the clock. Every such piece of work is a
// tea.Cmd built in commands.go whose result comes back as a message, so the
// event loop never blocks and tests drive Update with plain messages.
//
// Text is rendered by package report, so a token looks the same in the TUI
// as in `xaa decode` and `xaa run`; every status colour is paired with a
// glyph (✓ ! ✗ ·) so meaning survives NO_COLOR.
package tui
