package tui

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/xaatools/xaa/tui/report"

	"github.com/xaatools/xaa/flow/wire"

	"github.com/xaatools/xaa/flow/config"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/xaatools/xaa/flow"
	"github.com/xaatools/xaa/flow/playground"
	"github.com/xaatools/xaa/inspect"
)

// This file holds every tea.Cmd of the program: the only code that touches
// the network, files or the clock. Update calls these factories and gets the
// results back as messages.

// tick sends the time once a second.
func tick() tea.Cmd {
	return tea.Tick(time.Second, func(t time.Time) tea.Msg { return tickMsg(t) })
}

// loadKeys finds the keys to verify a token with. An empty spec discovers
// them from issuer (its metadata's jwks_uri); an http(s) URL is fetched as a
// JWKS; text starting with "{" or "-----BEGIN" is parsed as it is; anything
// else is read as a file (a JWKS, a JWK or PEM keys).
func loadKeys(ctx context.Context, env flow.Env, seq int, spec, issuer string) tea.Cmd {
	return func() tea.Msg {
		keys, source, err := keysFrom(ctx, env, strings.TrimSpace(spec), issuer)
		msg := keysLoadedMsg{seq: seq, keys: keys, source: source, err: err}
		if strings.TrimSpace(spec) == "" {
			msg.issuer = issuer
		}
		return msg
	}
}

func keysFrom(ctx context.Context, env flow.Env, spec, issuer string) (*inspect.KeySet, string, error) {
	var j *wire.JWKS
	var err error
	if spec == "" {
		if issuer == "" {
			return nil, "", errors.New("the token has no iss claim to discover keys from: type a JWKS URL or a key file")
		}
		j, err = wire.FindJWKS(ctx, env.Options(nil), issuer)
	} else {
		j, err = wire.LoadKeySet(ctx, env.Options(nil), spec)
	}
	if errors.Is(err, os.ErrNotExist) {
		err = fmt.Errorf("%w — type a JWKS URL (https://…), a key file, or leave it empty to discover keys from iss", err)
	}
	if err != nil {
		return nil, "", err
	}
	return j.KeySet(), j.Source(), nil
}

// copyText copies text to the clipboard of the terminal (OSC 52).
func copyText(clipboard func(string) error, what, text string) tea.Cmd {
	return func() tea.Msg {
		if clipboard == nil {
			return copiedMsg{what: what, err: errors.New("no clipboard: the terminal output is not a terminal")}
		}
		return copiedMsg{what: what, err: clipboard(text)}
	}
}

// runStep executes a step's plan with runner (the session's, with this
// run's environment) and brings its record back. Execute reads nothing of
// the session, so it runs here, off the event loop. The progress feed is
// closed when the step is done, which ends the waitProgress loop.
func runStep(ctx context.Context, runner *flow.Runner, plan flow.Plan, seq int, resend bool, progress *progressFeed) tea.Cmd {
	return func() tea.Msg {
		defer progress.close()
		return stepDoneMsg{seq: seq, step: runner.Execute(ctx, plan), resend: resend}
	}
}

// playgroundMsg brings the started playground, or why it did not start.
type playgroundMsg struct {
	pg  *playground.Playground
	err error
}

// startPlayground starts the built-in playground on loopback. Unless the
// options say otherwise it listens on free ports and registers a redirect
// URI on a free port, so several xaa can run side by side.
func startPlayground(ctx context.Context, o playground.Options) tea.Cmd {
	return func() tea.Msg {
		if len(o.RedirectURIs) == 0 {
			uri, err := playground.FreeRedirectURI()
			if err != nil {
				return playgroundMsg{err: fmt.Errorf("finding a free port for the login callback: %w", err)}
			}
			o.RedirectURIs = []string{uri}
		}
		pg, err := playground.Start(ctx, o)
		return playgroundMsg{pg: pg, err: err}
	}
}

// configSavedMsg reports the config the setup form saved.
type configSavedMsg struct {
	cfg  *config.Config
	path string
	err  error
}

// saveConfig writes cfg to path with mode 0600 (it holds client secrets),
// creating the directory, and refuses to overwrite an existing file.
func saveConfig(path string, cfg *config.Config) tea.Cmd {
	return func() tea.Msg {
		err := writeConfig(path, cfg)
		return configSavedMsg{cfg: cfg, path: path, err: err}
	}
}

func writeConfig(path string, cfg *config.Config) error {
	if path == "" {
		return errors.New("no place to save the config: set XDG_CONFIG_HOME or HOME, or pass --config FILE")
	}
	return config.Write(path, cfg, config.WriteOptions{NoClobber: true,
		Comment: []string{"xaa config (written by the setup screen). It holds client secrets: keep it private."}})
}

// curlFor returns the curl command that reproduces an exchange: secrets and
// (unless revealed) tokens as $ENV placeholders.
func curlFor(x *wire.Exchange, reveal bool) string { return x.Curl(reveal) }

// saveReport writes the redacted Markdown transcript of a run (the
// session's record so far) into the current directory, named by the time
// it was saved, mode 0600. Tokens are shortened even while the screen
// reveals them: a report is for pasting into tickets.
func saveReport(run *flow.Run) tea.Cmd {
	return func() tea.Msg {
		if len(run.Steps) == 0 {
			return savedMsg{what: "report", err: errors.New("no step has run yet: there is nothing to report")}
		}
		path := "xaa-report-" + time.Now().Format("20060102-150405") + ".md"
		f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
		if err != nil {
			return savedMsg{what: "report", err: err}
		}
		if _, err := f.Write(report.Markdown(run, false)); err != nil {
			f.Close()
			return savedMsg{what: "report", err: err}
		}
		return savedMsg{what: "redacted report", path: path, err: f.Close()}
	}
}

// saveEvidence writes the run's section of the evidence document in the
// working directory (report.Evidence), keeping a scorecard section that
// xaa conform --evidence put there.
func saveEvidence(run *flow.Run, now time.Time) tea.Cmd {
	return func() tea.Msg {
		if len(run.Steps) == 0 {
			return savedMsg{what: "evidence", err: errors.New("no step has run yet: there is no evidence")}
		}
		const path = "xaa-evidence.md"
		err := report.UpdateEvidenceFile(path, report.EvidenceRun, report.RunEvidence(run, flow.Version(), now))
		return savedMsg{what: "redacted evidence", path: path, err: err}
	}
}

func itoa(n int) string { return strconv.Itoa(n) }
