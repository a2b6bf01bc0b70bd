package inspect_test

import (
	"encoding/base64"
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/xaatools/xaa/inspect"
)

func TestDecodeCleansPastedInput(t *testing.T) {
	tok := key(t, "rs").Mint(t, "oauth-id-jag+jwt", claims(jagClaims()...), nil)
	wrapped := tok[:40] + "\n  " + tok[40:120] + "\r\n" + tok[120:]
	tests := []struct {
		name  string
		input string
		notes []string
	}{
		{"bare", tok, nil},
		{"surrounding whitespace", "\n\t " + tok + " \n", nil},
		{"bearer prefix", "Bearer " + tok, []string{"removed a leading 'Bearer '"}},
		{"lowercase bearer", "bearer\t" + tok, []string{"removed a leading 'Bearer '"}},
		{"authorization header", "Authorization: Bearer " + tok, []string{"removed a leading 'Authorization:'", "removed a leading 'Bearer '"}},
		{"double quotes", `"` + tok + `"`, []string{"removed surrounding quotes"}},
		{"single quotes", `'` + tok + `'`, []string{"removed surrounding quotes"}},
		{"wrapped across lines", wrapped, []string{"removed whitespace and line breaks inside the token"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := inspect.Decode(tt.input)
			if err != nil {
				t.Fatalf("Decode: %v", err)
			}
			if got.Raw != tok {
				t.Errorf("Raw = %.30q…, want the bare token", got.Raw)
			}
			if diff := cmp.Diff(tt.notes, got.Notes); diff != "" {
				t.Errorf("Notes (-want +got):\n%s", diff)
			}
			if len(got.Problems) != 0 {
				t.Errorf("Problems = %v, want none", got.Problems)
			}
			if got.Kind != inspect.KindIDJAG {
				t.Errorf("Kind = %v, want id_jag", got.Kind)
			}
		})
	}
}

func TestDecodeKeepsOrder(t *testing.T) {
	c := claims("zeta", 1, "iss", idpIssuer, "alpha", "a", "exp", 2000000000, "mid", json.RawMessage(`{"b":1,"a":2}`))
	tok := key(t, "es").Mint(t, "JWT", c, nil)
	got, err := inspect.Decode(tok)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, m := range got.Claims {
		names = append(names, m.Name)
	}
	if diff := cmp.Diff([]string{"zeta", "iss", "alpha", "exp", "mid"}, names); diff != "" {
		t.Errorf("claim order (-want +got):\n%s", diff)
	}
	out, err := json.Marshal(got.Claims)
	if err != nil {
		t.Fatal(err)
	}
	if string(out) != c {
		t.Errorf("MarshalJSON = %s, want %s", out, c)
	}
}

func TestDecodeTokenResponse(t *testing.T) {
	jag := key(t, "rs").Mint(t, "oauth-id-jag+jwt", claims(jagClaims()...), nil)
	idt := key(t, "rs").Mint(t, "JWT", claims(idTokenClaims()...), nil)
	tests := []struct {
		name      string
		input     string
		wantNames []string
		wantKinds []inspect.Kind
	}{
		{
			name:      "token exchange response",
			input:     `{"access_token":"` + jag + `","issued_token_type":"urn:ietf:params:oauth:token-type:id-jag","token_type":"N_A","expires_in":300}`,
			wantNames: []string{"access_token"},
			wantKinds: []inspect.Kind{inspect.KindIDJAG},
		},
		{
			name:      "login response with refresh token",
			input:     `{"token_type":"Bearer","access_token":"opaqueAccessToken123","id_token":"` + idt + `","refresh_token":"rt-abcdefgh12345"}`,
			wantNames: []string{"id_token", "access_token", "refresh_token"},
			wantKinds: []inspect.Kind{inspect.KindIDToken, inspect.KindAccessToken, inspect.KindRefreshToken},
		},
		{
			name:      "form body of a jwt-bearer request",
			input:     "grant_type=urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Ajwt-bearer&client_secret=s3cr3t&assertion=" + jag,
			wantNames: []string{"assertion"},
			wantKinds: []inspect.Kind{inspect.KindIDJAG},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			toks, err := inspect.DecodeAll(tt.input)
			if err != nil {
				t.Fatalf("DecodeAll: %v", err)
			}
			var names []string
			var kinds []inspect.Kind
			for _, tok := range toks {
				names = append(names, tok.Name)
				kinds = append(kinds, tok.Kind)
				for _, m := range tok.Envelope {
					if m.Name == "client_secret" {
						t.Errorf("Envelope kept client_secret")
					}
				}
			}
			if diff := cmp.Diff(tt.wantNames, names); diff != "" {
				t.Errorf("names (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tt.wantKinds, kinds); diff != "" {
				t.Errorf("kinds (-want +got):\n%s", diff)
			}
		})
	}
}

