package main

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"

	"github.com/charmbracelet/lipgloss"

	"github.com/xaatools/xaa/flow/config"
	"github.com/xaatools/xaa/inspect"
	"github.com/xaatools/xaa/tui/report"
)

// newFlagSet returns a flag set that reports errors instead of exiting, with
// a usage text written to w.
func newFlagSet(name, usage string, w io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(w)
	fs.Usage = func() {
		if collectFlags != nil {
			collectFlags(fs)
		}
		fmt.Fprintf(w, "Usage: %s\n\nFlags:\n", usage)
		fs.PrintDefaults()
	}
	return fs
}

// collectFlags, when set, receives each flag set as its -h is handled:
// shell completion reads the commands' own flags that way.
var collectFlags func(*flag.FlagSet)

// parseInterleaved parses flags that may come after positional arguments
// ("xaa decode TOKEN --jwks keys.json") and returns the positionals. It
// returns flag.ErrHelp for -h.
func parseInterleaved(fs *flag.FlagSet, args []string) ([]string, error) {
	var positional []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, err
		}
		rest := fs.Args()
		if len(rest) == 0 {
			return positional, nil
		}
		if len(args) > len(rest) && args[len(args)-len(rest)-1] == "--" {
			return append(positional, rest...), nil
		}
		positional = append(positional, rest[0])
		args = rest[1:]
	}
}

// usageError reports a flag or argument problem and returns exitUsage;
// -h returns exitOK.
func usageError(w io.Writer, err error) int {
	if errors.Is(err, flag.ErrHelp) {
		return exitOK
	}
	fmt.Fprintln(w, "xaa:", err)
	return exitUsage
}

// readValue reads a value given as VALUE, - (standard input) or @FILE,
// bounded to what a pasted token may be, into a string read once (a token
// may be a megabyte).
func readValue(arg string, io stdio) (string, error) {
	switch {
	case arg == "-":
		return config.ReadString(io.in, inspect.MaxInputBytes, 0, "standard input")
	case strings.HasPrefix(arg, "@"):
		return config.ReadFileString(arg[1:], inspect.MaxInputBytes)
	}
	return arg, nil
}

// colourEnabled says whether to colour output: a terminal, and no NO_COLOR
// (https://no-color.org) or TERM=dumb.
func colourEnabled(io stdio) bool {
	return io.outIsTerminal && io.getenv("NO_COLOR") == "" && !strings.EqualFold(io.getenv("TERM"), "dumb")
}

// newReportStyles returns the styles of a text report written to w, in
// colour or plain (see colourEnabled).
func newReportStyles(w io.Writer, colour bool, getenv func(string) string) report.Styles {
	return report.NewStyles(lipgloss.NewRenderer(w), colour, report.LightBackground("", getenv))
}

// printResult writes a command's result to standard output: indented JSON
// of the value v returns when asJSON, else the text report. It reports
// false when the JSON cannot be encoded.
func printResult(io stdio, asJSON bool, v func() any, text func() string) bool {
	if !asJSON {
		fmt.Fprint(io.out, text())
		return true
	}
	out, err := json.MarshalIndent(v(), "", "  ")
	if err != nil {
		fmt.Fprintln(io.err, "xaa: encoding JSON:", err)
		return false
	}
	fmt.Fprintf(io.out, "%s\n", out)
	return true
}

// stringList is a repeatable string flag.
type stringList []string

// String joins the values, for flag's usage text.
func (l *stringList) String() string { return strings.Join(*l, ", ") }

// Set adds one value.
func (l *stringList) Set(v string) error { *l = append(*l, v); return nil }
