package inspect

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"
)

// DefaultSkew is the clock skew allowed when comparing times, when none is given.
const DefaultSkew = 60 * time.Second

// IDJAGMaxLifetime is the longest ID-JAG lifetime Okta accepts as a resource
// authorization server (id_jag_lifetime_too_long); the draft asks only for a
// short one, and Okta and xaa.dev both issue 300 s.
const IDJAGMaxLifetime = 300 * time.Second

// Spec sections cited by the checks.
const (
	specOIDC       = "OIDC Core §3.1.3.7"
	specIDJAG      = "draft-ietf-oauth-identity-assertion-authz-grant-04 §3.1"
	specIDJAGAS    = "draft-ietf-oauth-identity-assertion-authz-grant-04 §4.4.1"
	specIDJAGSubID = "draft-ietf-oauth-identity-assertion-authz-grant-04 §3.2.1"
	specJWT        = "RFC 7519 §4.1"
	specAT         = "RFC 9068 §2.2, §4"
	specBCP        = "RFC 8725 §3.1"
)

// Expect holds the values a token is compared against. Empty fields are not
// compared; the check then only looks at the token itself.
type Expect struct {
	// Now is the clock; inject it so results are exact and testable.
	Now time.Time
	// Skew is the allowed clock skew; DefaultSkew when zero.
	Skew time.Duration
	// Issuer is the expected iss: the IdP for ID tokens and ID-JAGs, the
	// resource AS for access tokens.
	Issuer string
	// Audience is the expected aud: the resource AS issuer for an ID-JAG,
	// the resource for an access token. For an ID token the audience is
	// ClientID.
	Audience string
	// ClientID is the client the token was issued to: the IdP client for an
	// ID token (aud, azp), the client at the resource AS for an ID-JAG and an
	// access token (client_id).
	ClientID string
	// Nonce is the nonce sent in the authorization request (ID tokens).
	Nonce string
	// Resources are the resources the ID-JAG's resource claim must name
	// (the token exchange's resource parameters).
	Resources []string
	// Scope lists scopes that must be granted, space-separated.
	Scope string
	// MaxLifetime bounds exp - iat of an ID-JAG; IDJAGMaxLifetime when zero.
	// Beyond it the lifetime check warns — the draft asks only for a short
	// lifetime — and fails when Okta is the judge.
	MaxLifetime time.Duration
	// Okta says Okta's rules apply (an Okta resource authorization server,
	// --expect-okta): a longer ID-JAG is refused there, so it fails.
	Okta bool
	// TokenEndpoint is the resource AS token endpoint, to recognise it when
	// it is used as an audience by mistake.
	TokenEndpoint string
	// Algorithms is the alg allow-list; DefaultAlgorithms when nil.
	Algorithms []string
}

func (e Expect) skew() time.Duration {
	if e.Skew == 0 {
		return DefaultSkew
	}
	return e.Skew
}

func (e Expect) algorithms() []string {
	if e.Algorithms == nil {
		return DefaultAlgorithms
	}
	return e.Algorithms
}

// claimChecker builds the checks of one token; prefix is the kind's id
// ("id_jag") that every check ID starts with.
type claimChecker struct {
	t      *Token
	e      Expect
	prefix string
	spec   string
	r      Report
}

func (c *claimChecker) add(name string, status Status, title, expected, actual, hint string) {
	c.addSpec(name, status, title, expected, actual, hint, c.spec)
}

func (c *claimChecker) addSpec(name string, status Status, title, expected, actual, hint, spec string) {
	c.r = append(c.r, Check{ID: c.prefix + "." + name, Status: status, Title: title,
		Expected: expected, Actual: actual, Hint: hint, Spec: spec})
}

// notCompared records a check that could not be made because no expected
// value was given: never a pass, whatever the token says.
func (c *claimChecker) notCompared(name, title, actual, needs string) {
	c.r = append(c.r, Check{ID: c.prefix + "." + name, Status: StatusSkip, Title: title, Expected: NotCompared,
		Actual: actual, Hint: "nothing to compare with: give the expected " + strings.ReplaceAll(needs, "_", " "), Spec: c.spec, Needs: needs})
}

