package wire

import (
	"cmp"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/xaatools/xaa/inspect"
)

// OAuthError is an error answered by a server: the JSON error response of
// a token endpoint (RFC 6749 §5.2), the error parameters of an
// authorization callback (RFC 6749 §4.1.2.1), or a WWW-Authenticate
// challenge of a resource server (RFC 6750 §3). Use errors.As to get it.
type OAuthError struct {
	// Status is the HTTP status; 0 for a callback redirect.
	Status int
	// Code is the error code ("invalid_grant").
	Code        string
	Description string
	URI         string
	// Scope and ResourceMetadata come from a WWW-Authenticate challenge
	// (insufficient_scope, RFC 9728 §5.1).
	Scope            string
	ResourceMetadata string
	// Source says where the error came from ("token endpoint",
	// "authorization callback", "WWW-Authenticate", "MCP").
	Source string
	// Body is the raw response body, secrets redacted.
	Body []byte
}

// Error returns "code (HTTP status) from the source: description".
func (e *OAuthError) Error() string {
	var b strings.Builder
	b.WriteString(cmp.Or(e.Code, "error"))
	if e.Status != 0 {
		fmt.Fprintf(&b, " (HTTP %d)", e.Status)
	}
	if e.Source != "" {
		b.WriteString(" from the " + e.Source)
	}
	if e.Description != "" {
		b.WriteString(": " + e.Description)
	}
	return b.String()
}

// ParseOAuthError reads an RFC 6749 §5.2 error body. It also understands
// Okta's management-API shape (errorCode, errorSummary), which some Okta
// endpoints answer with. ok is false when the body carries no error code.
func ParseOAuthError(status int, body []byte) (*OAuthError, bool) {
	var v struct {
		Error            string `json:"error"`
		ErrorDescription string `json:"error_description"`
		ErrorURI         string `json:"error_uri"`
		ErrorCode        string `json:"errorCode"`
		ErrorSummary     string `json:"errorSummary"`
	}
	if json.Unmarshal(body, &v) != nil {
		return nil, false
	}
	e := &OAuthError{Status: status, Code: v.Error, Description: v.ErrorDescription, URI: v.ErrorURI, Source: "token endpoint", Body: body}
	if e.Code == "" && v.ErrorCode != "" {
		e.Code, e.Description = v.ErrorCode, v.ErrorSummary
	}
	return e, e.Code != ""
}

// CheckError is the failure of a step whose requests succeeded but whose
// result broke a rule: an issuer that differs from the configured one, an
// ID-JAG with the wrong audience.
type CheckError struct {
	Check inspect.Check
	// Token is the kind of token checked, when the check is about a token.
	Token string
}

// Error names the check and the values it compared.
func (e *CheckError) Error() string {
	s := "check " + e.Check.ID + " failed: " + e.Check.Title
	if e.Check.Expected != "" || e.Check.Actual != "" {
		s += fmt.Sprintf(" (expected %s, got %s)", cmp.Or(e.Check.Expected, "(nothing)"), cmp.Or(e.Check.Actual, "(nothing)"))
	}
	return s
}

