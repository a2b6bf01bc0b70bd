package tui

import (
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/xaatools/xaa/flow/explain"

	"github.com/xaatools/xaa/flow/wire"

	"github.com/xaatools/xaa/flow/config"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/exp/golden"

	"github.com/xaatools/xaa/flow"
	"github.com/xaatools/xaa/inspect"
	"github.com/xaatools/xaa/inspect/inspecttest"
)

// testNow is the fixed clock of the view tests.
var testNow = time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC)

// goldenView compares a view with testdata/<test name>.golden through
// golden.RequireEqual, the one golden helper of tui and cmd/xaa (go test
// ./tui -update rewrites the files). The view is compared as it reads:
// ANSI stripped, without the spaces that pad its lines.
func goldenView(t *testing.T, view string) {
	t.Helper()
	lines := strings.Split(ansi.Strip(view), "\n")
	for i, l := range lines {
		lines[i] = strings.TrimRight(l, " ")
	}
	golden.RequireEqual(t, []byte(strings.Join(lines, "\n")+"\n"))
}

// testConfig is the config of the fixture flow (the parties of inspecttest).
func testConfig() *config.Config {
	cfg := &config.Config{Source: "xaa.yaml"}
	cfg.IdP.Issuer = inspecttest.IdPIssuer
	cfg.IdP.ClientID = inspecttest.IdPClientID
	cfg.IdP.ClientSecret = "idp-secret-value"
	cfg.IdP.RedirectURI = "http://127.0.0.1:8976/callback"
	cfg.ResourceAS.Issuer = inspecttest.ASIssuer
	cfg.ResourceAS.ClientID = inspecttest.ASClientID
	cfg.ResourceAS.ClientSecret = "as-secret-value"
	cfg.ResourceAS.Scopes = config.Scopes{"todos.read"}
	cfg.Resource.ID = inspecttest.Resource
	cfg.Resource.APIURL = inspecttest.Resource
	return cfg
}

// tokens are the fixture flow's tokens, signed with the fixed key so the
// golden files do not change from run to run.
type tokens struct {
	keys                        *inspect.KeySet
	idToken, idJAG, accessToken string
}

func mintTokens(t *testing.T) tokens {
	t.Helper()
	k := inspecttest.Fixed("kid-1")
	ks, err := inspect.ParseJWKS(inspecttest.JWKS(t, k))
	if err != nil {
		t.Fatal(err)
	}
	return tokens{
		keys:        ks,
		idToken:     k.Mint(t, "JWT", inspecttest.Claims(inspecttest.IDTokenClaims(testNow)...), nil),
		idJAG:       k.Mint(t, inspect.TypIDJAG, inspecttest.Claims(inspecttest.IDJAGClaims(testNow)...), nil),
		accessToken: k.Mint(t, inspect.TypAccessToken, inspecttest.Claims(inspecttest.AccessTokenClaims(testNow)...), nil),
	}
}

// analyse decodes and analyses a fixture token as the flow would.
func analyse(t *testing.T, raw, name string, keys *inspect.KeySet, source string, e inspect.Expect) inspect.Analysis {
	t.Helper()
	tok, err := inspect.Decode(raw)
	if err != nil {
		t.Fatal(err)
	}
	tok.Name = name
	e.Now = testNow
	return inspect.Analyze(tok, inspect.Options{Keys: keys, KeySource: source, Expect: e})
}

// exchange builds a recorded round trip.
func exchange(label, party, method, url, reqType, reqBody string, status int, respBody string) *wire.Exchange {
	x := &wire.Exchange{
		Label: label, Party: party, Started: testNow, Duration: 12 * time.Millisecond,
		Request: wire.RecordedRequest{Method: method, URL: url, Header: http.Header{"Accept": {"application/json"}}},
	}
	if reqBody != "" {
		x.Request.Header.Set("Content-Type", reqType)
		x.Request.Body = []byte(reqBody)
		x.Request.BodySize = int64(len(reqBody))
	}
	x.Response = &wire.RecordedResponse{
		Status: status, StatusText: http.StatusText(status), Proto: "HTTP/1.1",
		Header: http.Header{"Content-Type": {"application/json"}, "Cache-Control": {"no-store"}},
		Body:   []byte(respBody), BodySize: int64(len(respBody)),
	}
	return x
}

