package conform_test

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/xaatools/xaa/flow/conform"

	"github.com/xaatools/xaa/flow/flowtest"
	"github.com/xaatools/xaa/flow/wire"
	"github.com/xaatools/xaa/inspect"

	"github.com/xaatools/xaa/flow/config"

	"github.com/google/go-cmp/cmp"

	"github.com/xaatools/xaa/flow"
	"github.com/xaatools/xaa/flow/playground"
)

// conformEnv is a pair of conformance IdPs and a conformer pointed at the
// trusted playground's own resource AS, which trusts its embedded IdP.
type conformEnv struct {
	idps *conform.IdPs
	cfg  *config.Config
	c    *conform.Runner
}

// startConform starts the IdPs with the given faults on the trusted
// playground and a conformer for its resource AS. keyDir, when set, keeps
// the trusted keys across starts (so tests need not generate them again).
func startConform(t testing.TB, keyDir string, faults ...string) *conformEnv {
	t.Helper()
	idps, err := conform.StartIdPs(context.Background(), playground.Options{Listen: "127.0.0.1:0", KeyDir: keyDir, Faults: faults})
	if err != nil {
		t.Fatalf("StartConformIdPs: %v", err)
	}
	t.Cleanup(func() { idps.Close() })
	path := filepath.Join(t.TempDir(), "xaa.yaml")
	if err := idps.Trusted.WriteConfig(path); err != nil {
		t.Fatal(err)
	}
	cfg := flowtest.LoadConfig(t, path)
	return &conformEnv{idps: idps, cfg: cfg, c: &conform.Runner{Config: cfg, IdPs: idps}}
}

func (e *conformEnv) run(t testing.TB, ids ...string) *conform.Scorecard {
	t.Helper()
	conf, err := e.c.Run(context.Background(), ids)
	if err != nil {
		t.Fatalf("Run: %v", err)
	}
	return conf
}

// verdicts maps case IDs to verdicts.
func verdicts(conf *conform.Scorecard) map[string]string {
	out := map[string]string{}
	for _, r := range conf.Results {
		out[r.Case.ID] = r.Verdict.String()
	}
	return out
}

// describe lists every result, for failure messages.
func describe(conf *conform.Scorecard) string {
	var b strings.Builder
	for _, r := range conf.Results {
		b.WriteString("\n  " + r.Case.ID + ": " + r.Verdict.String() + " — " + r.Summary)
		if r.Err != nil {
			b.WriteString(" [" + r.Err.Error() + "]")
		}
	}
	return b.String()
}

// TestConformPlayground: the playground's own resource AS applies every
// rule, so it accepts the baseline, rejects every broken ID-JAG with
// invalid_grant, and refuses both policy probes; and each token sent
// really breaks the rule its case names.
func TestConformPlayground(t *testing.T) {
	e := startConform(t, "")
	conf := e.run(t)
	if len(conf.Results) != len(conform.Cases()) {
		t.Fatalf("got %d results, want one per case (%d)", len(conf.Results), len(conform.Cases()))
	}
	for _, r := range conf.Results {
		t.Run(r.Case.ID, func(t *testing.T) {
			want := conform.VerdictRejected
			if r.Case.Kind == conform.CaseBaseline {
				want = conform.VerdictAccepted
			}
			if r.Verdict != want || r.UnexpectedError {
				t.Fatalf("got %s (%s), want %s with an expected error", r.Verdict, r.Summary, want)
			}
			if r.Sent == nil {
				t.Fatal("no decoded token for what was sent")
			}
			switch r.Case.Kind {
			case conform.CaseBaseline:
				if failed, bad := r.Sent.Checks.FirstFailure(); bad {
					t.Errorf("the baseline fails %s (%s): it must be a valid ID-JAG", failed.ID, failed.Actual)
				}
				if r.AccessToken == nil || !strings.Contains(r.GrantedScope, "todos.read") {
					t.Errorf("got access token %v, granted %q; want a decoded access token granting todos.read", r.AccessToken != nil, r.GrantedScope)
				}
			case conform.CaseStrict, conform.CaseStrictness:
				if r.Case.ID == "replayed_jti" {
					break // a valid token, sent twice
				}
				if r.Case.ID == "repeated_assertion" {
					wantTwoValidAssertions(t, r)
					break
				}
				// Lifetime is a warning where Okta is not the judge (inspect).
				if c, ok := r.Sent.Checks.Find(r.Case.Rule); !ok || (c.Status.String() != "fail" && !(c.ID == "id_jag.lifetime" && c.Status.String() == "warn")) {
					t.Errorf("the token sent does not fail %s (got %+v): the case does not break its rule", r.Case.Rule, c)
				}
			}
			if len(r.Exchanges) == 0 || r.Exchanges[len(r.Exchanges)-1].Response == nil {
				t.Errorf("no recorded answer from the AS")
			}
		})
	}
	score := conf.Score()
	if !conf.OK() || score.Vulnerable != 0 || score.Passed != score.Strict || score.Baseline != conform.VerdictAccepted {
		t.Errorf("score %+v, OK %v; want a pass with every strict case handled", score, conf.OK())
	}
	if conf.Setup.JWKSURI == "" || conf.Setup.Subject != "usr_alice" || conf.Setup.UnknownSubject != "usr_dave" {
		t.Errorf("setup %+v lacks the JWKS URI or the users", conf.Setup)
	}
}

