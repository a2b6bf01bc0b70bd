// Package oktaadmin reads an Okta org's admin (management) API for the
// doctor: the requesting app, its Cross App Access connections and keys,
// and the custom authorization servers with their policies, rules and
// scopes. It is read-only by construction: the client has no way to send
// anything but GET to the API (any other method is refused in code before
// it reaches the network), and the one POST it makes is the
// client-credentials token request of an API Services app, to the org's
// own token endpoint.
//
// Every answer is outside input: each body is read with a size bound,
// decoded into typed structs, and whatever is shown of it is sanitized.
// Nothing here stops the doctor: a read that fails is an *Error saying
// why, and for 401/403 which scope or admin role to grant.
package oktaadmin

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/xaatools/xaa/flow/config"
	"github.com/xaatools/xaa/flow/wire"
)

// Limits of one read.
const (
	// DefaultMaxPages bounds a list: pages of Link rel="next" followed.
	DefaultMaxPages = 10
	// DefaultMaxWait is the longest wait for X-Rate-Limit-Reset after a
	// 429; a later reset is not waited for.
	DefaultMaxWait = 10 * time.Second
	// Party labels the admin API's exchanges.
	Party = "okta-admin"
)

// Client reads one org's admin API.
type Client struct {
	// Org is the org's origin, https://{yourOktaDomain}.
	Org string
	// MaxPages and MaxWait bound lists and rate-limit waits.
	MaxPages int
	MaxWait  time.Duration
	// Sleep waits (a test's clock); nil means a timer.
	Sleep func(ctx context.Context, d time.Duration) error

	cfg   config.OktaConfig
	wopts wire.Options
	// bearer is the access token of private-key mode, once fetched;
	// tokenErr why it could not be, and tokenEvidence its exchange.
	bearer        string
	tokenTried    bool
	tokenErr      *Error
	tokenEvidence []*wire.Exchange
}

// New returns a client of the org at okta.org_url, else the origin of
// issuer; wopts carry the clock, the transport, the bounds and the
// secrets to scrub (the config's, which include the API token and key).
func New(o config.OktaConfig, issuer string, wopts wire.Options) (*Client, error) {
	org := o.OrgOrigin(issuer)
	if org == "" {
		return nil, errors.New("no org URL: set okta.org_url (https://{yourOktaDomain})")
	}
	if o.Mode() == "" {
		return nil, errors.New("no admin API access configured (okta.token, or okta.client_id with okta.private_key)")
	}
	return &Client{Org: org, MaxPages: DefaultMaxPages, MaxWait: DefaultMaxWait, cfg: o, wopts: wopts}, nil
}

// Read is the outcome of one read: the URL read, the exchanges it took
// (the evidence, secrets scrubbed) and, when it failed, why.
type Read struct {
	URL       string
	Exchanges []*wire.Exchange
	Err       *Error
}

// OK reports whether the read succeeded.
func (r *Read) OK() bool { return r.Err == nil }

// ErrorKind classifies a failed read.
type ErrorKind int

// The ways a read fails.
const (
	// Denied: 401 or 403 — the token lacks a scope or the admin role.
	Denied ErrorKind = iota + 1
	// NotFound: 404 — a wrong id, or an API the org does not have.
	NotFound
	// RateLimited: 429, still after one wait.
	RateLimited
	// Failed: anything else — the network, an error status, not JSON,
	// too large, too many pages, a next link off the org.
	Failed
	// Refused: a request the client will not send (not GET).
	Refused
)

// Error says why a read failed: Okta's errorCode and errorSummary, the
// scope an OAuth token lacked, and what to grant.
type Error struct {
	Kind   ErrorKind
	Status int
	// Code and Summary are Okta's errorCode and errorSummary, sanitized.
	Code, Summary string
	// Scope is the scope a 403 insufficient_scope challenge names.
	Scope string
	// Need is the scope the read needs (okta.apps.read …).
	Need string
	Err  error
}

// Error says what failed in one sentence.
func (e *Error) Error() string {
	var b strings.Builder
	switch e.Kind {
	case Denied:
		fmt.Fprintf(&b, "the admin API refused the read (%s)", wire.StatusLine(e.Status))
	case NotFound:
		b.WriteString("the admin API answered 404 Not Found")
	case RateLimited:
		b.WriteString("the admin API is rate-limited (429 Too Many Requests, still after waiting once for X-Rate-Limit-Reset)")
	case Refused:
		b.WriteString("refused before sending: the admin client only reads (GET)")
	default:
		if e.Err != nil {
			return e.Err.Error()
		}
		fmt.Fprintf(&b, "the admin API answered %s", wire.StatusLine(e.Status))
	}
	if e.Code != "" || e.Summary != "" {
		fmt.Fprintf(&b, ": %s %s", e.Code, e.Summary)
	}
	if e.Err != nil && e.Kind != Failed {
		fmt.Fprintf(&b, ": %v", e.Err)
	}
	return b.String()
}

