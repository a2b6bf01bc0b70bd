package playground

import (
	"fmt"
	"maps"

	"github.com/xaatools/xaa/inspect"
)

// MintKey chooses the key Mint signs with.
type MintKey int

// The keys Mint can sign with: the IdP's current keys (published in its
// JWKS), or fresh keys of the same type that no JWKS holds.
const (
	MintRS256            MintKey = iota // the current RSA key, which signs ID tokens and ID-JAGs
	MintES256                           // the current EC P-256 key
	MintUnpublishedRS256                // an RSA key unknown to the JWKS
	MintUnpublishedES256                // an EC P-256 key unknown to the JWKS
)

// MintRequest is a token to sign: the JOSE header and the claims exactly as
// given, except that a missing "alg" becomes the key's algorithm and a
// missing "kid" the kid of the IdP's current key of that type (also for an
// unpublished key: same kid, other key). A member set to nil is left out.
type MintRequest struct {
	Header map[string]any
	Claims map[string]any
	Key    MintKey
}

// Mint signs arbitrary header and claims with the IdP's signing key, or
// with a key unknown to its JWKS, so that broken ID-JAGs for conformance
// tests come from the same code as good ones. The header's alg decides the
// algorithm (RS*, PS*, ES256, "none", or HS* keyed with the public key —
// algorithm confusion); it must suit the key.
func (p *Playground) Mint(r MintRequest) (string, error) {
	keys := p.idp.org.keys
	alg := map[MintKey]string{MintRS256: "RS256", MintES256: "ES256", MintUnpublishedRS256: "RS256", MintUnpublishedES256: "ES256"}[r.Key]
	if alg == "" {
		return "", fmt.Errorf("unknown MintKey %d", r.Key)
	}
	current := keys.signer(alg)
	key := current
	if r.Key == MintUnpublishedRS256 || r.Key == MintUnpublishedES256 {
		var err error
		if key, err = keys.rogueKey(alg); err != nil {
			return "", err
		}
	}
	header := withDefaults(r.Header, map[string]any{"alg": alg, "kid": current.kid})
	claims := withDefaults(r.Claims, nil)
	return signCompact(header, claims, key.priv)
}

// withDefaults copies m, adds the defaults it lacks and drops nil members.
func withDefaults(m, defaults map[string]any) map[string]any {
	out := maps.Clone(m)
	if out == nil {
		out = map[string]any{}
	}
	for k, v := range defaults {
		if _, set := out[k]; !set {
			out[k] = v
		}
	}
	for k, v := range out {
		if v == nil {
			delete(out, k)
		}
	}
	return out
}

// IDJAGTemplate returns the request for a valid ID-JAG, right now, for a
// demo user: exactly what the token exchange would issue for the demo
// requesting app (resource = the resource server, both scopes). Change one
// member and Mint it to get a token that breaks exactly one rule.
func (p *Playground) IDJAGTemplate(username string) (MintRequest, error) {
	u := p.users.byUsername(username)
	if u == nil {
		return MintRequest{}, fmt.Errorf("no demo user %q; the demo users are %s", username, p.users.names())
	}
	now := p.now()
	key := p.idp.org.keys.signer("RS256")
	return MintRequest{
		Header: map[string]any{"alg": "RS256", "kid": key.kid, "typ": inspect.TypIDJAG},
		Claims: map[string]any{
			"iss": p.idpURL, "sub": u.Subject, "aud": p.asURL, "client_id": ASClientID,
			"jti": p.idp.org.newJTI(), "iat": now.Unix(), "exp": now.Add(IDJAGLifetime).Unix(),
			"resource": p.rsURL, "scope": ScopeTodosRead + " " + ScopeTodosWrite, "email": u.Email,
		},
		Key: MintRS256,
	}, nil
}
