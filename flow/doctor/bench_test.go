package doctor_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/xaatools/xaa/flow/config"
	"github.com/xaatools/xaa/flow/doctor"
	"github.com/xaatools/xaa/inspect"

	"github.com/xaatools/xaa/flow/flowtest"

	"github.com/xaatools/xaa/flow/wire"

	"github.com/xaatools/xaa/flow"
	"github.com/xaatools/xaa/flow/playground"
)

// BenchmarkDoctor runs the doctor against a healthy in-process Okta-profile
// playground, without a user and with a signed-in user's ID token (the
// real token exchange and jwt-bearer grant on top), each from outside only
// and with the org's admin API read too (the playground's okta section:
// apps, connections, the custom authorization server, the AI agent and
// the MCP server), and reports the median wall time of a run and the
// requests it makes.
func BenchmarkDoctor(b *testing.B) {
	p, err := playground.Start(context.Background(), playground.Options{Profile: playground.ProfileOkta, RedirectURIs: []string{flowtest.FreeRedirectURI(b)}})
	if err != nil {
		b.Fatal(err)
	}
	defer p.Close()
	path := b.TempDir() + "/xaa.yaml"
	if err := p.WriteConfig(path); err != nil {
		b.Fatal(err)
	}
	cfg := flowtest.LoadConfig(b, path)
	runner := &flow.Runner{Config: cfg, Env: flow.Env{OpenBrowser: p.LoginBrowser("alice")}}
	d := runner.RunStep(context.Background(), flow.StepDiscovery, flow.State{}, nil)
	login := runner.RunStep(context.Background(), flow.StepLogin, d.Out, nil)
	if login.Out.IDToken == "" {
		b.Fatalf("login: %v", login.Err)
	}
	outside := *cfg
	outside.Okta = config.OktaConfig{}
	for _, c := range []struct {
		name, token string
		cfg         *config.Config
		unknown     int
	}{
		// The admin API adds one unknown: the MCP server's settings, a
		// checklist item (no API field shows them).
		{"not signed in/outside only", "", &outside, 10}, {"not signed in/with the org's admin API", "", cfg, 11},
		{"signed in/outside only", login.Out.IDToken, &outside, 0}, {"signed in/with the org's admin API", login.Out.IDToken, cfg, 1},
	} {
		b.Run(c.name, func(b *testing.B) {
			var walls []time.Duration
			requests := 0
			for b.Loop() {
				start := time.Now()
				diag := doctor.Run(context.Background(), doctor.Options{Config: c.cfg, IDToken: c.token})
				walls = append(walls, time.Since(start))
				if !diag.OK() || diag.Count(inspect.StatusWarn) > 0 || diag.Count(inspect.StatusUnknown) != c.unknown {
					b.Fatalf("the healthy playground did not pass: %+v", diag.Summary())
				}
				if _, read := diag.Find("org.admin_api"); read != (c.cfg == cfg) {
					b.Fatalf("org.admin_api read: %v", read)
				}
				seen := map[*wire.Exchange]bool{}
				for _, ch := range diag.Checks {
					for _, x := range ch.Evidence {
						seen[x] = true
					}
				}
				requests = len(seen)
			}
			slices.Sort(walls)
			b.ReportMetric(float64(walls[len(walls)/2].Microseconds())/1000, "median-ms/run")
			b.ReportMetric(float64(requests), "requests/run")
		})
	}
}
