package conform

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/xaatools/xaa/flow"
	"github.com/xaatools/xaa/flow/config"
	"github.com/xaatools/xaa/flow/explain"
	"github.com/xaatools/xaa/flow/wire"
	"github.com/xaatools/xaa/inspect"
)

// IdPRunner runs the IdP scorecard (xaa conform --idp): one login, then
// each case as a token exchange at the IdP's token endpoint, authenticated
// as the config's idp client (or, where the case says, otherwise).
type IdPRunner struct {
	Config *config.Config
	Env    flow.Env
	// Flow discovers the parties and logs in (with Env's browser, or
	// NoBrowser); its Config is Config.
	Flow *flow.Runner
	// Token is an ID token or IdP refresh token to start from instead of a
	// login (--token).
	Token string
	// BrowserAs opens the login for another user (conform.unassigned_user);
	// nil logs in with Flow's own browser, sending login_hint.
	BrowserAs func(user string) func(url string) error
	// Progress, when set, receives each case's result as it comes.
	Progress func(*CaseResult)
}

// idpState is what the IdP cases start from: the IdP's metadata and keys,
// the tokens of the login, and the good answer once the baseline ran.
type idpState struct {
	in           flow.State
	idToken      string
	refreshToken string
	resource     string
	baseline     *idpBaseline
}

// idpBaseline is the valid token exchange, sent twice: its two answers and
// ID-JAGs, analysed.
type idpBaseline struct {
	responses [2]*wire.TokenResponse
	idjags    [2]*inspect.Analysis
	// subjectSub is the sub of the ID token exchanged ("" when the subject
	// was a refresh token).
	subjectSub string
}

// Prepare discovers the IdP and logs in (or takes the given token). A
// failure is recorded in Target.Err; every case then reports it.
func (c *IdPRunner) Prepare(ctx context.Context) *Scorecard {
	conf := &Scorecard{Party: PartyIdP, Started: c.Env.Time(), idp: &idpState{}}
	idp := c.Config.IdP
	conf.Target = Target{Issuer: idp.Issuer, ClientID: idp.ClientID, AuthMethod: idp.Method()}
	disc := c.Flow.RunStep(ctx, flow.StepDiscovery, flow.State{}, nil)
	conf.Target.Exchanges = slices.Clone(disc.Exchanges)
	in := disc.Out
	in.IdP = flow.ConfiguredEndpoints(in.IdP, idp.ClientConfig, idp.AuthorizationEndpoint)
	conf.idp.in = in
	if in.IdP == nil || in.IdP.TokenEndpoint == "" {
		conf.Target.Err = errors.New("the IdP's token endpoint is unknown: its metadata was not found (discovery of idp.issuer); idp.token_endpoint gives it")
		if disc.Err != nil {
			conf.Target.Err, conf.Target.Explanation = disc.Err, disc.Explanation
		}
		return conf
	}
	conf.Target.TokenEndpoint, conf.Target.Metadata = in.IdP.TokenEndpoint, in.IdP
	if res := flow.ResourceIndicators(c.Config, in); len(res) > 0 {
		conf.idp.resource = res[0]
	}
	if in.IdPKeys == nil {
		conf.Target.Notes = append(conf.Target.Notes, "the IdP's JWKS could not be fetched: the signature check of its ID-JAGs fails")
	}
	if c.Token != "" {
		c.given(ctx, conf)
		return conf
	}
	login := c.Flow.RunStep(ctx, flow.StepLogin, in, nil)
	conf.Target.Exchanges = append(conf.Target.Exchanges, login.Exchanges...)
	if login.Err != nil {
		conf.Target.Err, conf.Target.Explanation = fmt.Errorf("the login failed: %w", login.Err), login.Explanation
		return conf
	}
	conf.idp.idToken, conf.idp.refreshToken = login.Out.IDToken, login.Out.RefreshToken
	conf.Target.Notes = append(conf.Target.Notes, "logged in: "+tokensNote(conf.idp))
	return conf
}

