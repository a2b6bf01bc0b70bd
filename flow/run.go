package flow

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/xaatools/xaa/flow/config"

	"github.com/xaatools/xaa/inspect"
)

// Runner runs the flow for one configuration. `xaa run` calls Run once;
// the terminal UI keeps a Session on it and executes one Plan at a time;
// the doctor runs single steps with RunStep.
type Runner struct {
	Config *config.Config
	Env    Env
	// NoBrowser reports the authorization URL without opening a browser.
	NoBrowser bool
	// Tool is an MCP tool to call after listing tools, with ToolArgs as
	// its arguments (a JSON object).
	Tool     string
	ToolArgs json.RawMessage
	// Overrides change request parameters per step (--set).
	Overrides StepOverrides
	// Kept keeps the IdP refresh token between runs when idp.subject is
	// refresh_token; nil keeps nothing (the playground's runs).
	Kept RefreshTokens
}

// Run is the record of a whole run: every step, in order, including those
// skipped.
type Run struct {
	Steps    []*Step
	Started  time.Time
	Duration time.Duration
	// From is the step the run started from.
	From StepID
	// Parties names the configured parties, without secrets.
	Parties config.Parties
}

// OK reports whether no step failed.
func (r *Run) OK() bool {
	for _, s := range r.Steps {
		if s.Status == inspect.StatusFail {
			return false
		}
	}
	return true
}

// Verdict sums a run up in words: a step failed; or no step failed but one
// could not run for want of an input (the first such step and its input
// are named, since a skipped step is no pass); or every step passed.
func (r *Run) Verdict() (inspect.Status, string) {
	if !r.OK() {
		return inspect.StatusFail, "a step failed"
	}
	for _, s := range r.Steps {
		if s.Status == inspect.StatusSkip && len(s.Missing) > 0 {
			return inspect.StatusWarn, fmt.Sprintf("no step failed, but %s did not run: it needs %s", s.ID, s.Missing[0].What)
		}
	}
	return inspect.StatusPass, "every step passed"
}

// Step returns the record of a step, or nil.
func (r *Run) Step(id StepID) *Step {
	for _, s := range r.Steps {
		if s.ID == id {
			return s
		}
	}
	return nil
}

// Run runs every step in order, from discovery on: each runs whenever the
// inputs it needs are known — from the config, from an earlier step, or
// from the given token — and is recorded as skipped, naming the missing
// input, when they are not. A failed check never stops the run. Starting
// later than the login needs token: the ID token (or an IdP refresh token)
// for token_exchange, the ID-JAG for jwt_bearer, the access token for
// resource; the steps before from (discovery excepted) are skipped. The
// error is for bad input only (a missing or misplaced token); a failing
// step is in the Run.
func (r *Runner) Run(ctx context.Context, from StepID, token string) (*Run, error) {
	seed, err := SeedState(from, token)
	if err != nil {
		return nil, err
	}
	started := r.Env.Time()
	s := NewSession(r, seed)
	if from == StepDiscovery && token == "" {
		if s, err = r.Resume(); err != nil {
			r.Env.progress(Progress{Step: StepLogin, Message: "the kept refresh token could not be read: " + err.Error()})
		}
	}
	for _, id := range Steps() {
		switch {
		case s.Record(id) != nil: // skipped by Resume
		case id != StepDiscovery && id < from:
			s.Skip(id, "skipped: the run started from "+from.String()+" with a given token")
		default:
			s.Keep(r.Execute(ctx, s.Plan(id)), false)
		}
	}
	run := s.Run()
	run.Started, run.From = started, from
	run.Duration = r.Env.Time().Sub(started)
	return run, nil
}

// SeedState puts a given token where the step from will look for it. It
// refuses a token of the wrong kind with a message naming the right step.
func SeedState(from StepID, token string) (State, error) {
	var s State
	if from <= StepLogin {
		if token != "" {
			return s, errors.New("--token needs --from token_exchange, jwt_bearer or resource: the login gets its own tokens")
		}
		return s, nil
	}
	if token == "" {
		return s, fmt.Errorf("--from %s needs --token: the %s", from, wantedToken(from))
	}
	t, err := inspect.Decode(token)
	if err != nil {
		return s, fmt.Errorf("--token: %w", err)
	}
	raw := t.Raw
	mismatch := func(kind inspect.Kind) error {
		return fmt.Errorf("--token is %s, but --from %s needs the %s; start from %s instead", kind.Title(), from, wantedToken(from), stepFor(kind))
	}
	switch from {
	case StepTokenExchange:
		switch t.Kind {
		case inspect.KindIDToken:
			s.IDToken = raw
		case inspect.KindRefreshToken, inspect.KindOpaque:
			s.SubjectToken, s.SubjectTokenType = raw, inspect.TokenTypeRefreshToken
		case inspect.KindIDJAG, inspect.KindAccessToken:
			return s, mismatch(t.Kind)
		default:
			s.SubjectToken, s.SubjectTokenType = raw, inspect.TokenTypeIDToken
		}
	case StepJWTBearer:
		if t.Kind == inspect.KindIDToken || t.Kind == inspect.KindAccessToken {
			return s, mismatch(t.Kind)
		}
		s.IDJAG = raw
	case StepResource:
		if t.Kind == inspect.KindIDToken || t.Kind == inspect.KindIDJAG {
			return s, mismatch(t.Kind)
		}
		s.AccessToken, s.AccessTokenType = raw, "Bearer"
	}
	return s, nil
}

func wantedToken(from StepID) string {
	switch from {
	case StepTokenExchange:
		return "ID token (or an IdP refresh token) to exchange"
	case StepJWTBearer:
		return "ID-JAG to present at the resource AS"
	}
	return "access token to call the resource with"
}

func stepFor(k inspect.Kind) StepID {
	switch k {
	case inspect.KindIDToken, inspect.KindRefreshToken:
		return StepTokenExchange
	case inspect.KindIDJAG:
		return StepJWTBearer
	}
	return StepResource
}

// RunStep runs one step from the given state, with set on top of the
// runner's overrides for that step. It always returns the step's record.
func (r *Runner) RunStep(ctx context.Context, id StepID, in State, set Overrides) *Step {
	return r.Execute(ctx, r.plan(id, r.Config, in, r.Overrides[id].merged(set)))
}

// Resend runs a step again from the same input state, with set applied on
// top of the overrides it ran with ("resend the token exchange with another
// audience"). prev is left as it was, so the caller can compare the two.
func (r *Runner) Resend(ctx context.Context, prev *Step, set Overrides) *Step {
	return r.Execute(ctx, r.plan(prev.ID, r.Config, prev.In, prev.Overrides.merged(set)))
}
