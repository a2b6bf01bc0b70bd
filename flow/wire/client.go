// Package wire is everything xaa says and hears over HTTP, independent of
// the flow's steps: a Client that records every exchange through one
// http.RoundTripper (secrets redacted at capture), bounded reads with
// timeouts, the failures of a fetch in one sentence (FetchError), OAuth
// errors, client authentication (client_secret_basic, client_secret_post,
// private_key_jwt), token requests, authorization server and protected
// resource metadata discovery, key sets, WWW-Authenticate challenges and
// the loopback login callback.
//
// Everything that comes back is untrusted: every body is read with a size
// bound, every request has a timeout, redirects are never followed.
package wire

import (
	"crypto/rand"
	"encoding/base64"
	"errors"
	"io"
	"net/http"
	"time"
)

// Default limits. Every request has a timeout and every body read is bounded.
const (
	DefaultRequestTimeout = 15 * time.Second
	// DefaultMaxBodyBytes bounds every response body xaa reads. Metadata,
	// key sets and token responses are a few kilobytes.
	DefaultMaxBodyBytes = 1 << 20
)

// Options configure a Client; every field may be left zero.
type Options struct {
	// Transport sends the requests under the recorder; nil means
	// http.DefaultTransport. TLS verification stays on unless the caller's
	// transport turns it off.
	Transport http.RoundTripper
	// Now is the clock; nil means time.Now.
	Now func() time.Time
	// Rand is the source of client assertion jti values (and of whatever
	// else the caller asks Random for); nil means crypto/rand.
	Rand io.Reader
	// Timeout bounds each request; DefaultRequestTimeout when zero.
	Timeout time.Duration
	// MaxBody bounds each response body read; DefaultMaxBodyBytes when zero.
	MaxBody int64
	// Secrets are values scrubbed from every record wherever they appear.
	Secrets []string
}

// Client is the recorder and HTTP client of one step (or one probe), so
// its record holds exactly its own exchanges.
type Client struct {
	opts Options
	rec  *Recorder
	http *http.Client
}

// NewClient returns a client that records into a fresh Recorder.
func NewClient(o Options) *Client {
	if o.Timeout <= 0 {
		o.Timeout = DefaultRequestTimeout
	}
	if o.MaxBody <= 0 {
		o.MaxBody = DefaultMaxBodyBytes
	}
	if o.Rand == nil {
		o.Rand = rand.Reader
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	rec := &Recorder{Next: o.Transport, Now: o.Now, Secrets: o.Secrets}
	return &Client{opts: o, rec: rec, http: noRedirects(rec, o.Timeout)}
}

// noRedirects is an HTTP client with the timeout that does not follow
// redirects: a redirect from a token or metadata endpoint is itself the
// finding.
func noRedirects(t http.RoundTripper, timeout time.Duration) *http.Client {
	return &http.Client{
		Transport: t,
		Timeout:   timeout,
		CheckRedirect: func(*http.Request, []*http.Request) error {
			return http.ErrUseLastResponse
		},
	}
}

// HTTP returns the recording HTTP client, for libraries (x/oauth2, the MCP
// SDK) that make their own requests.
func (c *Client) HTTP() *http.Client { return c.http }

// HTTPWith returns an HTTP client like HTTP whose requests pass through
// wrap before they are recorded (to add a bearer token, say).
func (c *Client) HTTPWith(wrap func(next http.RoundTripper) http.RoundTripper) *http.Client {
	return noRedirects(wrap(c.rec), c.opts.Timeout)
}

// CloseIdleConnections closes the transport's pooled connections, so the
// next request opens a fresh one: after a wait for a person, a server may
// have closed an idle connection the pool would otherwise reuse.
func (c *Client) CloseIdleConnections() {
	t := c.opts.Transport
	if t == nil {
		t = http.DefaultTransport
	}
	if ci, ok := t.(interface{ CloseIdleConnections() }); ok {
		ci.CloseIdleConnections()
	}
}

// Recorder returns the client's recorder.
func (c *Client) Recorder() *Recorder { return c.rec }

// Now returns the client's clock reading.
func (c *Client) Now() time.Time { return c.opts.Now() }

// Timeout is the per-request timeout.
func (c *Client) Timeout() time.Duration { return c.opts.Timeout }

// MaxBody is the bound of every body read.
func (c *Client) MaxBody() int64 { return c.opts.MaxBody }

// Random returns n random bytes, base64url without padding: 32 bytes give
// the 43-character PKCE verifier of RFC 7636 §4.1.
func (c *Client) Random(n int) (string, error) { return RandomString(c.opts.Rand, n) }

// RandomString returns n bytes of r, base64url without padding.
func RandomString(r io.Reader, n int) (string, error) {
	b := make([]byte, n)
	if _, err := io.ReadFull(r, b); err != nil {
		return "", errors.Join(errors.New("reading random bytes"), err)
	}
	return base64.RawURLEncoding.EncodeToString(b), nil
}

// settleTimeout bounds the wait for response bodies still being read when
// the record is taken.
const settleTimeout = time.Second

// Exchanges returns what the client recorded, once the bodies being read
// have been (or a second has passed).
func (c *Client) Exchanges() []*Exchange {
	c.rec.Settle(settleTimeout)
	return c.rec.Exchanges()
}

// Scrub replaces the configured secrets in s, raw or encoded.
func (c *Client) Scrub(s string) string { return c.rec.scrub(s) }
