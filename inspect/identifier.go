package inspect

import (
	"net/url"
	"strings"
)

// CompareIdentifier compares an identifier (an issuer, an audience, a
// resource) the way the specs require — byte for byte, RFC 8414 §3.3 and
// draft §4.4.1 — and when the two differ, names the near miss that people
// actually hit: a trailing slash, http against https, letter case, an
// explicit default port, stray whitespace, or a token endpoint URL where an
// issuer belongs.
func CompareIdentifier(want, got string) (equal bool, nearMiss string) {
	if want == got {
		return true, ""
	}
	switch {
	case strings.TrimSpace(got) == want:
		return false, "it has whitespace around it"
	case got == want+"/":
		return false, "it has a trailing slash that the expected value has not — identifiers are compared byte for byte"
	case want == got+"/":
		return false, "it lacks the trailing slash of the expected value — identifiers are compared byte for byte"
	case strings.EqualFold(want, got):
		return false, "it differs only in letter case"
	}
	w, werr := url.Parse(want)
	g, gerr := url.Parse(got)
	if werr != nil || gerr != nil || w.Host == "" || g.Host == "" {
		return false, ""
	}
	sameRest := func(a, b *url.URL) bool {
		return strings.EqualFold(a.Hostname(), b.Hostname()) && strings.TrimSuffix(a.Path, "/") == strings.TrimSuffix(b.Path, "/")
	}
	switch {
	case w.Scheme != g.Scheme && sameRest(w, g):
		return false, "it differs in scheme (" + g.Scheme + " instead of " + w.Scheme + ")"
	case w.Scheme == g.Scheme && w.Host != g.Host && sameRest(w, g) && (w.Port() == "" || g.Port() == ""):
		return false, "it differs only by an explicit port (" + g.Host + " vs " + w.Host + ")"
	case strings.EqualFold(w.Host, g.Host) && strings.HasPrefix(g.Path, strings.TrimSuffix(w.Path, "/")) && looksLikeTokenEndpoint(g.Path):
		return false, "it is a token endpoint URL; the current draft wants the authorization server's issuer (a token endpoint audience is draft-parecki-00/01 style)"
	case w.Scheme == g.Scheme && strings.EqualFold(w.Host, g.Host) && w.Path != g.Path:
		return false, "same host, different path (" + pathOrRoot(g.Path) + " instead of " + pathOrRoot(w.Path) + ")"
	}
	return false, ""
}

func looksLikeTokenEndpoint(path string) bool {
	return strings.HasSuffix(path, "/token") || strings.HasSuffix(path, "/v1/token") || strings.HasSuffix(path, "/oauth/token")
}

func pathOrRoot(p string) string {
	if p == "" {
		return "no path"
	}
	return p
}

// WithNearMiss puts the near miss CompareIdentifier found in front of a hint.
func WithNearMiss(nearMiss, hint string) string {
	if nearMiss == "" {
		return hint
	}
	return nearMiss + "; " + hint
}
