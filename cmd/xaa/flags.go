package main

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/charmbracelet/lipgloss"

	"github.com/xaatools/xaa/tui/report"
)

// newFlagSet returns a flag set that reports errors instead of exiting, with
// a usage text written to w.
func newFlagSet(name, usage string, w io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(w)
	fs.Usage = func() {
		fmt.Fprintf(w, "Usage: %s\n\nFlags:\n", usage)
		fs.PrintDefaults()
	}
	return fs
}

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

// readBounded reads at most limit bytes, failing when there is more.
func readBounded(r io.Reader, limit int64, what string) ([]byte, error) {
	b, err := io.ReadAll(io.LimitReader(r, limit+1))
	if err != nil {
		return nil, fmt.Errorf("reading %s: %w", what, err)
	}
	if int64(len(b)) > limit {
		return nil, fmt.Errorf("%s is larger than %d KiB; xaa reads at most that much", what, limit>>10)
	}
	return b, nil
}

// readFileBounded reads a file of at most limit bytes, with errors that
// name the file and the problem.
func readFileBounded(path string, limit int64) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		if errors.Is(err, os.ErrNotExist) {
			return nil, fmt.Errorf("%s: no such file", path)
		}
		return nil, fmt.Errorf("%s: %w", path, errors.Unwrap(err))
	}
	defer f.Close()
	return readBounded(f, limit, path)
}

// colourEnabled says whether to colour output: a terminal, and no NO_COLOR
// (https://no-color.org) or TERM=dumb.
func colourEnabled(io stdio) bool {
	return io.outIsTerminal && io.getenv("NO_COLOR") == "" && !strings.EqualFold(io.getenv("TERM"), "dumb")
}

// newReportStyles returns the styles of a text report written to w, in
// colour or plain (see colourEnabled).
func newReportStyles(w io.Writer, colour bool) report.Styles {
	return report.NewStyles(lipgloss.NewRenderer(w), colour)
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
