package playground

import (
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/xaatools/xaa/inspect"
)

// Client authentication methods (RFC 8414 §2, RFC 7523 §2.2).
const (
	authSecretBasic = "client_secret_basic"
	authSecretPost  = "client_secret_post"
	authPrivateKey  = "private_key_jwt"
)

// authMethods is what every playground token endpoint accepts and advertises.
var authMethods = []string{authSecretBasic, authSecretPost, authPrivateKey}

// maxAssertionLifetime bounds how far ahead a client assertion's exp may be,
// as Okta does (client_assertion_expires_too_far_in_future).
const maxAssertionLifetime = time.Hour

// client is a registered OAuth client: a secret (client_secret_basic or
// client_secret_post) and/or public keys (private_key_jwt).
type client struct {
	id           string
	secretHash   [32]byte
	hasSecret    bool
	keys         *inspect.KeySet
	redirectURIs []string
}

func newClient(id, secret string, keys *inspect.KeySet) *client {
	c := &client{id: id, keys: keys}
	if secret != "" {
		c.secretHash, c.hasSecret = sha256.Sum256([]byte(secret)), true
	}
	return c
}

// secretMatches compares in constant time (hashes of equal length, so not
// even the secret's length leaks).
func (c *client) secretMatches(secret string) bool {
	h := sha256.Sum256([]byte(secret))
	return c.hasSecret && subtle.ConstantTimeCompare(h[:], c.secretHash[:]) == 1
}

// clientRegistry authenticates the clients of one token endpoint.
type clientRegistry struct {
	clients map[string]*client
	// strangers are clients registered at the *other* party: presenting
	// their id or secret here is the classic mix-up of the two client
	// identities (protocol reference §1, troubleshooting #29, #38).
	strangers map[string]*client
	// tokenEndpoint and issuer are the audiences a client assertion may
	// name (RFC 7523 §3, draft-ietf-oauth-rfc7523bis).
	tokenEndpoint, issuer string
	assertionIDs          *jtiCache
	now                   func() time.Time
	// errors words the refusals (Okta's texts with the Okta profile).
	errors *errorCatalog
	// secretAlwaysWrong is the okta-wrong-secret fault.
	secretAlwaysWrong bool
	// faults are the IdP's idp-skip-* faults (nil at the resource AS).
	faults faultSet
}

// authenticate applies RFC 6749 §2.3: exactly one method, known client,
// valid credentials.
func (reg *clientRegistry) authenticate(r *http.Request, f form) (*client, string, *oauthError) {
	var methods []string
	basicID, basicSecret, hasBasic, perr := parseBasic(r.Header.Get("Authorization"))
	if perr != nil {
		return nil, "", perr
	}
	if hasBasic {
		methods = append(methods, authSecretBasic)
	}
	if _, ok := f["client_secret"]; ok {
		methods = append(methods, authSecretPost)
	}
	if _, ok := f["client_assertion"]; ok {
		methods = append(methods, authPrivateKey)
	}
	if hasBasic && f["client_id"] != "" && (reg.errors.okta || f["client_id"] != basicID) {
		return nil, "", reg.errors.refuse(errMultipleCredentials, newError("invalid_request",
			"client_id %q in the body differs from %q in the Authorization header; send one client identity", f["client_id"], basicID))
	}
	switch len(methods) {
	case 0:
		id := f["client_id"]
		if c := reg.clients[id]; c != nil && reg.faults[FaultIdPSkipClientAuth] {
			return c, "none", nil
		}
		if id == "" {
			return nil, "", reg.errors.refuse(errUnknownClient, &oauthError{status: http.StatusUnauthorized, code: "invalid_client",
				description: "the request carries no client authentication; use client_secret_basic, client_secret_post or private_key_jwt (RFC 6749 §2.3)"})
		}
		return nil, "", reg.errors.refuse(errUnknownClient, &oauthError{status: http.StatusUnauthorized, code: "invalid_client",
			description: fmt.Sprintf("client %s sent only its client_id; it is a confidential client and must authenticate with client_secret_basic, client_secret_post or private_key_jwt", id)})
	case 1:
	default:
		return nil, "", reg.errors.refuse(errMultipleCredentials, newError("invalid_request",
			"the request uses %s at once; use exactly one client authentication method (RFC 6749 §2.3)", strings.Join(methods, " and ")))
	}
	switch methods[0] {
	case authSecretBasic:
		c, err := reg.checkSecret(basicID, basicSecret, true)
		return c, authSecretBasic, err
	case authSecretPost:
		if f["client_id"] == "" {
			return nil, "", newError("invalid_request", "client_secret is sent without client_id; client_secret_post sends both in the body (RFC 6749 §2.3.1)")
		}
		c, err := reg.checkSecret(f["client_id"], f["client_secret"], false)
		return c, authSecretPost, err
	}
	c, err := reg.checkAssertion(f)
	return c, authPrivateKey, err
}