// given starts from --token: an ID token, or a refresh token, which also
// gets a fresh ID token with the refresh_token grant when the IdP gives one.
func (c *IdPRunner) given(ctx context.Context, conf *Scorecard) {
	t, err := inspect.Decode(c.Token)
	if err != nil {
		conf.Target.Err = fmt.Errorf("--token: %w", err)
		return
	}
	switch t.Kind {
	case inspect.KindIDToken, inspect.KindUnknown:
		if t.Format == inspect.FormatJWS {
			conf.idp.idToken = t.Raw
			break
		}
		fallthrough
	case inspect.KindRefreshToken, inspect.KindOpaque:
		conf.idp.refreshToken = t.Raw
		s := c.Env.Client(c.Config.Secrets())
		form := url.Values{"grant_type": {"refresh_token"}, "refresh_token": {t.Raw}}
		tr, err := s.PostToken(ctx, wire.PartyIdP, "refresh_token grant (a fresh ID token)", conf.Target.TokenEndpoint, form, c.auth(conf))
		conf.Target.Exchanges = append(conf.Target.Exchanges, s.Exchanges()...)
		switch {
		case err != nil:
			conf.Target.Notes = append(conf.Target.Notes, "the refresh_token grant gave no ID token ("+answerText(tr, err)+"): the cases that send an ID token are skipped")
		case tr.Str("id_token") != "":
			conf.idp.idToken = tr.Str("id_token")
		}
		if rt := tr.Str("refresh_token"); err == nil && rt != "" {
			conf.idp.refreshToken = rt // a rotated refresh token replaces the one given
		}
	default:
		conf.Target.Err = fmt.Errorf("--token is %s; xaa conform --idp starts from an ID token or an IdP refresh token", t.Kind.Title())
		return
	}
	conf.Target.Notes = append(conf.Target.Notes, "started from --token: "+tokensNote(conf.idp))
}

func tokensNote(st *idpState) string {
	var have []string
	if st.idToken != "" {
		have = append(have, "an ID token")
	}
	if st.refreshToken != "" {
		have = append(have, "a refresh token")
	}
	if len(have) == 0 {
		return "no token to exchange"
	}
	return strings.Join(have, " and ")
}

// auth is the configured client's authentication at the IdP.
func (c *IdPRunner) auth(conf *Scorecard) wire.ClientAuth {
	return wire.ClientAuth{Client: c.Config.IdP.ClientConfig, TokenEndpoint: conf.Target.TokenEndpoint, Issuer: c.Config.IdP.Issuer}
}

// Run prepares, then runs the baseline and the cases named by ids (every
// case when ids is empty). The error is for unknown case IDs only.
func (c *IdPRunner) Run(ctx context.Context, ids []string) (*Scorecard, error) {
	if _, err := SelectIdPCases(ids); err != nil {
		return nil, err
	}
	conf := c.Prepare(ctx)
	return conf, c.RunCases(ctx, conf, ids)
}

// RunCases runs the baseline and the cases named by ids on a prepared
// Scorecard, appending their results; it stops when ctx ends.
func (c *IdPRunner) RunCases(ctx context.Context, conf *Scorecard, ids []string) error {
	cases, err := SelectIdPCases(ids)
	if err != nil {
		return err
	}
	for _, cc := range cases {
		if ctx.Err() != nil {
			break
		}
		r := c.runCase(ctx, conf, cc)
		conf.Results = append(conf.Results, r)
		if c.Progress != nil {
			c.Progress(r)
		}
	}
	conf.Duration = c.Env.Time().Sub(conf.Started)
	return nil
}

// SelectIdPCases returns the baseline and the IdP cases named by ids, in
// catalogue order; every case when ids is empty.
func SelectIdPCases(ids []string) ([]idpCase, error) {
	for _, id := range ids {
		if !slices.ContainsFunc(idpCases, func(c idpCase) bool { return c.ID == id }) {
			names := make([]string, len(idpCases))
			for i, c := range idpCases {
				names[i] = c.ID
			}
			return nil, fmt.Errorf("unknown case %q; the IdP cases are: %s", id, strings.Join(names, ", "))
		}
	}
	var out []idpCase
	for _, c := range idpCases {
		if len(ids) == 0 || c.Kind == CaseBaseline || slices.Contains(ids, c.ID) {
			out = append(out, c)
		}
	}
	return out, nil
}

// IdPCases returns the IdP scorecard's catalogue.
func IdPCases() []Case {
	out := make([]Case, len(idpCases))
	for i, c := range idpCases {
		out[i] = c.Case
	}
	return out
}

