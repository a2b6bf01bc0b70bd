package playground

import (
	"encoding/json"
	"net/http"
	"time"

	"github.com/xaatools/xaa/inspect"
)

// Lifetimes of what the IdP issues.
const (
	codeLifetime    = 60 * time.Second
	idTokenLifetime = time.Hour
	refreshLifetime = 24 * time.Hour
	// IDJAGLifetime is the life of the ID-JAGs the IdP issues, as Okta and
	// xaa.dev issue them.
	IDJAGLifetime = 5 * time.Minute
	// maxPending bounds the codes and refresh tokens held at once.
	maxPending = 10000
)

// connection is what an IdP administrator configures to let a requesting
// app get ID-JAGs for a resource AS (draft §4.3; Okta's "managed
// connection"): the audience, the resources and scopes it may ask for, and
// the client id the requesting app has at that AS.
type connection struct {
	clientID     string // the requesting app at the IdP
	audience     string // the resource AS issuer
	resources    []string
	scopes       []string
	clientIDAtAS string
}

// idp is the identity provider: one or (with the Okta profile) two
// authorization servers sharing users, clients and connections.
type idp struct {
	p           *Playground
	org         *authServer
	custom      *authServer // Okta profile only: /oauth2/default
	clients     map[string]*client
	connections []connection
	codes       *expiringStore[*authCode]
	refresh     *expiringStore[*refreshGrant]
	// adminTokens are the access tokens the Okta profile's API Services
	// app got with the client-credentials grant, with their scopes.
	adminTokens *expiringStore[[]string]
}

// authServer is one issuer at the IdP: its endpoints, keys and metadata.
type authServer struct {
	idp                          *idp
	issuer                       string
	authorizePath, tokenPath     string
	jwksPath                     string
	keys                         *keyring
	issuesIDJAG                  bool
	clients                      *clientRegistry
	metadata                     []byte
	authorizeURL, tokenURL, jwks string
}

func newIdP(p *Playground) (*idp, error) {
	d := &idp{
		p:       p,
		clients: map[string]*client{},
		codes:   newExpiringStore[*authCode](maxPending),
		refresh: newExpiringStore[*refreshGrant](maxPending),
	}
	if p.okta {
		// The org's API Services app: private_key_jwt with the demo client
		// key, for the admin API's private-key mode.
		d.clients[OktaServiceClientID] = newClient(OktaServiceClientID, "", p.credentials.clientKey.KeySet())
		d.adminTokens = newExpiringStore[[]string](maxPending)
	}
	c := newClient(IdPClientID, p.credentials.IdPClientSecret, p.credentials.clientKey.KeySet())
	c.redirectURIs = p.redirectURIs
	d.clients[c.id] = c
	other := newClient(OtherIdPClientID, p.credentials.OtherIdPClientSecret, nil)
	other.redirectURIs = p.redirectURIs
	d.clients[other.id] = other
	d.connections = []connection{{
		clientID:     IdPClientID,
		audience:     p.asURL,
		resources:    []string{p.rsURL, p.rsURL + mcpPath},
		scopes:       p.connectionScopes(),
		clientIDAtAS: ASClientID,
	}, {
		clientID:     OtherIdPClientID,
		audience:     p.asURL,
		resources:    []string{p.rsURL, p.rsURL + mcpPath},
		scopes:       []string{ScopeTodosRead, ScopeTodosWrite},
		clientIDAtAS: OtherIdPClientID + "-at-todos",
	}}
	orgKeys, err := newKeyring(p.keys, "idp", p.opts.RotateKeys, "RS256", "ES256")
	if err != nil {
		return nil, err
	}
	if p.okta {
		d.org = d.newAuthServer(p.idpURL, oktaOrgBase+"/authorize", oktaOrgBase+"/token", oktaOrgBase+"/keys", orgKeys, true)
		customKeys, err := newKeyring(p.keys, "idp-okta-default", p.opts.RotateKeys, "RS256")
		if err != nil {
			return nil, err
		}
		d.custom = d.newAuthServer(p.idpURL+oktaCustomBase, oktaCustomBase+"/v1/authorize", oktaCustomBase+"/v1/token", oktaCustomBase+"/v1/keys", customKeys, false)
	} else {
		d.org = d.newAuthServer(p.idpURL, "/authorize", "/token", "/jwks", orgKeys, true)
	}
	return d, nil
}

