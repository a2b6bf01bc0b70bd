package wire

import (
	"encoding/base64"
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// FuzzScrub: a secret planted in any text — raw, form-encoded, base64 on
// its own or at any offset inside other base64, or in the Basic
// credentials client_id:secret — never survives the recorder's scrub.
func FuzzScrub(f *testing.F) {
	f.Add("token endpoint said: ", "s3cret-value-123", "agent1", uint8(0))
	f.Add("", "abcd", "a", uint8(3))
	f.Add("Basic ", "another secret with spaces", "client", uint8(4))
	f.Fuzz(func(t *testing.T, text, secret, clientID string, how uint8) {
		if len(secret) < 8 {
			return
		}
		basic := base64.StdEncoding.EncodeToString([]byte(clientID + ":" + secret))
		r := &Recorder{Secrets: []string{secret, basic}}
		var planted string
		switch how % 5 {
		case 0:
			planted = secret
		case 1:
			planted = url.QueryEscape(secret)
		case 2:
			planted = base64.StdEncoding.EncodeToString([]byte(secret))
		case 3:
			planted = base64.StdEncoding.EncodeToString([]byte(text + secret + text))
		case 4:
			planted = basic
		}
		out := r.scrub(text + planted + text)
		if strings.Contains(out, secret) {
			t.Fatalf("the secret survives in %q", out)
		}
		if how%5 != 3 && strings.Contains(out, planted) {
			t.Fatalf("the planted form %q survives in %q", planted, out)
		}
		if how%5 == 3 {
			inner := base64.StdEncoding.EncodeToString([]byte(secret))
			if len(inner) > 16 && strings.Contains(out, inner[4:len(inner)-4]) && len(text)%3 == 0 {
				t.Fatalf("the secret's base64 survives in %q", out)
			}
		}
	})
}

// FuzzRedactForm: the value of a secret parameter never survives the
// redaction of a form body, whatever else the body holds.
func FuzzRedactForm(f *testing.F) {
	f.Add("grant_type=x&client_secret=", "s3cret", "&scope=a")
	f.Fuzz(func(t *testing.T, before, secret, after string) {
		if len(secret) < 4 || strings.ContainsAny(secret, "&=%+ ") {
			return
		}
		body := before + "&client_secret=" + secret + "&" + after
		out := string(redactBody("application/x-www-form-urlencoded", []byte(body)))
		if strings.Contains(out, "client_secret="+secret) {
			t.Fatalf("the client secret survives in %q", out)
		}
	})
}

// FuzzReadTokenResponse: any answer of a token endpoint becomes a token
// response or a typed error, never a panic.
func FuzzReadTokenResponse(f *testing.F) {
	f.Add(200, `{"access_token":"x","token_type":"N_A"}`, "application/json")
	f.Add(400, `{"error":"invalid_grant","error_description":"x"}`, "application/json")
	f.Add(200, `<html>sign in</html>`, "text/html")
	f.Add(302, ``, "")
	f.Add(200, `[1,2]`, "application/json")
	c := NewClient(Options{})
	f.Fuzz(func(t *testing.T, status int, body, contentType string) {
		resp := &Response{Status: status, Header: http.Header{"Content-Type": {contentType}}, Body: []byte(body)}
		tr, err := c.ReadTokenResponse(resp, "the token response", "https://as/token")
		if (tr == nil) == (err == nil) {
			t.Fatalf("ReadTokenResponse = %v, %v: want exactly one", tr, err)
		}
		_ = ObjectOf([]byte(body))
		_, _ = ParseOAuthError(status, []byte(body))
	})
}
