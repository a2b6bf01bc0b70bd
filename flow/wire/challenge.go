package wire

import (
	"strings"
)

// Challenge is one challenge of a WWW-Authenticate header (RFC 9110
// §11.6.1): a scheme and its parameters. Bearer challenges carry error,
// error_description and scope (RFC 6750 §3) and resource_metadata
// (RFC 9728 §5.1).
type Challenge struct {
	Scheme string
	// Params are keyed by lower-case name.
	Params map[string]string
}

// Param returns a parameter by name.
func (c Challenge) Param(name string) string { return c.Params[strings.ToLower(name)] }

// ParseWWWAuthenticate parses every challenge in the given header values.
// It is lenient: a malformed tail is dropped, never an error. The MCP SDK's
// oauthex.ParseWWWAuthenticate fails the whole header on one malformed
// challenge; a debugger must still show the error and resource_metadata
// of a server whose header is slightly wrong, so xaa keeps its own parser
// (fuzzed in FuzzParseWWWAuthenticate).
func ParseWWWAuthenticate(values []string) []Challenge {
	var out []Challenge
	for _, v := range values {
		out = append(out, parseChallenges(v)...)
	}
	return out
}

// BearerChallenge returns the Bearer (or DPoP) challenge, when there is one.
func BearerChallenge(values []string) (Challenge, bool) {
	for _, c := range ParseWWWAuthenticate(values) {
		if strings.EqualFold(c.Scheme, "Bearer") || strings.EqualFold(c.Scheme, "DPoP") {
			return c, true
		}
	}
	return Challenge{}, false
}

type challengeScanner struct {
	s string
	i int
}

func (p *challengeScanner) skip(chars string) {
	for p.i < len(p.s) && strings.IndexByte(chars, p.s[p.i]) >= 0 {
		p.i++
	}
}

func isTokenByte(b byte) bool {
	return b > ' ' && b < 0x7f && !strings.ContainsRune(`"(),/:;<=>?@[\]{}`, rune(b))
}

func (p *challengeScanner) token() string {
	start := p.i
	for p.i < len(p.s) && isTokenByte(p.s[p.i]) {
		p.i++
	}
	return p.s[start:p.i]
}

func (p *challengeScanner) quoted() string {
	var b strings.Builder
	p.i++ // opening quote
	for p.i < len(p.s) {
		c := p.s[p.i]
		p.i++
		switch {
		case c == '\\' && p.i < len(p.s):
			b.WriteByte(p.s[p.i])
			p.i++
		case c == '"':
			return b.String()
		default:
			b.WriteByte(c)
		}
	}
	return b.String()
}

// peekParam reports whether a parameter (token followed by '=') starts here.
func (p *challengeScanner) peekParam() bool {
	save := p.i
	defer func() { p.i = save }()
	if p.token() == "" {
		return false
	}
	p.skip(" \t")
	return p.i < len(p.s) && p.s[p.i] == '='
}

func parseChallenges(s string) []Challenge {
	p := &challengeScanner{s: s}
	var out []Challenge
	for {
		p.skip(" \t,")
		scheme := p.token()
		if scheme == "" {
			return out
		}
		c := Challenge{Scheme: scheme, Params: map[string]string{}}
		p.skip(" \t")
		for p.peekParam() {
			name := strings.ToLower(p.token())
			p.skip(" \t")
			p.i++ // '='
			p.skip(" \t")
			var value string
			if p.i < len(p.s) && p.s[p.i] == '"' {
				value = p.quoted()
			} else {
				value = p.token()
			}
			c.Params[name] = value
			p.skip(" \t")
			if p.i < len(p.s) && p.s[p.i] == ',' {
				p.i++
				p.skip(" \t")
			}
		}
		if !p.peekParam() {
			// token68 (Basic abc==) or the next scheme: skip a token68.
			save := p.i
			t := p.token()
			p.skip("=")
			p.skip(" \t")
			if p.i < len(p.s) && p.s[p.i] != ',' && t != "" {
				p.i = save
			}
		}
		out = append(out, c)
	}
}
