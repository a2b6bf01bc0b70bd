package wire

import (
	"cmp"
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"syscall"
	"time"
	"unicode/utf8"
)

// FetchErrorKind classifies why a request brought back nothing usable.
type FetchErrorKind int

// The ways a fetch fails, each explained in one sentence by FetchError.
const (
	FetchNetwork  FetchErrorKind = iota // another network error
	FetchBadURL                         // the URL cannot be requested
	FetchDNS                            // the host name does not resolve
	FetchRefused                        // nothing listens on the port
	FetchTLS                            // the TLS handshake or certificate failed
	FetchTimeout                        // no answer in time
	FetchStatus                         // an HTTP error status without an OAuth error body
	FetchRedirect                       // a redirect where a document was expected
	FetchHTML                           // an HTML page where JSON was expected
	FetchNotJSON                        // a body that is not JSON
	FetchTooLarge                       // a body over the limit
)

// String names the kind for JSON and the explanation catalogue.
func (k FetchErrorKind) String() string {
	return [...]string{"network", "bad_url", "dns", "refused", "tls", "timeout", "http_status", "redirect", "html", "not_json", "too_large"}[k]
}

// FetchError says, in one sentence, why fetching something failed: DNS,
// connection refused, TLS, timeout, an HTTP status, HTML instead of JSON,
// or an oversize body. It never carries a stack trace.
type FetchError struct {
	Kind FetchErrorKind
	// What was being fetched ("the IdP's OIDC discovery document").
	What string
	URL  string
	// Status and ContentType describe the response, when there was one.
	Status      int
	ContentType string
	// Location is the target of a redirect.
	Location string
	// Limit is the body limit, for FetchTooLarge.
	Limit int64
	// Timeout is the request timeout, for FetchTimeout.
	Timeout time.Duration
	// Preview is the start of a body that is not JSON.
	Preview string
	Err     error
}

// Error says in one sentence what was fetched, from where, and why it failed.
func (e *FetchError) Error() string {
	host := e.URL
	if u, err := url.Parse(e.URL); err == nil && u.Host != "" {
		host = u.Host
	}
	head := "fetching " + e.What + " from " + e.URL + ": "
	switch e.Kind {
	case FetchBadURL:
		return head + "the URL is not valid (" + errText(e.Err) + ")"
	case FetchDNS:
		return head + "the host name " + hostOnly(host) + " does not resolve (DNS) — check the spelling, or whether it is reachable only on a VPN"
	case FetchRefused:
		return head + "nothing is listening on " + host + " (connection refused) — is the server running, and is the port right?"
	case FetchTLS:
		return head + "the TLS connection failed: " + errText(e.Err) + " — the server's certificate is not valid for this host or not trusted here"
	case FetchTimeout:
		return head + fmt.Sprintf("no answer within %s (timeout) — the server is down, slow, or unreachable from here (firewall, proxy)", e.Timeout)
	case FetchStatus:
		s := head + "the server answered " + StatusLine(e.Status)
		if e.Status == http.StatusNotFound {
			s += " — nothing is published at this URL"
		}
		return s
	case FetchRedirect:
		return head + "the server redirected (" + StatusLine(e.Status) + ") to " + cmp.Or(e.Location, "nowhere") + " — configure the final URL; redirects are not followed for metadata and token requests"
	case FetchHTML:
		return head + "the server answered with an HTML page (" + cmp.Or(e.ContentType, "no Content-Type") + "), not JSON — the URL serves a web page (a login page, a proxy or error page); check it"
	case FetchNotJSON:
		return head + "the body is not JSON (" + errText(e.Err) + "); it starts with " + fmt.Sprintf("%q", e.Preview)
	case FetchTooLarge:
		return head + fmt.Sprintf("the body is larger than %s; xaa stops reading there — this is not the document it asked for", byteSize(e.Limit))
	}
	return head + errText(e.Err)
}

// Unwrap returns the underlying error.
func (e *FetchError) Unwrap() error { return e.Err }

func errText(err error) string {
	if err == nil {
		return "unknown error"
	}
	return err.Error()
}

func hostOnly(hostport string) string {
	if h, _, err := net.SplitHostPort(hostport); err == nil {
		return h
	}
	return hostport
}

func byteSize(n int64) string {
	switch {
	case n >= 1<<20 && n%(1<<20) == 0:
		return fmt.Sprintf("%d MiB", n>>20)
	case n >= 1<<10 && n%(1<<10) == 0:
		return fmt.Sprintf("%d KiB", n>>10)
	}
	return fmt.Sprintf("%d bytes", n)
}

// ClassifyTransportError turns an error of http.Client.Do into a FetchError.
func ClassifyTransportError(what, rawURL string, timeout time.Duration, err error) *FetchError {
	fe := &FetchError{Kind: FetchNetwork, What: what, URL: rawURL, Err: err, Timeout: timeout}
	var dnsErr *net.DNSError
	var unknownAuthority x509.UnknownAuthorityError
	var hostnameErr x509.HostnameError
	var certInvalid x509.CertificateInvalidError
	var recordErr tls.RecordHeaderError
	var certVerify *tls.CertificateVerificationError
	var netErr net.Error
	var urlErr *url.Error
	switch {
	case errors.As(err, &dnsErr):
		fe.Kind = FetchDNS
	case errors.Is(err, syscall.ECONNREFUSED):
		fe.Kind = FetchRefused
	case errors.As(err, &unknownAuthority), errors.As(err, &hostnameErr), errors.As(err, &certInvalid),
		errors.As(err, &recordErr), errors.As(err, &certVerify):
		fe.Kind = FetchTLS
		fe.Err = innermost(err)
	case errors.Is(err, context.DeadlineExceeded), errors.As(err, &netErr) && netErr.Timeout():
		fe.Kind = FetchTimeout
	case errors.As(err, &urlErr) && strings.Contains(urlErr.Err.Error(), "unsupported protocol scheme"):
		fe.Kind = FetchBadURL
		fe.Err = urlErr.Err
	}
	return fe
}

