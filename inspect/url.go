package inspect

import (
	"net"
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
	h := u.Hostname()
	if h == "localhost" {
		return true
	}
	// An address, not a name that starts like one (127.0.0.1.example.com).
	ip := net.ParseIP(h)
	return ip != nil && ip.IsLoopback()
}

// IsInsecureURL reports whether the URL is plain http to another machine.
func IsInsecureURL(raw string) bool {
	return strings.HasPrefix(raw, "http://") && !IsLoopbackURL(raw)
}