// faultOpens is, for each resource AS fault of the playground, the cases
// that must turn into "accepted: vulnerable" — and the policy probes that
// turn into "accepted", the strictness cases into "lenient" — when the
// fault switches its rule off.
var faultOpens = map[string]struct{ vulnerable, accepted, lenient []string }{
	playground.FaultASSkipTyp:             {vulnerable: []string{"wrong_typ", "missing_typ"}},
	playground.FaultASSkipAlg:             {vulnerable: []string{"alg_not_allowed"}},
	playground.FaultASSkipIss:             {vulnerable: []string{"iss_not_bound"}},
	playground.FaultASSkipSignature:       {vulnerable: []string{"bad_signature", "unknown_key_same_kid", "unknown_kid"}},
	playground.FaultASSkipAud:             {vulnerable: []string{"wrong_aud", "aud_token_endpoint", "aud_two_values"}, lenient: []string{"aud_trailing_slash"}},
	playground.FaultASSkipExp:             {vulnerable: []string{"expired"}},
	playground.FaultASSkipIat:             {vulnerable: []string{"iat_future"}},
	playground.FaultASSkipNbf:             {vulnerable: []string{"nbf_future"}},
	playground.FaultASSkipLifetime:        {vulnerable: []string{"lifetime_too_long"}},
	playground.FaultASSkipJTI:             {vulnerable: []string{"missing_jti", "replayed_jti"}},
	playground.FaultASSkipClientID:        {vulnerable: []string{"other_client"}},
	playground.FaultASSkipSub:             {vulnerable: []string{"missing_sub"}, accepted: []string{"unknown_user"}},
	playground.FaultASSkipScope:           {vulnerable: []string{"scope_not_granted", "trimmed_scopes"}},
	playground.FaultASSkipResource:        {vulnerable: []string{"resource_mismatch"}},
	playground.FaultASSkipSingleAssertion: {vulnerable: []string{"repeated_assertion"}},
}

