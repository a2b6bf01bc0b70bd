package main

import (
	"context"
	"encoding/json"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/x/exp/golden"

	"github.com/xaatools/xaa/flow/playground"
	"github.com/xaatools/xaa/inspect/inspecttest"
)

// fixed mints with the fixed RSA key, so tokens and reports are the same on
// every run.
func fixedToken(t *testing.T, typ string, claims []any) string {
	t.Helper()
	return inspecttest.Fixed("idp-key-1").Mint(t, typ, inspecttest.Claims(claims...), nil)
}

func fixedJWKS(t *testing.T) string {
	t.Helper()
	return writeFile(t, "keys.json", string(inspecttest.JWKS(t, inspecttest.Fixed("idp-key-1"))))
}

func TestDecodeReports(t *testing.T) {
	jwks := fixedJWKS(t)
	jag := fixedToken(t, "oauth-id-jag+jwt", inspecttest.IDJAGClaims(testNow))
	badAud := fixedToken(t, "oauth-id-jag+jwt", inspecttest.Override(inspecttest.IDJAGClaims(testNow), "aud", inspecttest.ASIssuer+"/"))
	idToken := fixedToken(t, "JWT", inspecttest.IDTokenClaims(testNow))
	expect := []string{"--audience", inspecttest.ASIssuer, "--issuer", inspecttest.IdPIssuer, "--client-id", inspecttest.ASClientID, "--resource", inspecttest.Resource}
	tests := []struct {
		name string
		args []string
		code int
	}{
		{"idjag_verified", append([]string{jag, "--jwks", jwks}, expect...), exitOK},
		{"idjag_trailing_slash_aud", append([]string{badAud, "--jwks", jwks}, expect...), exitFailed},
		{"id_token_where_idjag_expected", append([]string{idToken, "--jwks", jwks, "--expect", "id_jag"}, expect...), exitFailed},
		{"truncated_offline", []string{"Bearer " + jag[:len(jag)-100], "--offline"}, exitFailed},
		{"idjag_offline", []string{jag, "--offline"}, exitOK},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := runXAA(t, "", nil, append([]string{"decode"}, tt.args...)...)
			if r.code != tt.code {
				t.Errorf("exit code = %d, want %d; stderr: %s", r.code, tt.code, r.stderr)
			}
			if strings.Contains(r.stdout, "\x1b[") {
				t.Errorf("piped output contains escape codes")
			}
			out := strings.ReplaceAll(r.stdout, jwks, "KEYS.json")
			golden.RequireEqual(t, []byte(out))
		})
	}
}

func TestDecodeInputs(t *testing.T) {
	jag := fixedToken(t, "oauth-id-jag+jwt", inspecttest.IDJAGClaims(testNow))
	file := writeFile(t, "token.txt", "\n  \""+jag+"\"\n")
	tests := []struct {
		name  string
		stdin string
		args  []string
	}{
		{"argument", "", []string{jag}},
		{"stdin dash", "Bearer " + jag + "\n", []string{"-"}},
		{"stdin implied", jag, nil},
		{"at file", "", []string{"@" + file}},
		{"flags before the token", "", []string{"--offline", "--json", jag}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			args := append([]string{"decode", "--offline", "--json"}, tt.args...)
			r := runXAA(t, tt.stdin, nil, args...)
			if r.code != exitOK {
				t.Fatalf("exit %d: %s", r.code, r.stderr)
			}
			var got struct {
				Kind string `json:"kind"`
			}
			if err := json.Unmarshal([]byte(r.stdout), &got); err != nil || got.Kind != "id_jag" {
				t.Errorf("JSON kind = %q (%v), want id_jag", got.Kind, err)
			}
		})
	}
}

