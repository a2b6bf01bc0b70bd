package config

import (
	"net"
	"net/url"
	"strings"
)

// OktaHost reports whether host is an Okta org's (okta.com and its
// preview, EMEA and government cells).
func OktaHost(host string) bool {
	if h, _, err := net.SplitHostPort(host); err == nil {
		host = h
	}
	host = strings.ToLower(host)
	for _, suffix := range []string{".okta.com", ".oktapreview.com", ".okta-emea.com", ".okta-gov.com", ".okta.mil"} {
		if strings.HasSuffix(host, suffix) {
			return true
		}
	}
	return false
}

// AdminConsoleURL reports whether u is an Okta Admin Console address
// (https://dev-123-admin.okta.com) and returns the org URL it stands for.
func AdminConsoleURL(u *url.URL) (orgURL string, admin bool) {
	label, rest, _ := strings.Cut(u.Hostname(), ".")
	if !strings.HasSuffix(label, "-admin") {
		return "", false
	}
	return u.Scheme + "://" + strings.TrimSuffix(label, "-admin") + "." + rest, true
}