// innermost unwraps to the error that says what actually went wrong.
func innermost(err error) error {
	for {
		next := errors.Unwrap(err)
		if next == nil {
			return err
		}
		var certVerify *tls.CertificateVerificationError
		if errors.As(err, &certVerify) && err == error(certVerify) {
			return certVerify.Err
		}
		err = next
	}
}

// Response is a response whose body was read, bounded.
type Response struct {
	Status int
	Header http.Header
	Body   []byte
}

// Send performs req and reads the body up to the client's bound.
// Transport failures and oversize bodies come back as a *FetchError.
func (c *Client) Send(req *http.Request, what string) (*Response, error) {
	client, limit := c.http, c.opts.MaxBody
	resp, err := client.Do(req)
	if err != nil {
		return nil, ClassifyTransportError(what, req.URL.String(), client.Timeout, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, limit+1))
	if err != nil {
		return nil, ClassifyTransportError(what, req.URL.String(), client.Timeout, err)
	}
	if int64(len(body)) > limit {
		return nil, &FetchError{Kind: FetchTooLarge, What: what, URL: req.URL.String(), Status: resp.StatusCode, Limit: limit}
	}
	return &Response{Status: resp.StatusCode, Header: resp.Header, Body: body}, nil
}

// GetJSON fetches a JSON document with GET and decodes it into v.
func (c *Client) GetJSON(ctx context.Context, rawURL, what string, v any) (*Response, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, rawURL, nil)
	if err != nil {
		return nil, &FetchError{Kind: FetchBadURL, What: what, URL: rawURL, Err: err}
	}
	req.Header.Set("Accept", "application/json")
	resp, err := c.Send(req, what)
	if err != nil {
		return nil, err
	}
	if err := CheckJSON(resp, what, rawURL, v); err != nil {
		return resp, err
	}
	return resp, nil
}

// CheckJSON checks that a response is a 2xx JSON document and decodes it.
func CheckJSON(resp *Response, what, rawURL string, v any) error {
	ct := resp.Header.Get("Content-Type")
	switch {
	case resp.Status >= 300 && resp.Status < 400:
		return &FetchError{Kind: FetchRedirect, What: what, URL: rawURL, Status: resp.Status, Location: resp.Header.Get("Location")}
	case resp.Status < 200 || resp.Status >= 300:
		return &FetchError{Kind: FetchStatus, What: what, URL: rawURL, Status: resp.Status, ContentType: ct}
	case LooksLikeHTML(ct, resp.Body):
		return &FetchError{Kind: FetchHTML, What: what, URL: rawURL, Status: resp.Status, ContentType: ct}
	}
	if err := json.Unmarshal(resp.Body, v); err != nil {
		return &FetchError{Kind: FetchNotJSON, What: what, URL: rawURL, Status: resp.Status, ContentType: ct, Err: err, Preview: preview(resp.Body)}
	}
	return nil
}

// LooksLikeHTML reports whether a body is an HTML page: by its type, or by
// its first characters when the type lies.
func LooksLikeHTML(contentType string, body []byte) bool {
	if strings.Contains(strings.ToLower(contentType), "html") {
		return true
	}
	trimmed := strings.TrimSpace(string(body[:min(len(body), 64)]))
	return strings.HasPrefix(trimmed, "<")
}

// preview returns the first characters of a body, for an error message.
func preview(b []byte) string {
	s := string(b[:min(len(b), 60)])
	for !utf8.ValidString(s) && len(s) > 0 {
		s = s[:len(s)-1]
	}
	if len(b) > 60 {
		s += "…"
	}
	return s
}

// BodyLimit is a transport for libraries that read response bodies
// themselves (the MCP SDK): it fails a read past Limit bytes of a body as
// it arrives — after any gzip decoding, so a small compressed answer that
// inflates to gigabytes stops at the limit — and keeps the error for the
// caller to report.
type BodyLimit struct {
	Next  http.RoundTripper
	Limit int64
	// What names what is fetched, for the error.
	What string

	mu   sync.Mutex
	over *FetchError
}

// RoundTrip sends req and bounds the response body.
func (b *BodyLimit) RoundTrip(req *http.Request) (*http.Response, error) {
	resp, err := b.Next.RoundTrip(req)
	if err != nil {
		return nil, err
	}
	resp.Body = &limitedBody{ReadCloser: resp.Body, left: b.Limit, trip: func() error {
		fe := &FetchError{Kind: FetchTooLarge, What: b.What, URL: req.URL.String(), Status: resp.StatusCode, Limit: b.Limit}
		b.mu.Lock()
		b.over = fe
		b.mu.Unlock()
		return fe
	}}
	return resp, nil
}

// Exceeded returns the error of the first body that went past the limit.
func (b *BodyLimit) Exceeded() *FetchError {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.over
}

type limitedBody struct {
	io.ReadCloser
	left int64
	trip func() error
}

func (l *limitedBody) Read(p []byte) (int, error) {
	if l.left <= 0 {
		return 0, l.trip()
	}
	if int64(len(p)) > l.left {
		p = p[:l.left]
	}
	n, err := l.ReadCloser.Read(p)
	l.left -= int64(n)
	return n, err
}