// RunCase runs one case of IdPCases() on a prepared Scorecard, for a
// caller that runs the cases one by one (the TUI): the baseline first, as
// the answer cases judge its answer. It always returns a result; the
// caller appends it to the Scorecard.
func (c *IdPRunner) RunCase(ctx context.Context, conf *Scorecard, cc Case) *CaseResult {
	for _, ic := range idpCases {
		if ic.ID == cc.ID {
			return c.runCase(ctx, conf, ic)
		}
	}
	r := &CaseResult{Case: cc, Started: c.Env.Time()}
	r.inconclusive("not run: %q is not an IdP case", cc.ID)
	return r
}

// runCase builds, sends and judges one case. It always returns a result.
func (c *IdPRunner) runCase(ctx context.Context, conf *Scorecard, cc idpCase) *CaseResult {
	r := &CaseResult{Case: cc.Case, Started: c.Env.Time()}
	defer func() { r.Duration = c.Env.Time().Sub(r.Started) }()
	st := conf.idp
	switch {
	case conf.Target.Err != nil:
		r.inconclusive("not sent: %s", conf.Target.Err)
		return r
	case st.idToken == "" && st.refreshToken == "":
		r.inconclusive("not sent: there is no token to exchange")
		return r
	}
	in := &idpInput{cfg: c.Config, st: st, tokenEndpoint: conf.Target.TokenEndpoint, auth: c.auth(conf), runner: c}
	if cc.answer != nil {
		c.judgeAnswer(r, cc, in)
		return r
	}
	req := cc.build(ctx, in)
	switch {
	case req.err != nil:
		r.inconclusive("not sent: %v", req.err)
		return r
	case req.skip != "":
		r.Verdict, r.Summary = VerdictSkipped, "not run: "+req.skip
		return r
	}
	r.Notes = append(r.Notes, req.notes...)
	r.Scope, r.Withheld = req.form.Get("scope"), req.withheld
	s := c.Env.Client(c.Config.Secrets())
	defer func() { r.Exchanges = append(req.exchanges, s.Exchanges()...) }()
	label := "token exchange (" + cc.ID + ")"
	if req.twice {
		first, err := s.PostToken(ctx, wire.PartyIdP, "token exchange ("+cc.ID+", first use)", in.tokenEndpoint, req.form, req.auth)
		if err != nil || first.Str("access_token") == "" {
			r.inconclusive("the first use was not accepted (%s), so a reuse cannot be told apart", answerText(first, err))
			r.Err = err
			return r
		}
		r.Notes = append(r.Notes, "the first use was accepted; the verdict is on the second")
		label = "token exchange (" + cc.ID + ", second use)"
	}
	tr, err := s.PostToken(ctx, wire.PartyIdP, label, in.tokenEndpoint, req.form, req.auth)
	c.judge(r, cc, in, req, tr, err, explain.Facts{IdPNotOkta: !config.OktaIdP(c.Config.IdP.Issuer, conf.Target.Issuer, conf.Target.TokenEndpoint)})
	if b := conf.Result("baseline"); b != nil && b.Verdict == VerdictRefused && cc.Kind != CaseBaseline {
		r.afterRefusedBaseline(b)
	}
	if cc.Kind == CaseBaseline && r.Verdict == VerdictAccepted {
		c.baselineSecond(ctx, s, in, req, tr, r)
	}
	return r
}

// judge sets the verdict from the IdP's answer.
func (c *IdPRunner) judge(r *CaseResult, cc idpCase, in *idpInput, req idpRequest, tr *wire.TokenResponse, err error, facts explain.Facts) {
	var oe *wire.OAuthError
	if err != nil {
		r.judgeRefusal(err, facts)
		switch {
		case req.otherClient && errors.As(err, &oe) && oe.Code == "invalid_client":
			r.UnexpectedError = false
			r.inconclusive("the second client was refused (invalid_client), so the case cannot be judged — check conform.other_client_id and conform.other_client_secret")
		case req.otherClient && errors.As(err, &oe) && oe.Code == "invalid_target":
			r.UnexpectedError = false
			r.inconclusive("the second client may not ask for this audience (invalid_target), so the subject token was perhaps never looked at — connect conform.other_client_id to the resource AS too")
		}
		return
	}
	jag := tr.Str("access_token")
	if jag == "" {
		r.inconclusive("HTTP %d without an access_token: neither a token response nor an error response (RFC 8693 §2.2)", tr.Status)
		return
	}
	r.GrantedScope = tr.Str("scope")
	r.AccessToken = in.analyze(tr, req.form, c.Env)
	switch {
	case cc.Kind == CaseBaseline:
		r.Verdict, r.Summary = VerdictAccepted, "accepted: the IdP issued an ID-JAG"
	case cc.accepted != nil:
		r.Verdict, r.Summary = cc.accepted(tr, r.AccessToken, req)
	default:
		r.Verdict, r.Summary = VerdictVulnerable, "accepted: vulnerable — the IdP issued a token for it"
	}
}

