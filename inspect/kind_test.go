package inspect_test

import (
	"strings"
	"testing"

	"github.com/xaatools/xaa/inspect"
)

func TestClassify(t *testing.T) {
	rs := key(t, "rs")
	tests := []struct {
		name   string
		token  string
		want   inspect.Kind
		reason string
	}{
		{"id-jag", rs.Mint(t, "oauth-id-jag+jwt", claims(jagClaims()...), nil), inspect.KindIDJAG, "typ is oauth-id-jag+jwt"},
		{"id-jag media type", rs.Mint(t, "application/oauth-id-jag+jwt", claims(jagClaims()...), nil), inspect.KindIDJAG, "typ is application/oauth-id-jag+jwt"},
		{"id-jag pre-draft typ", rs.Mint(t, "oauth-mtag+jwt", claims(jagClaims()...), nil), inspect.KindIDJAG, "pre-draft typ"},
		{"id token", rs.Mint(t, "JWT", claims(idTokenClaims()...), nil), inspect.KindIDToken, "has nonce/at_hash, typ JWT: an OIDC ID token"},
		{"id token without nonce", rs.Mint(t, "JWT", claims(override(idTokenClaims(), "nonce", nil, "at_hash", nil, "auth_time", now.Unix(), "amr", []string{"pwd"})...), nil), inspect.KindIDToken, "has auth_time/amr and no client_id or scope"},
		{"access token", rs.Mint(t, "at+jwt", claims(accessTokenClaims()...), nil), inspect.KindAccessToken, "RFC 9068"},
		{"okta access token", rs.Mint(t, "", claims("iss", idpIssuer, "cid", "0oa1", "scp", []string{"openid"}, "uid", "00u1"), nil), inspect.KindAccessToken, "Okta access token"},
		{"id-jag with typ JWT", rs.Mint(t, "JWT", claims(jagClaims()...), nil), inspect.KindIDJAG, "probably an ID-JAG: it has iss, sub, one aud, client_id, jti and a resource claim, but typ JWT"},
		{"id-jag without typ", rs.Mint(t, "", claims(jagClaims()...), nil), inspect.KindIDJAG, "but no typ — an ID-JAG must declare typ oauth-id-jag+jwt"},
		{"id-jag without resource, typ JWT", rs.Mint(t, "JWT", claims(override(jagClaims(), "resource", nil)...), nil), inspect.KindIDJAG, "lives 5m"},
		{"access token with typ JWT", rs.Mint(t, "JWT", claims(accessTokenClaims()...), nil), inspect.KindAccessToken, "client_id and scope claims like an access token"},
		{"other jwt", rs.Mint(t, "", claims("iss", "x", "foo", "bar"), nil), inspect.KindUnknown, "none of ID token, ID-JAG or access token"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tok, err := inspect.Decode(tt.token)
			if err != nil {
				t.Fatal(err)
			}
			if tok.Kind != tt.want || !strings.Contains(tok.KindReason, tt.reason) {
				t.Errorf("Kind = %v (%q), want %v with reason containing %q", tok.Kind, tok.KindReason, tt.want, tt.reason)
			}
		})
	}
}

func TestClassifyFromTokenExchangeResponse(t *testing.T) {
	// An IdP that forgets typ: the response still says what it issued.
	jag := key(t, "rs").Mint(t, "JWT", claims(jagClaims()...), nil)
	tok, err := inspect.Decode(`{"access_token":"` + jag + `","issued_token_type":"urn:ietf:params:oauth:token-type:id-jag","token_type":"N_A"}`)
	if err != nil {
		t.Fatal(err)
	}
	if tok.Kind != inspect.KindIDJAG || !strings.Contains(tok.KindReason, "but the token has typ JWT") {
		t.Errorf("Kind = %v (%q), want id_jag noting the typ", tok.Kind, tok.KindReason)
	}
}

