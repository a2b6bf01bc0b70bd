package conform

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/url"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/xaatools/xaa/flow"
	"github.com/xaatools/xaa/flow/config"
	"github.com/xaatools/xaa/flow/explain"
	"github.com/xaatools/xaa/flow/wire"

	"github.com/xaatools/xaa/flow/playground"
	"github.com/xaatools/xaa/inspect"
)

// DefaultListen is where the trusted conformance IdP listens unless
// told: apart from `xaa playground`'s ports (9400–9402), so both can run.
const DefaultListen = "127.0.0.1:9410"

// DefaultKeyDir is where the trusted conformance IdP keeps its keys:
// $XDG_CONFIG_HOME/xaa/conform, else ~/.config/xaa/conform; "" (fresh keys
// every run) when neither is known.
func DefaultKeyDir(getenv func(string) string) string {
	if xdg := getenv("XDG_CONFIG_HOME"); xdg != "" {
		return filepath.Join(xdg, "xaa", "conform")
	}
	if home := getenv("HOME"); home != "" {
		return filepath.Join(home, ".config", "xaa", "conform")
	}
	return ""
}

// IdPs are the two IdPs a conformance run mints with, both embedded
// playgrounds: Trusted is the IdP the resource AS under test is configured
// to trust (a stable address and keys kept in a directory, so the owner
// configures it once); Untrusted is a second IdP, with its own issuer and
// keys, that the AS must refuse.
type IdPs struct {
	Trusted   *playground.Playground
	Untrusted *playground.Playground
	// borrowed is set when Trusted was running before: Close leaves it.
	borrowed bool
}

// StartIdPs starts the trusted IdP with o (its Listen and KeyDir
// make it stable across runs) and the untrusted one on free ports of the
// same host, with keys that live only as long as the run. Faults in o
// apply to the trusted playground only; they switch off rules of its own
// resource AS, which is how the scorecard tests itself.
func StartIdPs(ctx context.Context, o playground.Options) (*IdPs, error) {
	trusted, err := playground.Start(ctx, o)
	if err != nil {
		return nil, err
	}
	host := "127.0.0.1"
	if h, _, err := net.SplitHostPort(o.Listen); err == nil && h != "" {
		host = h
	}
	idps, err := startUntrusted(ctx, trusted, host, o.Now)
	if err != nil {
		trusted.Close()
		return nil, err
	}
	return idps, nil
}

// IdPsFor uses a playground that is already running as the trusted
// IdP — the terminal UI's built-in playground, whose own resource AS
// trusts it — and starts only the untrusted one; Close leaves the trusted
// playground running.
func IdPsFor(ctx context.Context, trusted *playground.Playground) (*IdPs, error) {
	idps, err := startUntrusted(ctx, trusted, "127.0.0.1", nil)
	if err != nil {
		return nil, err
	}
	idps.borrowed = true
	return idps, nil
}

// startUntrusted starts the untrusted IdP on free ports of host, with keys
// that live only as long as the run.
func startUntrusted(ctx context.Context, trusted *playground.Playground, host string, now func() time.Time) (*IdPs, error) {
	untrusted, err := playground.Start(ctx, playground.Options{Listen: net.JoinHostPort(host, "0"), Now: now})
	if err != nil {
		return nil, fmt.Errorf("starting the untrusted IdP: %w", err)
	}
	return &IdPs{Trusted: trusted, Untrusted: untrusted}, nil
}

// Close stops the IdPs this package started.
func (c *IdPs) Close() error {
	if c.borrowed {
		return c.Untrusted.Close()
	}
	return errors.Join(c.Trusted.Close(), c.Untrusted.Close())
}

// Setup is what the owner of the resource AS under test must
// configure before the scorecard means anything.
type Setup struct {
	// Issuer is the IdP issuer to trust, and JWKSURI where its keys are.
	Issuer  string `json:"issuer"`
	JWKSURI string `json:"jwks_uri"`
	// Algorithms are the algorithms the IdP signs with: the AS's allow-list.
	Algorithms []string `json:"algorithms"`
	// ClientID is the client_id the ID-JAGs carry: the client that
	// authenticates at the AS (resource_as.client_id).
	ClientID string `json:"client_id"`
	// Audience is the aud the ID-JAGs carry: the AS's own issuer.
	Audience string `json:"audience"`
	// Subject and Email name the user to provision at the resource app;
	// UnknownSubject is a user to leave unprovisioned (a policy probe).
	Subject        string `json:"subject"`
	Email          string `json:"email"`
	UnknownSubject string `json:"unknown_subject"`
	// Resource and Scopes are what the valid ID-JAG grants.
	Resource string   `json:"resource,omitempty"`
	Scopes   []string `json:"scopes,omitempty"`
	// UntrustedIssuer is the second IdP, which the AS must not trust.
	UntrustedIssuer string `json:"untrusted_issuer"`
}

