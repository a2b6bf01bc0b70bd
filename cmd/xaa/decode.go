package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	goio "io"
	"strings"
	"time"

	"github.com/xaatools/xaa/inspect"
	"github.com/xaatools/xaa/tui/report"
)

const decodeUsage = `xaa decode [TOKEN | - | @FILE] [flags]

Decodes, classifies and verifies a token: a bare JWT, "Bearer …", a quoted
string, a JSON token response or a form body. With no key source it finds
the issuer's keys through discovery (unless --offline): from --issuer when
given, else from the token's own iss — which proves only that the token is
self-consistent, not that its issuer is one to trust. A claim is compared
only with a value you give (--issuer, --audience, --client-id, --nonce,
--resource, --scope); without one the check says "not compared".
--list-checks prints every rule xaa checks, with its source.

Exit codes: 0 no check failed and the signature is verified with keys you
pinned (--jwks, --issuer) or explicitly not checked (--offline); 1 a check
failed, or the signature verified only with keys the token's own iss names;
2 the input is not a token, or bad flags.

Examples:
  xaa decode eyJhbGciOi...
  pbpaste | xaa decode -
  xaa decode @token.txt --jwks keys.json --audience https://auth.example.com
  xaa decode @id-jag.txt --expect id_jag --audience https://auth.example.com --client-id agent-at-todo
  xaa decode --list-checks`

// decodeFlags are the flags of xaa decode.
type decodeFlags struct {
	jwks     string
	issuer   string
	audience string
	clientID string
	nonce    string
	resource []string
	scope    string
	okta     bool
	expect   string
	skew     time.Duration
	json     bool
	offline  bool
	reveal   bool
	// listChecks prints the rule book instead of decoding.
	listChecks bool
}

func runDecode(ctx context.Context, args []string, io stdio) int {
	var f decodeFlags
	fs := newFlagSet("decode", decodeUsage, io.err)
	fs.StringVar(&f.jwks, "jwks", "", "verify with this JWKS: a URL, or a file (JWKS, JWK or PEM)")
	fs.StringVar(&f.issuer, "issuer", "", "expected iss; also where to discover keys instead of the token's own iss")
	fs.StringVar(&f.audience, "audience", "", "expected aud: the resource AS issuer for an ID-JAG, the resource for an access token")
	fs.StringVar(&f.clientID, "client-id", "", "expected client: aud/azp of an ID token, client_id of an ID-JAG or access token")
	fs.StringVar(&f.nonce, "nonce", "", "expected nonce of an ID token")
	fs.Func("resource", "expected resource of an ID-JAG (repeat for each resource requested)", func(v string) error {
		f.resource = append(f.resource, v)
		return nil
	})
	fs.StringVar(&f.scope, "scope", "", "scopes the token must grant, space-separated")
	fs.BoolVar(&f.okta, "expect-okta", false, "judge as an Okta resource AS does: an ID-JAG living longer than 5 minutes fails (otherwise it warns)")
	fs.StringVar(&f.expect, "expect", "", "the kind the token must be: id_token, id_jag or access_token")
	fs.DurationVar(&f.skew, "skew", inspect.DefaultSkew, "clock skew allowed when comparing times")
	fs.BoolVar(&f.json, "json", false, "print JSON (one object per token) instead of a report")
	fs.BoolVar(&f.offline, "offline", false, "never use the network: no key discovery, no JWKS URL")
	fs.BoolVar(&f.reveal, "reveal", false, "print tokens in full instead of shortened")
	fs.BoolVar(&f.listChecks, "list-checks", false, "print every rule xaa checks — id, what it compares, source, worst verdict, the test that proves it — as Markdown, and exit")
	positional, err := parseInterleaved(fs, args)
	if err != nil {
		return usageError(io.err, err)
	}
	if f.listChecks {
		writeRules(io.out)
		return exitOK
	}
	if len(positional) > 1 {
		return usageError(io.err, fmt.Errorf("decode takes one token, got %d arguments (quote the token, or use @FILE)", len(positional)))
	}
	want, err := parseKind(f.expect)
	if err != nil {
		return usageError(io.err, err)
	}
	if f.offline && isURL(f.jwks) {
		return usageError(io.err, errors.New("--offline forbids fetching --jwks "+f.jwks+"; give a file instead"))
	}

	input, err := decodeInput(positional, io)
	if err != nil {
		return usageError(io.err, err)
	}
	toks, err := inspect.DecodeAll(input)
	if errors.Is(err, inspect.ErrKeySet) {
		err = fmt.Errorf("%w — pass it with --jwks FILE", err)
	}
	if err != nil {
		fmt.Fprintln(io.err, "xaa:", err)
		return exitUsage
	}

	keys := newKeyResolver(ctx, f)
	expect := inspect.Expect{
		Now: io.now(), Skew: f.skew, Issuer: f.issuer, Audience: f.audience, ClientID: f.clientID,
		Nonce: f.nonce, Resources: f.resource, Scope: f.scope, Okta: f.okta,
	}
	var analyses []inspect.Analysis
	failed := false
	for _, tok := range toks {
		ks, err := keys.forToken(tok)
		if err != nil {
			if errors.Is(err, errKeySource) {
				fmt.Fprintln(io.err, "xaa:", err)
				return exitUsage
			}
			fmt.Fprintln(io.err, "xaa: could not get keys:", err)
		}
		a := inspect.Analyze(tok, inspect.Options{Want: want, Keys: ks.set, KeySource: ks.source, KeyProblem: ks.why, KeysSelfAsserted: ks.selfAsserted, Expect: expect})
		a.Signature.Warnings = append(a.Signature.Warnings, ks.warnings...)
		a.Checks = nameFlags(a.Checks)
		a.Reveal = f.reveal
		// A signature verified only with keys the token itself points at
		// proves nothing about trust: not a pass for scripts either.
		failed = failed || a.Checks.Failed() || (a.Signature.Verified() && a.Signature.SelfAsserted)
		analyses = append(analyses, a)
	}

	if f.json {
		for _, a := range analyses {
			if err := writeIndentedJSON(io.out, a); err != nil {
				fmt.Fprintln(io.err, "xaa:", err)
				return exitFailed
			}
		}
	} else {
		styles := newReportStyles(io.out, colourEnabled(io), io.getenv)
		for i, a := range analyses {
			if i > 0 {
				fmt.Fprintln(io.out, styles.Faint.Render(strings.Repeat("─", 60)))
			}
			goio.WriteString(io.out, report.Token(styles, a, report.TokenOptions{Reveal: f.reveal}))
		}
	}
	if failed {
		return exitFailed
	}
	return exitOK
}

