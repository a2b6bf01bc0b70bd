package main

import (
	"bytes"
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
	var b bytes.Buffer
	if err := readBoundedTo(&b, r, limit, 0, what); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

// readBoundedString is readBounded for text kept as a string (a pasted
// token): read into the string's own buffer and not copied again, since a
// token may be a megabyte. size is the expected size, 0 when unknown.
func readBoundedString(r io.Reader, limit, size int64, what string) (string, error) {
	var b strings.Builder
	if err := readBoundedTo(&b, r, limit, size, what); err != nil {
		return "", err
	}
	return b.String(), nil
}

// readBoundedTo copies at most limit bytes of r to w, which it first grows
// to the expected size (plus the byte that tells a file over the limit),
// so that reading a file allocates its bytes once instead of doubling a
// buffer all the way up to them, and through a copy buffer no bigger than
// the file.
func readBoundedTo(w interface {
	io.Writer
	Grow(int)
	Len() int
}, r io.Reader, limit, size int64, what string) error {
	expect := min(max(size, 512), limit) + 1
	w.Grow(int(expect) + bytes.MinRead) // bytes.Buffer.ReadFrom wants MinRead free before it sees EOF
	var err error
	if rf, ok := w.(io.ReaderFrom); ok { // bytes.Buffer reads into itself
		_, err = rf.ReadFrom(io.LimitReader(r, limit+1))
	} else {
		_, err = io.CopyBuffer(w, io.LimitReader(r, limit+1), make([]byte, min(expect, 32<<10)))
	}
	if err != nil {
		return fmt.Errorf("reading %s: %w", what, err)
	}
	if int64(w.Len()) > limit {
		return fmt.Errorf("%s is larger than %d KiB; xaa reads at most that much", what, limit>>10)
	}
	return nil
}

// readFileBounded reads a file of at most limit bytes, with errors that
// name the file and the problem.
func readFileBounded(path string, limit int64) ([]byte, error) {
	f, size, err := openBounded(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var b bytes.Buffer
	if err := readBoundedTo(&b, f, limit, size, path); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

// readFileBoundedString is readFileBounded into a string (see
// readBoundedString).
func readFileBoundedString(path string, limit int64) (string, error) {
	f, size, err := openBounded(path)
	if err != nil {
		return "", err
	}
	defer f.Close()
	return readBoundedString(f, limit, size, path)
}

// openBounded opens a file to read and returns its size (0 when unknown).
func openBounded(path string) (*os.File, int64, error) {
	f, err := os.Open(path)
	if err != nil {
		if errors.Is(err, os.ErrNotExist) {
			return nil, 0, fmt.Errorf("%s: no such file", path)
		}
		return nil, 0, fmt.Errorf("%s: %w", path, errors.Unwrap(err))
	}
	var size int64
	if fi, err := f.Stat(); err == nil && fi.Mode().IsRegular() {
		size = fi.Size()
	}
	return f, size, nil
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
