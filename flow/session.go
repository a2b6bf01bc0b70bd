package flow

import (
	"cmp"
	"context"
	"strings"

	"github.com/xaatools/xaa/flow/config"
	"github.com/xaatools/xaa/flow/wire"
	"github.com/xaatools/xaa/inspect"
)

// Input is something a step needs and does not have: what it is, where
// it can come from (a step, a config key) and the command-line flags that
// give it instead, which the terminal UI leaves out.
type Input struct {
	What string `json:"what"`
	From string `json:"from"`
	Flag string `json:"flag,omitempty"`
}

// String says what is missing and where to get it, flags included.
func (i Input) String() string {
	if i.Flag == "" {
		return i.What + " — from " + i.From
	}
	return i.What + " — from " + i.From + ", or " + i.Flag
}

// Plan is how one step runs now: the state it starts from, the config and
// overrides it runs with, and the inputs it lacks. A plan with missing
// inputs runs as a skipped step that names them; nothing else keeps a step
// from running — a failed check is a finding, not a gate.
type Plan struct {
	ID        StepID
	In        State
	Config    *config.Config
	Overrides Overrides
	Missing   []Input
}

// Runnable reports whether the step has every input it needs.
func (p Plan) Runnable() bool { return len(p.Missing) == 0 }

// Session is one walk through the flow, step by step: the latest record of
// each step (and the one before a resend, to compare), the edits made to a
// step's inputs, and what each step starts from. `xaa run` walks it in one
// go; the terminal UI one key at a time. Planning and keeping records
// happen on the caller's goroutine; Execute may run elsewhere, since it
// reads nothing of the session.
type Session struct {
	Runner *Runner
	// seed is what the user gave (--from/--token): the start of every
	// step's input.
	seed     State
	records  [stepCount]*Step
	previous [stepCount]*Step
	edits    [stepCount]Overrides
	auth     [stepCount]string
	// standIn marks skipped records that stand in for a step whose output
	// the seed already holds (a kept refresh token for the login): they
	// outlive the steps before them running again.
	standIn [stepCount]bool
}

// stepCount is the number of steps.
const stepCount = int(StepResource) + 1

// NewSession starts a walk with the runner's config and environment, from
// the given state (a given token, or nothing).
func NewSession(r *Runner, seed State) Session { return Session{Runner: r, seed: seed} }

// Record returns the latest record of a step, or nil when it has not run.
func (s *Session) Record(id StepID) *Step { return s.records[id] }

// Previous returns the record a resend replaced, or nil.
func (s *Session) Previous(id StepID) *Step { return s.previous[id] }

// Next returns the first step that has not run.
func (s *Session) Next() (StepID, bool) {
	for _, id := range Steps() {
		if s.records[id] == nil {
			return id, true
		}
	}
	return 0, false
}

// Input returns the state a step starts from: the seed, with what every
// earlier step that ran handed on.
func (s *Session) Input(id StepID) State {
	in := s.seed
	for _, prev := range Steps()[:id] {
		if rec := s.records[prev]; rec != nil && !s.standIn[prev] {
			in = rec.Out // a stand-in hands on what it was given
		}
	}
	return in
}

// Edits returns the parameters changed for a step (the edit form, on top
// of --set).
func (s *Session) Edits(id StepID) Overrides { return s.edits[id] }

// SetEdits replaces the parameters changed for a step.
func (s *Session) SetEdits(id StepID, o Overrides) { s.edits[id] = o }

// AuthMethod returns the client authentication a step was switched to, or
// "" for the configured one.
func (s *Session) AuthMethod(id StepID) string { return s.auth[id] }

// SetAuthMethod switches the client authentication of a step's token
// request ("" returns to the configured method).
func (s *Session) SetAuthMethod(id StepID, method string) { s.auth[id] = method }