// Sentinel errors of the requesting side; wrapped with context, matched
// with errors.Is.
var (
	// ErrStateMismatch: the callback's state is not the one sent (CSRF, a
	// stale tab, parallel logins).
	ErrStateMismatch = errors.New("the callback's state does not match the one sent")
	// ErrIssuerMismatch: the callback's iss (RFC 9207) is not the IdP's issuer.
	ErrIssuerMismatch = errors.New("the callback's iss does not match the IdP's issuer")
	// ErrLoginTimeout: nobody completed the login in time.
	ErrLoginTimeout = errors.New("no login callback arrived in time")
	// ErrCallbackListen: the redirect URI's port could not be bound.
	ErrCallbackListen = errors.New("cannot listen on the redirect URI")
	// ErrMissingCode: the callback carried neither a code nor an error.
	ErrMissingCode = errors.New("the callback carried no authorization code")
	// ErrMissingIDToken: the token response of the login has no id_token.
	ErrMissingIDToken = errors.New("the token response has no id_token")
	// ErrMissingToken: the response lacks the token the step exists for.
	ErrMissingToken = errors.New("the response carries no token")
	// ErrNoInput: the step needs a token or an endpoint an earlier step
	// did not provide.
	ErrNoInput = errors.New("a required input is missing")
	// ErrBadResponse: a 2xx response that is not the JSON the spec asks for.
	ErrBadResponse = errors.New("the response is not a valid token response")
	// ErrBrowser: the login in the browser did not complete — the browser
	// could not be started, or (a scripted browser) the IdP's page refused
	// the request; what follows the colon says which.
	ErrBrowser = errors.New("the login in the browser did not complete")
	// ErrClientAuth: the client authentication could not be built (a bad
	// private key).
	ErrClientAuth = errors.New("client authentication cannot be built")
	// ErrMCP: the MCP session failed (a JSON-RPC error, or an HTTP error
	// the SDK reported); the error is an *MCPError.
	ErrMCP = errors.New("the MCP call failed")
	// ErrTokenRejected: the resource answered 401 or 403 to a request with
	// the access token, without naming an error code.
	ErrTokenRejected = errors.New("the resource refused the access token")
	// ErrMetadataIssuer: a metadata document names another issuer than the
	// one it was looked up for; the error is an *IssuerMismatchError.
	ErrMetadataIssuer = errors.New("the metadata names another issuer")
	// ErrInsecureEndpoint: an https server names a plain-http token
	// endpoint on another host; nothing is sent to it.
	ErrInsecureEndpoint = errors.New("refusing to send credentials over plain http")
)

// StatusLine returns "404 Not Found".
func StatusLine(code int) string {
	if t := http.StatusText(code); t != "" {
		return fmt.Sprintf("%d %s", code, t)
	}
	return fmt.Sprintf("%d", code)
}

// MCPError is a failure of the MCP session: a JSON-RPC error (Code), or an
// HTTP status the SDK reported, with the SDK's message.
type MCPError struct {
	// Operation is the MCP call ("initialize", "tools/list", "tools/call").
	Operation string
	// Code is the JSON-RPC error code, 0 when there was none.
	Code int64
	// Status is the HTTP status when the SDK's error came from one, else 0.
	Status  int
	Message string
	Err     error
}

// Error names the MCP call, the JSON-RPC code and the message.
func (e *MCPError) Error() string {
	s := "MCP " + e.Operation + " failed"
	if e.Code != 0 {
		s += " with JSON-RPC error " + strconv.FormatInt(e.Code, 10)
	}
	if e.Message != "" {
		s += ": " + e.Message
	}
	return s
}

// Unwrap returns the SDK's error.
func (e *MCPError) Unwrap() error { return e.Err }

// Is makes errors.Is(err, ErrMCP) true.
func (e *MCPError) Is(target error) bool { return target == ErrMCP }

// ResourceRefusal turns a non-2xx answer of a resource into an error: the
// Bearer challenge of a 401/403 as an *OAuthError (RFC 6750 §3), a
// challenge without an error code as ErrTokenRejected, any other status as
// a *FetchError.
func ResourceRefusal(status int, h http.Header, what, url string) error {
	if status >= 200 && status < 300 {
		return nil
	}
	if status == http.StatusUnauthorized || status == http.StatusForbidden {
		ch, ok := BearerChallenge(h.Values("WWW-Authenticate"))
		if ok && ch.Param("error") != "" {
			return &OAuthError{Status: status, Code: ch.Param("error"), Description: ch.Param("error_description"), URI: ch.Param("error_uri"),
				Scope: ch.Param("scope"), ResourceMetadata: ch.Param("resource_metadata"), Source: "WWW-Authenticate"}
		}
		return fmt.Errorf("%w: %s answered %s without an error code", ErrTokenRejected, what, StatusLine(status))
	}
	return &FetchError{Kind: FetchStatus, What: what, URL: url, Status: status, ContentType: h.Get("Content-Type")}
}

// CheckEndpoint refuses a plain-http token endpoint (not on this machine)
// of a server whose issuer is https: client credentials and tokens would
// cross the network in the clear, so nothing is sent.
func CheckEndpoint(issuer, endpoint string) error {
	if strings.HasPrefix(issuer, "https://") && inspect.IsInsecureURL(endpoint) {
		return fmt.Errorf("%w: the token endpoint %s is plain http while the issuer %s is https — fix the endpoint in the metadata (or the config's token_endpoint)", ErrInsecureEndpoint, endpoint, issuer)
	}
	return nil
}