// actual renders a claim's raw JSON for the Actual column.
func (c *claimChecker) actual(name string) string {
	raw, ok := c.t.Claims.Raw(name)
	if !ok {
		return "(absent)"
	}
	if s, ok := c.t.Claims.String(name); ok {
		return s
	}
	return string(raw)
}

// CheckIDToken applies the ID token validation rules of OIDC Core §3.1.3.7.
func CheckIDToken(t *Token, sig Signature, e Expect) Report {
	c := &claimChecker{t: t, e: e, prefix: "id_token", spec: specOIDC, r: make(Report, 0, 16)}
	c.alg()
	c.signature(sig)
	c.issuer("iss is the IdP's issuer", "use the issuer from the IdP's discovery document exactly")
	c.idTokenAudience()
	c.expiry()
	c.issuedAt()
	c.nonce()
	c.subject()
	return c.r
}

// CheckIDJAG applies every rule the ID-JAG draft puts on the token (§3.1
// and the resource AS processing rules of §4.4.1), in the order a resource
// authorization server applies them. Expect.Issuer is the IdP,
// Expect.Audience the resource AS issuer, Expect.ClientID the client that
// will authenticate at the resource AS.
func CheckIDJAG(t *Token, sig Signature, e Expect) Report {
	return checkIDJAG(make(Report, 0, 16), t, sig, e)
}

// checkIDJAG appends the ID-JAG checks to r.
func checkIDJAG(r Report, t *Token, sig Signature, e Expect) Report {
	c := &claimChecker{t: t, e: e, prefix: "id_jag", spec: specIDJAG, r: r}
	c.idTokenMarks()
	c.typIDJAG()
	c.alg()
	c.issuer("iss is the trusted IdP", "the resource AS must list this IdP's issuer, exactly as the IdP publishes it, among its trusted issuers")
	c.signature(sig)
	c.idJAGAudience()
	c.expiry()
	c.issuedAt()
	c.notBefore()
	c.lifetime()
	c.jti()
	c.clientID("client_id is the client at the resource AS",
		"the IdP writes the requesting app's client id *at the resource AS* into client_id (Okta: the connection's \"client ID registered in this app\"); it must be the client that authenticates in the jwt-bearer request")
	c.subject()
	c.scope()
	c.resource()
	c.subID()
	c.authorizationDetails()
	return c.r
}

// CheckAccessToken applies the JWT access token rules of RFC 9068 §4.
// Expect.Issuer is the resource AS, Expect.Audience the resource.
func CheckAccessToken(t *Token, sig Signature, e Expect) Report {
	c := &claimChecker{t: t, e: e, prefix: "access_token", spec: specAT, r: make(Report, 0, 16)}
	c.typAccessToken()
	c.alg()
	c.signature(sig)
	c.issuer("iss is the resource AS", "the resource server must accept tokens from this authorization server's issuer")
	c.accessTokenAudience()
	c.expiry()
	c.issuedAt()
	c.notBefore()
	c.subject()
	c.clientID("client_id names the client", "")
	c.jti()
	c.scope()
	return c.r
}

// CheckJWT applies the time rules of RFC 7519 to a JWT of no known kind.
func CheckJWT(t *Token, sig Signature, e Expect) Report {
	c := &claimChecker{t: t, e: e, prefix: "jwt", spec: specJWT, r: make(Report, 0, 16)}
	c.alg()
	c.signature(sig)
	if t.Claims.Has("exp") {
		c.expiry()
	}
	if t.Claims.Has("iat") {
		c.issuedAt()
	}
	c.notBefore()
	return c.r
}

