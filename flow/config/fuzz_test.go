package config_test

import (
	"strings"
	"testing"

	"github.com/xaatools/xaa/flow/config"
)

// FuzzParse: any file parses or fails with problems, without a panic; a
// parsed config can be validated, warned about and written back.
func FuzzParse(f *testing.F) {
	f.Add(goodConfig)
	for _, s := range []string{"", "idp: [", "idp:\n  scopes: 3\n", "resource_as:\n  client_secret: *x\n", "- a\n- b\n", "idp: {issuer: http://x}\n"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, doc string) {
		c, err := config.Parse([]byte(doc), "fuzz.yaml")
		if err != nil {
			return
		}
		_ = c.Validate()
		_ = c.Warnings()
		_ = c.Parties()
	})
}

// FuzzParseNeverEchoesTheSecret: however broken the file around it, an
// error message never carries the value of client_secret.
func FuzzParseNeverEchoesTheSecret(f *testing.F) {
	f.Add("S3cretValue", "*", "\n  issuer: [")
	f.Add("S3cretValue", "&", " x\n  issuer: *nope")
	f.Add("S3cretValue", "\"", "\n")
	f.Add("000000", "*", ":x") // the alias is named before the colon
	f.Fuzz(func(t *testing.T, secret, before, after string) {
		if len(secret) < 6 || strings.ContainsAny(secret, " \t\r\n'\"#:{}[],&*!|>%@`") {
			return
		}
		doc := "idp:\n  client_secret: " + before + secret + after + "\n"
		if _, err := config.Parse([]byte(doc), "fuzz.yaml"); err != nil && strings.Contains(err.Error(), secret) {
			t.Fatalf("the error echoes the secret: %v", err)
		}
	})
}

// FuzzParsePrivateKey: any key file parses or fails without a panic, and
// a failure never echoes the file.
func FuzzParsePrivateKey(f *testing.F) {
	for _, s := range []string{"-----BEGIN PRIVATE KEY-----\nMIIB\n-----END PRIVATE KEY-----\n", `{"kty":"EC","crv":"P-256","d":"x"}`, "ssh-ed25519 AAAA", ""} {
		f.Add(s)
	}
	// The messages' own words ("-----BEGIN PRIVATE KEY-----") are no echo.
	_, plain := config.ParsePrivateKey([]byte("not a key"), "")
	f.Fuzz(func(t *testing.T, data string) {
		_, err := config.ParsePrivateKey([]byte(data), "")
		d := strings.TrimSpace(data)
		if err != nil && len(d) >= 12 && strings.Contains(err.Error(), d) && !strings.Contains(plain.Error(), d) {
			t.Fatalf("the error echoes the key file: %v", err)
		}
	})
}