// parseBasic reads "Authorization: Basic base64(urlenc(id):urlenc(secret))"
// (RFC 6749 §2.3.1: form-encoded before base64).
func parseBasic(h string) (id, secret string, ok bool, err *oauthError) {
	if h == "" {
		return "", "", false, nil
	}
	scheme, rest, _ := strings.Cut(h, " ")
	if !strings.EqualFold(scheme, "Basic") {
		return "", "", false, &oauthError{status: http.StatusUnauthorized, code: "invalid_client",
			description: fmt.Sprintf("the Authorization header uses the %s scheme; the token endpoint takes Basic client credentials", scheme)}
	}
	raw, decErr := base64.StdEncoding.DecodeString(strings.TrimSpace(rest))
	if decErr != nil {
		return "", "", false, &oauthError{status: http.StatusUnauthorized, code: "invalid_client", basicChallenge: true,
			description: "the Basic credentials are not valid base64"}
	}
	encID, encSecret, found := strings.Cut(string(raw), ":")
	if !found {
		return "", "", false, &oauthError{status: http.StatusUnauthorized, code: "invalid_client", basicChallenge: true,
			description: "the Basic credentials have no ':' between client id and secret"}
	}
	id, err1 := url.QueryUnescape(encID)
	secret, err2 := url.QueryUnescape(encSecret)
	if err1 != nil || err2 != nil {
		return "", "", false, &oauthError{status: http.StatusUnauthorized, code: "invalid_client", basicChallenge: true,
			description: "the Basic credentials are not form-encoded: RFC 6749 §2.3.1 wants client id and secret application/x-www-form-urlencoded before base64"}
	}
	return id, secret, true, nil
}

// checkSecret authenticates client_secret_basic and client_secret_post.
func (reg *clientRegistry) checkSecret(id, secret string, basic bool) (*client, *oauthError) {
	c := reg.clients[id]
	if c == nil {
		e := reg.unknownClient(id)
		e.basicChallenge = basic
		return nil, e
	}
	if !c.hasSecret {
		return nil, &oauthError{status: http.StatusUnauthorized, code: "invalid_client", basicChallenge: basic,
			description: fmt.Sprintf("client %s has no secret; it authenticates with private_key_jwt", id)}
	}
	if reg.secretAlwaysWrong || (!c.secretMatches(secret) && !reg.faults[FaultIdPSkipClientSecret]) {
		desc := fmt.Sprintf("the client secret for %s is wrong", id)
		for _, s := range reg.strangers {
			if s.secretMatches(secret) {
				desc += fmt.Sprintf(" — it is the secret of %s, the client registered at the other party; each party has its own client credentials", s.id)
			}
		}
		e := reg.errors.refuse(errWrongSecret, &oauthError{status: http.StatusUnauthorized, code: "invalid_client", description: desc})
		e.basicChallenge = basic
		return nil, e
	}
	return c, nil
}

// unknownClient names an unknown client id, and says so when it belongs to
// the other party.
func (reg *clientRegistry) unknownClient(id string) *oauthError {
	desc := fmt.Sprintf("there is no client %q here", id)
	if s := reg.strangers[id]; s != nil {
		var here []string
		for k := range reg.clients {
			here = append(here, k)
		}
		slices.Sort(here)
		desc += fmt.Sprintf(" — %s is registered at the other party; here use %s", id, strings.Join(here, " or "))
	}
	return reg.errors.refuse(errUnknownClient, &oauthError{status: http.StatusUnauthorized, code: "invalid_client", description: desc})
}