func (c *claimChecker) idTokenMarks() {
	marks := present(c.t.Claims, idTokenMarks)
	if len(marks) == 0 {
		c.add("kind", StatusPass, "not an ID token in disguise", "no nonce, at_hash or c_hash", "none present", "")
		return
	}
	c.add("kind", StatusFail, "has ID token claims: this is an ID token, not an ID-JAG",
		"no nonce, at_hash or c_hash", strings.Join(marks, ", ")+", typ "+orNone(c.t.Typ()),
		"present the access_token field of the token-exchange response (the ID-JAG), not the id_token from login")
}

func (c *claimChecker) typIDJAG() {
	typ := c.t.Typ()
	norm := normalizeTyp(typ)
	switch {
	case norm == TypIDJAG:
		c.add("typ", StatusPass, "typ is oauth-id-jag+jwt", TypIDJAG, typ, "")
	case legacyIDJAGTypes[norm] != "":
		c.add("typ", StatusFail, "typ is oauth-id-jag+jwt", TypIDJAG, typ,
			fmt.Sprintf("%q is %s; the draft's typ has been oauth-id-jag+jwt since its first version", typ, legacyIDJAGTypes[norm]))
	default:
		c.add("typ", StatusFail, "typ is oauth-id-jag+jwt", TypIDJAG, orNone(typ),
			"an ID-JAG must declare its type so it cannot be confused with another JWT (RFC 8725 §3.11); a typ of JWT usually means an ID token or a hand-made JWT was sent")
	}
}

func (c *claimChecker) typAccessToken() {
	typ := c.t.Typ()
	if normalizeTyp(typ) == TypAccessToken {
		c.add("typ", StatusPass, "typ is at+jwt", TypAccessToken, typ, "")
		return
	}
	c.add("typ", StatusWarn, "typ is at+jwt", TypAccessToken, orNone(typ),
		"RFC 9068 §2.1 asks for typ at+jwt so access tokens cannot be mistaken for ID tokens; many authorization servers (Okta included) still send JWT")
}

func (c *claimChecker) alg() {
	alg := c.t.Alg()
	allowed := c.e.algorithms()
	exp := "one of " + strings.Join(allowed, ", ")
	switch {
	case alg == "":
		c.addSpec("alg", StatusFail, "alg is an allowed asymmetric algorithm", exp, "(absent)", "a JWS must name its algorithm (RFC 7515 §4.1.1)", specBCP)
	case strings.EqualFold(alg, "none"):
		c.addSpec("alg", StatusFail, "alg is an allowed asymmetric algorithm", exp, alg, "an unsigned token proves nothing and must always be rejected", specBCP)
	case strings.HasPrefix(alg, "HS"):
		c.addSpec("alg", StatusFail, "alg is an allowed asymmetric algorithm", exp, alg,
			"HMAC tokens cannot be verified with the issuer's public keys; accepting them invites algorithm confusion (RFC 8725 §2.1)", specBCP)
	case !slices.Contains(allowed, alg):
		c.addSpec("alg", StatusFail, "alg is an allowed asymmetric algorithm", exp, alg, "", specBCP)
	default:
		c.addSpec("alg", StatusPass, "alg is an allowed asymmetric algorithm", exp, alg, "", specBCP)
	}
}

func (c *claimChecker) signature(sig Signature) {
	switch {
	case sig.Status == SignatureVerified && sig.SelfAsserted:
		c.add("signature", StatusWarn, "signature verifies with a trusted issuer's key", "a key of an issuer you trust",
			"a key the token's own iss names: "+sig.Reason,
			"anyone can mint a token whose iss points at their own keys: this proves only that the token is self-consistent; pin the issuer you trust (give the expected issuer, or its key set)")
		c.r[len(c.r)-1].Needs = "issuer"
	case sig.Status == SignatureVerified:
		c.add("signature", StatusPass, "signature verifies", "a key of the issuer", sig.Reason, "")
	case sig.Status == SignatureInvalid:
		c.add("signature", StatusFail, "signature verifies", "a key of the issuer", sig.Reason,
			"the token was altered, or is checked against the wrong keys: resolve the JWKS from the issuer's own metadata")
	case len(sig.Tried) > 0 || sig.AlgConfusion:
		c.add("signature", StatusFail, "signature verifies", "a key of the issuer", sig.Reason,
			"fetch the JWKS from the jwks_uri of the token's issuer; on an unknown kid, refetch once (the keys may have rotated)")
	case sig.NoKeys:
		c.add("signature", StatusUnknown, "signature verifies", "a key of the issuer", "unknown: "+sig.Reason,
			"give the issuer's key set, or let xaa discover it from the issuer's metadata")
	default:
		c.add("signature", StatusWarn, "signature verifies", "a key of the issuer", "not checked: "+sig.Reason,
			"give a key set, or let xaa discover the issuer's keys")
	}
}