func TestCheckKindNamesMixUps(t *testing.T) {
	rs := key(t, "rs")
	idt, _ := inspect.Decode(rs.Mint(t, "JWT", claims(idTokenClaims()...), nil))
	jag, _ := inspect.Decode(rs.Mint(t, "oauth-id-jag+jwt", claims(jagClaims()...), nil))
	at, _ := inspect.Decode(rs.Mint(t, "at+jwt", claims(accessTokenClaims()...), nil))
	tests := []struct {
		name string
		tok  *inspect.Token
		want inspect.Kind
		hint string
	}{
		{"ID token where an ID-JAG belongs", idt, inspect.KindIDJAG, "this is the ID token from login"},
		{"access token where an ID-JAG belongs", at, inspect.KindIDJAG, "this is an access token"},
		{"ID-JAG as subject token", jag, inspect.KindIDToken, "takes the ID token from login"},
		{"ID-JAG sent to an API", jag, inspect.KindAccessToken, "redeem it at the resource AS"},
		{"ID token sent to an API", idt, inspect.KindAccessToken, "must never be sent to an API"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := inspect.CheckKind(tt.tok, tt.want)
			if c.Status != inspect.StatusFail || !strings.Contains(c.Hint, tt.hint) {
				t.Errorf("CheckKind = %v %q, want fail with hint containing %q", c.Status, c.Hint, tt.hint)
			}
		})
	}
	if c := inspect.CheckKind(jag, inspect.KindIDJAG); c.Status != inspect.StatusPass {
		t.Errorf("CheckKind(ID-JAG, ID-JAG) = %v, want pass", c.Status)
	}
}

func TestCheckURN(t *testing.T) {
	tests := []struct {
		param, value string
		want         inspect.Status
		hint         string
	}{
		{"requested_token_type", "urn:ietf:params:oauth:token-type:id-jag", inspect.StatusPass, ""},
		{"requested_token_type", "urn:ietf:params:oauth:token-type:id_jag", inspect.StatusFail, "underscore where the registered URN has a hyphen"},
		{"requested_token_type", "urn:okta:params:oauth:token-type:id-jag", inspect.StatusFail, "display label"},
		{"requested_token_type", "urn:ietf:params:oauth:token-type:jwt-authorization-grant", inspect.StatusFail, "pre-draft name"},
		{"issued_token_type", "urn:ietf:params:oauth:token-type:jwt", inspect.StatusFail, "generic identity-chaining token"},
		{"subject_token_type", "urn:ietf:params:oauth:token-type:id-token", inspect.StatusFail, "misspelling of \"urn:ietf:params:oauth:token-type:id_token\""},
		{"subject_token_type", "urn:ietf:params:oauth:token-type:id_token", inspect.StatusPass, ""},
		{"grant_type", "urn:ietf:params:oauth:grant-type:token_exchange", inspect.StatusFail, "misspelling"},
		{"grant_type", "urn:ietf:params:oauth:grant-type:jwt-bearer", inspect.StatusPass, ""},
		{"grant_type", "urn:ietf:params:oauth:grant-type:jwt-authorization-grant", inspect.StatusFail, "reverted"},
	}
	for _, tt := range tests {
		t.Run(tt.param+"="+tt.value, func(t *testing.T) {
			c := inspect.CheckURN(tt.param, tt.value)
			if c.Status != tt.want || !strings.Contains(c.Hint, tt.hint) {
				t.Errorf("CheckURN = %v %q, want %v with hint containing %q", c.Status, c.Hint, tt.want, tt.hint)
			}
		})
	}
}

func TestAnalyzeChecksEnvelopeURNs(t *testing.T) {
	jag := key(t, "rs").Mint(t, "oauth-id-jag+jwt", claims(jagClaims()...), nil)
	tok := mustDecode(t, `{"access_token":"`+jag+`","issued_token_type":"urn:ietf:params:oauth:token-type:id_jag","token_type":"N_A"}`)
	a := inspect.Analyze(tok, inspect.Options{Expect: inspect.Expect{Now: now}})
	c, ok := a.Checks.Find("urn.issued_token_type")
	if !ok || c.Status != inspect.StatusFail || !strings.Contains(c.Hint, "underscore") {
		t.Errorf("urn.issued_token_type = %+v (found %v), want a failure naming the underscore", c, ok)
	}
}