// TestConformFaults: with each as-skip-* fault exactly the cases of the
// rule it switches off turn into "accepted: vulnerable" (and the policy
// probe of that rule into "accepted"); nothing else changes, and the
// vulnerable cases name the rule the fault names.
func TestConformFaults(t *testing.T) {
	keys := t.TempDir()
	strict := verdicts(startConform(t, keys).run(t))
	for _, f := range playground.Faults() {
		if f.Party != playground.PartyAS {
			continue
		}
		t.Run(f.Name, func(t *testing.T) {
			opens, ok := faultOpens[f.Name]
			if !ok {
				t.Fatalf("no expectation for AS fault %s", f.Name)
			}
			conf := startConform(t, keys, f.Name).run(t)
			want := maps(strict)
			for _, id := range opens.vulnerable {
				want[id] = "vulnerable"
			}
			for _, id := range opens.accepted {
				want[id] = "accepted"
			}
			for _, id := range opens.lenient {
				want[id] = "lenient"
			}
			if diff := cmp.Diff(verdicts(conf), want); diff != "" {
				t.Errorf("verdicts with %s (-got +want):\n%s%s", f.Name, diff, describe(conf))
			}
			for _, id := range opens.vulnerable {
				if r := conf.Result(id); r.Case.Rule != f.CheckID {
					t.Errorf("case %s names rule %s, the fault switches off %s", id, r.Case.Rule, f.CheckID)
				}
			}
			if conf.OK() || conf.Score().Verdict != "vulnerable" {
				t.Errorf("score %+v: want vulnerable", conf.Score())
			}
		})
	}
}

// wantTwoValidAssertions: the repeated_assertion case sent one request
// with two assertion parameters, two different ID-JAGs, the first valid.
func wantTwoValidAssertions(t *testing.T, r *conform.CaseResult) {
	t.Helper()
	if failed, bad := r.Sent.Checks.FirstFailure(); bad {
		t.Errorf("the first assertion fails %s (%s): both must be valid ID-JAGs", failed.ID, failed.Actual)
	}
	if len(r.Exchanges) != 1 {
		t.Fatalf("%d requests, want one with both assertions", len(r.Exchanges))
	}
	form, err := url.ParseQuery(string(r.Exchanges[0].Request.Body))
	if as := form["assertion"]; err != nil || len(as) != 2 || as[0] == as[1] {
		t.Errorf("sent %d assertion parameters (%v), want two different ones", len(as), err)
	}
}

func maps(m map[string]string) map[string]string {
	out := make(map[string]string, len(m))
	for k, v := range m {
		out[k] = v
	}
	return out
}

// fakeAS is a resource AS that publishes metadata and answers every token
// request with token.
func fakeAS(t *testing.T, token http.HandlerFunc) *httptest.Server {
	t.Helper()
	var srv *httptest.Server
	mux := http.NewServeMux()
	mux.HandleFunc("/.well-known/oauth-authorization-server", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		json.NewEncoder(w).Encode(map[string]any{"issuer": srv.URL, "token_endpoint": srv.URL + "/token"})
	})
	mux.HandleFunc("/token", token)
	srv = httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return srv
}

// pointAt points the conformer at another resource AS.
func (e *conformEnv) pointAt(issuer string) {
	cfg := *e.cfg
	cfg.ResourceAS.Issuer = issuer
	e.c.Config = &cfg
}