func TestDecodeJSON(t *testing.T) {
	jwks := fixedJWKS(t)
	jag := fixedToken(t, "oauth-id-jag+jwt", inspecttest.IDJAGClaims(testNow))
	idt := fixedToken(t, "JWT", inspecttest.IDTokenClaims(testNow))
	resp := `{"id_token":"` + idt + `","access_token":"` + jag + `","token_type":"Bearer"}`
	r := runXAA(t, resp, nil, "decode", "-", "--json", "--jwks", jwks)
	if r.code != exitOK {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	dec := json.NewDecoder(strings.NewReader(r.stdout))
	var kinds, statuses []string
	for {
		var v struct {
			Name      string `json:"name"`
			Kind      string `json:"kind"`
			Token     string `json:"token"`
			Signature struct {
				Status     string `json:"status"`
				MatchedKey string `json:"matched_key"`
				Tried      []any  `json:"tried"`
			} `json:"signature"`
			Checks []struct{ ID, Status string } `json:"checks"`
		}
		if err := dec.Decode(&v); err == io.EOF {
			break
		} else if err != nil {
			t.Fatalf("not a JSON stream: %v\n%s", err, r.stdout)
		}
		kinds = append(kinds, v.Name+":"+v.Kind)
		statuses = append(statuses, v.Signature.Status)
		if v.Token != "" || len(v.Checks) == 0 || v.Signature.MatchedKey == "" || len(v.Signature.Tried) != 1 {
			t.Errorf("object %s: token %q, %d checks, signature %+v", v.Name, v.Token, len(v.Checks), v.Signature)
		}
	}
	if got := strings.Join(kinds, " "); got != "id_token:id_token access_token:id_jag" {
		t.Errorf("kinds = %s", got)
	}
	if got := strings.Join(statuses, " "); got != "verified verified" {
		t.Errorf("signature statuses = %s", got)
	}
	if strings.Contains(r.stdout, jag) {
		t.Errorf("JSON contains the raw token without --reveal")
	}
	if r := runXAA(t, jag, nil, "decode", "--json", "--offline", "--reveal"); !strings.Contains(r.stdout, jag) {
		t.Errorf("--reveal JSON lacks the raw token")
	}
}

func TestDecodeUsageErrors(t *testing.T) {
	jag := fixedToken(t, "oauth-id-jag+jwt", inspecttest.IDJAGClaims(testNow))
	tests := []struct {
		name   string
		stdin  string
		args   []string
		stderr string
	}{
		{"not a token", "", []string{"hello world"}, "not a token"},
		{"empty stdin", "", []string{"-"}, "input is empty"},
		{"missing file", "", []string{"@/nonexistent/token.txt"}, "/nonexistent/token.txt: no such file"},
		{"two tokens", "", []string{jag, jag}, "decode takes one token"},
		{"bad expect", "", []string{jag, "--expect", "saml"}, `--expect "saml"`},
		{"offline with a JWKS URL", "", []string{jag, "--offline", "--jwks", "https://idp.example.com/keys"}, "--offline forbids fetching"},
		{"missing JWKS file", "", []string{jag, "--jwks", "/nonexistent/keys.json"}, "--jwks /nonexistent/keys.json: no such file"},
		{"JWKS file is not a JWKS", "", []string{jag, "--jwks", writeFile(t, "page.html", "<html>login</html>")}, "HTML"},
		{"unknown flag", "", []string{jag, "--audince", "x"}, "flag provided but not defined: -audince"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := runXAA(t, tt.stdin, nil, append([]string{"decode"}, tt.args...)...)
			if r.code != exitUsage || !strings.Contains(r.stderr, tt.stderr) {
				t.Errorf("exit %d, stderr %q; want %d and a message containing %q", r.code, r.stderr, exitUsage, tt.stderr)
			}
			if strings.Contains(r.stderr, "goroutine") || strings.Contains(r.stderr, "panic") {
				t.Errorf("stderr has a stack trace: %s", r.stderr)
			}
		})
	}
}