// compare adds a check comparing a string claim against an expected value;
// with no expected value the claim's presence is all that is checked, and
// the comparison is recorded as not made (needs names the expectation).
func (c *claimChecker) compare(name, title, want, hint, needs string) {
	got, ok := c.t.Claims.String(name)
	switch {
	case !ok && c.t.Claims.Has(name):
		c.add(name, StatusFail, title, orAny(want), c.actual(name), name+" must be a string")
	case !ok:
		c.add(name, StatusFail, title, orAny(want), "(absent)", name+" is required")
	case got == "":
		c.add(name, StatusFail, title, orAny(want), `""`, name+" is empty")
	case want == "":
		c.notCompared(name, title, got, needs)
	default:
		if equal, near := CompareIdentifier(want, got); equal {
			c.add(name, StatusPass, title, want, got, "")
		} else {
			c.add(name, StatusFail, title, want, got, WithNearMiss(near, hint))
		}
	}
}

func (c *claimChecker) issuer(title, hint string) {
	c.compare("iss", title, c.e.Issuer, hint, "issuer")
}

func (c *claimChecker) clientID(title, hint string) {
	c.compare("client_id", title, c.e.ClientID, hint, "client_id")
}

func (c *claimChecker) subject() {
	got, ok := c.t.Claims.String("sub")
	switch {
	case !ok:
		c.add("sub", StatusFail, "sub names the user", "a non-empty string", c.actual("sub"), "sub is required")
	case strings.TrimSpace(got) == "":
		c.add("sub", StatusFail, "sub names the user", "a non-empty string", `""`, "sub is empty")
	default:
		c.add("sub", StatusPass, "sub names the user", "a non-empty string", got, "")
	}
}

func (c *claimChecker) jti() {
	got, ok := c.t.Claims.String("jti")
	if !ok || got == "" {
		c.add("jti", StatusFail, "jti is present (replay protection)", "a unique string", c.actual("jti"),
			"without jti a resource AS cannot detect a replayed grant")
		return
	}
	c.add("jti", StatusPass, "jti is present (replay protection)", "a unique string", got, "")
}

func (c *claimChecker) idTokenAudience() {
	auds, isArray, ok := c.t.Claims.Strings("aud")
	if !ok {
		c.add("aud", StatusFail, "aud contains the client id", orAny(c.e.ClientID), c.actual("aud"), "aud is required")
		return
	}
	actual := strings.Join(auds, ", ")
	switch {
	case c.e.ClientID == "":
		c.notCompared("aud", "aud contains the client id", actual, "client_id")
	case slices.Contains(auds, c.e.ClientID):
		c.add("aud", StatusPass, "aud contains the client id", c.e.ClientID, actual, "")
	default:
		c.add("aud", StatusFail, "aud contains the client id", c.e.ClientID, actual,
			"the ID token was issued to another client; the token exchange needs an ID token issued to the client that performs it")
	}
	azp, hasAzp := c.t.Claims.String("azp")
	switch {
	case hasAzp && c.e.ClientID != "" && azp != c.e.ClientID:
		c.add("azp", StatusFail, "azp is the client id", c.e.ClientID, azp, "the token was obtained by another client")
	case hasAzp && c.e.ClientID == "":
		c.notCompared("azp", "azp is the client id", azp, "client_id")
	case hasAzp:
		c.add("azp", StatusPass, "azp is the client id", c.e.ClientID, azp, "")
	case isArray && len(auds) > 1:
		c.add("azp", StatusWarn, "azp is present when there are several audiences", "azp", "(absent)", "with several audiences the client should check azp")
	}
}

