package inspect

import (
	"net/url"
	"path"
	"regexp"
	"strings"
	"sync"
)

// specResourceIndicator is where a resource indicator's form is defined.
const specResourceIndicator = "RFC 8707 §2"

// ResourceProblem says what is wrong with a resource indicator: not an
// absolute URI or with a fragment (fail), with a query (warn: RFC 8707 §2
// says SHOULD NOT). Empty when it is well formed.
func ResourceProblem(s string) (problem string, st Status) {
	u, err := url.Parse(s)
	switch {
	case err != nil || !u.IsAbs():
		return "not an absolute URI", StatusFail
	case u.Fragment != "" || strings.Contains(s, "#"):
		return "has a fragment", StatusFail
	case u.RawQuery != "" || u.ForceQuery:
		return "has a query", StatusWarn
	}
	return "", StatusPass
}

// NormalizeURI applies the syntax-based normalization of RFC 3986 §6.2.2:
// scheme and host in lower case, percent-encodings in upper case with
// unreserved characters decoded, dot segments removed. Two identifiers
// that differ only in these ways name the same resource. A string that is
// not a URI comes back unchanged.
func NormalizeURI(s string) string {
	u, err := url.Parse(s)
	if err != nil || !u.IsAbs() {
		return s
	}
	u.Scheme = strings.ToLower(u.Scheme)
	u.Host = strings.ToLower(u.Host)
	p := normalizePercent(u.EscapedPath())
	if strings.Contains(p, "/.") {
		trailing := strings.HasSuffix(p, "/") || strings.HasSuffix(p, "/.") || strings.HasSuffix(p, "/..")
		p = path.Clean(p)
		if trailing && p != "/" {
			p += "/"
		}
	}
	out := u.Scheme + "://"
	if u.User != nil {
		out += u.User.String() + "@"
	}
	out += u.Host + p
	if u.RawQuery != "" || u.ForceQuery {
		out += "?" + normalizePercent(u.RawQuery)
	}
	return out
}

// percentEncoded matches one percent-encoding.
var percentEncoded = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`%[0-9a-fA-F]{2}`) })

// normalizePercent decodes percent-encoded unreserved characters and
// upper-cases the rest (RFC 3986 §6.2.2.1, §6.2.2.2).
func normalizePercent(s string) string {
	if !strings.Contains(s, "%") {
		return s
	}
	return percentEncoded().ReplaceAllStringFunc(s, func(m string) string {
		b, _ := url.PathUnescape(m)
		if c := b[0]; c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || strings.ContainsRune("-._~", rune(c)) {
			return b
		}
		return strings.ToUpper(m)
	})
}

// SameResource says whether two resource indicators name the same resource
// after RFC 3986 §6.2.2 normalization.
func SameResource(a, b string) bool { return a == b || NormalizeURI(a) == NormalizeURI(b) }
