package playground

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"net/url"
	"path/filepath"
	"strconv"
	"sync"
	"time"

	"github.com/xaatools/xaa/flow/config"
)

// DefaultRedirectURI is the redirect URI registered for the demo requesting
// app when Options.RedirectURIs is empty.
const DefaultRedirectURI = "http://127.0.0.1:8976/callback"

// Demo client ids. The requesting app has one id at the IdP and another at
// the resource AS, named the xaa.dev way: <client>-at-<resource>.
const (
	IdPClientID = "xaa-agent"
	ASClientID  = "xaa-agent-at-todos"
	// OtherIdPClientID is a second client at the IdP, connected to the
	// same resource AS: xaa conform --idp presents the first client's
	// tokens as this one (the config's conform.other_client_id).
	OtherIdPClientID = "xaa-other-agent"
	// UnassignedUser is the demo user who may log in to the requesting app
	// but is not assigned to the resource app (conform.unassigned_user).
	UnassignedUser = "bob"
)

// Scopes of the resource (the todo API and MCP server).
const (
	ScopeTodosRead  = "todos.read"
	ScopeTodosWrite = "todos.write"
)

// Options configure Start.
type Options struct {
	// Listen is the IdP's listen address; the resource AS uses port+1 and
	// the resource server port+2. Default "127.0.0.1:0": three free ports.
	// A host that is not loopback gets a warning (see Warnings).
	Listen string
	// Faults are fault names, see Faults.
	Faults []string
	// Profile is "" or "okta" (ProfileOkta).
	Profile string
	// TrustIssuers are extra issuers the resource AS trusts; their JWKS is
	// found by discovery.
	TrustIssuers []string
	// KeyDir keeps signing keys and client credentials across starts; ""
	// makes fresh ones per start. DefaultKeyDir is the usual place. Files
	// are written atomically with mode 0600; an unusable one is replaced,
	// with a warning (see Warnings).
	KeyDir string
	// RotateKeys makes new signing keys for the IdP and the resource AS
	// instead of loading the ones kept in KeyDir, and keeps the new ones
	// there. The demo client's key and secrets stay.
	RotateKeys bool
	// RedirectURIs are the exact redirect URIs registered for the demo
	// requesting app; default [DefaultRedirectURI].
	RedirectURIs []string
	// Now is the clock; nil means time.Now.
	Now func() time.Time
}

// Playground is a running IdP, resource AS and resource server.
type Playground struct {
	opts   Options
	now    func() time.Time
	faults faultSet
	errors *errorCatalog
	okta   bool
	users  userDirectory

	idpURL, asURL, rsURL string
	redirectURIs         []string
	credentials          credentials

	idp *idp
	as  *resourceAS
	rs  *resourceServer

	servers []*http.Server
	// stopRequests cancels the context of every request in flight, so
	// long-lived ones (an MCP event stream) end when the playground closes.
	stopRequests context.CancelFunc
	fresh        freshConns
	keys         *keyStore
	warnMu       sync.Mutex
	warnings     []string
	closeOnce    sync.Once
	closeErr     error
}

// Check reports what Start would refuse in the profile and the faults, and
// a login user that is not a demo user, so a command can say so before it
// starts anything.
func (o Options) Check(user string) error {
	if _, err := o.check(); err != nil {
		return err
	}
	d := userDirectory{users: demoUsers(o.Profile == ProfileOkta)}
	if user != "" && d.byUsername(user) == nil {
		return fmt.Errorf("no demo user %q; the demo users are %s", user, d.names())
	}
	return nil
}

func (o Options) check() (faultSet, error) {
	if o.Profile != "" && o.Profile != ProfileOkta {
		return nil, fmt.Errorf("unknown profile %q; the profiles are: okta", o.Profile)
	}
	return parseFaults(o.Faults, o.Profile)
}