// Target is the resource AS under test, as discovery found it.
type Target struct {
	Issuer        string `json:"issuer"`
	TokenEndpoint string `json:"token_endpoint"`
	ClientID      string `json:"client_id"`
	AuthMethod    string `json:"auth_method"`
	// Metadata is the AS's metadata document; nil when discovery failed or
	// the token endpoint was given.
	Metadata *wire.Metadata `json:"-"`
	// Exchanges are the discovery requests.
	Exchanges []*wire.Exchange `json:"-"`
	// Err is why discovery failed; with no token endpoint no case can run.
	Err         error                `json:"-"`
	Explanation *explain.Explanation `json:"-"`
	// Notes are facts about the AS's metadata worth knowing.
	Notes []string `json:"notes,omitempty"`
}

// Runner runs the conformance cases against one resource AS: the
// resource_as section of Config (issuer, client and its authentication,
// scopes) and the resource id, with ID-JAGs minted by IdPs.
type Runner struct {
	Config *config.Config
	Env    flow.Env
	IdPs   *IdPs
	// TokenEndpoint, when set, is used instead of the one discovery finds
	// (for an AS that publishes no metadata).
	TokenEndpoint string
	// Progress, when set, receives each case's result as it comes.
	Progress func(*CaseResult)
}

// Scorecard is the record of one run: the setup it needs, the AS it
// talked to, and one result per case.
type Scorecard struct {
	// Party is who was tested: "" or PartyAS (the resource AS), PartyIdP.
	Party    string
	Setup    Setup
	Target   Target
	Results  []*CaseResult
	Started  time.Time
	Duration time.Duration
	// keys are the trusted IdP's keys, to analyse what was sent.
	keys *wire.JWKS
	// idp is the IdP scorecard's state (Party PartyIdP); nil otherwise.
	idp *idpState
}

// Prepare finds what the run needs before any case: the trusted IdP's
// issuer and JWKS (the setup to print) and the AS's token endpoint. A
// failure is recorded in the Scorecard (Target.Err, or a setup that
// lacks the JWKS) and every case then reports it.
func (c *Runner) Prepare(ctx context.Context) *Scorecard {
	conf := &Scorecard{Started: c.Env.Time()}
	as := c.Config.ResourceAS
	conf.Setup = Setup{
		Issuer: c.IdPs.Trusted.IdPURL(), Algorithms: slices.Clone(conformAlgorithms),
		ClientID: as.ClientID, Audience: as.Issuer,
		Resource: c.resource(ctx), Scopes: as.Scopes,
		UntrustedIssuer: c.IdPs.Untrusted.IdPURL(),
	}
	for _, u := range c.IdPs.Trusted.Users() {
		switch u.Username {
		case conformUser:
			conf.Setup.Subject, conf.Setup.Email = u.Subject, u.Email
		case conformUnknownUser:
			conf.Setup.UnknownSubject = u.Subject
		}
	}
	if jwks, err := wire.FindJWKS(ctx, c.Env.Options(nil), conf.Setup.Issuer); err == nil {
		conf.keys, conf.Setup.JWKSURI = jwks, jwks.URL
	}
	conf.Target = c.discoverTarget(ctx)
	return conf
}

// resource is the resource the minted ID-JAGs name: resource.id, else the
// API's (or the MCP server's) own, from its protected resource metadata.
func (c *Runner) resource(ctx context.Context) string {
	if id := c.Config.Resource.ID; id != "" {
		return id
	}
	s := c.Env.Client(nil)
	for _, u := range []struct {
		url string
		mcp bool
	}{{c.Config.Resource.APIURL, false}, {c.Config.Resource.MCPURL, true}} {
		if u.url == "" {
			continue
		}
		if md, err := s.DiscoverProtectedResource(ctx, u.url, u.mcp); err == nil && md.Resource != "" {
			return md.Resource
		}
	}
	return ""
}

