package inspect

import (
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/rsa"
	"encoding/base64"
	"fmt"
	"slices"
	"strings"
)

// DefaultAlgorithms is the allow-list used when none is given: the
// asymmetric JWS algorithms of RFC 7518 and RFC 8037. HMAC algorithms and
// "none" are deliberately absent (RFC 8725 §3.1–3.2).
var DefaultAlgorithms = []string{
	"RS256", "RS384", "RS512", "PS256", "PS384", "PS512",
	"ES256", "ES384", "ES512", "EdDSA",
}

// SignatureStatus is the verdict on a token's signature.
type SignatureStatus int

// The verdicts. Unverified means nothing could be checked (no keys, the
// token names a key the set does not have, a shared-secret algorithm);
// Invalid means the keys meant to verify the token do not.
const (
	SignatureUnverified SignatureStatus = iota
	SignatureVerified
	SignatureInvalid
)

// String returns "verified", "invalid" or "unverified".
func (s SignatureStatus) String() string {
	switch s {
	case SignatureVerified:
		return "verified"
	case SignatureInvalid:
		return "invalid"
	default:
		return "unverified"
	}
}

// MarshalText encodes the status as its identifier.
func (s SignatureStatus) MarshalText() ([]byte, error) { return []byte(s.String()), nil }

// KeyAttempt records one key that Verify considered.
type KeyAttempt struct {
	KID        string `json:"kid,omitempty"`
	KTY        string `json:"kty,omitempty"`
	Alg        string `json:"alg,omitempty"`
	Use        string `json:"use,omitempty"`
	Thumbprint string `json:"thumbprint,omitempty"`
	// Verified is true for the key that verified the signature.
	Verified bool `json:"verified"`
	// Note says why the key was tried or passed over and what happened.
	Note string `json:"note"`
	// NotTried marks a key of the set that Verify passed over (another
	// kid, an unusable key): listed so a rotation can be seen, not failed.
	NotTried bool `json:"not_tried,omitempty"`
}

// Signature is the outcome of Verify, with everything a person needs to see
// why: the key that matched, how it was found, and every key tried.
type Signature struct {
	Status SignatureStatus `json:"status"`
	Alg    string          `json:"alg,omitempty"`
	KID    string          `json:"kid,omitempty"`
	// MatchedKey is the thumbprint of the key that verified the signature.
	MatchedKey string `json:"matched_key,omitempty"`
	// MatchedBy says how that key was found: "kid", "x5t", "x5t#S256" or
	// "trying each key".
	MatchedBy string `json:"matched_by,omitempty"`
	// KeySource says where the keys came from (a URL or file).
	KeySource string       `json:"key_source,omitempty"`
	Tried     []KeyAttempt `json:"tried"`
	// Reason is the verdict in one sentence.
	Reason string `json:"reason"`
	// Warnings flag risky headers (jku, x5u, jwk, x5c) and keys found in
	// an unexpected way; they are shown, never acted on.
	Warnings []string `json:"warnings,omitempty"`
	// AlgConfusion is set for HMAC-signed tokens: verifying them with a
	// public key as the secret is the algorithm-confusion attack.
	AlgConfusion bool `json:"alg_confusion,omitempty"`
	// UnknownKID is set when the token names a kid the key set lacks: the
	// wrong JWKS, or keys rotated since it was fetched (fetch it again once).
	UnknownKID bool `json:"unknown_kid,omitempty"`
	// SelfAsserted is set when the keys were found through the token's own
	// iss: a verified signature then proves the token is self-consistent,
	// not that its issuer is one to trust.
	SelfAsserted bool `json:"self_asserted,omitempty"`
	// NoKeys is set when there were no keys to verify with (none given,
	// none could be fetched): the signature is unknown, not bad.
	NoKeys bool `json:"no_keys,omitempty"`
}

// Verified reports whether the signature verified.
func (s Signature) Verified() bool { return s.Status == SignatureVerified }

// Verdict is the one prominent line every view shows about a signature.
func (s Signature) Verdict() string {
	if s.Status == SignatureVerified && s.SelfAsserted {
		return "verified, but only with keys the token's own iss names — that proves it is self-consistent, not that you should trust its issuer: " + s.Reason
	}
	if s.Status == SignatureVerified {
		return "verified: " + s.Reason
	}
	if s.NoKeys {
		return "unknown: " + s.Reason
	}
	return "NOT verified: " + s.Reason
}

