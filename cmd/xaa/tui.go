package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	goio "io"
	"os"

	"github.com/xaatools/xaa/flow/config"
	"github.com/xaatools/xaa/flow/tokenstore"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"

	"github.com/xaatools/xaa/flow"
	"github.com/xaatools/xaa/flow/playground"
	"github.com/xaatools/xaa/tui"
	"github.com/xaatools/xaa/tui/noquery"
	"github.com/xaatools/xaa/tui/report"
)

// init runs after every imported package's init, Bubble Tea's included:
// the terminal was hidden from its background query (see tui/noquery), and
// main gets the real standard output back.
func init() { noquery.Restore() }

// runTUI is `xaa` with no subcommand: the terminal UI on the config found
// (--config, XAA_CONFIG, ./xaa.yaml, $XDG_CONFIG_HOME/xaa/config.yaml), or,
// when there is none, on the setup screen, which starts the built-in
// playground. Exit status 0 on quit, 130 when interrupted.
// tuiFlags are the flags of the terminal UI.
type tuiFlags struct {
	config, user, profile, theme string
	noBrowser                    bool
	faults                       stringList
}

// newTUIFlagSet is the terminal UI's flag set; usage lists its flags too.
func newTUIFlagSet(w goio.Writer) (*flag.FlagSet, *tuiFlags) {
	var f tuiFlags
	fs := newFlagSet("xaa", "xaa [--config FILE] [--no-browser] [--user NAME] [--fault NAME]... [--profile okta]", w)
	fs.StringVar(&f.config, "config", "", "config file (default: $XAA_CONFIG, ./xaa.yaml, $XDG_CONFIG_HOME/xaa/config.yaml)")
	fs.BoolVar(&f.noBrowser, "no-browser", false, "do not open a browser for the login: the login view shows the URL to open anywhere (y copies it)")
	fs.StringVar(&f.user, "user", "alice", "the built-in playground's demo user to log in as: alice, bob, carol or dave")
	fs.Var(&f.faults, "fault", "switch on a fault of the built-in playground (repeatable; xaa playground --list-faults)")
	fs.StringVar(&f.profile, "profile", "", "\"okta\" makes the built-in playground's IdP behave like an Okta org")
	fs.StringVar(&f.theme, "theme", "auto", "colours for a \"light\" or \"dark\" background; auto reads $XAA_THEME, then $COLORFGBG")
	return fs, &f
}

func runTUI(ctx context.Context, args []string, io stdio) int {
	fs, f := newTUIFlagSet(io.err)
	if err := fs.Parse(args); err != nil {
		return usageError(io.err, err)
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(io.err, "xaa: unknown command %q\n\n", fs.Arg(0))
		usage(io.err)
		return exitUsage
	}
	if f.theme != "auto" && f.theme != "light" && f.theme != "dark" {
		return usageError(io.err, fmt.Errorf("--theme %q: use light, dark or auto", f.theme))
	}
	pg := playground.Options{KeyDir: playground.DefaultKeyDir(io.getenv), Faults: f.faults, Profile: f.profile}
	if err := pg.Check(f.user); err != nil {
		return usageError(io.err, err)
	}
	if !io.outIsTerminal || !io.inIsTerminal {
		fmt.Fprintln(io.err, "xaa: the terminal UI needs a terminal; for plain output use a command:")
		fmt.Fprintln(io.err)
		usage(io.err)
		return exitUsage
	}
	cfg, looked, savePath, err := tuiConfig(f.config, io)
	if err != nil {
		fmt.Fprintln(io.err, "xaa:", err)
		return exitUsage
	}

	// Never let a component ask the terminal for its background colour: the
	// answer can take seconds in tmux or over SSH. xaa's colours are ANSI.
	lipgloss.SetHasDarkBackground(true)
	r := lipgloss.NewRenderer(os.Stdout)
	r.SetHasDarkBackground(true)

	// The browser opener must not write to the terminal the TUI draws on;
	// the login screen shows the URL to open by hand.
	quiet := io
	quiet.err = goio.Discard

	err = tui.Run(tui.Options{
		Context:        ctx,
		Config:         cfg,
		ConfigLooked:   looked,
		SavePath:       savePath,
		Getenv:         io.getenv,
		Env:            flow.Env{OpenBrowser: browserOpener(quiet)},
		Now:            io.now(),
		Renderer:       r,
		Colour:         colourEnabled(io),
		Light:          report.LightBackground(f.theme, io.getenv),
		Clipboard:      tui.OSC52Clipboard(os.Stdout, io.getenv),
		Playground:     pg,
		NoBrowser:      f.noBrowser,
		PlaygroundUser: f.user,
		Kept:           tokenstore.New(io.getenv),
	})
	switch {
	case err == nil:
		return exitOK
	case errors.Is(err, tea.ErrInterrupted):
		return exitInterrupted
	}
	fmt.Fprintln(io.err, "xaa:", err)
	return exitFailed
}

// tuiConfig finds and reads the config as `xaa run` does (loadRunConfig),
// and validates it. When there is none it returns nil, the places it
// looked, and where the setup screen should save one.
func tuiConfig(flagPath string, io stdio) (*config.Config, []string, string, error) {
	var looked []string
	savePath, found := "", false
	for _, c := range config.Candidates(flagPath, io.getenv) {
		if c.Origin == "$XDG_CONFIG_HOME" || c.Origin == "~/.config" {
			savePath = c.Path
		}
		if _, err := os.Stat(c.Path); errors.Is(err, os.ErrNotExist) && !c.Required {
			looked = append(looked, c.Path)
			continue
		}
		found = true
	}
	if !found {
		return nil, looked, savePath, nil
	}
	cfg, err := loadRunConfig(flagPath, io)
	if err != nil {
		return nil, nil, "", err
	}
	if err := cfg.Validate(); err != nil {
		return nil, nil, "", err
	}
	return cfg, nil, savePath, nil
}
