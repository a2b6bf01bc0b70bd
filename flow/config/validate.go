package config

import (
	"errors"
	"fmt"
	"net"
	"net/url"
	"slices"
	"sort"
	"strings"

	"github.com/xaatools/xaa/inspect"
)

// Validate checks the configuration before anything is sent and reports
// every problem at once in a *Error, each naming the key and why it
// matters. Warnings come from Warnings.
func (c *Config) Validate() error {
	ps := slices.Clone(c.unknownKeys)
	add := func(key, format string, args ...any) {
		ps = append(ps, Problem{Key: key, Message: fmt.Sprintf(format, args...)})
	}

	if c.IdP.Issuer == "" {
		add("idp.issuer", "required: the IdP's issuer identifier, used for discovery and compared with the iss of every token it issues (Okta: https://{yourOktaDomain}, the org authorization server)")
	} else if msg := issuerProblem(c.IdP.Issuer); msg != "" {
		add("idp.issuer", "%s", msg)
	}
	if c.IdP.ClientID == "" {
		add("idp.client_id", "required: the requesting app's client at the IdP, which logs the user in (step 1) and performs the token exchange (step 2)")
	}
	ps = append(ps, clientAuthProblems("idp", c.IdP.ClientConfig, EnvIdPClientSecret)...)
	if c.IdP.RedirectURI == "" {
		add("idp.redirect_uri", "required: the loopback URI xaa listens on for the login callback, e.g. http://127.0.0.1:8976/callback; register it at the IdP byte for byte")
	} else if msg := redirectURIProblem(c.IdP.RedirectURI); msg != "" {
		add("idp.redirect_uri", "%s", msg)
	}
	if len(c.IdP.Scopes) > 0 && !slices.Contains(c.IdP.Scopes, "openid") {
		add("idp.scopes", "must include openid: without it the IdP returns no ID token, and the ID token is what step 2 exchanges")
	}

	if c.ResourceAS.Issuer == "" {
		add("resource_as.issuer", "required: it is the audience the IdP writes into the ID-JAG; it must equal the AS metadata issuer exactly")
	} else if msg := issuerProblem(c.ResourceAS.Issuer); msg != "" {
		add("resource_as.issuer", "%s; it is the audience the IdP writes into the ID-JAG and must equal the AS metadata issuer exactly", msg)
	}
	if c.ResourceAS.ClientID == "" {
		add("resource_as.client_id", "required: the requesting app's client at the resource AS, which presents the ID-JAG in step 3; the IdP writes it into the ID-JAG's client_id")
	}
	ps = append(ps, clientAuthProblems("resource_as", c.ResourceAS, EnvASClientSecret)...)

	for key, v := range map[string]string{"idp.authorization_endpoint": c.IdP.AuthorizationEndpoint, "idp.token_endpoint": c.IdP.TokenEndpoint,
		"idp.jwks_uri": c.IdP.JWKSURI, "resource_as.token_endpoint": c.ResourceAS.TokenEndpoint, "resource_as.jwks_uri": c.ResourceAS.JWKSURI} {
		if v == "" {
			continue
		}
		if u, err := url.Parse(v); err != nil || u.Host == "" || (u.Scheme != "https" && u.Scheme != "http") {
			add(key, "%q is not an absolute http(s) URL", v)
		} else if u.Scheme == "http" && !inspect.IsLoopbackURL(v) {
			add(key, "%q must use https (http only on loopback): secrets and tokens are sent to it", v)
		}
	}
	switch c.IdP.Subject {
	case "", SubjectIDToken:
	case SubjectRefreshToken:
		if !slices.Contains(c.LoginScopes(), "offline_access") {
			add("idp.scopes", "needs offline_access with idp.subject refresh_token: the IdP issues a refresh token only when it is asked for")
		}
	default:
		add("idp.subject", "%q is not id_token or refresh_token", c.IdP.Subject)
	}
	for key, v := range map[string]string{"resource.id": c.Resource.ID, "resource.api_url": c.Resource.APIURL, "resource.mcp_url": c.Resource.MCPURL} {
		if v == "" {
			continue
		}
		if u, err := url.Parse(v); err != nil || u.Host == "" || (u.Scheme != "https" && u.Scheme != "http") {
			add(key, "%q is not an absolute http(s) URL", v)
		} else if u.Fragment != "" {
			add(key, "must not have a fragment (RFC 8707 §2)")
		}
	}
	if len(ps) == 0 {
		return nil
	}
	sortProblems(ps)
	return &Error{Source: c.Source, Problems: ps}
}

