package inspect

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rsa"
	"errors"
	"hash"
	"math/big"

	jose "github.com/go-jose/go-jose/v4"
)

// jwsVerifier checks a compact JWS's signature with one key at a time.
//
// go-jose rebuilds the signing input from the decoded payload (decoding it,
// encoding it again, and joining it to the header): three copies of a
// token that may be a megabyte, for every key tried. The signing input is
// the token's first two segments as written (RFC 7515 §5.2), so when they
// are canonical base64url — which is what re-encoding would give — the
// verifier hashes them in place instead, for the hash-then-sign algorithms
// (RS*, PS*, ES*), with the same primitives and checks as go-jose's
// verifiers. A header of only string-valued alg, typ, cty, kid, x5t and
// x5t#S256 needs no more parsing than Decode did (a grant at the
// playground's resource AS verifies one per request); any other header is
// parsed and checked by go-jose. go-jose verifies everything off the fast
// path: EdDSA (whose API takes the message itself), a "crit" or "b64"
// header (RFC 7797), and segments with padding, standard-base64 characters
// or stray trailing bits, which go-jose verifies in their canonical form.
type jwsVerifier struct {
	jws          *jose.JSONWebSignature
	alg          string
	signingInput string // set on the fast path
	signature    []byte
}

// newJWSVerifier parses t for verification with alg. An error means the
// token is not a well-formed JWS.
func newJWSVerifier(t *Token, alg string) (*jwsVerifier, error) {
	algs := []jose.SignatureAlgorithm{jose.SignatureAlgorithm(alg)}
	if len(t.Segments) == 3 && fastJWSAlg(alg) && !t.Header.Has("crit") && !t.Header.Has("b64") &&
		canonicalBase64URL(t.Segments[0]) && canonicalBase64URL(t.Segments[1]) {
		v := &jwsVerifier{alg: alg, signingInput: t.Raw[:len(t.Segments[0])+1+len(t.Segments[1])]}
		if simpleHeader(t.Header) && canonicalBase64URL(t.Segments[2]) && len(t.Signature) > 0 {
			v.signature = t.Signature
			return v, nil
		}
		// Only the header and the signature: the payload is detached, so
		// go-jose neither decodes nor keeps it.
		jws, err := jose.ParseDetached(t.Segments[0]+".."+t.Segments[2], []byte{}, algs)
		if err != nil {
			return nil, err
		}
		v.jws, v.signature = jws, jws.Signatures[0].Signature
		return v, nil
	}
	jws, err := jose.ParseSignedCompact(t.Raw, algs)
	if err != nil {
		return nil, err
	}
	return &jwsVerifier{jws: jws, alg: alg}, nil
}

// verify checks the signature with one public key.
func (v *jwsVerifier) verify(pub crypto.PublicKey) error {
	if v.signingInput == "" {
		_, err := v.jws.Verify(pub)
		return err
	}
	return verifyHashed(pub, v.alg, v.signingInput, v.signature)
}

// simpleHeader reports a JOSE header go-jose would parse without a check
// of its own: every member one of alg, typ, cty, kid, x5t, x5t#S256, each
// a JSON string, none repeated. (The alg is checked against the allow-list
// before.)
func simpleHeader(h Object) bool {
	if h == nil || len(h.Duplicates()) > 0 {
		return false
	}
	for _, m := range h {
		switch m.Name {
		case "alg", "typ", "cty", "kid", "x5t", "x5t#S256":
		default:
			return false
		}
		if len(m.Raw) == 0 || m.Raw[0] != '"' {
			return false
		}
	}
	return true
}

// fastJWSAlg names the algorithms verifyHashed handles.
func fastJWSAlg(alg string) bool {
	switch alg {
	case "RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512":
		return true
	}
	return false
}

// errSignature is the error of a signature that does not verify.
var errSignature = errors.New("signature does not verify")

// verifyHashed verifies sig over input for an RS*, PS* or ES* algorithm
// (RFC 7518 §3.3–3.5), hashing input without copying it.
func verifyHashed(pub crypto.PublicKey, alg string, input string, sig []byte) error {
	var h crypto.Hash
	var curve elliptic.Curve
	var size int // bytes of each of R and S
	switch alg[2:] {
	case "256":
		h, curve, size = crypto.SHA256, elliptic.P256(), 32
	case "384":
		h, curve, size = crypto.SHA384, elliptic.P384(), 48
	case "512":
		h, curve, size = crypto.SHA512, elliptic.P521(), 66
	default:
		return errSignature
	}
	switch key := pub.(type) {
	case *rsa.PublicKey:
		switch alg[:2] {
		case "RS":
			return rsa.VerifyPKCS1v15(key, h, hashString(h.New(), input), sig)
		case "PS":
			// Salt length detected from the signature, as go-jose does.
			return rsa.VerifyPSS(key, h, hashString(h.New(), input), sig, nil)
		}
	case *ecdsa.PublicKey:
		// A JWS ECDSA signature is R || S, each the size of the curve's
		// order, and the curve is fixed by alg (RFC 7518 §3.4).
		if alg[:2] != "ES" || key.Curve != curve || len(sig) != 2*size {
			return errSignature
		}
		r, s := new(big.Int).SetBytes(sig[:size]), new(big.Int).SetBytes(sig[size:])
		if ecdsa.Verify(key, hashString(h.New(), input), r, s) {
			return nil
		}
	}
	return errSignature
}

// hashString hashes s through a buffer of at most 4 KiB: hash.Hash has no
// WriteString, and converting a megabyte token to []byte would copy it.
func hashString(h hash.Hash, s string) []byte {
	buf := make([]byte, min(len(s), 4096))
	for len(s) > 0 {
		n := copy(buf, s)
		h.Write(buf[:n])
		s = s[n:]
	}
	return h.Sum(nil)
}

// canonicalBase64URL reports whether s is exactly what base64url without
// padding encodes its bytes to: only the URL-safe alphabet, a possible
// length, and zero bits after the last byte (RFC 4648 §3.5).
func canonicalBase64URL(s string) bool {
	if len(s)%4 == 1 {
		return false
	}
	for i := 0; i < len(s); i++ {
		if base64URLValues[s[i]] < 0 {
			return false
		}
	}
	if len(s) == 0 {
		return true
	}
	last := base64URLValues[s[len(s)-1]]
	switch len(s) % 4 {
	case 2:
		return last&0x0f == 0
	case 3:
		return last&0x03 == 0
	}
	return true
}

// base64URLValues maps each byte to its 6-bit value in the base64url
// alphabet, or -1.
var base64URLValues = func() (t [256]int8) {
	for i := range t {
		t[i] = -1
	}
	for i, c := range "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_" {
		t[c] = int8(i)
	}
	return t
}()
