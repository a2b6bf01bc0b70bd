// Command xaa inspects and debugs Cross App Access (the Identity Assertion
// JWT Authorization Grant, "ID-JAG"): it decodes tokens, runs the four steps
// of the flow against real parties or its embedded playground, and explains
// what went wrong.
//
// main is the only place that reads flags, the environment and files, picks
// between the terminal UI and plain output, and calls os.Exit.
package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"github.com/charmbracelet/x/term"

	"github.com/xaatools/xaa/tui/report"
)

// Exit codes shared by every subcommand (see README.md).
const (
	exitOK          = 0
	exitFailed      = 1 // a check or a step failed
	exitUsage       = 2 // bad flags, bad config, or input that is not a token
	exitIncomplete  = 3 // no step failed, but one could not run for want of an input
	exitInterrupted = 130
)

// stdio bundles the streams a subcommand may use, so tests can run
// subcommands in-process.
type stdio struct {
	in       io.Reader
	out, err io.Writer
	// outIsTerminal says whether out is an interactive terminal (colour, TUI).
	outIsTerminal bool
	// inIsTerminal says whether in is an interactive terminal (no piped input).
	inIsTerminal bool
	// status is stderr when it is a terminal, unwrapped, for a status line
	// xaa rewrites in place (its own escape sequences); nil otherwise.
	status io.Writer
	getenv func(string) string
	// now is the clock; tests fix it so reports are reproducible.
	now func() time.Time
}

// terminalOrNil returns f when it is a terminal.
func terminalOrNil(f *os.File) io.Writer {
	if term.IsTerminal(f.Fd()) {
		return f
	}
	return nil
}

// safeStreams makes what a subcommand writes safe for a terminal: text
// from servers and pasted tokens reaches stderr and plain stdout only with
// its control characters made visible. Coloured stdout carries escape
// sequences of its own; the report renders outside text safely there.
func safeStreams(io stdio) stdio {
	io.err = report.SafeWriter(io.err)
	if !colourEnabled(io) {
		io.out = report.SafeWriter(io.out)
	}
	return io
}

// command is one subcommand: it parses its own flags and returns an exit code.
type command struct {
	name    string
	summary string
	run     func(ctx context.Context, args []string, io stdio) int
}

func commands() []command {
	return []command{
		{"conform", "test a resource AS with broken ID-JAGs and score what it wrongly accepts", runConform},
		{"decode", "decode, classify and verify a token (paste-a-token decoder)", runDecode},
		{"doctor", "check an Okta org's Cross App Access setup: what is wrong, the fix, the console screen", runDoctor},
		{"logout", "forget the IdP refresh token kept for the config's client (idp.subject refresh_token)", runLogout},
		{"playground", "run the embedded IdP, resource AS, todo API and MCP server", runPlayground},
		{"run", "run the four Cross App Access steps headless: recorded, checked, explained", runRun},
		{"completion", "print a shell completion script: bash, zsh or fish", runCompletion},
		{"version", "print xaa's version", runVersion},
	}
}

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], stdio{
		in:            os.Stdin,
		out:           os.Stdout,
		err:           os.Stderr,
		outIsTerminal: term.IsTerminal(os.Stdout.Fd()),
		inIsTerminal:  term.IsTerminal(os.Stdin.Fd()),
		status:        terminalOrNil(os.Stderr),
		getenv:        os.Getenv,
		now:           time.Now,
	})
	stop()
	os.Exit(code)
}

// run dispatches to a subcommand and returns the process exit code.
func run(ctx context.Context, args []string, io stdio) int {
	if len(args) > 0 {
		switch args[0] {
		case "-h", "-help", "--help", "help":
			usage(io.out)
			return exitOK
		case "-version", "--version":
			printVersion(io.out)
			return exitOK
		case "__complete": // the completion scripts' helper
			return runComplete(ctx, args[1:], io)
		}
		for _, c := range commands() {
			if c.name == args[0] {
				return c.run(ctx, args[1:], safeStreams(io))
			}
		}
		if strings.HasPrefix(args[0], "-") {
			return runTUI(ctx, args, io) // flags and no subcommand: xaa --config FILE
		}
		fmt.Fprintf(io.err, "xaa: unknown command %q\n\n", args[0])
		usage(io.err)
		return exitUsage
	}
	return runTUI(ctx, args, io)
}

func usage(w io.Writer) {
	fmt.Fprintln(w, "xaa: inspect and debug Cross App Access (ID-JAG) flows")
	fmt.Fprintln(w)
	fmt.Fprintln(w, "Usage:")
	fmt.Fprintln(w, "  xaa [flags]             the terminal UI: a config's flow, or the built-in playground when there is none")
	fmt.Fprintln(w, "  xaa <command> [flags]")
	fmt.Fprintln(w)
	fmt.Fprintln(w, "Commands:")
	for _, c := range commands() {
		fmt.Fprintf(w, "  %-11s %s\n", c.name, c.summary)
	}
	fmt.Fprintln(w)
	fmt.Fprintln(w, "Flags of the terminal UI:")
	fs, _ := newTUIFlagSet(w)
	fs.PrintDefaults()
	fmt.Fprintln(w)
	fmt.Fprintln(w, "Run 'xaa <command> -h' for the flags of a command; 'xaa --version' for the version.")
}