// discovered is what the fixture flow's discovery hands on: both
// servers' metadata.
func discovered() flow.State {
	md := func(issuer, token string) *wire.Metadata {
		return &wire.Metadata{ServerMetadata: inspect.ServerMetadata{Issuer: issuer, TokenEndpoint: token, JWKSURI: issuer + "/keys",
			AuthorizationEndpoint: issuer + "/authorize"}, Format: wire.FormatRFC8414}
	}
	return flow.State{IdP: md(inspecttest.IdPIssuer, inspecttest.IdPIssuer+"/token"), AS: md(inspecttest.ASIssuer, inspecttest.ASTokenEndpoint)}
}

// loggedIn is what the fixture flow's login hands on.
func loggedIn(tk tokens) flow.State {
	s := discovered()
	s.IDToken = tk.idToken
	return s
}

// passingSteps is a complete, successful flow: one record per step, each
// starting from what the one before handed on.
func passingSteps(t *testing.T) []*flow.Step {
	t.Helper()
	tk := mintTokens(t)
	idpKeys := inspecttest.IdPIssuer + "/keys"
	step := func(id flow.StepID, d time.Duration) *flow.Step {
		return &flow.Step{ID: id, Status: inspect.StatusPass, Started: testNow, Duration: d}
	}
	s := make([]*flow.Step, len(flow.Steps()))

	s[0] = step(flow.StepDiscovery, 41*time.Millisecond)
	s[0].Exchanges = []*wire.Exchange{
		exchange("IdP OIDC discovery", "idp", "GET", inspecttest.IdPIssuer+"/.well-known/openid-configuration", "", "", 200,
			`{"issuer":"`+inspecttest.IdPIssuer+`","token_endpoint":"`+inspecttest.IdPIssuer+`/token","jwks_uri":"`+idpKeys+`"}`),
		exchange("IdP key set", "idp", "GET", idpKeys, "", "", 200, string(inspecttest.JWKS(t, inspecttest.Fixed("kid-1")))),
	}
	s[0].Checks = inspect.Report{
		{ID: "discovery.idp.issuer", Status: inspect.StatusPass, Title: "IdP metadata issuer is the configured issuer", Expected: inspecttest.IdPIssuer, Actual: inspecttest.IdPIssuer},
	}

	s[1] = step(flow.StepLogin, 1300*time.Millisecond)
	s[1].AuthMethod = config.AuthClientSecretBasic
	s[1].Tokens = []inspect.Analysis{analyse(t, tk.idToken, "id_token", tk.keys, idpKeys, inspect.Expect{Issuer: inspecttest.IdPIssuer, Audience: inspecttest.IdPClientID})}
	s[1].Exchanges = []*wire.Exchange{exchange("IdP token (authorization code)", "idp", "POST", inspecttest.IdPIssuer+"/token",
		"application/x-www-form-urlencoded", "grant_type=authorization_code&code=abc123def456&redirect_uri=http%3A%2F%2F127.0.0.1%3A8976%2Fcallback&code_verifier=[REDACTED]", 200,
		`{"token_type":"Bearer","expires_in":3600,"id_token":"`+tk.idToken+`"}`)}

	s[2] = step(flow.StepTokenExchange, 23*time.Millisecond)
	s[2].AuthMethod = config.AuthClientSecretBasic
	s[2].Tokens = []inspect.Analysis{analyse(t, tk.idJAG, "access_token", tk.keys, idpKeys, inspect.Expect{Issuer: inspecttest.IdPIssuer, Audience: inspecttest.ASIssuer, ClientID: inspecttest.ASClientID})}
	s[2].Exchanges = []*wire.Exchange{exchange("IdP token exchange", "idp", "POST", inspecttest.IdPIssuer+"/token",
		"application/x-www-form-urlencoded",
		"grant_type=urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Atoken-exchange&requested_token_type=urn%3Aietf%3Aparams%3Aoauth%3Atoken-type%3Aid-jag&audience=https%3A%2F%2Fas.example.com&resource=https%3A%2F%2Fapi.example.com%2Ftodos&scope=todos.read&subject_token="+tk.idToken+"&subject_token_type=urn%3Aietf%3Aparams%3Aoauth%3Atoken-type%3Aid_token",
		200, `{"issued_token_type":"urn:ietf:params:oauth:token-type:id-jag","access_token":"`+tk.idJAG+`","token_type":"N_A","expires_in":300}`)}
	s[2].Exchanges[0].Request.BasicUser = inspecttest.IdPClientID
	s[2].Exchanges[0].Request.Header.Set("Authorization", "Basic [REDACTED]")

	s[3] = step(flow.StepJWTBearer, 17*time.Millisecond)
	s[3].AuthMethod = config.AuthClientSecretBasic
	s[3].Tokens = []inspect.Analysis{analyse(t, tk.accessToken, "access_token", tk.keys, inspecttest.ASIssuer+"/keys", inspect.Expect{Issuer: inspecttest.ASIssuer, Audience: inspecttest.Resource})}
	s[3].Exchanges = []*wire.Exchange{exchange("resource AS token (jwt-bearer)", "as", "POST", inspecttest.ASTokenEndpoint,
		"application/x-www-form-urlencoded", "grant_type=urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Ajwt-bearer&assertion="+tk.idJAG, 200,
		`{"access_token":"`+tk.accessToken+`","token_type":"Bearer","expires_in":3600,"scope":"todos.read"}`)}

	s[4] = step(flow.StepResource, 8*time.Millisecond)
	s[4].Exchanges = []*wire.Exchange{exchange("todo API", "resource", "GET", inspecttest.Resource, "", "", 200, `[{"id":1,"title":"try xaa","done":false}]`)}
	s[4].Exchanges[0].Request.Header.Set("Authorization", "Bearer "+tk.accessToken)
	s[0].Out = discovered()
	s[1].In, s[1].Out = s[0].Out, loggedIn(tk)
	s[2].In, s[2].Out = s[1].Out, s[1].Out
	s[2].Out.IDJAG, s[2].Out.IDJAGChecked = tk.idJAG, true
	s[2].Out.IdPKeys = &wire.JWKS{URL: idpKeys, Keys: publishedKeys(t)}
	s[3].In, s[3].Out = s[2].Out, s[2].Out
	s[3].Out.AccessToken, s[3].Out.AccessTokenType = tk.accessToken, "Bearer"
	s[4].In, s[4].Out = s[3].Out, s[3].Out
	return s
}

