package wire

import (
	"net/http"
	"net/url"
	"slices"
	"strings"

	"github.com/xaatools/xaa/flow/config"

	"github.com/xaatools/xaa/inspect"
)

// Redacted replaces every secret xaa records.
const Redacted = config.Redacted

// secretParams are form, query and JSON members whose values are secrets:
// never shown, not even with --reveal.
var secretParams = []string{"client_secret", "client_assertion", "password", "code_verifier", "private_key"}

// tokenParams are members whose values are tokens (or a code that buys
// one): shown shortened unless revealed.
var tokenParams = []string{"access_token", "refresh_token", "id_token", "code", "assertion", "subject_token", "actor_token", "token", "id_jag", "device_code"}

// secretHeaders are headers whose values are credentials.
var secretHeaders = []string{"Cookie", "Set-Cookie", "Proxy-Authorization"}

// redactHeaderValue redacts one header value: Basic credentials, cookies.
// Bearer and DPoP tokens are kept (shortened for display).
func redactHeaderValue(name, value string) string {
	name = http.CanonicalHeaderKey(name)
	if slices.Contains(secretHeaders, name) {
		return Redacted
	}
	if name == "Authorization" {
		scheme, _, _ := strings.Cut(value, " ")
		if !strings.EqualFold(scheme, "Bearer") && !strings.EqualFold(scheme, "DPoP") {
			return scheme + " " + Redacted
		}
	}
	return value
}

// redactURL returns u with secret query parameters and userinfo redacted.
func redactURL(u *url.URL) string {
	c := *u
	if c.User != nil {
		c.User = url.User(c.User.Username())
	}
	c.RawQuery = redactPairs(c.RawQuery, secretParams, func(string) string { return Redacted })
	return c.String()
}

// redactBody redacts secrets in a form or JSON body; other bodies pass as
// they are (configured secret values are still scrubbed by the recorder).
func redactBody(contentType string, body []byte) []byte {
	if len(body) == 0 {
		return body
	}
	switch {
	case strings.HasPrefix(contentType, "application/x-www-form-urlencoded"):
		return []byte(redactPairs(string(body), secretParams, func(string) string { return Redacted }))
	default:
		redact := func(string) string { return Redacted }
		return []byte(secretPairs.rewrite(secretMembers.rewrite(string(body), redact), redact))
	}
}

// IsTokenParam reports whether a form, query or JSON member carries a
// token (or a code that buys one): shown shortened unless revealed.
func IsTokenParam(name string) bool { return slices.Contains(tokenParams, name) }

// redactPairs rewrites the values of the named parameters of a form or
// query string, keeping everything else byte for byte.
func redactPairs(raw string, names []string, replace func(string) string) string {
	return RewriteParams(raw, func(name string) bool { return slices.Contains(names, name) }, replace)
}

// RewriteParams rewrites the values of the parameters of a form or query
// string that match, keeping everything else byte for byte.
func RewriteParams(raw string, match func(name string) bool, replace func(string) string) string {
	if raw == "" {
		return raw
	}
	parts := strings.Split(raw, "&")
	for i, p := range parts {
		k, v, ok := strings.Cut(p, "=")
		if !ok {
			continue
		}
		name, err := url.QueryUnescape(k)
		if err != nil || !match(name) {
			continue
		}
		value, err := url.QueryUnescape(v)
		if err != nil {
			value = v
		}
		parts[i] = k + "=" + replace(value)
	}
	return strings.Join(parts, "&")
}

// ShortenTokens shortens every token in a text: JWT serializations
// anywhere, and the values of token members of JSON, form and query text.
func ShortenTokens(s string) string {
	s = jwts.rewrite(s, inspect.ShortenToken)
	s = tokenMembers.rewrite(s, shortenUnlessDone)
	return tokenPairs.rewrite(s, shortenUnlessDone)
}

func shortenUnlessDone(v string) string {
	if strings.Contains(v, "…") || strings.Trim(v, "•") == "" || v == Redacted {
		return v
	}
	return inspect.ShortenToken(v)
}

// ForDisplay returns a copy of x to show or export: tokens shortened unless
// reveal is set. Secrets were redacted when x was recorded.
func (x *Exchange) ForDisplay(reveal bool) *Exchange {
	c := *x
	if reveal {
		return &c
	}
	c.Request.URL = ShortenTokens(c.Request.URL)
	c.Request.Header = shortenHeader(c.Request.Header)
	c.Request.Body = []byte(ShortenTokens(string(c.Request.Body)))
	if x.Response != nil {
		r := *x.Response
		r.Header = shortenHeader(r.Header)
		r.Body = []byte(ShortenTokens(string(r.Body)))
		c.Response = &r
	}
	return &c
}

func shortenHeader(h http.Header) http.Header {
	out := make(http.Header, len(h))
	for k, vs := range h {
		for _, v := range vs {
			switch http.CanonicalHeaderKey(k) {
			case "Authorization":
				if scheme, tok, ok := strings.Cut(v, " "); ok && tok != Redacted {
					v = scheme + " " + inspect.ShortenToken(tok)
				}
			case "Dpop":
				v = inspect.ShortenToken(v)
			default:
				v = ShortenTokens(v)
			}
			out[k] = append(out[k], v)
		}
	}
	return out
}
