package playground

import (
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/xaatools/xaa/inspect"
)

// authCode is what an authorization code stands for (RFC 6749 §4.1.2).
type authCode struct {
	issuer      string
	clientID    string
	redirectURI string
	challenge   string
	nonce       string
	scopes      []string
	user        *User
	authTime    time.Time
}

// authRequest is an authorization request (RFC 6749 §4.1.1, OIDC Core
// §3.1.2.1, RFC 7636 §4.3).
type authRequest struct {
	ResponseType, ClientID, RedirectURI, Scope, State, Nonce string
	CodeChallenge, CodeChallengeMethod, LoginHint            string
}

// authRequestParams are the request's parameters, carried through the login
// form as hidden fields so the form needs no server-side session.
var authRequestParams = []string{"response_type", "client_id", "redirect_uri", "scope", "state", "nonce", "code_challenge", "code_challenge_method", "login_hint"}

func (a authRequest) values() url.Values {
	v := url.Values{}
	for i, val := range []string{a.ResponseType, a.ClientID, a.RedirectURI, a.Scope, a.State, a.Nonce, a.CodeChallenge, a.CodeChallengeMethod, a.LoginHint} {
		if val != "" {
			v.Set(authRequestParams[i], val)
		}
	}
	return v
}

// isPKCEChallenge says whether s can be BASE64URL(SHA256(verifier)): 43
// characters of the base64url alphabet (RFC 7636 §4.2).
func isPKCEChallenge(s string) bool {
	if len(s) != 43 {
		return false
	}
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case 'A' <= c && c <= 'Z', 'a' <= c && c <= 'z', '0' <= c && c <= '9', c == '-', c == '_':
		default:
			return false
		}
	}
	return true
}

// supportedScopes are the scopes the IdP knows.
var supportedScopes = []string{"openid", "profile", "email", "offline_access"}

// serveAuthorize is the authorization endpoint: GET shows the login page,
// POST (the login form) signs the user in and redirects with a code.
func (s *authServer) serveAuthorize(w http.ResponseWriter, r *http.Request) {
	var params url.Values
	switch r.Method {
	case http.MethodGet:
		params = r.URL.Query()
	case http.MethodPost:
		var problem string
		if params, problem = readLoginForm(w, r); problem != "" {
			s.errorPage(w, http.StatusBadRequest, "invalid_request", problem)
			return
		}
	default:
		w.Header().Set("Allow", "GET, POST")
		s.errorPage(w, http.StatusMethodNotAllowed, "invalid_request", "the authorization endpoint takes GET (and POST from its own login form), not "+r.Method)
		return
	}
	for _, name := range authRequestParams {
		if len(params[name]) > 1 {
			s.errorPage(w, http.StatusBadRequest, "invalid_request", fmt.Sprintf("parameter %s is sent %d times; send each parameter once (RFC 6749 §3.1)", name, len(params[name])))
			return
		}
	}
	req := authRequest{
		ResponseType: params.Get("response_type"), ClientID: params.Get("client_id"), RedirectURI: params.Get("redirect_uri"),
		Scope: params.Get("scope"), State: params.Get("state"), Nonce: params.Get("nonce"),
		CodeChallenge: params.Get("code_challenge"), CodeChallengeMethod: params.Get("code_challenge_method"), LoginHint: params.Get("login_hint"),
	}
	// Errors about the client or the redirect URI are shown here, never
	// redirected: the redirect URI cannot be trusted (RFC 6749 §4.1.2.1).
	c, code, problem := s.checkClientAndRedirect(req)
	if problem != "" {
		e := s.idp.p.errors.refuse(code, newError("invalid_request", "%s", problem))
		s.errorPage(w, http.StatusBadRequest, e.code, e.description)
		return
	}
	if e := s.checkAuthRequest(req); e != nil {
		s.redirectError(w, r, req, e)
		return
	}
	if r.Method == http.MethodGet {
		s.loginPage(w, req, req.LoginHint, "", http.StatusOK)
		return
	}
	s.login(w, r, c, req, params.Get("username"), params.Get("password"))
}

// readLoginForm reads the login form body: bounded, form-encoded.
func readLoginForm(w http.ResponseWriter, r *http.Request) (url.Values, string) {
	mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if err != nil || mt != "application/x-www-form-urlencoded" {
		return nil, "the login form is posted as application/x-www-form-urlencoded"
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, 16<<10))
	if err != nil {
		return nil, "the login form is larger than 16 KiB"
	}
	v, err := url.ParseQuery(string(body))
	if err != nil {
		return nil, "the login form is not validly encoded: " + err.Error()
	}
	return v, ""
}