// Start checks o, listens on three loopback ports and serves until Close.
// ctx bounds only the start-up (fetching nothing, binding ports).
func Start(ctx context.Context, o Options) (*Playground, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	faults, err := o.check()
	if err != nil {
		return nil, err
	}
	redirects, err := checkRedirectURIs(o.RedirectURIs)
	if err != nil {
		return nil, err
	}
	trusted, err := checkTrustIssuers(o.TrustIssuers)
	if err != nil {
		return nil, err
	}
	p := &Playground{opts: o, now: o.Now, faults: faults, okta: o.Profile == ProfileOkta, redirectURIs: redirects}
	if p.now == nil {
		p.now = time.Now
	}
	p.errors = &errorCatalog{okta: p.okta}
	p.keys = &keyStore{dir: o.KeyDir, warn: p.warn}
	p.users = userDirectory{users: demoUsers(p.okta)}

	listeners, host, err := p.listen(ctx, o.Listen)
	if err != nil {
		return nil, err
	}
	origin := func(l net.Listener) string {
		return "http://" + net.JoinHostPort(host, strconv.Itoa(l.Addr().(*net.TCPAddr).Port))
	}
	p.idpURL, p.asURL, p.rsURL = origin(listeners[0]), origin(listeners[1]), origin(listeners[2])

	if err := p.build(trusted); err != nil {
		closeAll(listeners)
		return nil, err
	}
	// Parse the pages while the servers start, off the first login's path
	// (they are not parsed at program start: most runs of xaa show none).
	go pages()
	base, stop := context.WithCancel(context.Background())
	p.stopRequests = stop
	for i, h := range []http.Handler{p.idp.handler(), p.as.handler(), p.rs.handler()} {
		srv := newServer(identified(h))
		srv.BaseContext = func(net.Listener) context.Context { return base }
		srv.ConnState = p.fresh.track
		p.servers = append(p.servers, srv)
		go srv.Serve(listeners[i])
	}
	return p, nil
}

// build makes the keys, clients and the three parties.
func (p *Playground) build(trusted []string) error {
	var err error
	if p.credentials, err = loadCredentials(p.keys); err != nil {
		return err
	}
	if p.idp, err = newIdP(p); err != nil {
		return err
	}
	if p.as, err = newResourceAS(p, trusted); err != nil {
		return err
	}
	p.rs = newResourceServer(p)
	return nil
}

// listen binds the three ports: port, port+1 and port+2, or three free
// ports for port 0.
func (p *Playground) listen(ctx context.Context, addr string) ([]net.Listener, string, error) {
	if addr == "" {
		addr = "127.0.0.1:0"
	}
	host, portStr, err := net.SplitHostPort(addr)
	if err != nil {
		return nil, "", fmt.Errorf("listen address %q: %v (want host:port, e.g. 127.0.0.1:9000)", addr, err)
	}
	port, err := strconv.Atoi(portStr)
	if err != nil || port < 0 || port > 65533 {
		return nil, "", fmt.Errorf("listen address %q: the port must be a number from 0 to 65533 (the playground uses it and the next two)", addr)
	}
	urlHost := host
	switch ip := net.ParseIP(host); {
	case host == "localhost":
	case host == "" || (ip != nil && ip.IsUnspecified()):
		urlHost = "127.0.0.1"
		p.warn(fmt.Sprintf("listening on all interfaces (%q): other machines can reach the playground, whose demo passwords are public; its URLs name 127.0.0.1", host))
	case ip == nil:
		p.warn(fmt.Sprintf("listening on %s, which may not be a loopback address: other machines may reach the playground, whose demo passwords are public", host))
	case !ip.IsLoopback():
		p.warn(fmt.Sprintf("listening on %s, not a loopback address: other machines can reach the playground, whose demo passwords are public", host))
	}
	var lc net.ListenConfig
	parties := []string{"the IdP", "the resource AS (IdP port + 1)", "the resource server (IdP port + 2)"}
	var ls []net.Listener
	for i := range 3 {
		a := net.JoinHostPort(host, "0")
		if port != 0 {
			a = net.JoinHostPort(host, strconv.Itoa(port+i))
		}
		l, err := lc.Listen(ctx, "tcp", a)
		if err != nil {
			closeAll(ls)
			return nil, "", fmt.Errorf("cannot listen on %s for %s: %w — choose another --listen port", a, parties[i], err)
		}
		ls = append(ls, l)
	}
	return ls, urlHost, nil
}

func closeAll(ls []net.Listener) {
	for _, l := range ls {
		l.Close()
	}
}

// checkRedirectURIs requires absolute http(s) URIs without a fragment
// (RFC 6749 §3.1.2).
func checkRedirectURIs(uris []string) ([]string, error) {
	if len(uris) == 0 {
		return []string{DefaultRedirectURI}, nil
	}
	for _, u := range uris {
		pu, err := url.Parse(u)
		if err != nil || (pu.Scheme != "http" && pu.Scheme != "https") || pu.Host == "" || pu.Fragment != "" {
			return nil, fmt.Errorf("redirect URI %q must be an absolute http(s) URL without a fragment (RFC 6749 §3.1.2)", u)
		}
	}
	return append([]string(nil), uris...), nil
}