func TestDecodeBrokenInputSaysWhere(t *testing.T) {
	good := key(t, "rs").Mint(t, "oauth-id-jag+jwt", claims(jagClaims()...), nil)
	seg := strings.Split(good, ".")
	es := key(t, "es").Mint(t, "JWT", claims(idTokenClaims()...), nil)
	esSeg := strings.Split(es, ".")
	enc := base64.RawURLEncoding.EncodeToString
	tests := []struct {
		name string
		in   string
		want string // substring of a problem
		fail bool   // the problem stops decoding or makes the token invalid
	}{
		{"bad character in claims", seg[0] + "." + seg[1][:17] + "!" + seg[1][18:] + "." + seg[2], `segment 2 (claims) is not base64url: '!' at offset 17`, true},
		{"standard base64", seg[0] + "." + seg[1] + "." + strings.Replace(seg[2], seg[2][5:6], "+", 1), "that is standard base64, not base64url", false},
		{"padding", seg[0] + "==." + seg[1] + "." + seg[2], "ends with '=' padding", false},
		{"impossible length", seg[0] + "." + seg[1][:len(seg[1])-(len(seg[1])%4)+1] + "." + seg[2], "a length no base64url encoding produces", true},
		{"truncated RS256 signature", seg[0] + "." + seg[1] + "." + seg[2][:171], "signature is 171 characters, an RS256 signature over a 2048-bit key is 342 — truncated?", true},
		{"truncated ES256 signature", esSeg[0] + "." + esSeg[1] + "." + esSeg[2][:40], "signature is 40 characters, an ES256 signature is 86 — truncated?", true},
		{"stripped signature", seg[0] + "." + seg[1] + ".", "signature segment is empty although alg is RS256", true},
		{"claims JSON cut short", seg[0] + "." + enc([]byte(`{"iss":"https://idp.example.com","sub":"00`)) + "." + seg[2], "JSON ends early", true},
		{"claims not an object", seg[0] + "." + enc([]byte(`["a"]`)) + "." + seg[2], "is JSON but not an object", true},
		{"duplicate claims", seg[0] + "." + enc([]byte(`{"sub":"alice","sub":"admin"}`)) + "." + seg[2], "duplicate members sub", true},
		{"two segments", seg[0] + "." + seg[1], "token has 2 dot-separated segments", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tok, err := inspect.Decode(tt.in)
			if err != nil {
				t.Fatalf("Decode: %v (want a token with problems)", err)
			}
			var found *inspect.Problem
			for i, p := range tok.Problems {
				if strings.Contains(p.Message, tt.want) {
					found = &tok.Problems[i]
				}
			}
			if found == nil {
				t.Fatalf("Problems = %v, want one containing %q", tok.Problems, tt.want)
			}
			if got := found.Status == inspect.StatusFail; got != tt.fail {
				t.Errorf("problem %q fails = %v, want %v", found.Message, got, tt.fail)
			}
			if tok.Header == nil {
				t.Errorf("Header = nil; the header segment was fine and should be decoded")
			}
		})
	}
}

func TestDecodeRecognisesFormats(t *testing.T) {
	enc := base64.RawURLEncoding.EncodeToString
	jwe := enc([]byte(`{"alg":"RSA-OAEP-256","enc":"A256GCM","kid":"enc-1"}`)) + ".abc.def.ghi.jkl"
	tests := []struct {
		name   string
		in     string
		format inspect.Format
		kind   inspect.Kind
	}{
		{"JWE", jwe, inspect.FormatJWE, inspect.KindEncrypted},
		{"opaque", "2YotnFZFEjr1zCsicMWpAA", inspect.FormatOpaque, inspect.KindOpaque},
		{"okta opaque refresh token", `{"refresh_token":"1Lr7h0bEXqGqYs0a6t7Qw"}`, inspect.FormatOpaque, inspect.KindRefreshToken},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tok, err := inspect.Decode(tt.in)
			if err != nil {
				t.Fatalf("Decode: %v", err)
			}
			if tok.Format != tt.format || tok.Kind != tt.kind {
				t.Errorf("Decode = %v/%v, want %v/%v", tok.Format, tok.Kind, tt.format, tt.kind)
			}
		})
	}
	tok, _ := inspect.Decode(jwe)
	if got := tok.Alg(); got != "RSA-OAEP-256" {
		t.Errorf("JWE header alg = %q, want RSA-OAEP-256", got)
	}
}