func (d *idp) newAuthServer(issuer, authorize, token, jwks string, keys *keyring, issuesIDJAG bool) *authServer {
	origin := d.p.idpURL
	s := &authServer{idp: d, issuer: issuer, authorizePath: authorize, tokenPath: token, jwksPath: jwks,
		keys: keys, issuesIDJAG: issuesIDJAG,
		authorizeURL: origin + authorize, tokenURL: origin + token, jwks: origin + jwks}
	s.clients = &clientRegistry{
		clients:           d.clients,
		strangers:         map[string]*client{ASClientID: newClient(ASClientID, d.p.credentials.ASClientSecret, nil)},
		tokenEndpoint:     s.tokenURL,
		issuer:            issuer,
		assertionIDs:      newJTICache(maxPending),
		now:               d.p.now,
		errors:            d.p.errors,
		secretAlwaysWrong: d.p.faults[FaultOktaWrongSecret],
		faults:            d.p.faults,
	}
	grants := []string{"authorization_code", "refresh_token"}
	var chaining []string
	if issuesIDJAG {
		grants = append(grants, inspect.GrantTypeTokenExchange)
		chaining = []string{inspect.TokenTypeIDJAG}
	}
	s.metadata, _ = json.MarshalIndent(serverMetadata{
		Issuer:                                       issuer,
		AuthorizationEndpoint:                        s.authorizeURL,
		TokenEndpoint:                                s.tokenURL,
		RevocationEndpoint:                           origin + s.revokePath(),
		JWKSURI:                                      s.jwks,
		ResponseTypesSupported:                       []string{"code"},
		ResponseModesSupported:                       []string{"query"},
		GrantTypesSupported:                          grants,
		SubjectTypesSupported:                        []string{"public"},
		IDTokenSigningAlgValuesSupported:             []string{"RS256"},
		ScopesSupported:                              []string{"openid", "profile", "email", "offline_access"},
		ClaimsSupported:                              []string{"iss", "sub", "aud", "exp", "iat", "auth_time", "nonce", "amr", "name", "preferred_username", "email", "email_verified"},
		TokenEndpointAuthMethodsSupported:            authMethods,
		TokenEndpointAuthSigningAlgValuesSupported:   []string{"ES256", "RS256"},
		CodeChallengeMethodsSupported:                []string{"S256"},
		AuthorizationResponseISSParameterSupported:   true,
		IdentityChainingRequestedTokenTypesSupported: chaining,
	}, "", "  ")
	return s
}

// handler routes the IdP's origin.
func (d *idp) handler() http.Handler {
	mux := http.NewServeMux()
	d.org.routes(mux, "")
	if d.custom != nil {
		d.custom.routes(mux, oktaCustomBase)
	}
	if d.p.okta {
		d.p.adminRoutes(mux)
	}
	mux.HandleFunc("/{$}", d.serveIndex)
	return withTimeout(mux)
}

// routes registers one authorization server's endpoints. Discovery is
// served where OIDC Discovery puts it (issuer + /.well-known/…) and where
// RFC 8414 §3.1 puts it (/.well-known/… + issuer path).
func (s *authServer) routes(mux *http.ServeMux, issuerPath string) {
	meta := func(w http.ResponseWriter, r *http.Request) { serveDocument(w, r, s.metadata) }
	mux.HandleFunc(issuerPath+"/.well-known/openid-configuration", meta)
	mux.HandleFunc(issuerPath+"/.well-known/oauth-authorization-server", meta)
	if issuerPath != "" {
		mux.HandleFunc("/.well-known/oauth-authorization-server"+issuerPath, meta)
		mux.HandleFunc("/.well-known/openid-configuration"+issuerPath, meta)
	}
	mux.HandleFunc(s.jwksPath, func(w http.ResponseWriter, r *http.Request) { serveDocument(w, r, s.keys.JWKS()) })
	mux.HandleFunc(s.authorizePath, s.serveAuthorize)
	mux.HandleFunc(s.tokenPath, s.serveToken)
	mux.HandleFunc(s.revokePath(), s.serveRevoke)
}
