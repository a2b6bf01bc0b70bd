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

// OktaCustomASPath reports whether path is an Okta custom authorization
// server's issuer path: /oauth2/default or /oauth2/aus…, with or without a
// trailing slash.
func OktaCustomASPath(path string) bool {
	id, ok := strings.CutPrefix(path, "/oauth2/")
	id = strings.TrimSuffix(id, "/")
	return ok && id != "" && !strings.Contains(id, "/")
}

// OktaIdP reports whether an IdP is an Okta org: by its issuer's host, its
// custom authorization server path, or the org authorization server's
// token endpoint layout (metadataIssuer + /oauth2/v1/token, which the Okta
// profile of the playground serves on loopback too).
func OktaIdP(issuer, metadataIssuer, tokenEndpoint string) bool {
	if u, err := url.Parse(issuer); err == nil && (OktaHost(u.Host) || OktaCustomASPath(u.EscapedPath())) {
		return true
	}
	return metadataIssuer != "" && tokenEndpoint == strings.TrimSuffix(metadataIssuer, "/")+"/oauth2/v1/token"
}