// discoverTarget fetches the AS's metadata (RFC 8414, then OIDC) unless the
// token endpoint was given, and notes what the metadata says about the
// ID-JAG profile (draft §7.2).
func (c *Runner) discoverTarget(ctx context.Context) Target {
	as := c.Config.ResourceAS
	t := Target{Issuer: as.Issuer, ClientID: as.ClientID, AuthMethod: as.Method(), TokenEndpoint: c.TokenEndpoint}
	if t.TokenEndpoint != "" {
		t.Notes = append(t.Notes, "token endpoint given with --token-endpoint; the AS's metadata was not fetched")
		return t
	}
	client := c.Env.Client(nil)
	md, err := client.DiscoverAS(ctx, as.Issuer)
	t.Exchanges, t.Metadata = client.Exchanges(), md
	if err != nil && !errors.Is(err, wire.ErrMetadataIssuer) {
		t.Err, t.Explanation = err, explain.Error(flow.StepDiscovery, err)
		return t
	}
	if err != nil {
		t.Notes = append(t.Notes, err.Error()+" — the ID-JAGs still carry the configured issuer as aud")
	}
	t.TokenEndpoint = md.TokenEndpoint
	if t.TokenEndpoint == "" {
		t.Err = fmt.Errorf("the resource AS metadata at %s names no token_endpoint (RFC 8414 §2); give it with --token-endpoint", md.URL)
		return t
	}
	for _, c := range inspect.CheckASMetadata(&md.ServerMetadata, md.Format) {
		if c.Status != inspect.StatusPass {
			t.Notes = append(t.Notes, c.Title+": no — "+c.Actual+" ("+c.Spec+"); the cases run anyway")
		}
	}
	return t
}

// Run prepares, then runs the baseline and the cases named by ids (every
// case when ids is empty), in catalogue order. The error is for unknown
// case IDs only: whatever the AS does is in the Scorecard.
func (c *Runner) Run(ctx context.Context, ids []string) (*Scorecard, error) {
	if _, err := SelectCases(ids); err != nil {
		return nil, err
	}
	conf := c.Prepare(ctx)
	return conf, c.RunCases(ctx, conf, ids)
}

// RunCases runs the baseline and the cases named by ids (every case when
// ids is empty) on a prepared Scorecard, appending their results, and
// sets its duration; it stops when ctx ends (an interrupt). The error is
// for unknown case IDs only.
func (c *Runner) RunCases(ctx context.Context, conf *Scorecard, ids []string) error {
	cases, err := SelectCases(ids)
	if err != nil {
		return err
	}
	for _, cc := range cases {
		if ctx.Err() != nil {
			break
		}
		r := c.RunCase(ctx, conf, cc)
		conf.Results = append(conf.Results, r)
		if c.Progress != nil {
			c.Progress(r)
		}
	}
	conf.Duration = c.Env.Time().Sub(conf.Started)
	return nil
}

// SelectCases returns the baseline and the cases named by ids, in
// catalogue order; every case when ids is empty. An unknown ID is an error
// that lists the known ones.
func SelectCases(ids []string) ([]Case, error) {
	var out []Case
	for _, id := range ids {
		if !slices.ContainsFunc(conformCases, func(c Case) bool { return c.ID == id }) {
			names := make([]string, len(conformCases))
			for i, c := range conformCases {
				names[i] = c.ID
			}
			return nil, fmt.Errorf("unknown case %q; the cases are: %s", id, strings.Join(names, ", "))
		}
	}
	for _, c := range conformCases {
		if len(ids) == 0 || c.Kind == CaseBaseline || slices.Contains(ids, c.ID) {
			out = append(out, c)
		}
	}
	return out, nil
}