// checkTrustIssuers requires absolute http(s) issuer identifiers with no
// query or fragment (RFC 8414 §2).
func checkTrustIssuers(issuers []string) ([]string, error) {
	for _, is := range issuers {
		u, err := url.Parse(is)
		if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" || u.RawQuery != "" || u.Fragment != "" {
			return nil, fmt.Errorf("trusted issuer %q must be an issuer URL like https://dev-123.okta.com (https, no query or fragment; RFC 8414 §2)", is)
		}
	}
	return append([]string(nil), issuers...), nil
}

// Warnings are things the user should know about how the playground runs:
// a non-loopback listen address, a kept key that was unusable and replaced.
func (p *Playground) Warnings() []string {
	p.warnMu.Lock()
	defer p.warnMu.Unlock()
	return append([]string(nil), p.warnings...)
}

// warn adds a warning; keys made on first use (the unpublished ones) may
// add one while the servers run.
func (p *Playground) warn(msg string) {
	p.warnMu.Lock()
	defer p.warnMu.Unlock()
	p.warnings = append(p.warnings, msg)
}

// DefaultKeyDir is where the playground keeps its keys and client secrets
// between starts: $XDG_STATE_HOME/xaa/playground, else
// ~/.local/state/xaa/playground (XDG Base Directory: state that should
// persist but is not worth backing up); "" (fresh keys every start) when
// neither is known. Generating an RSA key is most of a playground's
// start-up, so xaa run --playground and the terminal UI reuse kept keys.
func DefaultKeyDir(getenv func(string) string) string {
	if dir := config.StateDir(getenv); dir != "" {
		return filepath.Join(dir, "playground")
	}
	return ""
}

// IdPURL, ASURL and ResourceURL are the three origins; the first two are
// also the issuers of the IdP and the resource AS.
func (p *Playground) IdPURL() string { return p.idpURL }

// ASURL is the resource authorization server's issuer.
func (p *Playground) ASURL() string { return p.asURL }

// ResourceURL is the resource server's origin and resource identifier.
func (p *Playground) ResourceURL() string { return p.rsURL }

// RotateKeys gives the IdP new signing keys. The previous keys stay in the
// JWKS for tokens they signed; keys from before that disappear.
func (p *Playground) RotateKeys() error { return p.idp.org.keys.rotate() }

// Close stops the three servers, waiting up to five seconds for requests in
// flight.
func (p *Playground) Close() error {
	p.closeOnce.Do(func() {
		p.stopRequests()
		p.fresh.close()
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		var errs []error
		for _, s := range p.servers {
			if err := s.Shutdown(ctx); err != nil {
				errs = append(errs, err)
				s.Close()
			}
		}
		p.closeErr = errors.Join(errs...)
	})
	return p.closeErr
}

// newServer wraps h with the limits every playground server has. It logs
// nothing: the playground runs inside the terminal UI, whose screen a log
// line would break, and every problem is answered to the client anyway.
func newServer(h http.Handler) *http.Server {
	return &http.Server{
		Handler:           h,
		ErrorLog:          log.New(io.Discard, "", 0),
		ReadHeaderTimeout: 5 * time.Second,
		ReadTimeout:       15 * time.Second,
		WriteTimeout:      30 * time.Second,
		IdleTimeout:       90 * time.Second,
		MaxHeaderBytes:    32 << 10,
	}
}

// withTimeout bounds a handler's requests to 10 s: their context ends
// then, so what waits on it (fetching a trusted issuer's JWKS) gives up and
// the handler answers with its own error, and the server's WriteTimeout
// bounds the rest. Not http.TimeoutHandler: it runs every request in a
// goroutine of its own and buffers the response, a tenth of a jwt-bearer
// grant's CPU, for handlers that never block otherwise.
// ServerName is the Server header of every playground response: a tool
// talking to a server can tell it is xaa's playground, and say how to
// configure it (xaa conform prints the --trust-issuer it needs).
const ServerName = "xaa-playground"

func identified(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Server", ServerName)
		h.ServeHTTP(w, r)
	})
}

func withTimeout(h http.Handler) http.Handler { return withDeadline(h, 10*time.Second) }

// freshConns are the connections that have not sent a request yet (a
// client's spare dial). Shutdown waits five seconds before it counts them
// as idle, so Close closes them itself.
type freshConns struct {
	mu    sync.Mutex
	conns map[net.Conn]bool
}

// track is an http.Server ConnState hook.
func (f *freshConns) track(c net.Conn, st http.ConnState) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if st != http.StateNew {
		delete(f.conns, c)
		return
	}
	if f.conns == nil {
		f.conns = map[net.Conn]bool{}
	}
	f.conns[c] = true
}

func (f *freshConns) close() {
	f.mu.Lock()
	defer f.mu.Unlock()
	for c := range f.conns {
		c.Close()
	}
	f.conns = nil
}
