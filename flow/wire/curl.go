package wire

import (
	"net/http"
	"net/url"
	"slices"
	"strings"

	"github.com/xaatools/xaa/flow/config"
)

// curlSkipHeaders are headers curl sets itself or that say nothing.
var curlSkipHeaders = []string{"Content-Length", "Host", "User-Agent", "Accept-Encoding", "Connection"}

// tokenPlaceholders name the environment variable standing in for a token
// parameter when tokens are not revealed.
var tokenPlaceholders = map[string]string{
	"subject_token": "XAA_ID_TOKEN",
	"assertion":     "XAA_ID_JAG",
	"code":          "XAA_CODE",
	"refresh_token": "XAA_REFRESH_TOKEN",
	"actor_token":   "XAA_ACTOR_TOKEN",
	"access_token":  "XAA_ACCESS_TOKEN",
	"id_token":      "XAA_ID_TOKEN",
	"token":         "XAA_TOKEN",
}

// secretPlaceholders name the environment variable standing in for a
// secret parameter; a client secret depends on the party.
var secretPlaceholders = map[string]string{
	"client_assertion": "XAA_CLIENT_ASSERTION",
	"code_verifier":    "XAA_CODE_VERIFIER",
	"password":         "XAA_PASSWORD",
}

// clientSecretEnv is the variable holding the client secret for a party.
func clientSecretEnv(party string) string {
	if party == PartyAS {
		return config.EnvASClientSecret
	}
	return config.EnvIdPClientSecret
}

// Curl returns a curl command that reproduces the exchange. Secrets are
// $ENV placeholders (XAA_IDP_CLIENT_SECRET, XAA_AS_CLIENT_SECRET,
// XAA_CLIENT_ASSERTION, XAA_CODE_VERIFIER); tokens are placeholders too
// (XAA_ID_TOKEN, XAA_ID_JAG, XAA_ACCESS_TOKEN …) unless reveal is set.
func (x *Exchange) Curl(reveal bool) string {
	var parts []string
	add := func(s ...string) { parts = append(parts, s...) }
	add("curl", "-sS")
	if x.Request.Method != http.MethodGet {
		add("-X", x.Request.Method)
	}
	add(shellQuote(x.curlURL(reveal)))
	for _, name := range sortedHeaderNames(x.Request.Header) {
		if slices.Contains(curlSkipHeaders, name) {
			continue
		}
		for _, v := range x.Request.Header[name] {
			switch {
			case name == "Authorization" && strings.HasPrefix(v, "Basic "):
				add("-u", shellQuote(x.Request.BasicUser+":")+`"$`+clientSecretEnv(x.Party)+`"`)
			case name == "Authorization":
				scheme, tok, _ := strings.Cut(v, " ")
				if reveal {
					add("-H", shellQuote(name+": "+scheme+" "+tok))
				} else {
					add("-H", `"`+name+": "+scheme+` $XAA_ACCESS_TOKEN"`)
				}
			case name == "Dpop" && !reveal:
				add("-H", `"DPoP: $XAA_DPOP_PROOF"`)
			default:
				add("-H", shellQuote(name+": "+v))
			}
		}
	}
	body := string(x.Request.Body)
	switch {
	case body == "":
	case strings.HasPrefix(x.Request.Header.Get("Content-Type"), "application/x-www-form-urlencoded"):
		for _, pair := range strings.Split(body, "&") {
			k, v, _ := strings.Cut(pair, "=")
			name, err := url.QueryUnescape(k)
			if err != nil {
				name = k
			}
			value, err := url.QueryUnescape(v)
			if err != nil {
				value = v
			}
			add("--data-urlencode", x.curlParam(name, value, reveal))
		}
	default:
		if !reveal {
			body = ShortenTokens(body)
		}
		add("--data-raw", shellQuote(body))
	}
	return strings.Join(parts, " ")
}

// curlURL is the request URL, with token query parameters as placeholders
// unless revealed.
func (x *Exchange) curlURL(reveal bool) string {
	if reveal {
		return x.Request.URL
	}
	u, err := url.Parse(x.Request.URL)
	if err != nil || u.RawQuery == "" {
		return x.Request.URL
	}
	u.RawQuery = RewriteParams(u.RawQuery, IsTokenParam, func(string) string { return "TOKEN" })
	return u.String()
}

// curlParam renders one form parameter for --data-urlencode.
func (x *Exchange) curlParam(name, value string, reveal bool) string {
	if name == "client_secret" || value == Redacted {
		env := secretPlaceholders[name]
		if name == "client_secret" || env == "" {
			env = clientSecretEnv(x.Party)
		}
		return `"` + name + `=$` + env + `"`
	}
	if env, ok := tokenPlaceholders[name]; ok && !reveal {
		if name == "subject_token" && x.formValue("subject_token_type") == "urn:ietf:params:oauth:token-type:refresh_token" {
			env = "XAA_REFRESH_TOKEN"
		}
		return `"` + name + `=$` + env + `"`
	}
	return shellQuote(name + "=" + value)
}

// formValue returns a parameter of the recorded form body.
func (x *Exchange) formValue(name string) string {
	v, err := url.ParseQuery(string(x.Request.Body))
	if err != nil {
		return ""
	}
	return v.Get(name)
}

// shellQuote quotes s for a POSIX shell.
func shellQuote(s string) string {
	if s != "" && strings.IndexFunc(s, func(r rune) bool {
		return !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || strings.ContainsRune("-_./:=@%+,", r))
	}) < 0 {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

func sortedHeaderNames(h http.Header) []string {
	names := make([]string, 0, len(h))
	for k := range h {
		names = append(names, k)
	}
	slices.Sort(names)
	return names
}