func (c *claimChecker) idJAGAudience() {
	auds, _, ok := c.t.Claims.Strings("aud")
	title := "aud is the resource AS issuer"
	switch {
	case !ok:
		c.addSpec("aud", StatusFail, title, orAny(c.e.Audience), c.actual("aud"), "aud is required: a string, or an array of exactly one string", specIDJAGAS)
		return
	case len(auds) != 1:
		c.addSpec("aud", StatusFail, title, "exactly one audience", c.actual("aud"),
			fmt.Sprintf("aud has %d values; an ID-JAG names exactly one resource AS", len(auds)), specIDJAGAS)
		return
	}
	got := auds[0]
	if c.e.Audience == "" {
		c.notCompared("aud", title, got, "audience")
		return
	}
	equal, near := CompareIdentifier(c.e.Audience, got)
	if !equal && c.e.TokenEndpoint != "" && got == c.e.TokenEndpoint {
		near = "it is the resource AS's token endpoint; the draft wants its issuer (a token endpoint audience is draft-parecki-00/01 style)"
	}
	if equal {
		c.addSpec("aud", StatusPass, title, c.e.Audience, got, "", specIDJAGAS)
		return
	}
	c.addSpec("aud", StatusFail, title, c.e.Audience, got, WithNearMiss(near,
		"aud must equal the resource AS metadata issuer byte for byte; the IdP writes the audience the token exchange asked for, or the issuer it has on file for the resource app (Okta: its Issuer URL)"), specIDJAGAS)
}

func (c *claimChecker) accessTokenAudience() {
	auds, _, ok := c.t.Claims.Strings("aud")
	title := "aud contains the resource"
	switch {
	case !ok:
		c.add("aud", StatusFail, title, orAny(c.e.Audience), c.actual("aud"), "aud is required")
	case c.e.Audience == "":
		c.notCompared("aud", title, strings.Join(auds, ", "), "audience")
	case slices.Contains(auds, c.e.Audience):
		c.add("aud", StatusPass, title, c.e.Audience, strings.Join(auds, ", "), "")
	default:
		near := ""
		for _, a := range auds {
			if _, near = CompareIdentifier(c.e.Audience, a); near != "" {
				break
			}
		}
		c.add("aud", StatusFail, title, c.e.Audience, strings.Join(auds, ", "), WithNearMiss(near,
			"the resource server rejects tokens minted for another audience; request the resource exactly as the resource server expects it"))
	}
}

func (c *claimChecker) expiry() {
	exp, ok := c.t.Claims.Time("exp")
	if !ok {
		c.add("exp", StatusFail, "exp is in the future", "a NumericDate", c.actual("exp"), "exp is required")
		return
	}
	actual := FormatTime(exp) + " (" + DescribeTime("exp", exp, c.e.Now) + ")"
	switch over := c.e.Now.Sub(exp); {
	case over > c.e.skew():
		c.add("exp", StatusFail, "exp is in the future", "after "+FormatTime(c.e.Now), actual, c.expiredHint())
	case over > 0:
		c.add("exp", StatusWarn, "exp is in the future", "after "+FormatTime(c.e.Now), actual,
			fmt.Sprintf("expired, but within the %s clock skew allowed", HumanDuration(c.e.skew())))
	default:
		c.add("exp", StatusPass, "exp is in the future", "after "+FormatTime(c.e.Now), actual, "")
	}
}

