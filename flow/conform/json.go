package conform

import (
	"time"

	"github.com/xaatools/xaa/flow/explain"
	"github.com/xaatools/xaa/flow/wire"
	"github.com/xaatools/xaa/inspect"
)

// ScorecardJSON is the stable JSON shape of `xaa conform --json`.
type ScorecardJSON struct {
	OK         bool       `json:"ok"`
	Score      Score      `json:"score"`
	Started    time.Time  `json:"started"`
	DurationMS float64    `json:"duration_ms"`
	Setup      Setup      `json:"setup"`
	ResourceAS TargetJSON `json:"resource_as"`
	Cases      []CaseJSON `json:"cases"`
}

// TargetJSON is the AS under test in ScorecardJSON.
type TargetJSON struct {
	Target
	Exchanges []wire.ExchangeJSON `json:"exchanges"`
	Error     *explain.ErrorJSON  `json:"error,omitempty"`
}

// CaseJSON is one case in ScorecardJSON.
type CaseJSON struct {
	Case
	Verdict Verdict `json:"verdict"`
	// Status is the verdict as a check status (pass, warn, fail, skip).
	Status          inspect.Status      `json:"status"`
	Summary         string              `json:"summary"`
	UnexpectedError bool                `json:"unexpected_error,omitempty"`
	Scope           string              `json:"scope,omitempty"`
	Withheld        string              `json:"withheld_scope,omitempty"`
	Sent            *inspect.Analysis   `json:"sent,omitempty"`
	Error           *explain.ErrorJSON  `json:"error,omitempty"`
	AccessToken     *inspect.Analysis   `json:"access_token,omitempty"`
	GrantedScope    string              `json:"granted_scope,omitempty"`
	Exchanges       []wire.ExchangeJSON `json:"exchanges"`
	Notes           []string            `json:"notes,omitempty"`
	DurationMS      float64             `json:"duration_ms"`
}

// JSON returns the run in the shape of ScorecardJSON: secrets were
// redacted when recorded, and tokens are shortened (and left out of token
// objects) unless reveal is set.
func (c *Scorecard) JSON(reveal bool) ScorecardJSON {
	out := ScorecardJSON{OK: c.OK(), Score: c.Score(), Started: c.Started.UTC(), DurationMS: wire.DurationMS(c.Duration),
		Setup: c.Setup, Cases: []CaseJSON{},
		ResourceAS: TargetJSON{Target: c.Target, Exchanges: exchangesJSON(c.Target.Exchanges, reveal)}}
	if c.Target.Err != nil {
		out.ResourceAS.Error = explain.NewErrorJSON(c.Target.Err, c.Target.Explanation, reveal)
	}
	for _, r := range c.Results {
		out.Cases = append(out.Cases, r.JSON(reveal))
	}
	return out
}

// JSON returns one case in the shape of CaseJSON.
func (r *CaseResult) JSON(reveal bool) CaseJSON {
	j := CaseJSON{Case: r.Case, Verdict: r.Verdict, Status: r.Status(), Summary: wire.DisplayText(r.Summary, reveal),
		UnexpectedError: r.UnexpectedError, Scope: r.Scope, Withheld: r.Withheld, GrantedScope: r.GrantedScope,
		Exchanges: exchangesJSON(r.Exchanges, reveal), DurationMS: wire.DurationMS(r.Duration)}
	for _, a := range []*inspect.Analysis{r.Sent, r.AccessToken} {
		if a == nil {
			continue
		}
		shown := *a
		shown.Reveal = reveal
		if a == r.Sent {
			j.Sent = &shown
		} else {
			j.AccessToken = &shown
		}
	}
	if r.Err != nil {
		j.Error = explain.NewErrorJSON(r.Err, r.Explanation, reveal)
	}
	for _, n := range r.Notes {
		j.Notes = append(j.Notes, wire.DisplayText(n, reveal))
	}
	return j
}

func exchangesJSON(xs []*wire.Exchange, reveal bool) []wire.ExchangeJSON {
	out := []wire.ExchangeJSON{}
	for _, x := range xs {
		out = append(out, x.JSON(reveal))
	}
	return out
}