// Unwrap returns the underlying error.
func (e *Error) Unwrap() error { return e.Err }

// Grant says what to grant the doctor's access for a Denied read: the
// scope, and the admin role.
func (e *Error) Grant() string {
	scope := e.Scope
	if scope == "" {
		scope = e.Need
	}
	switch {
	case e.Status == http.StatusUnauthorized:
		return "the API token or the service app's access token is not valid (" + strings.TrimSpace(e.Code+" "+e.Summary) + "): create a new API token (Security › API › Tokens), or check okta.client_id and the key registered on the API Services app"
	case e.Scope != "":
		return "grant " + scope + " to the API Services app (Applications › {service app} › Okta API Scopes › Grant), then run the doctor again"
	}
	return "grant " + scope + " (Okta API Scopes tab of the API Services app) and an admin role that can read it — Read-only Administrator for apps and authorization servers; an API token carries the role of the admin who created it"
}

// sanitize keeps outside text printable and short.
func sanitize(s string, n int) string {
	s = strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f || (r >= 0x80 && r < 0xa0) || r == '\u2028' || r == '\u2029' || (r >= '\u202a' && r <= '\u202e') || (r >= '\u2066' && r <= '\u2069') {
			return -1
		}
		return r
	}, strings.ToValidUTF8(s, "?"))
	if len([]rune(s)) > n {
		s = string([]rune(s)[:n]) + "…"
	}
	return s
}

// Sanitize keeps a value read from the org printable and at most 200
// characters, for display.
func Sanitize(s string) string { return sanitize(s, 200) }

// Get reads one object at path (relative to the org) into v.
func (c *Client) Get(ctx context.Context, path string, query url.Values, need string, v any) *Read {
	r := &Read{URL: c.url(path, query)}
	body := c.fetch(ctx, r, r.URL, need)
	if r.Err != nil {
		return r
	}
	if err := json.Unmarshal(body, v); err != nil {
		r.Err = &Error{Kind: Failed, Need: need, Err: fmt.Errorf("the admin API's answer at %s is not the JSON object expected: %v", r.URL, err)}
	}
	return r
}

// List reads every page of a list at path into v (a pointer to a slice),
// following Link rel="next" on the org, at most MaxPages pages.
func (c *Client) List(ctx context.Context, path string, query url.Values, need string, v any) *Read {
	return c.list(ctx, path, query, need, v, false)
}

// list is List; wrapped also takes pages that are {"data": [...]}.
func (c *Client) list(ctx context.Context, path string, query url.Values, need string, v any, wrapped bool) *Read {
	r := &Read{URL: c.url(path, query)}
	var all []json.RawMessage
	next := r.URL
	for page := 0; next != ""; page++ {
		if page == c.MaxPages {
			r.Err = &Error{Kind: Failed, Need: need, Err: fmt.Errorf("the list at %s has more than %d pages; the doctor reads at most that many", r.URL, c.MaxPages)}
			return r
		}
		body := c.fetch(ctx, r, next, need)
		if r.Err != nil {
			return r
		}
		items, err := pageItems(body, wrapped)
		if err != nil {
			r.Err = &Error{Kind: Failed, Need: need, Err: fmt.Errorf("the admin API's answer at %s is not the JSON array expected: %v", next, err)}
			return r
		}
		all = append(all, items...)
		link := nextLink(r.Exchanges[len(r.Exchanges)-1])
		if link == "" {
			break
		}
		u, err := url.Parse(link)
		if err != nil || u.Scheme+"://"+u.Host != c.Org {
			r.Err = &Error{Kind: Failed, Need: need, Err: fmt.Errorf("the next-page link of %s leaves the org (%s); not followed", r.URL, sanitize(link, 120))}
			return r
		}
		next = link
	}
	joined, _ := json.Marshal(all)
	if err := json.Unmarshal(joined, v); err != nil {
		r.Err = &Error{Kind: Failed, Need: need, Err: fmt.Errorf("the admin API's list at %s is not what was expected: %v", r.URL, err)}
	}
	return r
}

// url joins path and query to the org.
func (c *Client) url(path string, query url.Values) string {
	u := c.Org + path
	if len(query) > 0 {
		u += "?" + query.Encode()
	}
	return u
}

// nextLink returns the rel="next" target of the exchange's Link header.
func nextLink(x *wire.Exchange) string {
	if x == nil || x.Response == nil {
		return ""
	}
	for _, v := range x.Response.Header.Values("Link") {
		for part := range strings.SplitSeq(v, ",") {
			target, params, ok := strings.Cut(part, ";")
			if !ok {
				continue
			}
			for p := range strings.SplitSeq(params, ";") {
				name, val, _ := strings.Cut(strings.TrimSpace(p), "=")
				if strings.EqualFold(name, "rel") && strings.Trim(val, `"`) == "next" {
					return strings.Trim(strings.TrimSpace(target), "<>")
				}
			}
		}
	}
	return ""
}

