package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"runtime"
	"slices"
	"strings"

	"github.com/xaatools/xaa/flow"
	"github.com/xaatools/xaa/flow/conform"
	"github.com/xaatools/xaa/flow/playground"
)

const completionUsage = `xaa completion bash|zsh|fish

Prints a shell completion script for xaa: its commands, their flags, and
the values of --fault, --user, --profile, --from and --case.

  bash:  source <(xaa completion bash)          (or save it in ~/.local/share/bash-completion/completions/xaa)
  zsh:   xaa completion zsh > "${fpath[1]}/_xaa"
  fish:  xaa completion fish > ~/.config/fish/completions/xaa.fish`

// The scripts ask xaa itself (xaa __complete WORDS…) for the candidates, so
// they never go stale.
var completionScripts = map[string]string{
	"bash": `_xaa() {
  local IFS=$'\n'
  COMPREPLY=($(xaa __complete "${COMP_WORDS[@]:1:COMP_CWORD}" 2>/dev/null))
}
complete -o default -F _xaa xaa
`,
	"zsh": `#compdef xaa
_xaa() {
  local -a candidates
  candidates=("${(@f)$(xaa __complete "${(@)words[2,CURRENT]}" 2>/dev/null)}")
  compadd -a candidates
  _files
}
compdef _xaa xaa
`,
	"fish": `complete -c xaa -f -a '(xaa __complete (commandline -opc)[2..-1] (commandline -ct) 2>/dev/null)'
`,
}

func runCompletion(_ context.Context, args []string, io stdio) int {
	fs := newFlagSet("completion", completionUsage, io.err)
	positional, err := parseInterleaved(fs, args)
	if err != nil {
		return usageError(io.err, err)
	}
	if len(positional) != 1 || completionScripts[positional[0]] == "" {
		return usageError(io.err, fmt.Errorf("completion needs one shell: bash, zsh or fish"))
	}
	fmt.Fprint(io.out, completionScripts[positional[0]])
	return exitOK
}

// runComplete prints the candidates for the last of words (the word being
// typed), one per line.
func runComplete(ctx context.Context, words []string, io stdio) int {
	if len(words) == 0 {
		words = []string{""}
	}
	cur := words[len(words)-1]
	var candidates []string
	switch {
	case len(words) == 1 && !strings.HasPrefix(cur, "-"):
		for _, c := range commands() {
			candidates = append(candidates, c.name)
		}
	default:
		cmd := ""
		if !strings.HasPrefix(words[0], "-") {
			cmd = words[0]
		}
		prev := ""
		if len(words) > 1 {
			prev = words[len(words)-2]
		}
		if values := flagValues(strings.TrimLeft(prev, "-")); values != nil && strings.HasPrefix(prev, "-") {
			candidates = values
		} else if strings.HasPrefix(cur, "-") {
			candidates = flagNames(ctx, cmd)
		}
	}
	for _, c := range candidates {
		if strings.HasPrefix(c, cur) {
			fmt.Fprintln(io.out, c)
		}
	}
	return exitOK
}

// flagNames lists a command's flags ("" is the terminal UI) as --name, from
// the command's own flag set: -h parses it and stops before any work.
func flagNames(ctx context.Context, cmd string) []string {
	var names []string
	collectFlags = func(fs *flag.FlagSet) {
		fs.VisitAll(func(f *flag.Flag) { names = append(names, "--"+f.Name) })
	}
	defer func() { collectFlags = nil }()
	if cmd == "" {
		fs, _ := newTUIFlagSet(io.Discard)
		collectFlags(fs)
	} else {
		run(ctx, []string{cmd, "-h"}, stdio{in: strings.NewReader(""), out: io.Discard, err: io.Discard, getenv: func(string) string { return "" }})
	}
	slices.Sort(names)
	return slices.Compact(names)
}

// flagValues are the values a flag takes, where xaa knows them.
func flagValues(name string) []string {
	var out []string
	switch name {
	case "fault":
		for _, f := range playground.Faults() {
			out = append(out, f.Name)
		}
	case "user":
		for _, u := range playground.DemoUsernames() {
			out = append(out, u)
		}
	case "profile":
		out = []string{playground.ProfileOkta}
	case "from":
		for _, id := range flow.Steps() {
			out = append(out, id.String())
		}
	case "case":
		for _, c := range conform.Cases() {
			out = append(out, c.ID)
		}
	}
	return out
}

const versionUsage = `xaa version

Prints xaa's version (the module version it was installed at, or the
revision it was built from), and the Go toolchain and platform.`

func runVersion(_ context.Context, args []string, io stdio) int {
	fs := newFlagSet("version", versionUsage, io.err)
	if _, err := parseInterleaved(fs, args); err != nil {
		return usageError(io.err, err)
	}
	printVersion(io.out)
	return exitOK
}

func printVersion(w io.Writer) {
	fmt.Fprintf(w, "xaa %s (%s, %s/%s)\n", flow.Version(), runtime.Version(), runtime.GOOS, runtime.GOARCH)
}