// TestConformBrokenAS: an AS that is down, slow or answers garbage is
// reported case by case — inconclusive, or a rejection without an error
// code — and never fails the run.
func TestConformBrokenAS(t *testing.T) {
	e := startConform(t, t.TempDir())
	ids := []string{"alg_none", "replayed_jti", "scope_not_granted"}
	answer := func(status int, contentType, body string) http.HandlerFunc {
		return func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", contentType)
			w.WriteHeader(status)
			w.Write([]byte(body))
		}
	}
	closed := func() string {
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		defer l.Close()
		return "http://" + l.Addr().String()
	}()
	cases := []struct {
		name string
		// issuer is the AS; token answers its token endpoint when issuer is "".
		issuer        string
		tokenEndpoint string
		token         http.HandlerFunc
		timeout       time.Duration
		maxBody       int64
		verdict       string
		summary       string
		// baseline is the baseline's verdict when it is not verdict.
		baseline string
	}{
		{name: "down", issuer: closed, verdict: "inconclusive", summary: "token endpoint is unknown"},
		{name: "token endpoint down", issuer: closed, tokenEndpoint: closed + "/token", verdict: "inconclusive", summary: "connection refused"},
		{name: "slow", token: func(w http.ResponseWriter, r *http.Request) {
			io.Copy(io.Discard, r.Body) // so the server notices the client hanging up
			select {
			case <-r.Context().Done():
			case <-time.After(10 * time.Second):
			}
		},
			timeout: 300 * time.Millisecond, verdict: "inconclusive", summary: "timeout"},
		{name: "HTML page", token: answer(200, "text/html", "<html><body>Sign in</body></html>"), verdict: "inconclusive", summary: "HTML page"},
		{name: "not JSON", token: answer(200, "application/json", "ok"), verdict: "inconclusive", summary: "not JSON"},
		{name: "JSON array", token: answer(200, "application/json", "[1,2]"), verdict: "inconclusive", summary: "not an object"},
		{name: "no access_token", token: answer(200, "application/json", `{"token_type":"Bearer"}`), verdict: "inconclusive", summary: "without an access_token"},
		{name: "server error", token: answer(500, "application/json", `{"error":"server_error"}`), verdict: "inconclusive", summary: "instead of judging"},
		{name: "bare 502", token: answer(502, "text/plain", "bad gateway"), verdict: "inconclusive", summary: "502"},
		{name: "too large", token: answer(200, "application/json", `{"access_token":"`+strings.Repeat("a", 4096)+`"}`), maxBody: 1024, verdict: "inconclusive", summary: "larger than"},
		{name: "connection cut", token: func(w http.ResponseWriter, r *http.Request) {
			conn, _, err := w.(http.Hijacker).Hijack()
			if err == nil {
				conn.Close()
			}
		}, verdict: "inconclusive", summary: "no usable answer"},
		// The valid ID-JAG refused too: the other rejections prove nothing.
		{name: "400 without error code", token: answer(400, "text/plain", "bad request"), baseline: "refused", verdict: "inconclusive", summary: "without an error code"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			issuer := c.issuer
			if issuer == "" {
				issuer = fakeAS(t, c.token).URL
			}
			e.pointAt(issuer)
			e.c.TokenEndpoint, e.c.Env = c.tokenEndpoint, flow.Env{RequestTimeout: c.timeout, MaxBodyBytes: c.maxBody}
			conf := e.run(t, ids...)
			if got := len(conf.Results); got != 1+len(ids) {
				t.Fatalf("got %d results, want %d", got, 1+len(ids))
			}
			for _, r := range conf.Results {
				want := c.verdict
				if r.Case.ID == "baseline" && c.baseline != "" {
					want = c.baseline
				}
				summary := c.summary
				if r.Case.ID == "replayed_jti" && c.issuer == "" {
					want, summary = "inconclusive", "the first use of the valid ID-JAG was not accepted"
				}
				if r.Verdict.String() != want || r.Summary == "" {
					t.Errorf("%s: got %s (%s), want %s", r.Case.ID, r.Verdict, r.Summary, want)
				}
				if r.Case.ID != "baseline" && !strings.Contains(r.Summary, summary) {
					t.Errorf("%s: summary %q does not say %q", r.Case.ID, r.Summary, summary)
				}
			}
			if conf.OK() || conf.Score().Verdict != "inconclusive" {
				t.Errorf("score %+v: want inconclusive", conf.Score())
			}
		})
	}
}

