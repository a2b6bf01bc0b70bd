package playground

import (
	"embed"
	"html/template"
	"net/http"
	"strings"
	"sync"
)

//go:embed templates/*.html
var templateFiles embed.FS

// pages are parsed when a playground starts (in the background) or on
// first use, not at program start: most runs of xaa never show a page.
var pages = sync.OnceValue(func() *template.Template {
	return template.Must(template.ParseFS(templateFiles, "templates/*.html"))
})

// hiddenField is one authorization request parameter carried by the form.
type hiddenField struct{ Name, Value string }

// renderPage writes an HTML page that is never cached or framed and runs no
// script: the login form works without JavaScript.
func renderPage(w http.ResponseWriter, status int, name string, data any) {
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Cache-Control", "no-store")
	h.Set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'")
	h.Set("X-Frame-Options", "DENY")
	h.Set("Referrer-Policy", "no-referrer")
	w.WriteHeader(status)
	pages().ExecuteTemplate(w, name, data)
}

// loginPage shows the login form, with the request's parameters as hidden
// fields and username (login_hint, or what was typed) filled in.
func (s *authServer) loginPage(w http.ResponseWriter, req authRequest, username, problem string, status int) {
	var hidden []hiddenField
	values := req.values()
	for _, name := range authRequestParams {
		if v := values.Get(name); v != "" {
			hidden = append(hidden, hiddenField{name, v})
		}
	}
	renderPage(w, status, "login.html", map[string]any{
		"Title": "Sign in — xaa playground IdP", "Issuer": s.issuer, "ClientID": req.ClientID,
		"Action": s.authorizePath, "Hidden": hidden, "Username": username, "Scope": req.Scope,
		"Error": problem, "Users": s.idp.p.users.users,
	})
}

// errorPage shows an authorization error that must not be redirected.
func (s *authServer) errorPage(w http.ResponseWriter, status int, code, description string) {
	renderPage(w, status, "error.html", map[string]any{
		"Title": "Sign-in error — xaa playground IdP", "Issuer": s.issuer, "Code": code, "Description": description,
	})
}

// serveIndex is the IdP's home page, for people who open its URL.
func (d *idp) serveIndex(w http.ResponseWriter, r *http.Request) {
	s := d.org
	renderPage(w, http.StatusOK, "index.html", map[string]any{
		"Title": "xaa playground IdP", "Issuer": s.issuer,
		"Discovery": strings.TrimSuffix(s.issuer, "/") + "/.well-known/openid-configuration",
		"JWKS":      s.jwks, "Users": d.p.users.users,
	})
}
