package inspect

import (
	"net/url"
	"strings"
)

// IsLoopbackURL reports whether the URL points at this machine (localhost,
// 127.0.0.0/8, ::1): where plain http is acceptable.
func IsLoopbackURL(raw string) bool {
	u, err := url.Parse(raw)
	if err != nil {
		return false
	}
	switch h := u.Hostname(); h {
	case "localhost", "127.0.0.1", "::1":
		return true
	default:
		return strings.HasPrefix(h, "127.")
	}
}

// IsInsecureURL reports whether the URL is plain http to another machine.
func IsInsecureURL(raw string) bool {
	return strings.HasPrefix(raw, "http://") && !IsLoopbackURL(raw)
}