func TestDecodeRefusesNonTokens(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want string
	}{
		{"empty", "  \n ", "input is empty"},
		{"prose", "hello world, this is not a token", "cannot appear in one"},
		{"short", "abc", "too short"},
		{"error response", `{"error":"invalid_grant","error_description":"Audience validation failed"}`, "OAuth error response"},
		{"jwks", `{"keys":[]}`, "this is a JWKS"},
		{"json without tokens", `{"hello":"world"}`, "no token field"},
		{"broken json", `{"access_token":`, "not a JSON object"},
		{"garbage segments", "!!!.???.***", "not a token"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := inspect.Decode(tt.in)
			var ie *inspect.InputError
			if !errors.As(err, &ie) {
				t.Fatalf("Decode(%q) error = %v, want *InputError", tt.in, err)
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error = %q, want it to contain %q", err, tt.want)
			}
		})
	}
}

func TestDecodeRefusesHugeInput(t *testing.T) {
	_, err := inspect.Decode(strings.Repeat("a", inspect.MaxInputBytes+1))
	if !errors.Is(err, inspect.ErrTooLarge) {
		t.Fatalf("error = %v, want ErrTooLarge", err)
	}
	if !strings.Contains(err.Error(), "1.0 MiB") || !strings.Contains(err.Error(), "at most 1 MiB") {
		t.Errorf("error = %q, want the size and the limit", err)
	}
}

func TestObjectAccessors(t *testing.T) {
	tok := key(t, "es").Mint(t, "", claims(
		"aud", []string{"a", "b"}, "exp", 1764000000.5, "str", "x", "num", 3, "neg", -5, "huge", 1e300, "esc", "a\"b"), nil)
	got, err := inspect.Decode(tok)
	if err != nil {
		t.Fatal(err)
	}
	c := got.Claims
	if v, isArray, ok := c.Strings("aud"); !ok || !isArray || len(v) != 2 {
		t.Errorf("Strings(aud) = %v %v %v", v, isArray, ok)
	}
	if v, isArray, ok := c.Strings("str"); !ok || isArray || v[0] != "x" {
		t.Errorf("Strings(str) = %v %v %v", v, isArray, ok)
	}
	if tm, ok := c.Time("exp"); !ok || tm.Unix() != 1764000000 || tm.Nanosecond() != 5e8 {
		t.Errorf("Time(exp) = %v %v", tm, ok)
	}
	if _, ok := c.Time("str"); ok {
		t.Errorf("Time(str) ok, want not a time")
	}
	if _, ok := c.Time("huge"); ok {
		t.Errorf("Time(huge) ok, want refused")
	}
	if _, ok := c.String("num"); ok {
		t.Errorf("String(num) ok, want only strings")
	}
	if s, _ := c.String("esc"); s != `a"b` {
		t.Errorf("String(esc) = %q", s)
	}
	if v := c.Value("num"); v != 3.0 {
		t.Errorf("Value(num) = %v", v)
	}
	if c.Has("missing") || c.Value("missing") != nil {
		t.Errorf("missing claim reported present")
	}
}

func TestShortenToken(t *testing.T) {
	long := strings.Repeat("a", 30) + "TAIL"
	tests := map[string]string{
		"eyJhbGciOiJSUzI1NiJ9." + long: "eyJhbGciOiJS…TAIL (55 chars)",
		"2YotnFZFEjr1zCsicMWpAA":       "2Yot… (22 chars)",
		"short":                        "•••••",
	}
	for in, want := range tests {
		if got := inspect.ShortenToken(in); got != want {
			t.Errorf("ShortenToken(%q) = %q, want %q", in, got, want)
		}
	}
}