func TestDecodeDiscoversKeysFromIssuer(t *testing.T) {
	pg, err := playground.Start(context.Background(), playground.Options{Now: func() time.Time { return testNow }})
	if err != nil {
		t.Fatal(err)
	}
	defer pg.Close()
	req, err := pg.IDJAGTemplate(pg.Users()[0].Username)
	if err != nil {
		t.Fatal(err)
	}
	jag, err := pg.Mint(req)
	if err != nil {
		t.Fatal(err)
	}

	// Keys found through the token's own iss prove self-consistency only:
	// the signature line and check say so, the comparisons not made are
	// "not compared", and the exit code is not a pass.
	r := runXAA(t, "", nil, "decode", jag)
	if r.code != exitFailed {
		t.Errorf("keys from the token's own iss: exit %d, want %d:\n%s", r.code, exitFailed, r.stdout)
	}
	for _, want := range []string{"! signature verified, but only with keys the token's own iss names", "from " + pg.IdPURL(), "not that you should trust",
		"· iss is the trusted IdP", "not compared: pass --issuer to compare", "pass --issuer URL (or --jwks with its keys)"} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("report lacks %q:\n%s", want, r.stdout)
		}
	}
	for _, bad := range []string{"✓ iss", "✓ aud", "✓ client_id", "✓ signature"} {
		if strings.Contains(r.stdout, bad) {
			t.Errorf("report passes a comparison it did not make (%q):\n%s", bad, r.stdout)
		}
	}

	// Pinning the issuer removes the caveat; a wrong issuer is a failed check.
	r = runXAA(t, "", nil, "decode", jag, "--issuer", pg.IdPURL())
	if r.code != exitOK || strings.Contains(r.stdout, "own iss names") || !strings.Contains(r.stdout, "✓ iss is the trusted IdP") {
		t.Errorf("--issuer: exit %d, caveat still shown or iss not compared:\n%s", r.code, r.stdout)
	}
	r = runXAA(t, "", nil, "decode", jag, "--issuer", "https://evil.example")
	if r.code != exitFailed {
		t.Errorf("--issuer of another IdP: exit %d, want %d", r.code, exitFailed)
	}

	// A JWKS URL works too.
	r = runXAA(t, "", nil, "decode", jag, "--jwks", pg.IdPURL()+"/jwks")
	if r.code == exitUsage {
		t.Errorf("--jwks URL: exit %d: %s", r.code, r.stderr)
	}

	// An unreachable issuer is explained, and the token is still decoded.
	pg.Close()
	r = runXAA(t, "", nil, "decode", jag)
	if r.code != exitOK || !strings.Contains(r.stdout, "? signature unknown: could not get the issuer's keys") || !strings.Contains(r.stdout, "connection refused") {
		t.Errorf("issuer down: exit %d:\n%s%s", r.code, r.stdout, r.stderr)
	}
}

// TestDecodeNeverPassesWhatItDidNotCompare: a hand-made ID-JAG from an
// untrusted issuer, typed JWT, decoded offline with keys given. It is taken
// for an ID-JAG by its claims, its typ fails, and no comparison that was
// not asked for is passed.
func TestDecodeNeverPassesWhatItDidNotCompare(t *testing.T) {
	evil := fixedToken(t, "JWT", inspecttest.Override(inspecttest.IDJAGClaims(testNow), "iss", "https://evil.example"))
	keys := fixedJWKS(t)
	r := runXAA(t, "", nil, "decode", evil, "--offline", "--jwks", keys)
	if r.code != exitFailed {
		t.Errorf("exit %d, want %d (id_jag.typ fails):\n%s", r.code, exitFailed, r.stdout)
	}
	for _, want := range []string{"probably an ID-JAG", "✗ typ is oauth-id-jag+jwt", "· iss is the trusted IdP  https://evil.example\n    not compared: pass --issuer to compare"} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("report lacks %q:\n%s", want, r.stdout)
		}
	}
	for _, bad := range []string{"✓ iss", "✓ aud", "✓ client_id", "✓ resource"} {
		if strings.Contains(r.stdout, bad) {
			t.Errorf("report passes a comparison it did not make (%q):\n%s", bad, r.stdout)
		}
	}
	// JSON: the comparisons not made are skipped, naming what would make them.
	r = runXAA(t, "", nil, "decode", evil, "--offline", "--jwks", keys, "--json")
	var doc struct {
		Kind   string `json:"kind"`
		Checks []struct{ ID, Status, Needs, Hint string }
	}
	if err := json.Unmarshal([]byte(r.stdout), &doc); err != nil {
		t.Fatalf("JSON: %v\n%s", err, r.stdout)
	}
	if doc.Kind != "id_jag" {
		t.Errorf("kind = %q, want id_jag", doc.Kind)
	}
	for _, c := range doc.Checks {
		if c.ID == "id_jag.iss" && (c.Status != "skipped" || c.Needs != "issuer" || !strings.Contains(c.Hint, "--issuer")) {
			t.Errorf("id_jag.iss = %+v, want skipped needing issuer (--issuer)", c)
		}
	}
}