// VerifyOptions tune Verify.
type VerifyOptions struct {
	// Algorithms is the allow-list; DefaultAlgorithms when nil.
	Algorithms []string
	// KeySource names where the key set came from, for the verdict.
	KeySource string
	// KeyProblem says why there is no key set; it is the verdict when keys
	// is nil ("no keys to verify with" when empty).
	KeyProblem string
	// SelfAsserted says the keys were found through the token's own iss.
	SelfAsserted bool
}

// riskyHeaders name keys or key locations a token can carry itself. A
// verifier that follows them lets the token choose its own key (RFC 8725
// §3.10), so xaa only shows them.
var riskyHeaders = []string{"jku", "x5u", "jwk", "x5c"}

// Verify checks t's signature against keys. It finds the signing key by kid,
// then by x5t / x5t#S256, then — only when the token names no key — by
// trying each key, and records every key it considered.
func Verify(t *Token, keys *KeySet, opts VerifyOptions) Signature {
	sig := Signature{Alg: t.Alg(), KID: t.KID(), KeySource: opts.KeySource, Tried: []KeyAttempt{}, SelfAsserted: opts.SelfAsserted && keys != nil}
	for _, h := range riskyHeaders {
		if t.Header.Has(h) {
			v, _ := t.Header.String(h)
			if v == "" {
				v = "(embedded)"
			}
			sig.Warnings = append(sig.Warnings, fmt.Sprintf("header %s = %s: a key chosen by the token itself; xaa never uses it, and a verifier must not either (RFC 8725 §3.10)", h, v))
		}
	}
	allowed := opts.Algorithms
	if allowed == nil {
		allowed = DefaultAlgorithms
	}
	alg := sig.Alg
	switch {
	case t.Format == FormatJWE:
		sig.Reason = "the token is encrypted (JWE); only its recipient can decrypt and verify it"
		return sig
	case t.Format != FormatJWS:
		sig.Reason = "not a signed JWT"
		return sig
	case t.Header == nil:
		sig.Status = SignatureInvalid
		sig.Reason = "the header could not be decoded"
		return sig
	case alg == "":
		sig.Status = SignatureInvalid
		sig.Reason = "the header has no alg (RFC 7515 §4.1.1)"
		return sig
	case strings.EqualFold(alg, "none"):
		sig.Status = SignatureInvalid
		sig.Reason = "alg is \"none\": the token is unsigned and is never accepted (RFC 8725 §3.2)"
		return sig
	case strings.HasPrefix(alg, "HS"):
		sig.AlgConfusion = true
		sig.Reason = fmt.Sprintf("alg %s is a shared-secret (HMAC) algorithm: public keys cannot verify it, and a verifier that uses a public key as the HMAC secret falls to algorithm confusion (RFC 8725 §2.1)", alg)
		return sig
	case !slices.Contains(allowed, alg):
		sig.Reason = fmt.Sprintf("alg %s is not on the allow-list (%s)", alg, strings.Join(allowed, ", "))
		return sig
	case keys == nil && opts.KeyProblem != "":
		sig.Reason, sig.NoKeys = opts.KeyProblem, true
		return sig
	case keys == nil || len(keys.Keys) == 0:
		sig.Reason, sig.NoKeys = "no keys to verify with", true
		return sig
	}

	jws, err := newJWSVerifier(t, alg)
	if err != nil {
		sig.Status = SignatureInvalid
		sig.Reason = "the token is not a well-formed JWS: " + strings.TrimPrefix(err.Error(), "go-jose/go-jose: ")
		return sig
	}

	candidates, by := selectKeys(t, keys)
	if len(candidates) == 0 {
		sig.Reason = noKeyReason(t, keys)
		sig.UnknownKID = by == "kid"
		// Try each key anyway to tell a stale kid from a foreign key,
		// without letting it change the verdict.
		for _, k := range keys.Keys {
			a := attempt(k, t, jws, alg)
			if a.Verified {
				a.Note = "verifies the signature, but the token's kid does not name it"
				sig.Warnings = append(sig.Warnings, fmt.Sprintf("key %s verifies the signature although the token's kid %q does not name it — the kid header is wrong, or the key was re-labelled", k.Label(), sig.KID))
			}
			sig.Tried = append(sig.Tried, a)
		}
		return sig
	}
	for _, k := range candidates {
		a := attempt(k, t, jws, alg)
		if a.Verified && sig.Status != SignatureVerified {
			sig.Status = SignatureVerified
			sig.MatchedKey = k.Thumbprint
			sig.MatchedBy = by
			a.Note = "found by " + by + "; verifies the signature"
			sig.Reason = fmt.Sprintf("%s with key %s (%s), found by %s", alg, k.Label(), ShortThumbprint(k.Thumbprint), by)
			if opts.KeySource != "" {
				sig.Reason += " from " + opts.KeySource
			}
		}
		sig.Tried = append(sig.Tried, a)
	}
	if sig.Status != SignatureVerified {
		sig.Status = SignatureInvalid
		sig.Reason = fmt.Sprintf("the signature does not verify with %s", describeCandidates(candidates, by))
		for _, a := range sig.Tried {
			if strings.Contains(a.Note, "truncated") {
				sig.Reason += "; " + a.Note
				break
			}
		}
	}
	return sig
}

