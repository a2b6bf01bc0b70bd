package wire

import (
	"context"
	"crypto/subtle"
	"errors"
	"fmt"
	"html/template"
	"net"
	"net/http"
	"net/url"
	"sync"
	"sync/atomic"
	"time"
)

// Callback is what arrived at the redirect URI.
type Callback struct {
	Code, State, Iss string
	// Err is the error the IdP redirected with (RFC 6749 §4.1.2.1).
	Err *OAuthError
}

// CallbackListener is the loopback listener of the login (RFC 8252 §7.3):
// it answers only the exact redirect URI path and shows a page that tells
// the user what happened. A callback with another state (a stale tab, or a
// request any web page can make to a loopback port) is refused and counted
// and the listener goes on waiting; the first callback with this login's
// state is delivered.
type CallbackListener struct {
	srv      *http.Server
	ln       net.Listener
	path     string
	state    string
	result   chan Callback
	once     sync.Once
	rejected atomic.Int32
}

// ListenCallback binds the redirect URI's host and port and serves the
// callback of the login with the given state.
func ListenCallback(redirectURI, state string) (*CallbackListener, error) {
	u, err := url.Parse(redirectURI)
	if err != nil {
		return nil, fmt.Errorf("%w %s: %v", ErrCallbackListen, redirectURI, err)
	}
	host := u.Hostname()
	if host == "localhost" {
		host = "127.0.0.1"
	}
	ln, err := net.Listen("tcp", net.JoinHostPort(host, u.Port()))
	if err != nil {
		return nil, fmt.Errorf("%w %s: %v", ErrCallbackListen, redirectURI, errors.Unwrap(err))
	}
	l := &CallbackListener{ln: ln, path: u.EscapedPath(), state: state, result: make(chan Callback, 1)}
	l.srv = &http.Server{Handler: http.HandlerFunc(l.serve), ReadHeaderTimeout: 10 * time.Second, ReadTimeout: 10 * time.Second, WriteTimeout: 10 * time.Second}
	go l.srv.Serve(ln)
	return l, nil
}

// Rejected counts the callbacks refused for carrying another state.
func (l *CallbackListener) Rejected() int { return int(l.rejected.Load()) }

// Result delivers the callback when it arrives.
func (l *CallbackListener) Result() <-chan Callback { return l.result }

// Close stops the listener, letting a page being written finish.
func (l *CallbackListener) Close() {
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	l.srv.Shutdown(ctx)
}

func (l *CallbackListener) serve(w http.ResponseWriter, r *http.Request) {
	if r.URL.EscapedPath() != l.path || r.Method != http.MethodGet {
		http.NotFound(w, r)
		return
	}
	q := r.URL.Query()
	cb := Callback{Code: q.Get("code"), State: q.Get("state"), Iss: q.Get("iss")}
	if e := q.Get("error"); e != "" {
		cb.Err = &OAuthError{Code: e, Description: q.Get("error_description"), URI: q.Get("error_uri"), Source: "authorization callback"}
	}
	if subtle.ConstantTimeCompare([]byte(cb.State), []byte(l.state)) != 1 {
		l.rejected.Add(1)
		writePage(w, pageData{Title: "Not this login", Failed: true,
			Message: "This callback's state does not belong to the login xaa is waiting for (an old tab, two logins at once, or a request from another page). It was ignored; the login goes on."})
		return
	}
	delivered := false
	l.once.Do(func() {
		l.result <- cb
		delivered = true
	})
	page := pageData{Title: "Login complete", Message: "xaa has the authorization code. You can close this tab and return to the terminal."}
	switch {
	case !delivered:
		page = pageData{Title: "Already handled", Failed: true, Message: "This login callback was already received. Close this tab and look at the terminal."}
	case cb.Err != nil:
		page = pageData{Title: "Login failed", Failed: true, Message: "The identity provider answered " + cb.Err.Code + ". " + cb.Err.Description + " The terminal explains what to do."}
	case cb.Code == "":
		page = pageData{Title: "Login failed", Failed: true, Message: "The callback carried no authorization code. The terminal explains what to do."}
	}
	writePage(w, page)
}

// writePage answers with one of the callback's pages.
func writePage(w http.ResponseWriter, page pageData) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("Referrer-Policy", "no-referrer")
	w.Header().Set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'")
	if page.Failed {
		w.WriteHeader(http.StatusBadRequest)
	}
	callbackPage().Execute(w, page)
}

type pageData struct {
	Title, Message string
	Failed         bool
}

// callbackPage is parsed on first use, not at every process start.
var callbackPage = sync.OnceValue(func() *template.Template {
	return template.Must(template.New("callback").Parse(callbackHTML))
})

const callbackHTML = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>xaa — {{.Title}}</title>
<style>body{font-family:system-ui,sans-serif;max-width:36em;margin:4em auto;padding:0 1em;line-height:1.5}
h1{font-size:1.4em}.ok{color:#1a7f37}.fail{color:#cf222e}</style></head>
<body><h1 class="{{if .Failed}}fail{{else}}ok{{end}}">{{if .Failed}}✗{{else}}✓{{end}} {{.Title}}</h1>
<p>{{.Message}}</p></body></html>
`