// TestConformCredulousAS: an AS that grants whatever it is asked is
// vulnerable on every strict case; a scope case that grants nothing
// withheld is not, and the policy probes are accepted.
func TestConformCredulousAS(t *testing.T) {
	e := startConform(t, t.TempDir())
	cases := []struct {
		name     string
		scope    string // the scope the AS grants; "" names none (= as requested)
		scopeIDs map[string]string
	}{
		{"grants as requested", "", map[string]string{"scope_not_granted": "vulnerable", "trimmed_scopes": "vulnerable"}},
		{"grants the ID-JAG's scope", "todos.read", map[string]string{"scope_not_granted": "accepted", "trimmed_scopes": "accepted"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			e.pointAt(fakeAS(t, func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Content-Type", "application/json")
				resp := map[string]any{"access_token": "opaque-token-value", "token_type": "Bearer"}
				if c.scope != "" {
					resp["scope"] = c.scope
				}
				json.NewEncoder(w).Encode(resp)
			}).URL)
			e.c.Env, e.c.TokenEndpoint = flow.Env{}, ""
			conf := e.run(t)
			for _, r := range conf.Results {
				want := "vulnerable"
				switch {
				case c.scopeIDs[r.Case.ID] != "":
					want = c.scopeIDs[r.Case.ID]
				case r.Case.Kind == conform.CaseStrictness:
					want = "lenient"
				case r.Case.Kind != conform.CaseStrict:
					want = "accepted"
				}
				if r.Verdict.String() != want {
					t.Errorf("%s: got %s (%s), want %s", r.Case.ID, r.Verdict, r.Summary, want)
				}
			}
			if s := conf.Score(); s.Verdict != "vulnerable" || s.Vulnerable == 0 {
				t.Errorf("score %+v: want vulnerable", s)
			}
		})
	}
}

// TestConformStrictness: an AS that accepts an aud off by a trailing slash (as
// the MCP conformance suite and Go SDK do) is lenient on aud_trailing_slash
// — a finding in its own tally, kind and verdict — and still passes; one
// that compares exactly rejects it.
func TestConformStrictness(t *testing.T) {
	keys := t.TempDir()
	exact := startConform(t, keys).run(t, "aud_trailing_slash")
	if r := exact.Result("aud_trailing_slash"); r.Verdict != conform.VerdictRejected || r.Status().String() != "pass" || !strings.Contains(r.Summary, "exact comparison") {
		t.Errorf("exact AS: %s (%s), status %s; want rejected, pass", r.Verdict, r.Summary, r.Status())
	}
	if s := exact.Score(); s.Strictness != 1 || s.Lenient != 0 || s.Strict != 0 || !exact.OK() {
		t.Errorf("exact AS: score %+v, OK %v", s, exact.OK())
	}

	conf := startConform(t, keys, playground.FaultASSkipAud).run(t, "aud_trailing_slash")
	r := conf.Result("aud_trailing_slash")
	if r.Verdict != conform.VerdictLenient || r.Status().String() != "warn" || !strings.Contains(r.Summary, "accepted: lenient") || !strings.Contains(r.Case.Title, "strict, RFC 7523 §3") {
		t.Errorf("lenient AS: %s (%s), status %s, title %q", r.Verdict, r.Summary, r.Status(), r.Case.Title)
	}
	s := conf.Score()
	if s.Verdict != "pass" || !conf.OK() || s.Vulnerable != 0 || s.Lenient != 1 || s.Strictness != 1 {
		t.Errorf("lenient AS: score %+v, OK %v; want a pass with one lenient strictness case", s, conf.OK())
	}
	b, err := json.Marshal(conf.JSON(false))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{`"strictness":1`, `"lenient":1`, `"kind":"strictness"`, `"verdict":"lenient"`, `"status":"warn"`} {
		if !strings.Contains(string(b), want) {
			t.Errorf("JSON lacks %s: %s", want, b)
		}
	}
}

// TestConformJSONRedacted: the JSON of a run never holds the client
// secret, and tokens are shortened unless revealed.
func TestConformJSONRedacted(t *testing.T) {
	e := startConform(t, t.TempDir())
	conf := e.run(t, "alg_none")
	secret := e.cfg.ResourceAS.ClientSecret.Reveal()
	for _, reveal := range []bool{false, true} {
		b, err := json.Marshal(conf.JSON(reveal))
		if err != nil {
			t.Fatal(err)
		}
		out := string(b)
		if strings.Contains(out, secret) {
			t.Errorf("reveal=%v: the client secret is in the JSON", reveal)
		}
		baseline := conf.Result("baseline").Sent.Token.Raw
		if got := strings.Contains(out, baseline); got != reveal {
			t.Errorf("reveal=%v: the full assertion is in the JSON: %v", reveal, got)
		}
		var generic struct {
			OK    bool `json:"ok"`
			Cases []struct {
				ID, Verdict, Status string
				Sent                struct{ Kind string }
			}
		}
		if err := json.Unmarshal(b, &generic); err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, c := range generic.Cases {
			got = append(got, c.ID+" "+c.Verdict+" "+c.Status+" "+c.Sent.Kind)
		}
		want := []string{"baseline accepted pass id_jag", "alg_none rejected pass id_jag"}
		if diff := cmp.Diff(got, want); diff != "" || !generic.OK {
			t.Errorf("cases (-got +want):\n%s ok=%v", diff, generic.OK)
		}
	}
}