// ConfiguredPlan returns how a step would run without the session's edits
// and client-authentication switch: what "reset to configured" returns to.
func (s *Session) ConfiguredPlan(id StepID) Plan {
	return s.Runner.plan(id, s.Runner.Config, s.Input(id), s.Runner.Overrides[id])
}

// Edited reports whether a step's inputs or client authentication were
// changed in this session.
func (s *Session) Edited(id StepID) bool { return len(s.edits[id]) > 0 || s.auth[id] != "" }

// Plan returns how a step would run now.
func (s *Session) Plan(id StepID) Plan {
	cfg := s.Runner.Config
	if m := s.auth[id]; m != "" {
		c := *cfg
		switch id {
		case StepLogin, StepTokenExchange:
			c.IdP.AuthMethod = m
		case StepJWTBearer:
			c.ResourceAS.AuthMethod = m
		}
		cfg = &c
	}
	return s.Runner.plan(id, cfg, s.Input(id), s.Runner.Overrides[id].merged(s.edits[id]))
}

// Keep stores a step's record. The steps after it are forgotten: they ran
// from what it handed on before. A resend keeps the record it replaces,
// for comparison.
func (s *Session) Keep(st *Step, resend bool) {
	id := st.ID
	s.previous[id] = nil
	if resend {
		s.previous[id] = s.records[id]
	}
	s.records[id] = st
	s.standIn[id] = false
	for j := int(id) + 1; j < stepCount; j++ {
		if !s.standIn[j] { // a stand-in does not depend on what ran before it
			s.records[j], s.previous[j] = nil, nil
		}
	}
}

// Forget drops the records of the steps from id on (a new demo user logs
// in: what the login handed on no longer holds), stand-ins included.
func (s *Session) Forget(from StepID) {
	for j := int(from); j < stepCount; j++ {
		s.records[j], s.previous[j], s.standIn[j] = nil, nil, false
	}
}

// Run returns the record of the steps that ran so far, in order.
func (s *Session) Run() *Run {
	run := &Run{Parties: s.Runner.Config.Parties()}
	for _, id := range Steps() {
		if st := s.records[id]; st != nil {
			if len(run.Steps) == 0 {
				run.Started, run.From = st.Started, id
			}
			run.Steps = append(run.Steps, st)
			if end := st.Started.Add(st.Duration); end.Sub(run.Started) > run.Duration {
				run.Duration = end.Sub(run.Started)
			}
		}
	}
	return run
}

// plan resolves what a step runs with: the endpoints the config sets
// stand in for (or over) what discovery found, and every input the step
// cannot do without is checked.
func (r *Runner) plan(id StepID, cfg *config.Config, in State, o Overrides) Plan {
	in.IdP = ConfiguredEndpoints(in.IdP, cfg.IdP.ClientConfig, cfg.IdP.AuthorizationEndpoint)
	in.AS = ConfiguredEndpoints(in.AS, cfg.ResourceAS, "")
	return Plan{ID: id, In: in, Config: cfg, Overrides: o, Missing: missingInputs(id, cfg, in, o)}
}

// ConfiguredEndpoints lays the endpoints a client's config names
// (token_endpoint, jwks_uri, and the IdP's authorization_endpoint) over
// the server's metadata, or stands in for metadata that was not found.
func ConfiguredEndpoints(md *wire.Metadata, cc config.ClientConfig, authorization string) *wire.Metadata {
	if cc.TokenEndpoint == "" && cc.JWKSURI == "" && authorization == "" {
		return md
	}
	out := wire.Metadata{ServerMetadata: inspect.ServerMetadata{Issuer: cc.Issuer}, Format: "config"}
	if md != nil {
		out = *md
	}
	out.TokenEndpoint = cmp.Or(cc.TokenEndpoint, out.TokenEndpoint)
	out.JWKSURI = cmp.Or(cc.JWKSURI, out.JWKSURI)
	out.AuthorizationEndpoint = cmp.Or(authorization, out.AuthorizationEndpoint)
	return &out
}

