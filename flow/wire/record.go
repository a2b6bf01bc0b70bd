package wire

import (
	"bytes"
	"context"
	"encoding/base64"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"sync"
	"time"
)

// MaxRecordedBodyBytes bounds how much of each request and response body an
// Exchange keeps; the rest is counted but not stored.
const MaxRecordedBodyBytes = 256 << 10

// Exchange is one recorded HTTP round trip. Secrets (Basic credentials,
// client_secret, client_assertion, passwords, code_verifier, cookies and
// every configured secret value) are replaced by Redacted when the exchange
// is captured, so they never reach a report. Tokens are kept: use
// ForDisplay to shorten them unless the user reveals them.
type Exchange struct {
	// Label says what the request was for ("IdP OIDC discovery").
	Label string
	// Party is who was called: "idp", "as", "resource", or "" when unknown.
	Party string
	// Started is when the request was sent; Duration runs until the
	// response headers arrived (or the request failed), BodyDuration until
	// the response body was read.
	Started      time.Time
	Duration     time.Duration
	BodyDuration time.Duration
	Request      RecordedRequest
	// Response is nil when no response arrived.
	Response *RecordedResponse
	// Err is the transport error, when the request failed.
	Err error
}

// RecordedRequest is the request half of an Exchange.
type RecordedRequest struct {
	Method string
	URL    string
	Header http.Header
	Body   []byte
	// BodySize is the full body length; Body holds at most
	// MaxRecordedBodyBytes of it, with secrets redacted. Truncated says
	// bytes were left out (redaction alone changes the length too).
	BodySize  int64
	Truncated bool
	// BasicUser is the user (client_id) of a Basic Authorization header,
	// kept because it is not a secret and tells which client authenticated.
	BasicUser string
}

// RecordedResponse is the response half of an Exchange.
type RecordedResponse struct {
	Status     int
	StatusText string
	Proto      string
	Header     http.Header
	Body       []byte
	// BodySize is how many body bytes were read; Truncated says Body holds
	// only the first MaxRecordedBodyBytes of them.
	BodySize  int64
	Truncated bool
}

// Recorder is the one http.RoundTripper every request of a step goes
// through, including those made inside golang.org/x/oauth2 (handed over
// with the oauth2.HTTPClient context key) and the MCP Go SDK client. It
// captures each request and response with timing, bounded bodies and
// secrets redacted.
type Recorder struct {
	// Next sends the request; http.DefaultTransport when nil.
	Next http.RoundTripper
	// Now is the clock for timings; time.Now when nil.
	Now func() time.Time
	// Secrets are values scrubbed wherever they appear (URL, headers,
	// bodies), in case a server echoes one back.
	Secrets []string

	mu        sync.Mutex
	exchanges []*Exchange
	// forms are the texts scrub replaces, built once from Secrets.
	formsOnce sync.Once
	forms     []string
	// open counts response bodies not yet read to the end or closed.
	open sync.WaitGroup
}

type recordKey struct{}

// recordLabel is what a step attaches to a request's context so the
// recorder can label the exchange.
type recordLabel struct{ label, party string }

// WithLabel labels every request made with ctx: the party called and
// what the request is for.
func WithLabel(ctx context.Context, party, label string) context.Context {
	return context.WithValue(ctx, recordKey{}, recordLabel{label: label, party: party})
}

// Exchanges returns copies of the exchanges recorded so far, in order. A
// body still being read (a stream the caller has not finished) is recorded
// as far as it was read when Exchanges was called.
func (r *Recorder) Exchanges() []*Exchange {
	r.mu.Lock()
	defer r.mu.Unlock()
	out := make([]*Exchange, len(r.exchanges))
	for i, x := range r.exchanges {
		c := *x
		if x.Response != nil {
			resp := *x.Response
			c.Response = &resp
		}
		out[i] = &c
	}
	return out
}

// Settle waits until every response body has been read to its end or
// closed, or until timeout, so the record is complete: libraries such as
// the MCP SDK finish reading streamed answers in the background.
func (r *Recorder) Settle(timeout time.Duration) {
	done := make(chan struct{})
	go func() {
		r.open.Wait()
		close(done)
	}()
	t := time.NewTimer(timeout)
	defer t.Stop()
	select {
	case <-done:
	case <-t.C:
	}
}

// Relabel lets label rename recorded exchanges (the MCP SDK's requests are
// named after their JSON-RPC method once they are known).
func (r *Recorder) Relabel(label func(x *Exchange)) {
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, x := range r.exchanges {
		label(x)
	}
}

func (r *Recorder) now() time.Time {
	if r.Now == nil {
		return time.Now()
	}
	return r.Now()
}