// TestSelectConformCases: the baseline always runs first; an unknown case
// is refused with the list of cases.
func TestSelectConformCases(t *testing.T) {
	got, err := conform.SelectCases([]string{"expired", "alg_none"})
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, c := range got {
		ids = append(ids, c.ID)
	}
	if diff := cmp.Diff(ids, []string{"baseline", "alg_none", "expired"}); diff != "" {
		t.Errorf("selected (-got +want):\n%s", diff)
	}
	if _, err := conform.SelectCases([]string{"alg-none"}); err == nil || !strings.Contains(err.Error(), "alg_none") {
		t.Errorf("got %v, want an error listing alg_none", err)
	}
	all, _ := conform.SelectCases(nil)
	if len(all) != len(conform.Cases()) {
		t.Errorf("no IDs selected %d cases, want all %d", len(all), len(conform.Cases()))
	}
	seen := map[string]bool{}
	for _, c := range all {
		if seen[c.ID] || c.Title == "" || c.Risk == "" || (c.Kind != conform.CaseBaseline && (c.Rule == "" || c.Spec == "" || len(c.ExpectedErrors) == 0)) {
			t.Errorf("case %+v: duplicate, or lacks a title, risk, rule, spec or expected error", c)
		}
		seen[c.ID] = true
	}
}

// TestConformScopeCasesNeedTwoScopes: with one configured scope the scope
// cases cannot withhold one; they are skipped, and the run still passes.
func TestConformScopeCasesNeedTwoScopes(t *testing.T) {
	e := startConform(t, t.TempDir())
	cfg := *e.cfg
	cfg.ResourceAS.Scopes = config.Scopes{"todos.read"}
	e.c.Config = &cfg
	conf := e.run(t, "scope_not_granted", "trimmed_scopes", "expired")
	want := map[string]string{"baseline": "accepted", "scope_not_granted": "skipped", "trimmed_scopes": "skipped", "expired": "rejected"}
	if diff := cmp.Diff(verdicts(conf), want); diff != "" {
		t.Errorf("verdicts (-got +want):\n%s%s", diff, describe(conf))
	}
	if !strings.Contains(conf.Result("trimmed_scopes").Summary, "two scopes") || !conf.OK() {
		t.Errorf("skip reason %q, OK %v", conf.Result("trimmed_scopes").Summary, conf.OK())
	}
}

// TestValidateConform: the idp section is not needed; resource_as is.
func TestValidateConform(t *testing.T) {
	cases := []struct {
		name, yaml string
		want       []string
	}{
		{"resource_as only", "resource_as:\n  issuer: https://as.example\n  client_id: c\n  client_secret: s\n", nil},
		{"no resource_as", "idp:\n  issuer: https://idp.example\n", []string{"resource_as.client_id", "resource_as.client_secret", "resource_as.issuer"}},
		{"bad resource", "resource_as:\n  issuer: https://as.example\n  client_id: c\n  auth_method: none\nresource:\n  id: api\n", []string{"resource.id"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			cfg, err := config.Parse([]byte(c.yaml), "x.yaml")
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			if ce, ok := cfg.ValidateWithout("idp").(*config.Error); ok {
				for _, p := range ce.Problems {
					got = append(got, p.Key)
				}
			}
			slices.Sort(got)
			if diff := cmp.Diff(got, c.want); diff != "" {
				t.Errorf("problems (-got +want):\n%s", diff)
			}
		})
	}
}

