package playground

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"

	"golang.org/x/net/html"
)

// maxPageBytes bounds a page the scripted browser reads.
const maxPageBytes = 1 << 20

// LoginBrowser returns a scripted "browser" for in-process use: it GETs the
// authorization URL, submits the login form for the demo user over HTTP,
// and follows the redirect to the redirect URI, so the caller's loopback
// callback listener receives the code (or the error) as it would from a
// real browser. It is synchronous. It returns nil once the redirect reached
// the callback — OAuth errors travel in that redirect — and an error when
// the browser itself got stuck: an unknown demo user, an IdP error page
// (which is never redirected), a refused login, an unreachable callback.
func (p *Playground) LoginBrowser(username string) func(authURL string) error {
	return func(authURL string) error {
		u := p.users.byUsername(username)
		if u == nil {
			return fmt.Errorf("no demo user %q; the demo users are %s", username, p.users.names())
		}
		b := &scriptedBrowser{client: &http.Client{
			Timeout:       30 * time.Second,
			CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
		}}
		page, loc, err := b.fetch(http.MethodGet, authURL, nil)
		switch {
		case err != nil:
			return err
		case loc != nil:
			return b.deliver(loc)
		}
		action, fields, err := loginForm(page)
		if err != nil {
			return err
		}
		target, err := page.url.Parse(action)
		if err != nil {
			return fmt.Errorf("the login form's action %q is not a URL: %v", action, err)
		}
		fields.Set("username", u.Username)
		fields.Set("password", u.Password)
		page, loc, err = b.fetch(http.MethodPost, target.String(), fields)
		switch {
		case err != nil:
			return err
		case loc != nil:
			return b.deliver(loc)
		}
		if msg := textByID(page.doc, "login-error"); msg != "" {
			return fmt.Errorf("the IdP refused the login of %s: %s", username, msg)
		}
		return fmt.Errorf("the IdP answered the login form with HTTP %d and no redirect", page.status)
	}
}

// scriptedBrowser is the HTTP client behind LoginBrowser.
type scriptedBrowser struct {
	client *http.Client
}

// page is an HTML page the browser fetched.
type page struct {
	url    *url.URL
	status int
	doc    *html.Node
}

// fetch makes one request. A redirect comes back as its Location; an error
// page as an error with the IdP's message.
func (b *scriptedBrowser) fetch(method, target string, form url.Values) (*page, *url.URL, error) {
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req, err := http.NewRequest(method, target, body)
	if err != nil {
		return nil, nil, fmt.Errorf("cannot request %s: %v", target, err)
	}
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	req.Header.Set("Accept", "text/html")
	resp, err := b.client.Do(req)
	if err != nil {
		return nil, nil, fmt.Errorf("the IdP did not answer %s %s: %w", method, target, err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, maxPageBytes))
	if err != nil {
		return nil, nil, fmt.Errorf("reading %s: %w", target, err)
	}
	if resp.StatusCode >= 300 && resp.StatusCode < 400 {
		loc, err := resp.Location()
		if err != nil {
			return nil, nil, fmt.Errorf("HTTP %d from %s without a usable Location: %v", resp.StatusCode, target, err)
		}
		return nil, loc, nil
	}
	doc, err := html.Parse(bytes.NewReader(data))
	if err != nil {
		return nil, nil, fmt.Errorf("the page at %s is not HTML: %v", target, err)
	}
	if code := textByID(doc, "error-code"); code != "" {
		return nil, nil, fmt.Errorf("the IdP shows an error page (HTTP %d): %s: %s", resp.StatusCode, code, textByID(doc, "error-description"))
	}
	return &page{url: resp.Request.URL, status: resp.StatusCode, doc: doc}, nil, nil
}

// deliver follows the IdP's redirect to the client's redirect URI.
func (b *scriptedBrowser) deliver(loc *url.URL) error {
	if loc.Scheme != "http" && loc.Scheme != "https" {
		return fmt.Errorf("the IdP redirected to %s, which a browser would hand to another app; only http(s) callbacks are followed", loc.Redacted())
	}
	resp, err := b.client.Get(loc.String())
	if err != nil {
		return fmt.Errorf("the redirect to the callback %s://%s%s failed: %w", loc.Scheme, loc.Host, loc.Path, err)
	}
	io.Copy(io.Discard, io.LimitReader(resp.Body, maxPageBytes))
	resp.Body.Close()
	return nil
}

// loginForm finds the form with id "login" and its hidden fields.
func loginForm(doc *page) (action string, fields url.Values, err error) {
	form := findByID(doc.doc, "login")
	if form == nil {
		return "", nil, errors.New("the IdP's page has no login form")
	}
	fields = url.Values{}
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode && n.Data == "input" && attr(n, "type") == "hidden" {
			fields.Add(attr(n, "name"), attr(n, "value"))
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(form)
	return attr(form, "action"), fields, nil
}

func attr(n *html.Node, name string) string {
	for _, a := range n.Attr {
		if a.Key == name {
			return a.Val
		}
	}
	return ""
}

func findByID(n *html.Node, id string) *html.Node {
	if n.Type == html.ElementNode && attr(n, "id") == id {
		return n
	}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if f := findByID(c, id); f != nil {
			return f
		}
	}
	return nil
}

// textByID returns the text inside the element with id, or "".
func textByID(doc *html.Node, id string) string {
	n := findByID(doc, id)
	if n == nil {
		return ""
	}
	var b strings.Builder
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.TextNode {
			b.WriteString(n.Data)
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(n)
	return strings.Join(strings.Fields(b.String()), " ")
}
