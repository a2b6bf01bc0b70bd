package tui

import (
	"slices"
	"testing"

	"github.com/xaatools/xaa/flow"
	"github.com/xaatools/xaa/inspect"
	"github.com/xaatools/xaa/inspect/inspecttest"
)

// TestSetupViews covers the first screen without a config and the Okta form.
func TestSetupViews(t *testing.T) {
	looked := []string{"xaa.yaml", "/home/me/.config/xaa/config.yaml"}
	tests := []struct {
		name  string
		build func(t *testing.T) Model
	}{
		{"choices-starting", func(t *testing.T) Model {
			return newTestModel(t, Options{ConfigLooked: looked}, 80, 24)
		}},
		{"choices-playground-failed", func(t *testing.T) Model {
			m := newTestModel(t, Options{ConfigLooked: looked}, 80, 24)
			return send(t, m, playgroundMsg{err: errTest})
		}},
		{"okta-form-empty", func(t *testing.T) Model {
			m := newTestModel(t, Options{ConfigLooked: looked}, 80, 24)
			return press(t, m, "down", "enter")
		}},
		{"okta-form-problems", func(t *testing.T) Model {
			m := newTestModel(t, Options{ConfigLooked: looked}, 80, 30)
			m = press(t, m, "o")
			m = paste(t, m, "dev-123.okta.com")
			return press(t, m, "tab", "tab", "ctrl+s")
		}},
		{"okta-form-valid", func(t *testing.T) Model {
			m := newTestModel(t, Options{ConfigLooked: looked}, 80, 30)
			m = press(t, m, "o")
			for _, v := range []string{"https://dev-123.okta.com", "0oa1b2c3d4e5f6g7h8i9", "s3cret", "", "", "https://auth.example.com", "agent-at-todo", "as-s3cret", "https://api.example.com/todos"} {
				if v != "" {
					m = paste(t, m, v)
				}
				m = press(t, m, "tab")
			}
			return m
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			goldenView(t, tt.build(t).View())
		})
	}
}