// missingInputs lists what a step needs and does not have, each with where
// it can come from.
func missingInputs(id StepID, cfg *config.Config, in State, o Overrides) []Input {
	var missing []Input
	need := func(have bool, what, from string, flag ...string) {
		if !have {
			missing = append(missing, Input{What: what, From: from, Flag: strings.Join(flag, "")})
		}
	}
	idpEndpoint := func(get func(*wire.Metadata) string, name, key string) {
		need(in.IdP != nil && get(in.IdP) != "", "the IdP's "+name,
			"the IdP's metadata (discovery of idp.issuer), or idp."+key+" in the config")
	}
	switch id {
	case StepLogin:
		idpEndpoint(func(m *wire.Metadata) string { return m.AuthorizationEndpoint }, "authorization endpoint", "authorization_endpoint")
		idpEndpoint(func(m *wire.Metadata) string { return m.TokenEndpoint }, "token endpoint", "token_endpoint")
	case StepTokenExchange:
		idpEndpoint(func(m *wire.Metadata) string { return m.TokenEndpoint }, "token endpoint", "token_endpoint")
		given := in.SubjectToken != "" || o["subject_token"] != ""
		if cfg.IdP.UsesRefreshToken() {
			need(given || in.RefreshToken != "", "an IdP refresh token (idp.subject is refresh_token)",
				"a login with offline_access, or the refresh token kept from an earlier one", "--from token_exchange --token REFRESH_TOKEN")
			break
		}
		refresh := o["subject_token_type"] == inspect.TokenTypeRefreshToken && in.RefreshToken != ""
		need(in.IDToken != "" || given || refresh,
			"a subject token (the ID token, or an IdP refresh token)", "the login step", "--from token_exchange --token T")
	case StepJWTBearer:
		need(in.AS != nil && in.AS.TokenEndpoint != "", "the resource AS's token endpoint",
			"the resource AS's metadata (discovery of resource_as.issuer), or resource_as.token_endpoint in the config")
		need(in.IDJAG != "" || o["assertion"] != "", "an ID-JAG", "the token exchange step", "--from jwt_bearer --token T")
	case StepResource:
		need(in.AccessToken != "", "an access token", "the jwt-bearer step", "--from resource --token T")
		need(cfg.Resource.APIURL != "" || cfg.Resource.MCPURL != "", "a resource to call", "resource.api_url or resource.mcp_url in the config")
	}
	return missing
}

// AuthMethod is the client authentication a step's token request uses
// with cfg; empty for the steps that send none.
func AuthMethod(id StepID, cfg *config.Config) string {
	switch id {
	case StepLogin, StepTokenExchange:
		return cfg.IdP.Method()
	case StepJWTBearer:
		return cfg.ResourceAS.Method()
	}
	return ""
}

// skippedFor is the record of a step that lacked inputs.
func skippedFor(p Plan) *Step {
	st := &Step{ID: p.ID, Status: inspect.StatusSkip, In: p.In, Out: p.In, Overrides: p.Overrides, Missing: p.Missing}
	for _, m := range p.Missing {
		st.note("skipped: it needs %s", m)
	}
	return st
}

