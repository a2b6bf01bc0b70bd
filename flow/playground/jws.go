package playground

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/hmac"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"fmt"
	"math/big"
	"strings"
)

// signCompact builds a compact JWS (RFC 7515 §7.1) from a header and claims
// exactly as given — no member is added or checked — and signs it with key
// using the algorithm named by the header's "alg". That is how the
// playground mints good tokens and, for the faults and the conformance
// tests, deliberately broken ones ("none", HS256 keyed with the public key,
// an algorithm the key was not meant for).
func signCompact(header, claims any, key crypto.Signer) (string, error) {
	h, err := json.Marshal(header)
	if err != nil {
		return "", fmt.Errorf("encoding JOSE header: %w", err)
	}
	c, err := json.Marshal(claims)
	if err != nil {
		return "", fmt.Errorf("encoding claims: %w", err)
	}
	var head struct {
		Alg string `json:"alg"`
	}
	_ = json.Unmarshal(h, &head)
	return signEncoded(head.Alg, base64.RawURLEncoding.EncodeToString(h), c, key)
}

// signWithHeader signs claims under a header already encoded (base64url)
// for alg: a server that issues many tokens encodes its header once.
func signWithHeader(alg, encodedHeader string, claims any, key crypto.Signer) (string, error) {
	c, err := json.Marshal(claims)
	if err != nil {
		return "", fmt.Errorf("encoding claims: %w", err)
	}
	return signEncoded(alg, encodedHeader, c, key)
}

// signEncoded joins the encoded header and the claims and signs them.
func signEncoded(alg, encodedHeader string, claims []byte, key crypto.Signer) (string, error) {
	enc := base64.RawURLEncoding
	input := make([]byte, 0, len(encodedHeader)+1+enc.EncodedLen(len(claims))+1+enc.EncodedLen(132))
	input = append(input, encodedHeader...)
	input = append(input, '.')
	input = enc.AppendEncode(input, claims)
	n := len(input)
	sig, err := signJWSInput(alg, key, input)
	if err != nil {
		return "", err
	}
	return string(enc.AppendEncode(append(input[:n], '.'), sig)), nil
}

// signJWSInput computes the signature of a JWS signing input (RFC 7518 §3).
func signJWSInput(alg string, key crypto.Signer, input []byte) ([]byte, error) {
	hash, ok := map[string]crypto.Hash{"256": crypto.SHA256, "384": crypto.SHA384, "512": crypto.SHA512}[strings.TrimLeft(alg, "RSPEHA")]
	switch {
	case alg == "none":
		return nil, nil
	case alg == "EdDSA" || alg == "Ed25519":
		k, isEd := key.(ed25519.PrivateKey)
		if !isEd {
			return nil, fmt.Errorf("%s needs an Ed25519 key, not %T", alg, key)
		}
		return ed25519.Sign(k, input), nil
	case !ok:
		return nil, fmt.Errorf("cannot sign with alg %q", alg)
	}
	h := hash.New()
	h.Write(input)
	digest := h.Sum(nil)
	switch alg[:2] {
	case "RS", "PS":
		k, isRSA := key.(*rsa.PrivateKey)
		if !isRSA {
			return nil, fmt.Errorf("%s needs an RSA key, not %T", alg, key)
		}
		if alg[0] == 'P' {
			return rsa.SignPSS(rand.Reader, k, hash, digest, &rsa.PSSOptions{SaltLength: rsa.PSSSaltLengthEqualsHash})
		}
		return rsa.SignPKCS1v15(rand.Reader, k, hash, digest)
	case "ES":
		k, isEC := key.(*ecdsa.PrivateKey)
		if !isEC {
			return nil, fmt.Errorf("%s needs an EC key, not %T", alg, key)
		}
		size := (k.Curve.Params().BitSize + 7) / 8
		if want := map[string]int{"ES256": 32, "ES384": 48, "ES512": 66}[alg]; want != size {
			return nil, fmt.Errorf("%s needs a %d-byte curve, the key's curve is %s", alg, want, k.Curve.Params().Name)
		}
		r, s, err := ecdsa.Sign(rand.Reader, k, digest)
		if err != nil {
			return nil, err
		}
		return append(fixed(r, size), fixed(s, size)...), nil
	case "HS":
		// Algorithm confusion (RFC 8725 §2.1): the public key, as PEM, used
		// as the HMAC secret. A verifier that does the same accepts it.
		der, err := x509.MarshalPKIXPublicKey(key.Public())
		if err != nil {
			return nil, err
		}
		mac := hmac.New(hash.New, pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: der}))
		mac.Write(input)
		return mac.Sum(nil), nil
	}
	return nil, fmt.Errorf("cannot sign with alg %q", alg)
}

// fixed writes n big-endian in exactly size bytes (RFC 7518 §3.4).
func fixed(n *big.Int, size int) []byte {
	out := make([]byte, size)
	n.FillBytes(out)
	return out
}
