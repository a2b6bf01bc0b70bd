package inspect

import (
	"fmt"
	"strings"
	"time"
)

// Kind is what a token is, as far as its header and claims tell.
type Kind int

// The kinds of token in a Cross App Access flow.
const (
	KindUnknown      Kind = iota // a JWT of no kind xaa knows
	KindIDToken                  // OIDC ID token (OIDC Core §2)
	KindIDJAG                    // Identity Assertion JWT Authorization Grant (draft §3)
	KindAccessToken              // access token; a JWT one per RFC 9068
	KindRefreshToken             // refresh token (opaque)
	KindOpaque                   // not a JWT and of no known kind
	KindEncrypted                // JWE: the claims are encrypted
)

var kindNames = [...]struct{ id, title string }{
	KindUnknown:      {"unknown", "JWT"},
	KindIDToken:      {"id_token", "ID token"},
	KindIDJAG:        {"id_jag", "ID-JAG"},
	KindAccessToken:  {"access_token", "access token"},
	KindRefreshToken: {"refresh_token", "refresh token"},
	KindOpaque:       {"opaque", "opaque token"},
	KindEncrypted:    {"encrypted", "encrypted JWT (JWE)"},
}

// String returns the stable identifier used in JSON output ("id_jag").
func (k Kind) String() string {
	if k < 0 || int(k) >= len(kindNames) {
		return "unknown"
	}
	return kindNames[k].id
}

// Title returns the name shown to people ("ID-JAG").
func (k Kind) Title() string {
	if k < 0 || int(k) >= len(kindNames) {
		return "JWT"
	}
	return kindNames[k].title
}

// MarshalText encodes the kind as its identifier.
func (k Kind) MarshalText() ([]byte, error) { return []byte(k.String()), nil }

// legacyIDJAGTypes are typ values of pre-draft working copies and common
// misspellings of oauth-id-jag+jwt (protocol reference §3).
var legacyIDJAGTypes = map[string]string{
	"acdc+jwt":                "a 2023 pre-draft typ",
	"authorization-grant+jwt": "a February 2024 pre-draft typ",
	"oauth-mtag+jwt":          "a February 2024 pre-draft typ",
	"oauth-itag+jwt":          "a typ that lived for a few hours in March 2024",
	"id-jag+jwt":              "a misspelling (the oauth- prefix is missing)",
	"oauth-id_jag+jwt":        "a misspelling (underscore instead of hyphen)",
	"id_jag+jwt":              "a misspelling",
	"jwt-id-jag":              "a misspelling",
}

// idTokenMarks are claims that only ID tokens carry.
var idTokenMarks = []string{"nonce", "at_hash", "c_hash", "s_hash"}

// idTokenHints are claims typical of ID tokens (OIDC Core §2) that access
// tokens and ID-JAGs rarely carry; they classify a token only when it has no
// grant claims (grantClaims).
var idTokenHints = []string{"auth_time", "amr", "azp", "sid"}

// grantClaims mark a token that authorizes something: an access token or an
// ID-JAG, never an ID token.
var grantClaims = []string{"client_id", "scope", "scp", "cid", "resource"}

// normalizeTyp applies RFC 7515 §4.1.9: media types compare
// case-insensitively and "application/" may be omitted.
func normalizeTyp(typ string) string {
	typ = strings.ToLower(strings.TrimSpace(typ))
	return strings.TrimPrefix(typ, MediaTypePrefix)
}

// classify sets t.Kind and t.KindReason.
func classify(t *Token) {
	t.Kind, t.KindReason = Classify(t)
}