// fetch GETs rawURL, waiting once on 429, and returns the body of a 2xx
// JSON answer; on failure it sets r.Err. The exchanges go to r.
func (c *Client) fetch(ctx context.Context, r *Read, rawURL, need string) []byte {
	auth, err := c.authorization(ctx, r)
	if err != nil {
		r.Err = err
		r.Err.Need = need
		return nil
	}
	for attempt := 0; ; attempt++ {
		resp, x, ferr := c.send(ctx, http.MethodGet, rawURL, auth)
		r.Exchanges = append(r.Exchanges, x...)
		if ferr != nil {
			r.Err = &Error{Kind: Failed, Need: need, Err: ferr}
			return nil
		}
		if resp.Status == http.StatusTooManyRequests && attempt == 0 {
			if wait, ok := c.resetWait(resp.Header); ok {
				if err := c.sleep(ctx, wait); err != nil {
					r.Err = &Error{Kind: RateLimited, Status: resp.Status, Need: need, Err: err}
					return nil
				}
				continue
			}
		}
		if e := readError(resp, rawURL, need); e != nil {
			r.Err = e
			return nil
		}
		return resp.Body
	}
}

// resetWait is how long until X-Rate-Limit-Reset (epoch seconds), when it
// is at most MaxWait away.
func (c *Client) resetWait(h http.Header) (time.Duration, bool) {
	reset, err := strconv.ParseInt(strings.TrimSpace(h.Get("X-Rate-Limit-Reset")), 10, 64)
	if err != nil {
		return 0, false
	}
	now := time.Now
	if c.wopts.Now != nil {
		now = c.wopts.Now
	}
	wait := time.Unix(reset, 0).Sub(now()) + time.Second
	if wait > c.MaxWait {
		return 0, false
	}
	return max(wait, 0), true
}