// ValidateWithout validates like Validate but leaves out the problems of
// the named sections ("idp") or keys ("idp.redirect_uri"): a conformance
// run replaces the IdP with its own; a run that starts after the login
// needs no redirect URI.
func (c *Config) ValidateWithout(sectionsOrKeys ...string) error {
	err := c.Validate()
	var ce *Error
	if !errors.As(err, &ce) {
		return err
	}
	kept := &Error{Source: ce.Source}
	for _, p := range ce.Problems {
		section, _, _ := strings.Cut(p.Key, ".")
		if !slices.Contains(sectionsOrKeys, section) && !slices.Contains(sectionsOrKeys, p.Key) {
			kept.Problems = append(kept.Problems, p)
		}
	}
	if len(kept.Problems) == 0 {
		return nil
	}
	return kept
}

// Usable reports whether the client has what a token request needs: a
// client id, and the credentials its authentication method asks for.
func (cc ClientConfig) Usable() bool {
	return cc.ClientID != "" && len(clientAuthProblems("", cc, "")) == 0
}

// sortProblems orders problems by key so the output is stable.
func sortProblems(ps []Problem) {
	sort.SliceStable(ps, func(i, j int) bool { return ps[i].Key < ps[j].Key })
}

func issuerProblem(issuer string) string {
	u, err := url.Parse(issuer)
	switch {
	case err != nil || u.Host == "":
		return fmt.Sprintf("%q is not an absolute URL", issuer)
	case u.Scheme != "https" && !(u.Scheme == "http" && inspect.IsLoopbackURL(issuer)):
		return fmt.Sprintf("%q must use https (http only on loopback): issuers are https URLs (RFC 8414 §2)", issuer)
	case u.RawQuery != "" || u.Fragment != "":
		return fmt.Sprintf("%q must not have a query or fragment (RFC 8414 §2)", issuer)
	}
	return ""
}

func redirectURIProblem(raw string) string {
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" {
		return fmt.Sprintf("%q is not an absolute URL", raw)
	}
	host := u.Hostname()
	if u.Scheme != "http" {
		return fmt.Sprintf("%q must be http://: xaa receives the callback on a loopback listener (RFC 8252 §7.3)", raw)
	}
	if host != "127.0.0.1" && host != "localhost" && host != "::1" {
		return fmt.Sprintf("host %q must be 127.0.0.1, localhost or [::1]: the callback listener only binds this machine", host)
	}
	if u.Port() == "" || u.Port() == "0" {
		return "needs an explicit port (http://127.0.0.1:8976/callback): the IdP redirects to the exact URI registered, port included"
	}
	if _, err := net.LookupPort("tcp", u.Port()); err != nil {
		return fmt.Sprintf("port %q is not a port number", u.Port())
	}
	if u.Path == "" || u.Path == "/" {
		return "needs a path (…/callback): the listener answers only on the exact path"
	}
	return ""
}