// Classify names the kind of a decoded token and says why.
func Classify(t *Token) (Kind, string) {
	switch t.Format {
	case FormatJWE:
		return KindEncrypted, "five segments: an encrypted JWT (JWE); its claims cannot be read without the recipient's private key"
	case FormatOpaque:
		switch t.Name {
		case "refresh_token":
			return KindRefreshToken, "came in the refresh_token field"
		case "access_token":
			return KindAccessToken, "came in the access_token field; opaque, so only its issuer can introspect it"
		}
		return KindOpaque, "not a JWT: an opaque string only its issuer can interpret"
	}
	typ := normalizeTyp(t.Typ())
	switch typ {
	case TypIDJAG:
		return KindIDJAG, "typ is " + t.Typ()
	case TypAccessToken:
		return KindAccessToken, "typ is " + t.Typ() + " (RFC 9068)"
	}
	if why, ok := legacyIDJAGTypes[typ]; ok {
		return KindIDJAG, fmt.Sprintf("typ %q is %s of oauth-id-jag+jwt", t.Typ(), why)
	}
	typDesc := "no typ"
	if t.Typ() != "" {
		typDesc = "typ " + t.Typ()
	}
	if marks := present(t.Claims, idTokenMarks); len(marks) > 0 {
		return KindIDToken, fmt.Sprintf("has %s, %s: an OIDC ID token", strings.Join(marks, "/"), typDesc)
	}
	if t.Name == "id_token" {
		return KindIDToken, "came in the id_token field of a token response"
	}
	if hints := present(t.Claims, idTokenHints); len(hints) > 0 && len(present(t.Claims, grantClaims)) == 0 {
		return KindIDToken, fmt.Sprintf("has %s and no client_id or scope, %s: an OIDC ID token", strings.Join(hints, "/"), typDesc)
	}
	if t.Name == "access_token" || t.Name == "assertion" {
		if it, _ := t.Envelope.String("issued_token_type"); it == TokenTypeIDJAG {
			return KindIDJAG, fmt.Sprintf("the token-exchange response says issued_token_type %s, but the token has %s", TokenTypeIDJAG, typDesc)
		}
	}
	if t.Claims.Has("cid") && t.Claims.Has("scp") {
		return KindAccessToken, "has Okta's cid and scp claims: an Okta access token"
	}
	if t.Name == "access_token" {
		return KindAccessToken, "came in the access_token field of a token response (" + typDesc + ")"
	}
	if why, ok := idJAGShape(t); ok {
		return KindIDJAG, fmt.Sprintf("probably an ID-JAG: %s, but %s — an ID-JAG must declare typ oauth-id-jag+jwt", why, typDesc)
	}
	if t.Claims.Has("client_id") && (t.Claims.Has("scope") || t.Claims.Has("scp")) {
		return KindAccessToken, fmt.Sprintf("has client_id and scope claims like an access token (%s)", typDesc)
	}
	if t.Claims == nil {
		return KindUnknown, "the claims could not be decoded"
	}
	return KindUnknown, "a JWT that is none of ID token, ID-JAG or access token (" + typDesc + ")"
}

// CheckKind checks that a token is of the kind a step expects and, when it is
// not, names the mix-up: the most common is an ID token presented where an
// ID-JAG belongs.
func CheckKind(t *Token, want Kind) Check {
	c := Check{ID: "kind", Title: "token is an " + want.Title(), Expected: want.Title(),
		Actual: t.Kind.Title() + " (" + t.KindReason + ")", Spec: "draft-ietf-oauth-identity-assertion-authz-grant §3"}
	if t.Kind == want {
		c.Status = StatusPass
		return c
	}
	c.Status = StatusFail
	c.Title = fmt.Sprintf("this is an %s, not an %s", t.Kind.Title(), want.Title())
	switch {
	case want == KindIDJAG && t.Kind == KindIDToken:
		c.Hint = "this is the ID token from login. Present the ID-JAG instead: the access_token field of the token-exchange response (issued_token_type …:id-jag)"
	case want == KindIDJAG && t.Kind == KindAccessToken:
		c.Hint = "this is an access token. The resource AS wants the ID-JAG that the IdP issued in the token exchange"
	case want == KindIDToken && t.Kind == KindIDJAG:
		c.Hint = "this is an ID-JAG. The token exchange takes the ID token from login as subject_token"
	case want == KindAccessToken && t.Kind == KindIDJAG:
		c.Hint = "this is an ID-JAG, not an access token: redeem it at the resource AS with the jwt-bearer grant (step 3) first"
	case want == KindAccessToken && t.Kind == KindIDToken:
		c.Hint = "this is an ID token: it identifies the user to the requesting app and must never be sent to an API"
	case t.Kind == KindEncrypted:
		c.Hint = "the token is encrypted; only its recipient can read it"
	}
	return c
}

// idJAGMaxShapeLifetime is the longest lifetime of a token taken for an
// ID-JAG by its claims: ID-JAGs live minutes (Okta and xaa.dev: 5), access
// tokens usually an hour.
const idJAGMaxShapeLifetime = 10 * time.Minute

// idJAGShape reports whether a token's claims make it an ID-JAG whatever
// its typ says (draft §3.1): iss, sub, one aud, client_id and jti, no ID
// token claims, and either a resource claim or a lifetime of minutes. This
// catches the very mistake the typ rule exists for — an ID-JAG minted with
// typ JWT, or none.
func idJAGShape(t *Token) (string, bool) {
	c := t.Claims
	if len(present(c, []string{"iss", "sub", "aud", "client_id", "jti"})) != 5 || len(present(c, idTokenMarks)) > 0 {
		return "", false
	}
	if auds, _, ok := c.Strings("aud"); !ok || len(auds) != 1 {
		return "", false
	}
	if c.Has("resource") {
		return "it has iss, sub, one aud, client_id, jti and a resource claim", true
	}
	exp, okE := c.Time("exp")
	iat, okI := c.Time("iat")
	if life := exp.Sub(iat); okE && okI && life > 0 && life <= idJAGMaxShapeLifetime {
		return "it has iss, sub, one aud, client_id, jti and lives " + HumanDuration(life), true
	}
	return "", false
}

// present lists the claims of names that o has.
func present(o Object, names []string) []string {
	var out []string
	for _, n := range names {
		if o.Has(n) {
			out = append(out, n)
		}
	}
	return out
}
