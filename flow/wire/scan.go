package wire

import (
	"regexp"
	"strings"
	"sync"
)

// A valueScanner finds values to rewrite in any text — JSON members, name=
// value pairs, JWT serializations — by looking for fixed anchors with
// strings.Index and matching a small anchored pattern only where an anchor
// is, so a megabyte of text without tokens costs a few byte scans, not a
// regular-expression pass.
type valueScanner struct {
	anchors []string
	// re is anchored (^) and its last group is the value to rewrite; the
	// whole match keeps everything around that group. It is compiled on
	// first use: commands that never scan text do not pay for it at start.
	re func() *regexp.Regexp
	// accept checks the text just before an anchor; nil accepts all.
	accept func(s string, at int) bool
}

// The scanners for secrets and tokens.
var (
	// JSON string members: "client_secret": "…".
	secretMembers = memberScanner(secretParams)
	tokenMembers  = memberScanner(tokenParams)
	// name=value pairs in any text (a form echoed inside a JSON error, a
	// URL in a log line); the value ends at '&', a quote, a backslash (a
	// JSON escape) or white space.
	secretPairs = pairScanner(secretParams)
	tokenPairs  = pairScanner(tokenParams)
	// Compact JWS and JWE serializations.
	jwts = &valueScanner{anchors: []string{"eyJ"},
		re: lazyRegexp(`^(eyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]*\.[A-Za-z0-9_-]*(?:\.[A-Za-z0-9_-]*\.[A-Za-z0-9_-]*)?)`)}
)

// lazyRegexp compiles pattern once, on first call.
func lazyRegexp(pattern string) func() *regexp.Regexp {
	return sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(pattern) })
}

func memberScanner(names []string) *valueScanner {
	anchors := make([]string, len(names))
	for i, n := range names {
		anchors[i] = `"` + n + `"`
	}
	return &valueScanner{anchors: anchors,
		re: lazyRegexp(`^"(?:` + strings.Join(names, "|") + `)"\s*:\s*"((?:[^"\\]|\\.)*)"`)}
}

func pairScanner(names []string) *valueScanner {
	anchors := make([]string, len(names))
	for i, n := range names {
		anchors[i] = n + "="
	}
	return &valueScanner{anchors: anchors,
		re: lazyRegexp(`^(?:` + strings.Join(names, "|") + `)=([^&"'\s\\]+)`),
		accept: func(s string, at int) bool {
			// The name starts the text, or follows a character that cannot
			// be part of a name, or a JSON-escaped "&".
			if at == 0 || strings.HasSuffix(s[:at], `\u0026`) {
				return true
			}
			c := s[at-1]
			return !(c == '_' || c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z')
		}}
}

// rewrite replaces each value the scanner finds with replace(value); a
// value already Redacted is left alone.
func (v *valueScanner) rewrite(s string, replace func(string) string) string {
	next := make([]int, len(v.anchors)) // next occurrence of each anchor, -1 when none is left
	for i, a := range v.anchors {
		next[i] = strings.Index(s, a)
	}
	var b strings.Builder
	last := 0
	for {
		at := -1
		for _, n := range next {
			if n >= 0 && (at < 0 || n < at) {
				at = n
			}
		}
		if at < 0 {
			break
		}
		resume := at + 1
		if v.accept == nil || v.accept(s, at) {
			if m := v.re().FindStringSubmatchIndex(s[at:]); m != nil {
				vs, ve := at+m[len(m)-2], at+m[len(m)-1]
				if value := s[vs:ve]; value != Redacted {
					b.WriteString(s[last:vs])
					b.WriteString(replace(value))
					last = ve
				}
				resume = at + m[1]
			}
		}
		for i, n := range next {
			if n >= 0 && n < resume {
				if j := strings.Index(s[resume:], v.anchors[i]); j >= 0 {
					next[i] = resume + j
				} else {
					next[i] = -1
				}
			}
		}
	}
	if last == 0 {
		return s
	}
	b.WriteString(s[last:])
	return b.String()
}