// RunCase mints the case's token fresh, sends it with the jwt-bearer grant
// (twice for a replay) authenticated as the configured client, and judges
// the answer. It always returns a result: a network failure, a timeout or a
// garbage answer make it inconclusive, never an error.
func (c *Runner) RunCase(ctx context.Context, conf *Scorecard, cc Case) *CaseResult {
	r := &CaseResult{Case: cc, Started: c.Env.Time()}
	defer func() { r.Duration = c.Env.Time().Sub(r.Started) }()
	if conf.Target.TokenEndpoint == "" {
		r.inconclusive("not sent: the resource AS's token endpoint is unknown — discovery failed (the resource AS's error above; --token-endpoint gives it)")
		return r
	}
	req, err := cc.build(&caseInput{idps: c.IdPs, cfg: c.Config, resource: conf.Setup.Resource, tokenEndpoint: conf.Target.TokenEndpoint})
	switch {
	case err != nil:
		r.inconclusive("not sent: minting the token failed: %v", err)
		return r
	case req.skip != "":
		r.Verdict, r.Summary = VerdictSkipped, "not run: "+req.skip
		return r
	}
	r.Scope, r.Withheld = req.scope, req.withheld
	r.Sent = c.analyzeSent(conf, req)

	s := c.Env.Client(c.Config.Secrets())
	defer func() { r.Exchanges = s.Exchanges() }()
	form := url.Values{"grant_type": {inspect.GrantTypeJWTBearer}, "assertion": append([]string{req.assertion}, req.extra...)}
	if n := len(form["assertion"]); n > 1 {
		r.Notes = append(r.Notes, fmt.Sprintf("%d assertion parameters in one request, each a valid ID-JAG with its own jti; the one shown is the first", n))
	}
	if req.scope != "" {
		form.Set("scope", req.scope)
	}
	auth := wire.ClientAuth{Client: c.Config.ResourceAS, TokenEndpoint: conf.Target.TokenEndpoint, Issuer: conf.Target.Issuer}
	label := "jwt-bearer grant (" + cc.ID + ")"
	if req.replay {
		first, err := s.PostToken(ctx, wire.PartyAS, "jwt-bearer grant ("+cc.ID+", first use)", conf.Target.TokenEndpoint, form, auth)
		if err != nil || first.Str("access_token") == "" {
			r.inconclusive("the first use of the valid ID-JAG was not accepted (%s), so a replay cannot be told apart", answerText(first, err))
			r.Err = err
			return r
		}
		r.Notes = append(r.Notes, "the first use was accepted; the verdict is on the second")
		label = "jwt-bearer grant (" + cc.ID + ", second use)"
	}
	tr, err := s.PostToken(ctx, wire.PartyAS, label, conf.Target.TokenEndpoint, form, auth)
	// The IdP is xaa's own, never an Okta org: no Okta console screen explains the AS's answer.
	r.judge(tr, err, c.Env.Time(), explain.Facts{IdPNotOkta: true, ASIssuer: conf.Target.Issuer, TokenEndpoint: conf.Target.TokenEndpoint})
	if b := conf.Result("baseline"); b != nil && b.Verdict == VerdictRefused && cc.Kind != CaseBaseline {
		r.afterRefusedBaseline(b)
	}
	if r.Verdict == VerdictRefused && servedByPlayground(s.Exchanges()) {
		r.Summary += fmt.Sprintf(" — this AS is xaa's playground: start it with --trust-issuer %s (xaa playground --trust-issuer %s, with the flags you use)", conf.Setup.Issuer, conf.Setup.Issuer)
	}
	return r
}

// servedByPlayground reports whether the answers came from xaa's playground.
func servedByPlayground(xs []*wire.Exchange) bool {
	for _, x := range xs {
		if x.Response != nil && x.Response.Header.Get("Server") == playground.ServerName {
			return true
		}
	}
	return false
}

// analyzeSent decodes the token sent and checks it the way the AS should:
// the trusted IdP's keys and issuer, the AS's issuer as audience, the
// configured client, resource and the scope requested.
func (c *Runner) analyzeSent(conf *Scorecard, req caseRequest) *inspect.Analysis {
	t, err := inspect.Decode(req.assertion)
	if err != nil {
		return nil
	}
	t.Name = "assertion"
	o := inspect.Options{Want: inspect.KindIDJAG, Expect: inspect.Expect{
		Now: c.Env.Time(), Issuer: conf.Setup.Issuer, Audience: c.Config.ResourceAS.Issuer,
		ClientID: c.Config.ResourceAS.ClientID, Resources: nonEmpty(conf.Setup.Resource), Scope: req.scope,
		TokenEndpoint: conf.Target.TokenEndpoint, Algorithms: conformAlgorithms,
	}}
	if conf.keys != nil {
		o.Keys, o.KeySource = conf.keys.KeySet(), conf.keys.Source()
	} else {
		o.KeyProblem = "the trusted IdP's JWKS could not be fetched"
	}
	a := inspect.Analyze(t, o)
	return &a
}

// answerText says in a few words what came back.
func answerText(tr *wire.TokenResponse, err error) string {
	var oe *wire.OAuthError
	switch {
	case errors.As(err, &oe):
		return fmt.Sprintf("%s, HTTP %d", oe.Code, oe.Status)
	case err != nil:
		return err.Error()
	case tr.Str("access_token") == "":
		return fmt.Sprintf("HTTP %d without an access_token", tr.Status)
	}
	return fmt.Sprintf("HTTP %d with an access token", tr.Status)
}