// checkAssertion authenticates private_key_jwt (RFC 7523 §2.2, §3).
func (reg *clientRegistry) checkAssertion(f form) (*client, *oauthError) {
	bad := func(format string, args ...any) *oauthError {
		return &oauthError{status: http.StatusUnauthorized, code: "invalid_client", description: "client_assertion: " + fmt.Sprintf(format, args...)}
	}
	if typ := f["client_assertion_type"]; typ != inspect.ClientAssertionTypeJWTBearer {
		c := inspect.CheckURN("client_assertion_type", typ)
		if typ == "" {
			return nil, newError("invalid_request", "client_assertion is sent without client_assertion_type %s", inspect.ClientAssertionTypeJWTBearer)
		}
		return nil, newError("invalid_request", "client_assertion_type is %q: %s", typ, c.Hint)
	}
	tok, err := inspect.Decode(f["client_assertion"])
	if err != nil || tok.Format != inspect.FormatJWS || tok.Raw != f["client_assertion"] {
		return nil, bad("not a signed JWT (compact JWS)")
	}
	now := reg.now()
	audiences := []string{reg.tokenEndpoint}
	if !reg.errors.okta {
		audiences = append(audiences, reg.issuer)
	}
	claims := inspect.CheckClientAssertion(tok, inspect.AssertionExpect{Now: now, ClientID: f["client_id"], Audiences: audiences, MaxLifetime: maxAssertionLifetime})
	failed := func(id string) *inspect.Check {
		if c, ok := claims.Find(id); ok && c.Status == inspect.StatusFail {
			return &c
		}
		return nil
	}
	for _, id := range []string{"client_assertion.iss_sub", "client_assertion.client_id"} {
		if c := failed(id); c != nil {
			return nil, bad("%s", c.Hint)
		}
	}
	iss, _ := tok.Claims.String("iss")
	c := reg.clients[iss]
	if c == nil {
		return nil, reg.unknownClient(iss)
	}
	if c.keys == nil {
		return nil, bad("client %s has no registered keys; it authenticates with its secret", iss)
	}
	sig := inspect.Verify(tok, c.keys, inspect.VerifyOptions{KeySource: "the keys registered for " + iss})
	checks := inspect.CheckJWT(tok, sig, inspect.Expect{Now: now})
	if failed, ok := checks.FirstFailure(); ok {
		return nil, reg.errors.refuse(errAssertionInvalid, bad("%s: %s (expected %s)", failed.Title, failed.Actual, failed.Expected))
	}
	if !sig.Verified() {
		return nil, bad("signature not verified: %s", sig.Reason)
	}
	for _, id := range []string{"client_assertion.exp", "client_assertion.lifetime"} {
		if c := failed(id); c != nil {
			return nil, bad("%s", c.Hint)
		}
	}
	if c := failed("client_assertion.aud"); c != nil && !reg.faults[FaultIdPSkipAssertionAud] {
		hint := c.Hint
		if reg.errors.okta {
			hint = strings.Replace(hint, reg.tokenEndpoint, reg.tokenEndpoint+", the token endpoint invoked", 1)
		}
		return nil, reg.errors.refuse(errAssertionAudience, bad("%s", hint))
	}
	exp, _ := tok.Claims.Time("exp")
	if jti, ok := tok.Claims.String("jti"); ok && jti != "" && !reg.faults[FaultIdPSkipAssertionJTI] {
		switch reg.assertionIDs.use(iss, jti, exp, now) {
		case jtiReplayed:
			return nil, bad("jti %q was already used; make a new assertion for every request", jti)
		case jtiFull:
			return nil, &oauthError{status: http.StatusServiceUnavailable, code: "temporarily_unavailable", description: "too many client assertions in flight; retry shortly"}
		}
	}
	return c, nil
}