func (c *claimChecker) expiredHint() string {
	switch c.prefix {
	case "id_jag":
		return "ID-JAGs live about 5 minutes; mint a fresh one for each access-token request"
	case "id_token":
		return "log in again, or use an IdP refresh token (offline_access) as the subject token"
	case "access_token":
		return "get a new access token: run the token exchange and jwt-bearer grant again"
	}
	return ""
}

func (c *claimChecker) issuedAt() {
	iat, ok := c.t.Claims.Time("iat")
	if !ok {
		c.add("iat", StatusFail, "iat is not in the future", "a NumericDate", c.actual("iat"), "iat is required")
		return
	}
	actual := FormatTime(iat) + " (" + DescribeTime("iat", iat, c.e.Now) + ")"
	switch ahead := iat.Sub(c.e.Now); {
	case ahead > c.e.skew():
		c.add("iat", StatusFail, "iat is not in the future", "before "+FormatTime(c.e.Now.Add(c.e.skew())), actual,
			"the issuer's clock is ahead of this one by more than the allowed skew; synchronise clocks (NTP)")
	default:
		c.add("iat", StatusPass, "iat is not in the future", "before "+FormatTime(c.e.Now.Add(c.e.skew())), actual, "")
	}
}

func (c *claimChecker) notBefore() {
	if !c.t.Claims.Has("nbf") {
		return
	}
	nbf, ok := c.t.Claims.Time("nbf")
	if !ok {
		c.add("nbf", StatusFail, "nbf has passed", "a NumericDate", c.actual("nbf"), "nbf must be a number of seconds")
		return
	}
	actual := FormatTime(nbf) + " (" + DescribeTime("nbf", nbf, c.e.Now) + ")"
	if nbf.Sub(c.e.Now) > c.e.skew() {
		c.add("nbf", StatusFail, "nbf has passed", "before "+FormatTime(c.e.Now.Add(c.e.skew())), actual, "the token is not valid yet; check the clocks")
		return
	}
	c.add("nbf", StatusPass, "nbf has passed", "before "+FormatTime(c.e.Now.Add(c.e.skew())), actual, "")
}

func (c *claimChecker) lifetime() {
	max := c.e.MaxLifetime
	if max == 0 {
		max = IDJAGMaxLifetime
	}
	exp, okE := c.t.Claims.Time("exp")
	iat, okI := c.t.Claims.Time("iat")
	want := "at most " + HumanDuration(max)
	if !okE || !okI {
		c.add("lifetime", StatusSkip, "lifetime (exp - iat) is short", want, "needs exp and iat", "")
		return
	}
	life := exp.Sub(iat)
	actual := HumanDuration(life)
	switch {
	case life <= 0:
		c.add("lifetime", StatusFail, "lifetime (exp - iat) is short", want, actual+" (exp is not after iat)", "exp must be later than iat")
	case life > max && c.e.Okta:
		c.add("lifetime", StatusFail, "lifetime (exp - iat) is short", want, actual,
			fmt.Sprintf("Okta rejects ID-JAGs that live longer than 5 minutes (id_jag_lifetime_too_long); this one lives %s", actual))
	case life > max:
		c.add("lifetime", StatusWarn, "lifetime (exp - iat) is short", want, actual,
			fmt.Sprintf("the draft asks for a short lifetime; an Okta resource AS refuses more than 5 minutes (id_jag_lifetime_too_long), others may accept %s", actual))
	default:
		c.add("lifetime", StatusPass, "lifetime (exp - iat) is short", want, fmt.Sprintf("%s (%ds)", actual, int(life/time.Second)), "")
	}
}

func (c *claimChecker) nonce() {
	got, ok := c.t.Claims.String("nonce")
	switch {
	case c.e.Nonce == "" && !ok:
		return
	case c.e.Nonce == "":
		c.notCompared("nonce", "nonce matches the request", got, "nonce")
	case !ok:
		c.add("nonce", StatusFail, "nonce matches the request", c.e.Nonce, "(absent)", "the IdP dropped the nonce; it must echo the nonce from the authorization request")
	case got != c.e.Nonce:
		c.add("nonce", StatusFail, "nonce matches the request", c.e.Nonce, got, "this ID token answers another login (a stale tab, or a replay); log in again")
	default:
		c.add("nonce", StatusPass, "nonce matches the request", c.e.Nonce, got, "")
	}
}