// checkClientAndRedirect finds the client and checks the redirect URI
// byte for byte against the registered ones.
func (s *authServer) checkClientAndRedirect(req authRequest) (*client, refusal, string) {
	if req.ClientID == "" {
		return nil, 0, "client_id is missing"
	}
	c := s.idp.clients[req.ClientID]
	if c == nil {
		hint := ""
		if req.ClientID == ASClientID {
			hint = fmt.Sprintf(" — %s is the client at the resource AS; log in at the IdP as %s", ASClientID, IdPClientID)
		}
		return nil, 0, fmt.Sprintf("there is no client %q at this IdP%s", req.ClientID, hint)
	}
	if req.RedirectURI == "" {
		return nil, 0, "redirect_uri is missing; OpenID Connect requires it (OIDC Core §3.1.2.1)"
	}
	if s.idp.p.faults[FaultOktaRedirectNotRegistered] || !slices.Contains(c.redirectURIs, req.RedirectURI) {
		near := ""
		for _, reg := range c.redirectURIs {
			if _, n := inspect.CompareIdentifier(reg, req.RedirectURI); n != "" {
				near = fmt.Sprintf(" (closest registered: %s — %s)", reg, n)
				break
			}
		}
		return nil, errRedirectNotRegistered, fmt.Sprintf("redirect_uri %s is not registered for %s%s; registered: %s", req.RedirectURI, c.id, near, strings.Join(c.redirectURIs, ", "))
	}
	return c, 0, ""
}

// checkAuthRequest checks what is redirected back as an error.
func (s *authServer) checkAuthRequest(req authRequest) *oauthError {
	cat := s.idp.p.errors
	switch {
	case req.ResponseType == "":
		return newError("invalid_request", "response_type is missing; use code")
	case req.ResponseType != "code":
		return newError("unsupported_response_type", "response_type %q is not supported; this IdP does the authorization code flow (response_type=code)", req.ResponseType)
	}
	scopes := strings.Fields(req.Scope)
	if !slices.Contains(scopes, "openid") {
		return newError("invalid_scope", "scope %q does not contain openid; an OpenID Connect login needs it (OIDC Core §3.1.2.1)", req.Scope)
	}
	for _, sc := range scopes {
		if !slices.Contains(supportedScopes, sc) {
			hint := ""
			if strings.HasPrefix(sc, "todos.") {
				hint = "; resource scopes are asked for in the token exchange, not at login"
			}
			return newError("invalid_scope", "scope %s is not supported (supported: %s)%s", sc, strings.Join(supportedScopes, " "), hint)
		}
	}
	switch {
	case req.CodeChallenge == "":
		return cat.refuse(errPKCEMissing, newError("invalid_request", "code_challenge is missing: this IdP requires PKCE with S256 (RFC 7636 §4.3)"))
	case req.CodeChallengeMethod != "S256":
		return newError("invalid_request", "code_challenge_method is %q; this IdP accepts only S256 (RFC 7636 §4.3)", req.CodeChallengeMethod)
	case !isPKCEChallenge(req.CodeChallenge):
		return newError("invalid_request", "code_challenge must be BASE64URL(SHA256(code_verifier)): 43 characters of A-Z a-z 0-9 - _ (RFC 7636 §4.2); got %d characters", len(req.CodeChallenge))
	}
	return nil
}

// login checks the demo user's password and assignment, then redirects
// with a code (RFC 6749 §4.1.2), the state and the issuer (RFC 9207).
func (s *authServer) login(w http.ResponseWriter, r *http.Request, c *client, req authRequest, username, password string) {
	d := s.idp
	u := d.p.users.byUsername(username)
	switch {
	case username == "":
		s.loginPage(w, req, "", "Enter a username.", http.StatusBadRequest)
		return
	case u == nil:
		s.loginPage(w, req, username, fmt.Sprintf("There is no user %q. The demo users are %s.", username, d.p.users.names()), http.StatusUnauthorized)
		return
	case password != u.Password:
		s.loginPage(w, req, username, fmt.Sprintf("Wrong password for %s. The passwords are listed below.", username), http.StatusUnauthorized)
		return
	case !u.AssignedToRequestingApp:
		s.redirectError(w, r, req, d.p.errors.refuse(errLoginNotAssigned, newError("access_denied",
			"user %s is not assigned to the requesting app %s; an administrator assigns users to apps", u.Username, c.id)))
		return
	}
	now := d.p.now()
	code, ok := d.codes.add("", &authCode{issuer: s.issuer, clientID: c.id, redirectURI: req.RedirectURI, challenge: req.CodeChallenge,
		nonce: req.Nonce, scopes: strings.Fields(req.Scope), user: u, authTime: now}, now.Add(codeLifetime), now)
	if !ok {
		s.redirectError(w, r, req, newError("temporarily_unavailable", "too many logins in flight; try again in a minute"))
		return
	}
	s.redirect(w, r, req, url.Values{"code": {code}})
}

// redirectError sends an error to the client's redirect URI (RFC 6749 §4.1.2.1).
func (s *authServer) redirectError(w http.ResponseWriter, r *http.Request, req authRequest, e *oauthError) {
	s.redirect(w, r, req, url.Values{"error": {e.code}, "error_description": {e.description}})
}

// redirect sends the browser to the redirect URI with params, the state and
// the issuer added to its query.
func (s *authServer) redirect(w http.ResponseWriter, r *http.Request, req authRequest, params url.Values) {
	u, _ := url.Parse(req.RedirectURI) // registered, so it parses
	q := u.Query()
	for k, v := range params {
		q[k] = v
	}
	if req.State != "" {
		q.Set("state", req.State)
	}
	q.Set("iss", s.issuer)
	u.RawQuery = q.Encode()
	status := http.StatusFound
	if r.Method == http.MethodPost {
		status = http.StatusSeeOther
	}
	w.Header().Set("Cache-Control", "no-store")
	http.Redirect(w, r, u.String(), status)
}