// TestConformIdPsFor: a running playground serves as the trusted IdP (its
// own AS trusts it, so the run passes); Close stops only the untrusted IdP.
func TestConformIdPsFor(t *testing.T) {
	ctx := context.Background()
	p, err := playground.Start(ctx, playground.Options{Listen: "127.0.0.1:0"})
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	idps, err := conform.IdPsFor(ctx, p)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "xaa.yaml")
	if err := p.WriteConfig(path); err != nil {
		t.Fatal(err)
	}
	conf, err := (&conform.Runner{Config: flowtest.LoadConfig(t, path), IdPs: idps}).Run(ctx, []string{"untrusted_issuer"})
	if err != nil || !conf.OK() {
		t.Fatalf("run on a borrowed playground: %v %+v%s", err, conf.Score(), describe(conf))
	}
	untrusted := idps.Untrusted.IdPURL()
	if err := idps.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := wire.FindJWKS(ctx, wire.Options{}, p.IdPURL()); err != nil {
		t.Errorf("the borrowed playground stopped answering after Close: %v", err)
	}
	if _, err := wire.FindJWKS(ctx, wire.Options{}, untrusted); err == nil {
		t.Errorf("the untrusted IdP still answers after Close")
	}
}

// TestConformInterrupted: once the context ends (an interrupt), no further
// case runs.
func TestConformInterrupted(t *testing.T) {
	e := startConform(t, t.TempDir())
	ctx, cancel := context.WithCancel(context.Background())
	e.c.Progress = func(r *conform.CaseResult) {
		if r.Case.ID == "alg_none" {
			cancel()
		}
	}
	defer func() { e.c.Progress = nil }()
	conf, err := e.c.Run(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	last := conf.Results[len(conf.Results)-1]
	if last.Case.ID != "alg_none" || len(conf.Results) == len(conform.Cases()) {
		t.Errorf("the run went on after the interrupt: %d results, the last %s", len(conf.Results), last.Case.ID)
	}
}

// hydraAS answers as Ory Hydra v2.3.0 did (.ci/peers/hydra-conform.sh):
// OIDC discovery only (RFC 8414's document is a 404), and fosite's RFC 7523
// aud rule — an assertion whose aud holds its token endpoint URL gets an
// opaque access token; any other aud, the ID-JAG's issuer included, gets
// hydra's invalid_grant, verbatim but for the URL.
func hydraAS(t *testing.T) *httptest.Server {
	t.Helper()
	var srv *httptest.Server
	mux := http.NewServeMux()
	mux.HandleFunc("/.well-known/openid-configuration", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		json.NewEncoder(w).Encode(map[string]any{"issuer": srv.URL, "token_endpoint": srv.URL + "/oauth2/token",
			"grant_types_supported":                 []string{"authorization_code", "implicit", "client_credentials", "refresh_token"},
			"token_endpoint_auth_methods_supported": []string{"client_secret_post", "client_secret_basic", "private_key_jwt", "none"}})
	})
	mux.HandleFunc("/oauth2/token", func(w http.ResponseWriter, r *http.Request) {
		tokenURL := srv.URL + "/oauth2/token"
		r.ParseForm()
		var claims struct {
			Aud any `json:"aud"`
		}
		if parts := strings.Split(r.PostForm.Get("assertion"), "."); len(parts) == 3 {
			if payload, err := base64.RawURLEncoding.DecodeString(parts[1]); err == nil {
				json.Unmarshal(payload, &claims)
			}
		}
		w.Header().Set("Content-Type", "application/json;charset=UTF-8")
		if claims.Aud == tokenURL || slices.Contains(anyStrings(claims.Aud), tokenURL) {
			w.Write([]byte(`{"access_token":"ory_at_77J_ILlF5OLy3mQKbbLMQU9em9o8bVqPRHC8RYWcGWk.SrIi0pYlMv7jnA9IdqWXcGn3RTtuDkCTM_RQtW4Xh4A","expires_in":3599,"scope":"todos.read todos.write","token_type":"bearer"}`))
			return
		}
		w.WriteHeader(http.StatusBadRequest)
		json.NewEncoder(w).Encode(map[string]string{"error": "invalid_grant", "error_description": "The provided authorization grant (e.g., authorization code, resource owner credentials) or refresh token is invalid, expired, revoked, does not match the redirection URI used in the authorization request, or was issued to another client. The JWT in 'assertion' request parameter MUST contain an 'aud' (audience) claim containing a value '" + tokenURL + "' that identifies the authorization server as an intended audience."})
	})
	srv = httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return srv
}