// baselineSecond sends the valid token exchange a second time and keeps
// both answers: the answer cases compare them (sub stable, jti unique).
func (c *IdPRunner) baselineSecond(ctx context.Context, s *wire.Client, in *idpInput, req idpRequest, first *wire.TokenResponse, r *CaseResult) {
	b := &idpBaseline{responses: [2]*wire.TokenResponse{first}, idjags: [2]*inspect.Analysis{r.AccessToken}}
	if req.form.Get("subject_token_type") == inspect.TokenTypeIDToken {
		if t, err := inspect.Decode(req.form.Get("subject_token")); err == nil {
			b.subjectSub, _ = t.Claims.String("sub")
		}
	}
	s.CloseIdleConnections()
	second, err := s.PostToken(ctx, wire.PartyIdP, "token exchange (baseline, again)", in.tokenEndpoint, req.form, req.auth)
	if err == nil && second.Str("access_token") != "" {
		b.responses[1], b.idjags[1] = second, in.analyze(second, req.form, c.Env)
	} else {
		r.Notes = append(r.Notes, "the second, identical token exchange was not accepted ("+answerText(second, err)+"): sub and jti cannot be compared across two")
	}
	in.st.baseline = b
}

// judgeAnswer judges one answer check on the baseline's good answer.
func (c *IdPRunner) judgeAnswer(r *CaseResult, cc idpCase, in *idpInput) {
	b := in.st.baseline
	if b == nil || b.idjags[0] == nil {
		r.inconclusive("not judged: the baseline token exchange issued no ID-JAG")
		return
	}
	r.AccessToken, r.GrantedScope = b.idjags[0], b.responses[0].Str("scope")
	v := cc.answer(in, b)
	switch {
	case v.skip != "":
		r.Verdict, r.Summary = VerdictSkipped, "not judged: "+v.skip
	case v.ok:
		r.Verdict, r.Summary = VerdictAccepted, "as required: "+v.got
	default:
		r.Verdict, r.Summary = VerdictWrong, "wrong: "+v.got
	}
}

// analyze decodes the ID-JAG of a token exchange answer and checks it with
// inspect's ID-JAG rules: the IdP's issuer and keys, the audience and
// resources requested, the client at the resource AS.
func (in *idpInput) analyze(tr *wire.TokenResponse, form url.Values, env flow.Env) *inspect.Analysis {
	var t *inspect.Token
	if toks, err := inspect.DecodeAll(string(tr.Body)); err == nil {
		for _, x := range toks {
			if x.Name == "access_token" {
				t = x
			}
		}
	}
	if t == nil {
		var err error
		if t, err = inspect.Decode(tr.Str("access_token")); err != nil {
			return nil
		}
		t.Name = "access_token"
	}
	o := inspect.Options{Want: inspect.KindIDJAG, Expect: inspect.Expect{Now: env.Time(), Issuer: in.cfg.IdP.Issuer,
		Audience: form.Get("audience"), ClientID: in.cfg.ResourceAS.ClientID, Resources: form["resource"],
		Okta: in.cfg.ResourceAS.IsOkta()}}
	if keys := in.st.in.IdPKeys; keys != nil {
		o.Keys, o.KeySource = keys.KeySet(), keys.Source()
	} else {
		o.KeyProblem = "the IdP's JWKS could not be fetched"
	}
	a := inspect.Analyze(t, o)
	return &a
}

// LoginExpired says whether the ID token the IdP scorecard logged in for
// has expired by now, so that another run must log in again first; false
// for a scorecard with no login (the resource AS's) or no ID token to judge.
func (s *Scorecard) LoginExpired(now time.Time) bool {
	if s == nil || s.idp == nil || s.idp.idToken == "" {
		return false
	}
	t, err := inspect.Decode(s.idp.idToken)
	if err != nil {
		return false
	}
	exp, ok := t.Claims.Time("exp")
	return ok && !now.Before(exp)
}
