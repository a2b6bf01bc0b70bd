package flow

import (
	"crypto/rand"
	"io"
	"net/http"
	"time"

	"github.com/xaatools/xaa/inspect"

	"github.com/xaatools/xaa/flow/wire"
)

// DefaultLoginTimeout bounds the wait for a person to log in.
const DefaultLoginTimeout = 5 * time.Minute

// Env is everything non-deterministic the flow needs, injected so tests are
// exact and callers decide how to talk to the world.
type Env struct {
	// HTTPClient's Transport sends every request, under the recorder; nil
	// means http.DefaultTransport. TLS verification stays on unless the
	// caller's transport turns it off.
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
	// Browser names who logs in through OpenBrowser, for the progress
	// message ("the playground's scripted browser, as alice"); empty means
	// the user's own browser.
	Browser string
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
	Status inspect.Status
}

// Client returns a recording HTTP client with the environment's transport,
// clock, randomness and limits, scrubbing secrets from its record.
func (e Env) Client(secrets []string) *wire.Client { return wire.NewClient(e.Options(secrets)) }

// Options are the wire options of the environment, scrubbing secrets.
func (e Env) Options(secrets []string) wire.Options {
	o := wire.Options{Now: e.Now, Rand: e.Rand, Timeout: e.RequestTimeout, MaxBody: e.MaxBodyBytes, Secrets: secrets}
	if e.HTTPClient != nil {
		o.Transport = e.HTTPClient.Transport
	}
	return o
}

// Time reads the environment's clock.
func (e Env) Time() time.Time {
	if e.Now == nil {
		return time.Now()
	}
	return e.Now()
}

// Random returns the environment's source of randomness.
func (e Env) Random() io.Reader {
	if e.Rand == nil {
		return rand.Reader
	}
	return e.Rand
}

func (e Env) loginTimeout() time.Duration {
	if e.LoginTimeout <= 0 {
		return DefaultLoginTimeout
	}
	return e.LoginTimeout
}

func (e Env) progress(p Progress) {
	if e.Progress != nil {
		e.Progress(p)
	}
}