func anyStrings(v any) []string {
	var out []string
	if vs, ok := v.([]any); ok {
		for _, s := range vs {
			if s, ok := s.(string); ok {
				out = append(out, s)
			}
		}
	}
	return out
}

// TestConformASWantsTokenEndpointAud: against an AS that takes only its
// token endpoint as aud (Ory Hydra), the valid ID-JAG is refused and the
// scorecard says why — the explanation names the aud rule, with no Okta
// screen (the IdP is xaa's) — and judges nothing else: no rejection passes,
// and the token endpoint aud accepted is not scored as a vulnerability.
func TestConformASWantsTokenEndpointAud(t *testing.T) {
	e := startConform(t, t.TempDir())
	e.pointAt(hydraAS(t).URL)
	conf := e.run(t)
	b := conf.Result("baseline")
	if b.Verdict != conform.VerdictRefused || b.Explanation == nil || b.Explanation.ID != "jwt_bearer.aud_token_endpoint" {
		t.Fatalf("baseline: %s (%s), explanation %+v; want refused, explained as jwt_bearer.aud_token_endpoint", b.Verdict, b.Summary, b.Explanation)
	}
	if !strings.Contains(b.Summary, "token endpoint URL as aud") {
		t.Errorf("baseline summary %q does not name the aud rule", b.Summary)
	}
	if strings.Contains(b.Explanation.Fix, "Okta") {
		t.Errorf("the fix names Okta, but the IdP is xaa's: %s", b.Explanation.Fix)
	}
	if !slices.ContainsFunc(b.Notes, func(n string) bool { return strings.Contains(n, "aud_token_endpoint") }) {
		t.Errorf("the baseline's notes do not say that the token endpoint aud was accepted: %q", b.Notes)
	}
	for _, r := range conf.Results[1:] {
		if r.Verdict == conform.VerdictRejected || r.Verdict == conform.VerdictVulnerable || r.Status() == inspect.StatusPass {
			t.Errorf("%s: %s (%s), but nothing can be judged once the valid ID-JAG is refused", r.Case.ID, r.Verdict, r.Summary)
		}
	}
	if r := conf.Result("aud_token_endpoint"); r.Verdict != conform.VerdictInconclusive || !strings.Contains(r.Summary, "RFC 7523 §3") {
		t.Errorf("aud_token_endpoint: %s (%s); want inconclusive, naming RFC 7523's token endpoint aud", r.Verdict, r.Summary)
	}
	if s := conf.Score(); s.Verdict != "inconclusive" || s.Passed != 0 || s.Vulnerable != 0 {
		t.Errorf("score %+v: want inconclusive, nothing passed, nothing vulnerable", s)
	}
}

// TestConformTokenEndpointIsIssuer: when resource_as.issuer is the token
// endpoint URL (an AS configured to take that aud), the token endpoint aud
// is the baseline's, so that case is skipped rather than scored.
func TestConformTokenEndpointIsIssuer(t *testing.T) {
	e := startConform(t, t.TempDir())
	srv := hydraAS(t)
	e.pointAt(srv.URL + "/oauth2/token")
	e.c.TokenEndpoint = srv.URL + "/oauth2/token"
	conf := e.run(t, "aud_token_endpoint")
	if got := verdicts(conf); got["baseline"] != "accepted" || got["aud_token_endpoint"] != "skipped" {
		t.Errorf("verdicts %v; want the baseline accepted and aud_token_endpoint skipped%s", got, describe(conf))
	}
}