func (c *claimChecker) scope() {
	if c.t.Claims.Has("scopes") && !c.t.Claims.Has("scope") {
		c.add("scope", StatusFail, "scope is a space-separated string", "scope: \"a b\"", "scopes: "+c.actual("scopes"),
			"the claim is scope (a string); a scopes array is draft-parecki-00 style")
		return
	}
	raw, ok := c.t.Claims.Raw("scope")
	if !ok {
		if c.e.Scope != "" {
			c.add("scope", StatusFail, "scope covers the requested scopes", c.e.Scope, "(absent)", "no scope was granted")
		}
		return
	}
	got, isString := c.t.Claims.String("scope")
	if !isString {
		c.add("scope", StatusFail, "scope is a space-separated string", "\"a b\"", string(raw),
			"scope must be one string of space-separated values (RFC 8693 §4.2), not a JSON array")
		return
	}
	if c.e.Scope == "" {
		c.add("scope", StatusPass, "scope is a space-separated string", "a string", got, "")
		return
	}
	granted := strings.Fields(got)
	var missing []string
	for _, s := range strings.Fields(c.e.Scope) {
		if !slices.Contains(granted, s) {
			missing = append(missing, s)
		}
	}
	if len(missing) > 0 {
		c.add("scope", StatusFail, "scope covers the requested scopes", c.e.Scope, got,
			"not granted: "+strings.Join(missing, " ")+" — request only scopes the connection allows, or add them to it")
		return
	}
	c.add("scope", StatusPass, "scope covers the requested scopes", c.e.Scope, got, "")
}

func (c *claimChecker) resource() {
	raw, present := c.t.Claims.Raw("resource")
	res, isArray, ok := c.t.Claims.Strings("resource")
	want := c.e.Resources
	title := "resource is the requested resource"
	switch {
	case !present && len(want) == 0:
		return
	case !present:
		c.add("resource", StatusWarn, title, strings.Join(want, ", "), "(absent)",
			"the IdP did not bind the grant to a resource; the resource AS will pick the audience of the access token itself")
		return
	case !ok || isArray && len(res) == 0:
		c.addSpec("resource_format", StatusFail, "each resource is an absolute URI, named once", "a string or a non-empty array of strings", string(raw),
			"resource must be one absolute URI or a non-empty array of them", specResourceIndicator)
		return
	}
	c.resourceFormat(res)
	got := strings.Join(res, ", ")
	if len(want) == 0 {
		c.notCompared("resource", title, got, "resource")
		return
	}
	normalized := false
	for _, w := range want {
		i := slices.IndexFunc(res, func(r string) bool { return SameResource(w, r) })
		if i < 0 {
			_, near := CompareIdentifier(w, res[0])
			c.add("resource", StatusFail, title, strings.Join(want, ", "), got, WithNearMiss(near,
				"the ID-JAG was minted for another resource ("+w+" is missing); request the resource exactly as the connection and the resource server name it"))
			return
		}
		normalized = normalized || res[i] != w
	}
	if normalized {
		got += " (the same after RFC 3986 §6.2.2 normalization)"
	}
	c.add("resource", StatusPass, title, strings.Join(want, ", "), got, "")
}

// resourceFormat checks the form of each resource the claim names: an
// absolute URI without a fragment, better without a query, each once
// (RFC 8707 §2).
func (c *claimChecker) resourceFormat(res []string) {
	title := "each resource is an absolute URI, named once"
	worst, why := StatusPass, ""
	for i, r := range res {
		if slices.ContainsFunc(res[:i], func(o string) bool { return SameResource(o, r) }) {
			worst, why = StatusFail, r+" is named twice"
			break
		}
		if p, st := ResourceProblem(r); st > worst {
			worst, why = st, r+" "+p
		}
	}
	if worst == StatusPass {
		c.addSpec("resource_format", StatusPass, title, "absolute URIs, no fragment, no query, each once", strings.Join(res, ", "), "", specResourceIndicator)
		return
	}
	c.addSpec("resource_format", worst, title, "absolute URIs, no fragment, no query, each once", why,
		"a resource indicator is an absolute URI that MUST NOT have a fragment and SHOULD NOT have a query", specResourceIndicator)
}