// expectFlags name the flag that gives each expectation a check can need.
var expectFlags = map[string]string{
	"issuer": "--issuer", "audience": "--audience", "client_id": "--client-id",
	"nonce": "--nonce", "resource": "--resource", "scope": "--scope",
}

// nameFlags points every check that was not compared at the flag that
// would make the comparison.
func nameFlags(r inspect.Report) inspect.Report {
	for i, c := range r {
		flag := expectFlags[c.Needs]
		switch {
		case flag == "":
		case c.Status == inspect.StatusSkip:
			r[i].Hint = "not compared: pass " + flag + " to compare"
		case c.Needs == "issuer":
			r[i].Hint += " — pass --issuer URL (or --jwks with its keys)"
		}
	}
	return r
}

// writeIndentedJSON writes a's JSON indented by two spaces and a newline,
// exactly as json.Encoder with SetIndent("", "  ") does, streaming: the
// encoder and json.Indent each build the whole indented text in a buffer
// twice the size of a megabyte of claims.
func writeIndentedJSON(w goio.Writer, a inspect.Analysis) error {
	compact, err := a.MarshalJSON()
	if err != nil {
		return err
	}
	bw := bufio.NewWriter(w)
	indentJSON(bw, compact, "  ")
	bw.WriteByte('\n')
	return bw.Flush()
}

// indentJSON writes valid JSON src to w as json.Indent(dst, src, "",
// indent) would: insignificant whitespace dropped, a newline and
// indentation after every opening bracket and comma, ": " between a name
// and its value, empty objects and arrays kept as {} and [].
func indentJSON(w *bufio.Writer, src []byte, indent string) {
	depth := 0
	newline := func() {
		w.WriteByte('\n')
		for range depth {
			w.WriteString(indent)
		}
	}
	// next returns the index of the next byte after i that is not
	// whitespace.
	next := func(i int) int {
		for i++; i < len(src); i++ {
			switch src[i] {
			case ' ', '\t', '\r', '\n':
			default:
				return i
			}
		}
		return i
	}
	for i := 0; i < len(src); i++ {
		switch c := src[i]; c {
		case ' ', '\t', '\r', '\n':
		case '"':
			start := i
			for i++; i < len(src) && src[i] != '"'; i++ {
				if src[i] == '\\' {
					i++
				}
			}
			w.Write(src[start : i+1])
		case '{', '[':
			w.WriteByte(c)
			if j := next(i); j < len(src) && (src[j] == '}' || src[j] == ']') {
				w.WriteByte(src[j])
				i = j
				continue
			}
			depth++
			newline()
		case '}', ']':
			depth--
			newline()
			w.WriteByte(c)
		case ',':
			w.WriteByte(',')
			newline()
		case ':':
			w.WriteString(": ")
		default:
			w.WriteByte(c)
		}
	}
}

// decodeInput returns the text to decode: the argument, a file (@FILE), or
// standard input ("-", or no argument).
func decodeInput(positional []string, io stdio) (string, error) {
	arg := "-"
	if len(positional) == 1 {
		arg = positional[0]
	}
	if arg == "-" && io.inIsTerminal {
		fmt.Fprintln(io.err, "Paste a token (or a token response), then press Ctrl-D:")
	}
	return readValue(arg, io)
}

// parseKind reads the --expect flag.
func parseKind(s string) (inspect.Kind, error) {
	switch s {
	case "":
		return inspect.KindUnknown, nil
	case "id_token", "id-token":
		return inspect.KindIDToken, nil
	case "id_jag", "id-jag":
		return inspect.KindIDJAG, nil
	case "access_token", "access-token":
		return inspect.KindAccessToken, nil
	}
	return 0, fmt.Errorf("--expect %q: want id_token, id_jag or access_token", s)
}

func isURL(s string) bool {
	return strings.HasPrefix(s, "https://") || strings.HasPrefix(s, "http://")
}
