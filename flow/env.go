package flow

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
	DefaultLoginTimeout   = 5 * time.Minute
	// DefaultMaxBodyBytes bounds every response body xaa reads. Metadata,
	// key sets and token responses are a few kilobytes.
	DefaultMaxBodyBytes = 1 << 20
)

// Env is everything non-deterministic the flow needs, injected so tests are
// exact and callers decide how to talk to the world.
type Env struct {
	// HTTPClient sends every request. Its Transport is wrapped by the
	// recorder; nil means http.DefaultTransport. TLS verification stays on
	// unless the caller's transport turns it off.
	HTTPClient *http.Client
	// Now is the clock; nil means time.Now.
	Now func() time.Time
	// Rand is the source of state, nonce, PKCE verifiers and jti values;
	// nil means crypto/rand.
	Rand io.Reader
	// OpenBrowser opens the authorization URL (github.com/cli/browser, a
	// $BROWSER command, or the playground's scripted LoginBrowser). Nil
	// means the user opens the URL by hand: it is always reported through
	// Progress.
	OpenBrowser func(url string) error
	// Progress receives what a person waiting for the run wants to know
	// (step started, open this URL). Nil discards it.
	Progress func(Progress)
	// RequestTimeout bounds each HTTP request; DefaultRequestTimeout when zero.
	RequestTimeout time.Duration
	// LoginTimeout bounds the wait for the login callback; DefaultLoginTimeout when zero.
	LoginTimeout time.Duration
	// MaxBodyBytes bounds each response body read; DefaultMaxBodyBytes when zero.
	MaxBodyBytes int64
}

// Progress is one event of a running flow, for a progress line on stderr
// or a spinner in the TUI.
type Progress struct {
	Step StepID
	// Message is a sentence for people ("waiting for the login callback on
	// http://127.0.0.1:8976/callback").
	Message string
	// URL is set when the user has to open it (the authorization URL).
	URL string
	// Done is set when the step finished, with its status.
	Done   bool
	Status StepStatus
}

func (e Env) now() time.Time {
	if e.Now == nil {
		return time.Now()
	}
	return e.Now()
}

func (e Env) random() io.Reader {
	if e.Rand == nil {
		return rand.Reader
	}
	return e.Rand
}

func (e Env) requestTimeout() time.Duration {
	if e.RequestTimeout <= 0 {
		return DefaultRequestTimeout
	}
	return e.RequestTimeout
}

func (e Env) loginTimeout() time.Duration {
	if e.LoginTimeout <= 0 {
		return DefaultLoginTimeout
	}
	return e.LoginTimeout
}

func (e Env) maxBody() int64 {
	if e.MaxBodyBytes <= 0 {
		return DefaultMaxBodyBytes
	}
	return e.MaxBodyBytes
}

func (e Env) progress(p Progress) {
	if e.Progress != nil {
		e.Progress(p)
	}
}

// baseTransport is the transport under the recorder.
func (e Env) baseTransport() http.RoundTripper {
	if e.HTTPClient != nil && e.HTTPClient.Transport != nil {
		return e.HTTPClient.Transport
	}
	return http.DefaultTransport
}

// client returns an HTTP client that records into rec, with the request
// timeout, and that does not follow redirects (a redirect from a token or
// metadata endpoint is itself the finding).
func (e Env) client(rec *Recorder) *http.Client {
	return &http.Client{
		Transport: rec,
		Timeout:   e.requestTimeout(),
		CheckRedirect: func(*http.Request, []*http.Request) error {
			return http.ErrUseLastResponse
		},
	}
}

// randomString returns n random bytes, base64url without padding: 32 bytes
// give the 43-character PKCE verifier of RFC 7636 §4.1.
func (e Env) randomString(n int) (string, error) {
	b := make([]byte, n)
	if _, err := io.ReadFull(e.random(), b); err != nil {
		return "", errors.Join(errors.New("reading random bytes"), err)
	}
	return base64.RawURLEncoding.EncodeToString(b), nil
}
