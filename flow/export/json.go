// Package export writes a run in the forms that leave xaa: the stable JSON
// of `xaa run --json` and a HAR 1.2 log for browser tools. Secrets were
// redacted when the exchanges were recorded; tokens are shortened unless
// the user reveals them.
package export

import (
	"time"

	"github.com/xaatools/xaa/flow"
	"github.com/xaatools/xaa/flow/config"
	"github.com/xaatools/xaa/flow/explain"
	"github.com/xaatools/xaa/flow/wire"

	"github.com/xaatools/xaa/inspect"
)

// RunJSON is the stable JSON shape of `xaa run --json` (docs/formats.md).
type RunJSON struct {
	OK bool `json:"ok"`
	// Verdict says the same in words, and names the first step that could
	// not run for want of an input when no step failed.
	Verdict    string         `json:"verdict"`
	Started    time.Time      `json:"started"`
	DurationMS float64        `json:"duration_ms"`
	From       flow.StepID    `json:"from"`
	Parties    config.Parties `json:"parties"`
	Steps      []StepJSON     `json:"steps"`
}

// StepJSON is one step in RunJSON.
type StepJSON struct {
	ID         flow.StepID          `json:"id"`
	Status     inspect.Status       `json:"status"`
	DurationMS float64              `json:"duration_ms"`
	Exchanges  []wire.ExchangeJSON  `json:"exchanges"`
	Tokens     []inspect.Analysis   `json:"tokens"`
	Checks     inspect.Report       `json:"checks"`
	Error      *explain.ErrorJSON   `json:"error,omitempty"`
	Notes      []string             `json:"notes,omitempty"`
	Missing    []flow.Input         `json:"missing,omitempty"`
	Overrides  flow.Overrides       `json:"overrides,omitempty"`
	AuthMethod string               `json:"auth_method,omitempty"`
	Resource   *flow.ResourceResult `json:"resource,omitempty"`
}

// JSON returns the run in the shape of RunJSON: secrets were redacted when
// recorded, and tokens are shortened (and left out of token objects)
// unless reveal is set.
func JSON(r *flow.Run, reveal bool) RunJSON {
	_, verdict := r.Verdict()
	out := RunJSON{OK: r.OK(), Verdict: verdict, Started: r.Started.UTC(), DurationMS: wire.DurationMS(r.Duration), From: r.From, Parties: r.Parties, Steps: []StepJSON{}}
	for _, s := range r.Steps {
		out.Steps = append(out.Steps, Step(s, reveal))
	}
	return out
}

// Step returns one step in the shape of StepJSON.
func Step(s *flow.Step, reveal bool) StepJSON {
	j := StepJSON{ID: s.ID, Status: s.Status, DurationMS: wire.DurationMS(s.Duration), Exchanges: []wire.ExchangeJSON{}, Tokens: []inspect.Analysis{},
		Checks: s.Checks, Resource: s.Resource, Missing: s.Missing, AuthMethod: s.AuthMethod}
	for _, x := range s.Exchanges {
		j.Exchanges = append(j.Exchanges, x.JSON(reveal))
	}
	for _, a := range s.Tokens {
		a.Reveal = reveal
		j.Tokens = append(j.Tokens, a)
	}
	for _, n := range s.Notes {
		j.Notes = append(j.Notes, wire.DisplayText(n, reveal))
	}
	if len(s.Overrides) > 0 {
		j.Overrides = flow.Overrides{}
		for k, v := range s.Overrides {
			j.Overrides[k] = v
			if !reveal {
				j.Overrides[k] = flow.ShortIfToken(k, v)
			}
		}
	}
	if s.Err != nil {
		j.Error = explain.NewErrorJSON(s.Err, s.Explanation, reveal)
	}
	if j.Resource != nil && j.Resource.MCP != nil && j.Resource.MCP.Call != nil && !reveal {
		mcp := *j.Resource.MCP
		call := *mcp.Call
		call.Text = wire.ShortenTokens(call.Text)
		mcp.Call = &call
		j.Resource = &flow.ResourceResult{API: j.Resource.API, MCP: &mcp}
	}
	return j
}