// subID checks a sub_id claim: a subject identifier (RFC 9493); the
// draft's saml-nameid format needs format, issuer and nameid (§3.2.1).
func (c *claimChecker) subID() {
	if !c.t.Claims.Has("sub_id") {
		return
	}
	v, isObject := c.t.Claims.Value("sub_id").(map[string]any)
	format, _ := v["format"].(string)
	title := "sub_id is a subject identifier"
	switch {
	case !isObject:
		c.addSpec("sub_id", StatusFail, title, "a JSON object with format", c.actual("sub_id"), "sub_id is a subject identifier object (RFC 9493 §3)", "RFC 9493 §3")
	case format == "saml-nameid":
		var missing []string
		for _, m := range []string{"issuer", "nameid"} {
			if s, _ := v[m].(string); s == "" {
				missing = append(missing, m)
			}
		}
		if len(missing) > 0 {
			c.addSpec("sub_id", StatusFail, title, "format, issuer and nameid", "saml-nameid without "+strings.Join(missing, " and "),
				"a saml-nameid subject identifier MUST have format, issuer and nameid", specIDJAGSubID)
			return
		}
		c.addSpec("sub_id", StatusPass, title, "format, issuer and nameid", "saml-nameid", "", specIDJAGSubID)
	case format == "saml_nameid":
		c.addSpec("sub_id", StatusWarn, title, "saml-nameid", format,
			"the draft spells the format saml-nameid (hyphen); saml_nameid appears in one Okta guide table but is non-standard", specIDJAGSubID)
	case slices.Contains(subjectIdentifierFormats, format):
		c.addSpec("sub_id", StatusPass, title, "a format of RFC 9493 or the draft", format, "", "RFC 9493 §3")
	default:
		c.addSpec("sub_id", StatusWarn, title, "a format of RFC 9493 or the draft", orNone(format),
			"a resource AS may not know this format: the draft defines saml-nameid, RFC 9493 §3.2 the others", "RFC 9493 §3.2")
	}
}

// subjectIdentifierFormats are the formats of RFC 9493 §3.2.
var subjectIdentifierFormats = []string{"account", "email", "iss_sub", "opaque", "phone_number", "did", "uri", "aliases"}

// authorizationDetails checks the authorization_details claim: an array of
// objects, each with a type (RFC 9396 §2).
func (c *claimChecker) authorizationDetails() {
	raw, ok := c.t.Claims.Raw("authorization_details")
	if !ok {
		return
	}
	title := "authorization_details is an array of objects with a type"
	var details []map[string]any
	if err := json.Unmarshal(raw, &details); err != nil || len(details) == 0 {
		c.addSpec("authorization_details", StatusFail, title, "[{\"type\": …}, …]", string(raw),
			"authorization_details must be a non-empty JSON array of objects", "RFC 9396 §2")
		return
	}
	for i, d := range details {
		if t, _ := d["type"].(string); t == "" {
			c.addSpec("authorization_details", StatusFail, title, "a type in every object", fmt.Sprintf("object %d has no type", i+1),
				"every authorization details object needs a string type", "RFC 9396 §2")
			return
		}
	}
	c.addSpec("authorization_details", StatusPass, title, "a type in every object", fmt.Sprintf("%d objects", len(details)), "", "RFC 9396 §2")
}

func orNone(s string) string {
	if s == "" {
		return "(none)"
	}
	return s
}

func orAny(s string) string {
	if s == "" {
		return "present"
	}
	return s
}