// Execute runs a plan and returns the step's record; a plan with missing
// inputs comes back as a skipped step naming them. It reads nothing of the
// session, so it may run off the caller's goroutine.
func (r *Runner) Execute(ctx context.Context, p Plan) *Step {
	if !p.Runnable() {
		st := skippedFor(p)
		st.Started = r.Env.Time()
		r.Env.progress(Progress{Step: p.ID, Message: p.ID.TitleFor(r.Config.IdP.Subject) + ": skipped", Done: true, Status: st.Status})
		return st
	}
	run := *r
	run.Config = p.Config
	st := &Step{ID: p.ID, Started: r.Env.Time(), In: p.In, Out: p.In, Overrides: p.Overrides, AuthMethod: AuthMethod(p.ID, p.Config)}
	st.Facts.IdPNotOkta = !idpIsOkta(p.Config, p.In.IdP)
	r.Env.progress(Progress{Step: p.ID, Message: p.ID.TitleFor(r.Config.IdP.Subject) + "…"})
	s := r.Env.Client(p.Config.Secrets())
	// A person may have waited minutes before this step (a login, a key
	// press): a pooled connection the server has since closed would fail
	// the request with "connection reset" before it reached the server.
	s.CloseIdleConnections()
	switch p.ID {
	case StepDiscovery:
		run.discover(ctx, s, st)
	case StepLogin:
		run.login(ctx, s, st)
	case StepTokenExchange:
		run.tokenExchange(ctx, s, st)
	case StepJWTBearer:
		run.jwtBearer(ctx, s, st)
	case StepResource:
		run.callResource(ctx, s, st)
	}
	st.Exchanges = s.Exchanges()
	st.finish(r.Env.Time())
	r.keepRefreshToken(st)
	r.Env.progress(Progress{Step: p.ID, Message: st.Title() + ": " + st.Status.String(), Done: true, Status: st.Status})
	return st
}

// Chain is the tokens of a walk, hop to hop — the ID token, the ID-JAG,
// the access token (nil when not received) — and the checks across them.
type Chain struct {
	IDToken, IDJAG, AccessToken *inspect.Token
	Checks                      inspect.Report
	// MCP is the MCP server's own chain, when it got its own ID-JAG and
	// access token (see target); nil otherwise.
	MCP *Chain
}

// Chain returns the tokens the steps received and the chain checks.
func (s *Session) Chain() Chain {
	// get finds the token of a kind the step received for server ("" for
	// the first, the API's when each server has its own).
	get := func(id StepID, kind inspect.Kind, server string) *inspect.Token {
		st := s.records[id]
		if st == nil {
			return nil
		}
		for _, a := range st.Tokens {
			if a.Token.Kind == kind && (server == "" || a.For == server) {
				return a.Token
			}
		}
		return nil
	}
	asIssuer := s.Runner.Config.ResourceAS.Issuer
	if in := s.Input(StepJWTBearer); in.AS != nil {
		asIssuer = in.AS.Issuer
	}
	idt := get(StepLogin, inspect.KindIDToken, "")
	c := Chain{IDToken: idt, IDJAG: get(StepTokenExchange, inspect.KindIDJAG, ""), AccessToken: get(StepJWTBearer, inspect.KindAccessToken, "")}
	c.Checks = checkChain(s.Runner.Config, asIssuer, c.IDToken, c.IDJAG, c.AccessToken)
	if jag, at := get(StepTokenExchange, inspect.KindIDJAG, serverMCP), get(StepJWTBearer, inspect.KindAccessToken, serverMCP); jag != nil || at != nil {
		m := Chain{IDToken: idt, IDJAG: jag, AccessToken: at}
		m.Checks = checkChain(s.Runner.Config, asIssuer, idt, jag, at)
		c.MCP = &m
	}
	return c
}

// checkChain holds the tokens to what the config expects of the chain: the
// ID token for the IdP client, the ID-JAG for the resource AS and its
// client there (draft §4.3, §4.4).
func checkChain(c *config.Config, asIssuer string, idToken, idjag, accessToken *inspect.Token) inspect.Report {
	return inspect.CheckChain(inspect.Chain{
		IDToken: idToken, IDJAG: idjag, AccessToken: accessToken,
		IdPClientID: c.IdP.ClientID, ASIssuer: asIssuer, ASClientID: c.ResourceAS.ClientID,
	})
}

// idpIsOkta says whether the IdP is an Okta org, as far as the config and
// its metadata (once discovered) tell: the explanations' fixes name Okta's
// console screens only then.
func idpIsOkta(c *config.Config, md *wire.Metadata) bool {
	if md == nil {
		return config.OktaIdP(c.IdP.Issuer, "", "")
	}
	return config.OktaIdP(c.IdP.Issuer, md.Issuer, md.TokenEndpoint)
}
