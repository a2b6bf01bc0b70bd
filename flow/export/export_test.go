package export_test

import (
	"encoding/json"
	"testing"

	"github.com/xaatools/xaa/flow/export"
	"github.com/xaatools/xaa/flow/flowtest"
	"github.com/xaatools/xaa/flow/playground"
)

// TestExports checks the shapes of the exports: the JSON of `xaa run
// --json` and HAR 1.2.
func TestExports(t *testing.T) {
	e := flowtest.Start(t, playground.Options{Faults: []string{playground.FaultIDJAGExpired}}, "alice")
	run := e.Run(t)

	raw, err := json.Marshal(export.JSON(run, false))
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

	harRaw, err := export.HAR(run, false)
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
}