// RoundTrip records req and its response. The response body is recorded
// while the caller reads it, so streamed responses (server-sent events)
// pass through unchanged.
func (r *Recorder) RoundTrip(req *http.Request) (*http.Response, error) {
	x := &Exchange{Started: r.now()}
	if l, ok := req.Context().Value(recordKey{}).(recordLabel); ok {
		x.Label, x.Party = l.label, l.party
	}
	req, body, size, err := captureRequestBody(req)
	if err != nil {
		return nil, err
	}
	x.Request = RecordedRequest{
		Method:    req.Method,
		URL:       r.scrub(redactURL(req.URL)),
		Header:    r.redactHeader(req.Header),
		Body:      []byte(r.scrub(string(redactBody(req.Header.Get("Content-Type"), body)))),
		BodySize:  size,
		Truncated: int64(len(body)) < size,
	}
	if user, _, ok := req.BasicAuth(); ok {
		x.Request.BasicUser = r.scrub(user)
	}
	r.mu.Lock()
	r.exchanges = append(r.exchanges, x)
	r.mu.Unlock()

	next := r.Next
	if next == nil {
		next = http.DefaultTransport
	}
	resp, err := next.RoundTrip(req)
	end := r.now()
	r.mu.Lock()
	defer r.mu.Unlock()
	x.Duration = end.Sub(x.Started)
	if err != nil {
		x.Err = err
		return nil, err
	}
	x.Response = &RecordedResponse{
		Status:     resp.StatusCode,
		StatusText: http.StatusText(resp.StatusCode),
		Proto:      resp.Proto,
		Header:     r.redactHeader(resp.Header),
	}
	r.open.Add(1)
	resp.Body = &recordingBody{rc: resp.Body, r: r, x: x, contentType: resp.Header.Get("Content-Type")}
	return resp, nil
}

// captureRequestBody reads up to MaxRecordedBodyBytes of the body and puts
// back a body that yields all of it.
func captureRequestBody(req *http.Request) (*http.Request, []byte, int64, error) {
	if req.Body == nil || req.Body == http.NoBody {
		return req, nil, 0, nil
	}
	head, err := io.ReadAll(io.LimitReader(req.Body, MaxRecordedBodyBytes+1))
	if err != nil {
		return req, nil, 0, err
	}
	clone := req.Clone(req.Context())
	size := int64(len(head))
	if len(head) > MaxRecordedBodyBytes {
		clone.Body = struct {
			io.Reader
			io.Closer
		}{io.MultiReader(bytes.NewReader(head), req.Body), req.Body}
		head = head[:MaxRecordedBodyBytes]
		size = req.ContentLength
	} else {
		req.Body.Close()
		clone.Body = io.NopCloser(bytes.NewReader(head))
	}
	return clone, head, size, nil
}

// recordingBody copies what the caller reads into the exchange.
type recordingBody struct {
	rc          io.ReadCloser
	r           *Recorder
	x           *Exchange
	contentType string
	buf         bytes.Buffer
	n           int64
	done        bool
}

// Read passes the body on and records up to MaxRecordedBodyBytes of it.
func (b *recordingBody) Read(p []byte) (int, error) {
	n, err := b.rc.Read(p)
	if n > 0 {
		b.n += int64(n)
		if room := MaxRecordedBodyBytes - b.buf.Len(); room > 0 {
			b.buf.Write(p[:min(n, room)])
		}
	}
	if err != nil {
		b.finish()
	}
	return n, err
}

// Close finishes the record and closes the body.
func (b *recordingBody) Close() error {
	b.finish()
	return b.rc.Close()
}

func (b *recordingBody) finish() {
	b.r.mu.Lock()
	defer b.r.mu.Unlock()
	if b.done {
		return
	}
	b.done = true
	defer b.r.open.Done()
	b.x.BodyDuration = b.r.now().Sub(b.x.Started)
	b.x.Response.Body = []byte(b.r.scrub(string(redactBody(b.contentType, b.buf.Bytes()))))
	b.x.Response.BodySize = b.n
	b.x.Response.Truncated = b.n > int64(b.buf.Len())
}

// redactHeader copies h with credentials replaced.
func (r *Recorder) redactHeader(h http.Header) http.Header {
	out := make(http.Header, len(h))
	for k, vs := range h {
		for _, v := range vs {
			out[k] = append(out[k], r.scrub(redactHeaderValue(k, v)))
		}
	}
	return out
}

// scrub replaces every configured secret value wherever it appears: raw,
// URL-encoded, and base64-encoded at each of the three offsets it can have
// inside a longer base64 text (the Basic credentials client_id:secret put
// it at an offset that depends on the length of the client id).
func (r *Recorder) scrub(s string) string {
	r.formsOnce.Do(func() {
		for _, secret := range r.Secrets {
			if len(secret) < 4 {
				continue // too short to scrub without mangling unrelated text
			}
			for _, form := range append([]string{secret, url.QueryEscape(secret)}, base64Forms(secret)...) {
				if len(form) >= 4 {
					r.forms = append(r.forms, form)
				}
			}
		}
		// The longest first: a whole Basic credential before the secret's
		// own base64 inside it, which would leave its ends behind.
		slices.SortStableFunc(r.forms, func(a, b string) int { return len(b) - len(a) })
	})
	for _, form := range r.forms {
		if strings.Contains(s, form) {
			s = strings.ReplaceAll(s, form, Redacted)
		}
	}
	return s
}

// base64Forms returns the base64 text a secret becomes when it starts 0, 1
// or 2 bytes into a 3-byte group: only the characters that depend on the
// secret's bytes alone, which are the same whatever surrounds it.
func base64Forms(secret string) []string {
	var out []string
	for offset := 0; offset < 3; offset++ {
		enc := base64.StdEncoding.EncodeToString(append(make([]byte, offset), secret...))
		start, end := 0, len(enc)
		if offset > 0 {
			start = 4 // the first group mixes the secret with what comes before
		}
		if (offset+len(secret))%3 != 0 {
			end -= 4 // the last group mixes it with what comes after
		}
		if offset == 0 && (offset+len(secret))%3 == 0 {
			out = append(out, enc) // stands alone as well
		}
		if end-start >= 8 {
			out = append(out, enc[start:end])
		}
	}
	return out
}