func (c *Client) sleep(ctx context.Context, d time.Duration) error {
	if c.Sleep != nil {
		return c.Sleep(ctx, d)
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// oktaError is Okta's error body.
type oktaError struct {
	ErrorCode    string `json:"errorCode"`
	ErrorSummary string `json:"errorSummary"`
}

// readError returns the error of a response that is not a 2xx JSON answer.
func readError(resp *wire.Response, rawURL, need string) *Error {
	if resp.Status >= 200 && resp.Status < 300 {
		if wire.LooksLikeHTML(resp.Header.Get("Content-Type"), resp.Body) {
			return &Error{Kind: Failed, Status: resp.Status, Need: need, Err: &wire.FetchError{Kind: wire.FetchHTML, What: "the admin API's answer", URL: rawURL, Status: resp.Status, ContentType: resp.Header.Get("Content-Type")}}
		}
		return nil
	}
	e := &Error{Kind: Failed, Status: resp.Status, Need: need}
	var oe oktaError
	if json.Unmarshal(resp.Body, &oe) == nil {
		e.Code, e.Summary = sanitize(oe.ErrorCode, 20), sanitize(oe.ErrorSummary, 200)
	}
	switch resp.Status {
	case http.StatusUnauthorized, http.StatusForbidden:
		e.Kind = Denied
		for _, ch := range wire.ParseWWWAuthenticate(resp.Header.Values("WWW-Authenticate")) {
			if s := ch.Param("scope"); s != "" && ch.Param("error") == "insufficient_scope" {
				e.Scope = sanitize(s, 80)
			}
		}
	case http.StatusNotFound:
		e.Kind = NotFound
	case http.StatusTooManyRequests:
		e.Kind = RateLimited
	}
	return e
}

// readOnly refuses every request that is not a GET, before it reaches the
// recorder or the network: the admin client reads and nothing else.
type readOnly struct{ next http.RoundTripper }

// ErrNotRead is the refusal of a request that is not a GET.
var ErrNotRead = errors.New("the Okta admin client only sends GET")

func (t readOnly) RoundTrip(req *http.Request) (*http.Response, error) {
	if req.Method != http.MethodGet {
		if req.Body != nil {
			req.Body.Close()
		}
		return nil, fmt.Errorf("%w: %s %s refused", ErrNotRead, req.Method, req.URL.Redacted())
	}
	return t.next.RoundTrip(req)
}

// send sends one request to the admin API through the read-only guard,
// with the authorization header, recording it with the secrets scrubbed.
func (c *Client) send(ctx context.Context, method, rawURL, authorization string) (*wire.Response, []*wire.Exchange, error) {
	opts := c.wopts
	opts.Secrets = append(append([]string(nil), opts.Secrets...), c.cfg.Token.Reveal())
	if c.bearer != "" {
		opts.Secrets = append(opts.Secrets, c.bearer)
	}
	wc := wire.NewClient(opts)
	hc := wc.HTTPWith(func(next http.RoundTripper) http.RoundTripper {
		return readOnly{next: headerSetter{next: next, authorization: authorization}}
	})
	req, err := http.NewRequestWithContext(wire.WithLabel(ctx, Party, "Okta admin API read"), method, rawURL, nil)
	if err != nil {
		return nil, nil, &wire.FetchError{Kind: wire.FetchBadURL, What: "the admin API's answer", URL: rawURL, Err: err}
	}
	req.Header.Set("Accept", "application/json")
	resp, err := hc.Do(req)
	if err != nil {
		if errors.Is(err, ErrNotRead) {
			return nil, wc.Exchanges(), err
		}
		return nil, wc.Exchanges(), wire.ClassifyTransportError("the admin API's answer", rawURL, hc.Timeout, err)
	}
	defer resp.Body.Close()
	limit := wc.MaxBody()
	body, err := io.ReadAll(io.LimitReader(resp.Body, limit+1))
	if err != nil {
		return nil, wc.Exchanges(), wire.ClassifyTransportError("the admin API's answer", rawURL, hc.Timeout, err)
	}
	if int64(len(body)) > limit {
		return nil, wc.Exchanges(), &wire.FetchError{Kind: wire.FetchTooLarge, What: "the admin API's answer", URL: rawURL, Status: resp.StatusCode, Limit: limit}
	}
	return &wire.Response{Status: resp.StatusCode, Header: resp.Header, Body: body}, wc.Exchanges(), nil
}

// headerSetter sets the Authorization header after the guard.
type headerSetter struct {
	next          http.RoundTripper
	authorization string
}

func (h headerSetter) RoundTrip(req *http.Request) (*http.Response, error) {
	req = req.Clone(req.Context())
	req.Header.Set("Authorization", h.authorization)
	return h.next.RoundTrip(req)
}

// authorization returns the Authorization header value: SSWS with a
// token, else Bearer with the service app's access token, fetched once.
// The token request's exchange leads the first read's evidence.
func (c *Client) authorization(ctx context.Context, r *Read) (string, *Error) {
	if c.cfg.Mode() == config.OktaModeSSWS {
		return "SSWS " + c.cfg.Token.Reveal(), nil
	}
	if !c.tokenTried {
		c.tokenTried = true
		c.bearer, c.tokenErr = c.fetchToken(ctx)
		r.Exchanges = append(r.Exchanges, c.tokenEvidence...)
	}
	if c.tokenErr != nil {
		e := *c.tokenErr
		return "", &e
	}
	return "Bearer " + c.bearer, nil
}

// TokenEndpoint is the org authorization server's token endpoint, where
// an API Services app gets its access token.
func (c *Client) TokenEndpoint() string { return c.Org + "/oauth2/v1/token" }

// fetchToken asks the org authorization server for an access token with
// the client-credentials grant, authenticating with private_key_jwt (the
// only method Okta allows API Services apps for okta.* scopes).
func (c *Client) fetchToken(ctx context.Context) (string, *Error) {
	if c.cfg.Key == nil {
		return "", &Error{Kind: Failed, Err: errors.New("no private key loaded for okta.client_id (set okta.private_key)")}
	}
	wc := wire.NewClient(c.wopts)
	endpoint := c.TokenEndpoint()
	form := url.Values{"grant_type": {"client_credentials"}, "scope": {c.cfg.RequestScopes().String()}}
	auth := wire.ClientAuth{Client: config.ClientConfig{ClientID: c.cfg.ClientID, AuthMethod: config.AuthPrivateKeyJWT, Key: c.cfg.Key},
		TokenEndpoint: endpoint, Issuer: c.Org}
	tr, err := wc.PostToken(ctx, Party, "Okta admin API access token (client credentials)", endpoint, form, auth)
	c.tokenEvidence = wc.Exchanges()
	if err != nil {
		e := &Error{Kind: Failed, Err: fmt.Errorf("the service app got no access token from %s: %w", endpoint, err)}
		var oe *wire.OAuthError
		if errors.As(err, &oe) {
			e.Kind, e.Status = Denied, oe.Status
		}
		return "", e
	}
	token := tr.Str("access_token")
	if token == "" {
		return "", &Error{Kind: Failed, Err: fmt.Errorf("the token response of %s has no access_token", endpoint)}
	}
	for _, x := range c.tokenEvidence {
		scrubExchange(x, token)
	}
	return token, nil
}

// scrubExchange replaces secret wherever the exchange holds it.
func scrubExchange(x *wire.Exchange, secret string) {
	if x.Response != nil {
		x.Response.Body = bytes.ReplaceAll(x.Response.Body, []byte(secret), []byte(config.Redacted))
	}
}
