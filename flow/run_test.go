package flow_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/xaatools/xaa/flow"
	"github.com/xaatools/xaa/flow/playground"
	"github.com/xaatools/xaa/inspect"
)

// TestRunHappyPath runs every step against the playground, REST and MCP.
func TestRunHappyPath(t *testing.T) {
	e := start(t, playground.Options{}, "alice")
	e.runner.Tool = "list_todos"
	run := e.run(t)
	if !run.OK() {
		t.Fatalf("run failed:%s", summary(run))
	}
	for _, s := range run.Steps {
		if s.Status != flow.StepPass {
			t.Errorf("%s: status %s, want pass:%s", s.ID, s.Status, summary(run))
		}
	}
	wantTokens := map[flow.StepID][]inspect.Kind{
		flow.StepLogin:         {inspect.KindIDToken},
		flow.StepTokenExchange: {inspect.KindIDJAG},
		flow.StepJWTBearer:     {inspect.KindAccessToken},
	}
	for id, kinds := range wantTokens {
		s := run.Step(id)
		var got []inspect.Kind
		for _, a := range s.Tokens {
			got = append(got, a.Token.Kind)
			if !a.Signature.Verified() {
				t.Errorf("%s: %s signature %s, want verified", id, a.Token.Kind, a.Signature.Verdict())
			}
		}
		if len(got) != len(kinds) || got[0] != kinds[0] {
			t.Errorf("%s tokens = %v, want %v", id, got, kinds)
		}
	}
	res := run.Step(flow.StepResource).Resource
	if res == nil || res.API == nil || res.API.Status != 200 {
		t.Fatalf("resource API result = %+v, want status 200", res)
	}
	if res.MCP == nil || len(res.MCP.Tools) == 0 {
		t.Fatalf("MCP result = %+v, want tools", res.MCP)
	}
	if res.MCP.Call == nil || res.MCP.Call.IsError {
		t.Errorf("MCP tool call = %+v, want a result", res.MCP.Call)
	}
	for _, s := range run.Steps {
		if s.ID != flow.StepLogin && len(s.Exchanges) == 0 {
			t.Errorf("%s recorded no exchanges", s.ID)
		}
	}
}

// TestExports checks the shapes of the exports: the JSON of CONTRACT.md,
// HAR 1.2 and the Markdown transcript.
func TestExports(t *testing.T) {
	e := start(t, playground.Options{Faults: []string{playground.FaultIDJAGExpired}}, "alice")
	run := e.run(t)

	raw, err := json.Marshal(run.JSON(false))
	if err != nil {
		t.Fatal(err)
	}
	var doc map[string]any
	json.Unmarshal(raw, &doc)
	if _, ok := doc["ok"].(bool); !ok {
		t.Errorf("JSON lacks a boolean ok")
	}
	steps, _ := doc["steps"].([]any)
	if len(steps) != 5 {
		t.Fatalf("JSON has %d steps, want 5", len(steps))
	}
	for _, s := range steps {
		step := s.(map[string]any)
		for _, k := range []string{"id", "status", "exchanges", "tokens", "checks"} {
			if _, ok := step[k]; !ok {
				t.Errorf("step %v lacks %q", step["id"], k)
			}
		}
		for _, x := range step["exchanges"].([]any) {
			ex := x.(map[string]any)
			req, resp := ex["request"].(map[string]any), ex["response"].(map[string]any)
			for _, k := range []string{"method", "url", "headers"} {
				if _, ok := req[k]; !ok {
					t.Errorf("%v request lacks %q", step["id"], k)
				}
			}
			for _, k := range []string{"status", "headers"} {
				if _, ok := resp[k]; !ok {
					t.Errorf("%v response lacks %q", step["id"], k)
				}
			}
			if _, ok := ex["duration_ms"].(float64); !ok {
				t.Errorf("%v exchange lacks duration_ms", step["id"])
			}
		}
		if step["id"] == "jwt_bearer" {
			errObj, _ := step["error"].(map[string]any)
			for _, k := range []string{"error", "error_description", "explanation", "fix"} {
				if s, _ := errObj[k].(string); s == "" {
					t.Errorf("jwt_bearer error lacks %q: %v", k, errObj)
				}
			}
		}
		for _, tok := range step["tokens"].([]any) {
			tk := tok.(map[string]any)
			sig, _ := tk["signature"].(map[string]any)
			if tk["kind"] == nil || tk["header"] == nil || tk["claims"] == nil || sig["status"] == nil || tk["token"] != nil {
				t.Errorf("token %v: want kind, header, claims, signature.status and no raw token", tk["kind"])
			}
		}
	}

	harRaw, err := run.HAR(false)
	if err != nil {
		t.Fatal(err)
	}
	var har struct {
		Log struct {
			Version string
			Pages   []struct{ ID string }
			Entries []struct {
				PageRef         string `json:"pageref"`
				StartedDateTime string
				Request         struct {
					Method, URL string
					Headers     []struct{ Name, Value string }
				}
				Response struct{ Status int }
				Timings  struct{ Wait float64 }
			}
		}
	}
	if err := json.Unmarshal(harRaw, &har); err != nil {
		t.Fatal(err)
	}
	exchanges := 0
	for _, s := range run.Steps {
		exchanges += len(s.Exchanges)
	}
	if har.Log.Version != "1.2" || len(har.Log.Entries) != exchanges || len(har.Log.Pages) == 0 {
		t.Errorf("HAR version %q, %d entries, %d pages; want 1.2 and %d entries", har.Log.Version, len(har.Log.Entries), len(har.Log.Pages), exchanges)
	}
	for _, en := range har.Log.Entries {
		if en.PageRef == "" || en.StartedDateTime == "" || en.Request.Method == "" || en.Response.Status == 0 {
			t.Errorf("HAR entry incomplete: %+v", en)
		}
	}

	md := string(run.Markdown(false))
	for _, want := range []string{"# xaa run — a step failed", "## 3. JWT bearer grant", "> **What it means:**", "> **Fix:**", "```sh\ncurl -sS", "[REDACTED]"} {
		if !strings.Contains(md, want) {
			t.Errorf("Markdown lacks %q", want)
		}
	}
}
