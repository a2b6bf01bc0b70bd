package inspect_test

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"encoding/json"
	"fmt"

	jose "github.com/go-jose/go-jose/v4"

	"github.com/xaatools/xaa/inspect"
)

func ExampleDecode() {
	// A token as it appears in a log line: quoted, with a Bearer prefix.
	const logged = `"Bearer eyJhbGciOiJSUzI1NiIsImtpZCI6ImsxIiwidHlwIjoib2F1dGgtaWQtamFnK2p3dCJ9.eyJpc3MiOiJodHRwczovL` +
		`2lkcC5leGFtcGxlLmNvbSIsInN1YiI6IjAwdTEiLCJhdWQiOiJodHRwczovL2FzLmV4YW1wbGUuY29tIiwiY2xpZW50X2lkIjoiY` +
		`WdlbnQtYXQtYXMiLCJqdGkiOiJqMSIsImlhdCI6MTc5NTAwMDAwMCwiZXhwIjoxNzk1MDAwMzAwfQ.AAECAwQFBgcICQoLDA0ODx` +
		`AREhMUFRYXGBkaGxwdHh8gISIjJCUmJygpKissLS4vMDEyMzQ1Njc4OTo7PD0-P0BBQkNERUZHSElKS0xNTk9QUVJTVFVWV1hZWl` +
		`tcXV5fYGFiY2RlZmdoaWprbG1ub3BxcnN0dXZ3eHl6e3x9fn-AgYKDhIWGh4iJiouMjY6PkJGSk5SVlpeYmZqbnJ2en6ChoqOkpa` +
		`anqKmqq6ytrq-wsbKztLW2t7i5uru8vb6_wMHCw8TFxsfIycrLzM3Oz9DR0tPU1dbX2Nna29zd3t_g4eLj5OXm5-jp6uvs7e7v8P` +
		`Hy8_T19vf4-fr7_P3-_w"`
	tok, err := inspect.Decode(logged)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(tok.Kind.Title(), "-", tok.KindReason)
	for _, m := range tok.Claims[:3] {
		fmt.Printf("%s = %s\n", m.Name, m.Raw)
	}
	fmt.Println(tok.Notes)
	// Output:
	// ID-JAG - typ is oauth-id-jag+jwt
	// iss = "https://idp.example.com"
	// sub = "00u1"
	// aud = "https://as.example.com"
	// [removed surrounding quotes removed a leading 'Bearer ']
}

func ExampleVerify() {
	// The IdP's key and its published JWKS.
	priv, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	signer, _ := jose.NewSigner(jose.SigningKey{Algorithm: jose.ES256, Key: jose.JSONWebKey{Key: priv, KeyID: "idp-key-1"}}, nil)
	jws, _ := signer.Sign([]byte(`{"iss":"https://idp.example.com","sub":"00u1"}`))
	raw, _ := jws.CompactSerialize()
	jwksJSON, _ := json.Marshal(jose.JSONWebKeySet{Keys: []jose.JSONWebKey{{Key: priv.Public(), KeyID: "idp-key-1", Use: "sig"}}})

	tok, _ := inspect.Decode(raw)
	keys, _ := inspect.ParseJWKS(jwksJSON)
	sig := inspect.Verify(tok, keys, inspect.VerifyOptions{KeySource: "https://idp.example.com/keys"})
	fmt.Println(sig.Status, "by", sig.MatchedBy)
	for _, a := range sig.Tried {
		fmt.Println(a.KID, a.KTY, a.Verified, a.Note)
	}
	// Output:
	// verified by kid
	// idp-key-1 EC true found by kid; verifies the signature
}