// selectKeys returns the keys the token names and how they were found.
func selectKeys(t *Token, keys *KeySet) ([]Key, string) {
	if kid := t.KID(); kid != "" {
		return filterKeys(keys, func(k Key) bool { return k.KID == kid }), "kid"
	}
	if x5t, ok := t.Header.String("x5t"); ok {
		return filterKeys(keys, func(k Key) bool { return k.X5T != "" && k.X5T == x5t }), "x5t"
	}
	if x5t, ok := t.Header.String("x5t#S256"); ok {
		return filterKeys(keys, func(k Key) bool { return k.X5TS256 != "" && k.X5TS256 == x5t }), "x5t#S256"
	}
	return keys.Keys, "trying each key"
}

func filterKeys(keys *KeySet, keep func(Key) bool) []Key {
	var out []Key
	for _, k := range keys.Keys {
		if keep(k) {
			out = append(out, k)
		}
	}
	return out
}

func noKeyReason(t *Token, keys *KeySet) string {
	if kid := t.KID(); kid != "" {
		return fmt.Sprintf("kid %q is not in the JWKS (keys: %s) — the wrong JWKS, or the IdP rotated its keys", kid, keys.Summary())
	}
	return fmt.Sprintf("no key in the JWKS matches the token's certificate thumbprint (keys: %s)", keys.Summary())
}

func describeCandidates(keys []Key, by string) string {
	if by == "trying each key" {
		return fmt.Sprintf("any of the %d keys", len(keys))
	}
	labels := make([]string, len(keys))
	for i, k := range keys {
		labels[i] = k.Label()
	}
	return "key " + strings.Join(labels, ", ") + " (found by " + by + ")"
}

// attempt tries one key and says what happened.
func attempt(k Key, t *Token, jws *jwsVerifier, alg string) KeyAttempt {
	a := KeyAttempt{KID: k.KID, KTY: k.KTY, Alg: k.Alg, Use: k.Use, Thumbprint: k.Thumbprint}
	switch {
	case !k.Usable():
		a.Note = "unusable: " + k.Problem
	case k.Use != "" && k.Use != "sig":
		a.Note = fmt.Sprintf("use is %q, not a signing key", k.Use)
	case k.Alg != "" && k.Alg != alg:
		a.Note = fmt.Sprintf("key is for %s, token uses %s", k.Alg, alg)
	case !keyFitsAlg(k, alg):
		a.Note = fmt.Sprintf("an %s key cannot verify %s", k.KTY, alg)
	default:
		if err := jws.verify(k.public); err == nil {
			a.Verified = true
			a.Note = "verifies the signature"
		} else {
			a.Note = "signature does not verify with this key"
			if want := k.modulusBytes; want > 0 && len(t.Signature) != want {
				enc := base64.RawURLEncoding.EncodedLen
				a.Note = fmt.Sprintf("signature is %d characters, an %s signature over this %d-bit key is %d — truncated?",
					enc(len(t.Signature)), alg, want*8, enc(want))
			}
		}
	}
	return a
}

// keyFitsAlg reports whether a key's type can verify alg.
func keyFitsAlg(k Key, alg string) bool {
	switch k.public.(type) {
	case *rsa.PublicKey:
		return strings.HasPrefix(alg, "RS") || strings.HasPrefix(alg, "PS")
	case *ecdsa.PublicKey:
		return strings.HasPrefix(alg, "ES")
	case ed25519.PublicKey:
		return alg == "EdDSA" || alg == "Ed25519"
	}
	return false
}