// publishedKeys is the IdP's key set as published: the signing key and a
// broken leftover.
func publishedKeys(t *testing.T) *inspect.KeySet {
	t.Helper()
	j := strings.Replace(string(inspecttest.JWKS(t, inspecttest.Fixed("kid-1"))), `"keys":[`,
		`"keys":[{"kty":"EC","kid":"kid-0","crv":"P-256","x":"AAAA","y":"AAAA"},`, 1)
	ks, err := inspect.ParseJWKS([]byte(j))
	if err != nil {
		t.Fatal(err)
	}
	return ks
}

// refusedTokenExchange is a token exchange the IdP refused.
func refusedTokenExchange(t *testing.T) *flow.Step {
	t.Helper()
	tk := mintTokens(t)
	st := &flow.Step{ID: flow.StepTokenExchange, Status: inspect.StatusFail, Started: testNow, Duration: 19 * time.Millisecond,
		AuthMethod: config.AuthClientSecretBasic}
	body := `{"error":"invalid_target","error_description":"Token Exchange requests must include a valid audience of the authorization server."}`
	st.Exchanges = []*wire.Exchange{exchange("IdP token exchange", "idp", "POST", inspecttest.IdPIssuer+"/token",
		"application/x-www-form-urlencoded",
		"grant_type=urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Atoken-exchange&requested_token_type=urn%3Aietf%3Aparams%3Aoauth%3Atoken-type%3Aid-jag&audience=https%3A%2F%2Fas.example.com%2F&subject_token="+tk.idToken+"&subject_token_type=urn%3Aietf%3Aparams%3Aoauth%3Atoken-type%3Aid_token",
		400, body)}
	st.Err = &wire.OAuthError{Status: 400, Code: "invalid_target", Description: "Token Exchange requests must include a valid audience of the authorization server.", Source: "token endpoint", Body: []byte(body)}
	st.Explanation = &explain.Explanation{
		ID:      "token_exchange.invalid_target.audience",
		Meaning: "The IdP does not know the audience: it is not the issuer of a resource AS it has a connection to.",
		Causes:  []string{"a trailing slash or another near miss of the resource AS issuer", "the resource URL sent where the issuer belongs"},
		Fix:     "Send the resource AS metadata issuer, verbatim, as audience (resource_as.issuer in the config).",
		Spec:    "draft-ietf-oauth-identity-assertion-authz-grant-04 §4.3",
	}
	st.Overrides = flow.Overrides{"audience": "https://as.example.com/"}
	st.In, st.Out = loggedIn(tk), loggedIn(tk)
	return st
}