// TestFlowViews covers the flow screen in every state of a step.
func TestFlowViews(t *testing.T) {
	cfg := testConfig()
	pass := passingSteps(t)
	tests := []struct {
		name          string
		width, height int
		build         func(t *testing.T, m Model) Model
	}{
		{"pending", 80, 24, func(t *testing.T, m Model) Model { return m }},
		{"running", 80, 24, func(t *testing.T, m Model) Model {
			return press(t, m, "enter")
		}},
		{"login-waiting", 80, 24, func(t *testing.T, m Model) Model {
			m = withSteps(m, pass[0])
			m = press(t, m, "enter")
			m = send(t, m, progressMsg{seq: m.flow.run.seq, ok: true, p: flow.Progress{Step: flow.StepLogin, Message: "waiting for the login callback on http://127.0.0.1:8976/callback",
				URL: inspecttest.IdPIssuer + "/authorize?response_type=code&client_id=agent-at-idp&redirect_uri=http%3A%2F%2F127.0.0.1%3A8976%2Fcallback&scope=openid+profile+email&state=st4te&nonce=n0nce&code_challenge=E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM&code_challenge_method=S256"}})
			return send(t, m, tickMsg(testNow.Add(75e9)))
		}},
		{"pass-tokens", 80, 24, func(t *testing.T, m Model) Model {
			m = withSteps(m, pass[:]...)
			return press(t, m, "down", "down", "3")
		}},
		{"pass-tokens-tall", 100, 60, func(t *testing.T, m Model) Model {
			m = withSteps(m, pass[:]...)
			return press(t, m, "down", "down", "3")
		}},
		{"pass-request", 100, 40, func(t *testing.T, m Model) Model {
			m = withSteps(m, pass[:]...)
			return press(t, m, "down", "down", "1")
		}},
		{"pass-response", 100, 40, func(t *testing.T, m Model) Model {
			m = withSteps(m, pass[:]...)
			return press(t, m, "down", "down", "2")
		}},
		{"pass-checks", 100, 40, func(t *testing.T, m Model) Model {
			m = withSteps(m, pass[:]...)
			return press(t, m, "down", "down", "4")
		}},
		{"pass-explain", 80, 24, func(t *testing.T, m Model) Model {
			m = withSteps(m, pass[:]...)
			return press(t, m, "down", "down", "5")
		}},
		{"pass-curl", 100, 30, func(t *testing.T, m Model) Model {
			m = withSteps(m, pass[:]...)
			return press(t, m, "down", "down", "6")
		}},
		{"fail-explain", 80, 24, func(t *testing.T, m Model) Model {
			m = withSteps(m, pass[0], pass[1])
			m = press(t, m, "enter")
			return send(t, m, stepDoneMsg{seq: m.flow.run.seq, step: refusedTokenExchange(t)})
		}},
		{"fail-explain-tall", 100, 40, func(t *testing.T, m Model) Model {
			m = withSteps(m, pass[0], pass[1])
			m = press(t, m, "enter")
			return send(t, m, stepDoneMsg{seq: m.flow.run.seq, step: refusedTokenExchange(t)})
		}},
		{"pending-lacks", 80, 24, func(t *testing.T, m Model) Model {
			m = withSteps(m, pass[0], pass[1], refusedTokenExchange(t))
			return press(t, m, "down", "down", "down")
		}},
		{"skipped-explain", 80, 24, func(t *testing.T, m Model) Model {
			m = withSteps(m, pass[0], pass[1], refusedTokenExchange(t))
			return runUntilIdle(t, m, "enter")
		}},
		{"chain-cards", 80, 40, func(t *testing.T, m Model) Model {
			m = withSteps(m, pass[:]...)
			return press(t, m, "up")
		}},
		{"chain-table", 160, 40, func(t *testing.T, m Model) Model {
			m = withSteps(m, pass[:]...)
			return press(t, m, "up")
		}},
		{"chain-two-servers", 160, 60, func(t *testing.T, m Model) Model {
			// The MCP server got its own ID-JAG and access token.
			steps := slices.Clone(pass[:])
			for _, i := range []int{2, 3} {
				st := *steps[i]
				api, mcp := st.Tokens[0], st.Tokens[0]
				api.For, mcp.For = "the API", "the MCP server"
				st.Tokens = []inspect.Analysis{api, mcp}
				steps[i] = &st
			}
			m = withSteps(m, steps...)
			return press(t, m, "up")
		}},
		{"chain-empty", 80, 24, func(t *testing.T, m Model) Model {
			return press(t, m, "up")
		}},
		{"edit-form", 80, 24, func(t *testing.T, m Model) Model {
			m = withSteps(m, pass[:]...)
			return press(t, m, "down", "down", "e")
		}},
		{"side-by-side", 120, 40, func(t *testing.T, m Model) Model {
			m = withSteps(m, pass[:]...)
			m = press(t, m, "down", "down", "e")
			m = press(t, m, "ctrl+s")
			return send(t, m, stepDoneMsg{seq: m.flow.run.seq, step: refusedTokenExchange(t), resend: true})
		}},
		{"help", 80, 24, func(t *testing.T, m Model) Model {
			return press(t, m, "?")
		}},
		{"revealed", 100, 30, func(t *testing.T, m Model) Model {
			m = withSteps(m, pass[:]...)
			return press(t, m, "down", "down", "3", "v")
		}},
		{"too-small", 50, 12, func(t *testing.T, m Model) Model { return m }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := newTestModel(t, Options{Config: cfg}, tt.width, tt.height)
			goldenView(t, tt.build(t, m).View())
		})
	}
}

// TestDecoderViews covers the decoder with nothing, good and broken input.
func TestDecoderViews(t *testing.T) {
	tk := mintTokens(t)
	tests := []struct {
		name          string
		width, height int
		build         func(t *testing.T, m Model) Model
	}{
		{"empty", 80, 24, func(t *testing.T, m Model) Model { return m }},
		{"unverified", 100, 40, func(t *testing.T, m Model) Model { return paste(t, m, tk.idJAG) }},
		{"verified", 100, 40, func(t *testing.T, m Model) Model {
			m = paste(t, m, tk.idJAG)
			m, _ = sendCmd(t, m, keyMsg("enter"))
			return send(t, m, keysLoadedMsg{seq: m.decoder.seq, keys: tk.keys, source: "https://idp.example.com/keys"})
		}},
		{"keys-failed", 80, 24, func(t *testing.T, m Model) Model {
			m = paste(t, m, tk.idJAG)
			m, _ = sendCmd(t, m, keyMsg("enter"))
			return send(t, m, keysLoadedMsg{seq: m.decoder.seq, err: errTest})
		}},
		{"token-response", 100, 40, func(t *testing.T, m Model) Model {
			m = paste(t, m, `{"access_token":"`+tk.accessToken+`","id_token":"`+tk.idToken+`","token_type":"Bearer"}`)
			return press(t, m, "tab", "tab", "t")
		}},
		{"truncated", 100, 30, func(t *testing.T, m Model) Model { return paste(t, m, tk.idJAG[:len(tk.idJAG)-30]) }},
		{"not-a-token", 80, 24, func(t *testing.T, m Model) Model { return paste(t, m, "hello world, this is not a token") }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := newTestModel(t, Options{Screen: "decoder", ConfigLooked: []string{"xaa.yaml"}}, tt.width, tt.height)
			goldenView(t, tt.build(t, m).View())
		})
	}
}