func clientAuthProblems(section string, cc ClientConfig, env string) []Problem {
	var ps []Problem
	add := func(key, format string, args ...any) {
		ps = append(ps, Problem{Key: section + "." + key, Message: fmt.Sprintf(format, args...)})
	}
	switch cc.Method() {
	case AuthClientSecretBasic, AuthClientSecretPost:
		if cc.ClientSecret == "" {
			add("client_secret", "required for %s: set it in the file or in %s", cc.Method(), env)
		}
	case AuthPrivateKeyJWT:
		switch {
		case cc.keyProblem != "":
			add("private_key", "%s", cc.keyProblem)
		case cc.Key == nil && cc.PrivateKey == "":
			add("private_key", "required for private_key_jwt: the path of the PEM or JWK file holding the client's private key")
		case cc.Key == nil:
			add("private_key", "%s has not been loaded: load the config with config.Load, or call LoadKeys", cc.PrivateKey)
		}
	case AuthNone:
	default:
		add("auth_method", "%q is not one of client_secret_basic, client_secret_post, private_key_jwt, none", cc.AuthMethod)
	}
	switch cc.AssertionAudience {
	case "", AssertionAudienceTokenEndpoint, AssertionAudienceIssuer:
	default:
		add("assertion_audience", "%q is not token_endpoint or issuer", cc.AssertionAudience)
	}
	return ps
}

// Warnings returns what is allowed but probably wrong: a file others can
// read, the two client identities looking swapped, a public client, an Okta Admin
// Console URL, a trailing slash or a custom authorization server as the
// Okta IdP, no resource to call.
func (c *Config) Warnings() []Problem {
	ws := append([]Problem(nil), c.loadWarnings...)
	add := func(key, format string, args ...any) {
		ws = append(ws, Problem{Key: key, Message: fmt.Sprintf(format, args...)})
	}
	idp, as := c.IdP.ClientConfig, c.ResourceAS
	switch {
	case idp.ClientID != "" && idp.ClientID == as.ClientID && idp.ClientSecret != "" && idp.ClientSecret == as.ClientSecret:
		add("resource_as.client_id", "the IdP client and the resource-AS client have the same id and secret; they are usually two registrations (draft §5): the IdP client for steps 1–2, the client at the resource AS for step 3")
	case looksLikeASClient(idp.ClientID) && !looksLikeASClient(as.ClientID):
		add("idp.client_id", "%q looks like a client at a resource AS (the {client}-at-{resource} naming) while resource_as.client_id %q does not: are the two credentials swapped?", idp.ClientID, as.ClientID)
	case looksLikeOktaClient(as.ClientID) && !looksLikeOktaClient(idp.ClientID) && strings.Contains(strings.ToLower(c.IdP.Issuer), "okta"):
		add("resource_as.client_id", "%q looks like an Okta client id while idp.client_id %q does not: are the IdP and resource-AS credentials swapped?", as.ClientID, idp.ClientID)
	case idp.ClientSecret != "" && idp.ClientSecret == as.ClientSecret && idp.ClientID != as.ClientID:
		add("resource_as.client_secret", "the IdP client and the resource-AS client share a secret: check that each secret belongs to its own client")
	}
	if idp.Method() == AuthNone {
		add("idp.auth_method", "none: a public client; the draft says the token exchange SHOULD only be offered to confidential clients (§9.1), and many IdPs refuse it")
	}
	if u, err := url.Parse(c.IdP.Issuer); err == nil && u.Host != "" {
		if org, admin := AdminConsoleURL(u); admin {
			add("idp.issuer", "%q is the Okta Admin Console's address, not the org's issuer: use %s", c.IdP.Issuer, org)
		} else if OktaHost(u.Host) && strings.HasSuffix(c.IdP.Issuer, "/") {
			add("idp.issuer", "Okta's issuer has no trailing slash, and issuers are compared byte for byte: use %s", strings.TrimRight(c.IdP.Issuer, "/"))
		}
	}
	if strings.Contains(c.IdP.Issuer, "/oauth2/") && strings.Contains(strings.ToLower(c.IdP.Issuer), "okta") {
		add("idp.issuer", "%q is an Okta custom authorization server; only the org authorization server (https://{yourOktaDomain}) issues ID-JAGs", c.IdP.Issuer)
	}
	if c.Resource.APIURL == "" && c.Resource.MCPURL == "" {
		add("resource", "neither api_url nor mcp_url is set: the run stops after the access token")
	}
	return ws
}

func looksLikeASClient(id string) bool { return strings.Contains(id, "-at-") }

func looksLikeOktaClient(id string) bool { return strings.HasPrefix(id, "0oa") && len(id) == 20 }
