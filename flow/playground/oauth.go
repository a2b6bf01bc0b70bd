package playground

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"unicode"

	"github.com/xaatools/xaa/inspect"
)

// maxFormBytes bounds a token request body; real ones are a few kilobytes.
const maxFormBytes = 64 << 10

// oauthError is an RFC 6749 §5.2 error response.
type oauthError struct {
	status      int
	code        string
	description string
	// basicChallenge adds WWW-Authenticate: Basic, required on a 401 when
	// the client authenticated with the Authorization header (RFC 6749 §5.2).
	basicChallenge bool
}

func (e *oauthError) Error() string { return e.code + ": " + e.description }

// newError returns an error with HTTP 400, the status RFC 6749 §5.2 gives
// every token-endpoint error but invalid_client.
func newError(code, format string, args ...any) *oauthError {
	return &oauthError{status: http.StatusBadRequest, code: code, description: fmt.Sprintf(format, args...)}
}

// writeJSON writes a token-endpoint response: JSON, never cached (RFC 6749 §5.1).
func writeJSON(w http.ResponseWriter, status int, v any) {
	body, err := json.Marshal(v)
	if err != nil {
		status = http.StatusInternalServerError
		body = []byte(`{"error":"server_error","error_description":"could not encode the response"}`)
	}
	h := w.Header()
	h.Set("Content-Type", "application/json")
	h.Set("Cache-Control", "no-store")
	h.Set("Pragma", "no-cache")
	w.WriteHeader(status)
	w.Write(append(body, '\n'))
}

// writeError writes e as the JSON error body of RFC 6749 §5.2.
func writeError(w http.ResponseWriter, e *oauthError) {
	if e.basicChallenge {
		w.Header().Set("WWW-Authenticate", `Basic realm="token endpoint", charset="UTF-8"`)
	}
	writeJSON(w, e.status, map[string]string{"error": e.code, "error_description": e.description})
}

// form is a parsed token request: every parameter at most once.
type form map[string]string

// readTokenForm reads a token request the way RFC 6749 §3.2 and §4 describe
// it: POST, application/x-www-form-urlencoded, parameters in the body, none
// repeated. Anything else is refused with the problem named.
func readTokenForm(w http.ResponseWriter, r *http.Request) (form, *oauthError) {
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", http.MethodPost)
		return nil, &oauthError{status: http.StatusMethodNotAllowed, code: "invalid_request",
			description: fmt.Sprintf("the token endpoint takes POST, not %s (RFC 6749 §3.2)", r.Method)}
	}
	ct := r.Header.Get("Content-Type")
	mt, params, err := "application/x-www-form-urlencoded", map[string]string(nil), error(nil)
	if ct != mt { // the usual value needs no parsing
		mt, params, err = mime.ParseMediaType(ct)
	}
	switch {
	case ct == "":
		return nil, newError("invalid_request", "the request has no Content-Type; send the parameters as application/x-www-form-urlencoded (RFC 6749 §3.2)")
	case err != nil:
		return nil, newError("invalid_request", "Content-Type %q cannot be parsed: %v", ct, err)
	case mt != "application/x-www-form-urlencoded":
		return nil, newError("invalid_request", "Content-Type is %s; the token endpoint takes application/x-www-form-urlencoded (RFC 6749 §3.2)", mt)
	case params["charset"] != "" && !strings.EqualFold(params["charset"], "utf-8"):
		return nil, newError("invalid_request", "charset %s is not supported; send UTF-8 (RFC 6749 Appendix B)", params["charset"])
	}
	if r.URL.RawQuery != "" {
		return nil, newError("invalid_request", "the token request has parameters in the URL query; send them in the body only (RFC 6749 §3.2)")
	}
	body, err := readBody(http.MaxBytesReader(w, r.Body, maxFormBytes), r.ContentLength, maxFormBytes)
	if err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			return nil, &oauthError{status: http.StatusRequestEntityTooLarge, code: "invalid_request",
				description: fmt.Sprintf("the request body is larger than %d KiB; a token request is a few short parameters", maxFormBytes>>10)}
		}
		return nil, newError("invalid_request", "reading the request body failed: %v", err)
	}
	values, err := url.ParseQuery(string(body))
	if err != nil {
		return nil, newError("invalid_request", "the body is not a valid form: %v — percent-encode every value (RFC 6749 Appendix B)", err)
	}
	f := form{}
	for name, vs := range values {
		switch {
		case name == "resource" && slices.ContainsFunc(vs, func(v string) bool { return strings.ContainsFunc(v, unicode.IsSpace) }):
			return nil, newError("invalid_target", "a resource is an absolute URI, without spaces (RFC 8707 §2)")
		case name == "resource":
			// One resource parameter per resource (RFC 8707 §2, RFC 8693
			// §2.1); kept space-separated, read with list.
			f[name] = strings.Join(vs, " ")
		case len(vs) > 1:
			return nil, newError("invalid_request", "parameter %s is sent %d times; send each parameter once (RFC 6749 §3.2)", name, len(vs))
		default:
			f[name] = vs[0]
		}
	}
	return f, nil
}

// list returns the values of a parameter that may be repeated (resource).
func (f form) list(name string) []string { return strings.Fields(f[name]) }

// readBody reads a request body, into a buffer of the declared length when
// there is one (within limit), rather than growing one from 512 bytes.
func readBody(r io.Reader, length, limit int64) ([]byte, error) {
	if length <= 0 || length > limit {
		return io.ReadAll(r)
	}
	b := make([]byte, 0, length+1) // +1: reading EOF needs no new buffer
	for {
		n, err := r.Read(b[len(b):cap(b)])
		b = b[:len(b)+n]
		if err == io.EOF {
			return b, nil
		}
		if err != nil {
			return b, err
		}
		if len(b) == cap(b) {
			b = append(b, 0)[:len(b)] // longer than declared: grow
		}
	}
}

// require returns the first of names that is missing or empty.
func (f form) require(names ...string) *oauthError {
	for _, n := range names {
		if f[n] == "" {
			return newError("invalid_request", "the %s parameter is missing", n)
		}
	}
	return nil
}

// unsupportedGrant refuses a grant_type (RFC 6749 §5.2), naming a
// misspelt URN when inspect recognises one, else what is supported.
func unsupportedGrant(grant, supported string) *oauthError {
	hint := supported
	if c := inspect.CheckURN("grant_type", grant); c.Hint != "" && !strings.HasPrefix(c.Hint, "use ") {
		hint = c.Hint
	}
	return newError("unsupported_grant_type", "grant_type %q is not supported: %s", grant, hint)
}