// newTestModel returns the root model at a fixed size and clock, with no
// colours: the state golden files record.
func newTestModel(t *testing.T, o Options, width, height int) Model {
	t.Helper()
	if o.Now.IsZero() {
		o.Now = testNow
	}
	if o.SavePath == "" {
		o.SavePath = "/home/me/.config/xaa/config.yaml"
	}
	m := New(o)
	return send(t, m, tea.WindowSizeMsg{Width: width, Height: height})
}

// send passes one message to Update and returns the new model.
func send(t *testing.T, m Model, msg tea.Msg) Model {
	t.Helper()
	next, _ := m.Update(msg)
	return next.(Model)
}

// sendCmd passes one message to Update and returns the model and command.
func sendCmd(t *testing.T, m Model, msg tea.Msg) (Model, tea.Cmd) {
	t.Helper()
	next, cmd := m.Update(msg)
	return next.(Model), cmd
}

// keyMsg returns the message of a key press: "enter", "esc", "ctrl+c", a
// letter, or text (typed as runes).
func keyMsg(k string) tea.KeyMsg {
	switch k {
	case "enter":
		return tea.KeyMsg{Type: tea.KeyEnter}
	case "esc":
		return tea.KeyMsg{Type: tea.KeyEsc}
	case "tab":
		return tea.KeyMsg{Type: tea.KeyTab}
	case "shift+tab":
		return tea.KeyMsg{Type: tea.KeyShiftTab}
	case "up":
		return tea.KeyMsg{Type: tea.KeyUp}
	case "down":
		return tea.KeyMsg{Type: tea.KeyDown}
	case "left":
		return tea.KeyMsg{Type: tea.KeyLeft}
	case "right":
		return tea.KeyMsg{Type: tea.KeyRight}
	case "ctrl+c":
		return tea.KeyMsg{Type: tea.KeyCtrlC}
	case "ctrl+s":
		return tea.KeyMsg{Type: tea.KeyCtrlS}
	case "space":
		return tea.KeyMsg{Type: tea.KeySpace, Runes: []rune{' '}}
	}
	return tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune(k)}
}

// press sends keys one after another.
func press(t *testing.T, m Model, keys ...string) Model {
	t.Helper()
	for _, k := range keys {
		m = send(t, m, keyMsg(k))
	}
	return m
}

// paste sends text as a terminal's bracketed paste.
func paste(t *testing.T, m Model, text string) Model {
	t.Helper()
	return send(t, m, tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune(text), Paste: true})
}

// withSteps keeps step records in the flow screen's session, in order, as
// if they had run.
func withSteps(m Model, steps ...*flow.Step) Model {
	for _, st := range steps {
		if st != nil {
			m.flow.session.Keep(st, false)
		}
	}
	m.flow.show(false)
	return m
}

var errTest = errors.New("test")
