package doctor

import (
	"cmp"
	"context"
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"

	"github.com/xaatools/xaa/flow"
	"github.com/xaatools/xaa/flow/explain"
	"github.com/xaatools/xaa/flow/wire"
)

// redirectProbe opens the authorization endpoint the way a browser would
// at the start of a login — a GET that signs nobody in — and reads the
// answer: a sign-in page or a redirect means the redirect URI is
// registered; Okta's error page ("The 'redirect_uri' parameter must be a
// Login redirect URI in the client app settings") means it is not
// (RFC 6749 §4.1.2.1: such errors are shown, never redirected).
func (r *run) redirectProbe(ctx context.Context) {
	i := itemReqRedirect
	c := r.cfg.IdP
	switch {
	case r.idp == nil || r.idp.AuthorizationEndpoint == "":
		r.unknown(i, "", needs("the org's authorization endpoint (its metadata, or idp.authorization_endpoint)", itemOrgMetadata.id), nil)
		return
	case c.ClientID == "" || c.RedirectURI == "":
		r.unknown(i, "", needs("idp.client_id and idp.redirect_uri", itemReqConfig.id), nil)
		return
	}
	authURL, err := r.probeAuthorizationURL()
	if err != nil {
		r.unknown(i, c.RedirectURI, err.Error(), nil)
		return
	}
	s := r.session()
	req, err := http.NewRequestWithContext(wire.WithLabel(ctx, wire.PartyIdP, "authorization endpoint (redirect URI probe)"), http.MethodGet, authURL, nil)
	if err != nil {
		r.unknown(i, c.RedirectURI, "the authorization endpoint is not a URL: "+err.Error(), nil)
		return
	}
	req.Header.Set("Accept", "text/html")
	resp, err := s.Send(req, "the authorization endpoint")
	ev := s.Exchanges()
	if err != nil {
		r.unknown(i, c.RedirectURI, err.Error(), ev)
		return
	}
	want := c.RedirectURI + " among the app's sign-in redirect URIs"
	if resp.Status >= 300 && resp.Status < 400 {
		loc := resp.Header.Get("Location")
		if strings.HasPrefix(loc, c.RedirectURI) {
			r.pass(i, want, "the org redirected to it ("+wire.StatusLine(resp.Status)+"): it redirects only to registered URIs", ev)
		} else {
			r.pass(i, want, "the org sent the browser on to sign in ("+wire.StatusLine(resp.Status)+" to "+cmp.Or(loc, "nowhere")+"): it checks the redirect URI first", ev)
		}
		return
	}
	text := responseText(resp)
	ex := explain.Error(flow.StepLogin, fmt.Errorf("%w: %s", wire.ErrBrowser, text))
	switch {
	case ex != nil && ex.ID == "login.redirect_uri_page":
		r.fail(i, want, wire.StatusLine(resp.Status)+", the org's error page: "+excerpt(text, "redirect_uri", 240),
			"register idp.redirect_uri exactly — scheme, host, port, path, no trailing slash added — or set idp.redirect_uri to one that is registered", ev)
	case resp.Status >= 200 && resp.Status < 300:
		r.pass(i, want, "a sign-in page ("+wire.StatusLine(resp.Status)+")", ev)
	case ex != nil && ex.ID == "login.unknown_client_page":
		r.unknown(i, want, "the org's page says it does not know idp.client_id ("+excerpt(text, "client", 200)+"): see "+itemReqCredentials.id, ev)
	default:
		r.unknown(i, want, "the authorization endpoint answered "+wire.StatusLine(resp.Status)+": "+excerpt(text, "", 240), ev)
	}
}

// probeAuthorizationURL builds an authorization request (OIDC Core
// §3.1.2.1) with PKCE S256, a state and a nonce, scope openid only.
func (r *run) probeAuthorizationURL() (string, error) {
	state, err1 := wire.RandomString(r.env.Random(), 16)
	nonce, err2 := wire.RandomString(r.env.Random(), 16)
	verifier, err3 := wire.RandomString(r.env.Random(), 32)
	for _, err := range []error{err1, err2, err3} {
		if err != nil {
			return "", err
		}
	}
	sum := sha256.Sum256([]byte(verifier))
	u, err := url.Parse(r.idp.AuthorizationEndpoint)
	if err != nil {
		return "", fmt.Errorf("the authorization endpoint %q is not a URL: %v", r.idp.AuthorizationEndpoint, err)
	}
	q := u.Query()
	q.Set("client_id", r.cfg.IdP.ClientID)
	q.Set("redirect_uri", r.cfg.IdP.RedirectURI)
	q.Set("response_type", "code")
	q.Set("scope", "openid")
	q.Set("state", state)
	q.Set("nonce", nonce)
	q.Set("code_challenge", base64.RawURLEncoding.EncodeToString(sum[:]))
	q.Set("code_challenge_method", "S256")
	u.RawQuery = q.Encode()
	return u.String(), nil
}

// responseText is what a person would read in a response: an OAuth
// error's code and description, the visible text of an HTML page, or the
// body as it is.
func responseText(resp *wire.Response) string {
	if oe, ok := wire.ParseOAuthError(resp.Status, resp.Body); ok {
		return oe.Code + ": " + oe.Description
	}
	if text := wire.PageText(resp.Header.Get("Content-Type"), resp.Body); text != "" || wire.LooksLikeHTML(resp.Header.Get("Content-Type"), resp.Body) {
		return text
	}
	return strings.Join(strings.Fields(string(resp.Body)), " ")
}

// excerpt returns about n characters of text around the first occurrence
// of near (case-insensitive), or its start.
func excerpt(text, near string, n int) string {
	start := 0
	if near != "" {
		if loc := regexp.MustCompile(`(?i)` + regexp.QuoteMeta(near)).FindStringIndex(text); loc != nil {
			start = loc[0]
		}
	}
	// Back up a third of n runes, so the match has context on both sides.
	head := []rune(text[:start])
	from := max(len(head)-n/3, 0)
	rs := []rune(text)
	end := min(from+n, len(rs))
	out := string(rs[from:end])
	if from > 0 {
		out = "…" + out
	}
	if end < len(rs) {
		out += "…"
	}
	return out
}
