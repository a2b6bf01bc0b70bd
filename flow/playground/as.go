package playground

import (
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"sync"
	"time"

	"github.com/xaatools/xaa/inspect"
)

// AccessTokenLifetime is the life of the access tokens the resource AS
// issues.
const AccessTokenLifetime = time.Hour

// maxLocalUsers bounds the accounts the resource AS provisions just in time
// for users of --trust-issuer issuers.
const maxLocalUsers = 10000

// asAlgorithms is the resource AS's alg allow-list for ID-JAGs (draft §4.4.1
// via RFC 8725 §3.1): what the embedded IdP signs with.
var asAlgorithms = []string{"RS256", "ES256"}

// resourceAS is the resource application's authorization server: it
// redeems ID-JAGs with the jwt-bearer grant (RFC 7523 §2.1, draft §4.4) and
// issues RFC 9068 access tokens for the resource server.
type resourceAS struct {
	p                 *Playground
	issuer            string
	tokenURL, jwksURL string
	authorizeURL      string
	keys              *keyring
	clients           *clientRegistry
	trust             *trustStore
	grants            *jtiCache
	resources         []string
	scopes            []string
	metadata          []byte
	accounts          *accounts
}

func newResourceAS(p *Playground, trusted []string) (*resourceAS, error) {
	keys, err := newKeyring(p.keys, "as", p.opts.RotateKeys, "ES256")
	if err != nil {
		return nil, err
	}
	a := &resourceAS{
		p: p, issuer: p.asURL, tokenURL: p.asURL + "/token", jwksURL: p.asURL + "/jwks", authorizeURL: p.asURL + "/authorize",
		keys:      keys,
		grants:    newJTICache(defaultJTICapacity),
		resources: []string{p.rsURL, p.rsURL + mcpPath},
		scopes:    []string{ScopeTodosRead, ScopeTodosWrite},
		accounts:  newAccounts(p),
	}
	a.clients = &clientRegistry{
		clients:       map[string]*client{ASClientID: newClient(ASClientID, p.credentials.ASClientSecret, p.credentials.clientKey.KeySet())},
		strangers:     map[string]*client{IdPClientID: newClient(IdPClientID, p.credentials.IdPClientSecret, nil)},
		tokenEndpoint: a.tokenURL,
		issuer:        a.issuer,
		assertionIDs:  newJTICache(maxPending),
		now:           p.now,
		errors:        &errorCatalog{}, // the resource AS is not Okta
	}
	a.trust = &trustStore{client: &http.Client{Timeout: fetchTimeout}, now: p.now}
	a.trust.issuers = append(a.trust.issuers, &trustedIssuer{issuer: p.idpURL, embedded: p.idp.org.keys.KeySet})
	for _, is := range trusted {
		a.trust.issuers = append(a.trust.issuers, &trustedIssuer{issuer: is})
	}
	a.metadata, _ = json.MarshalIndent(serverMetadata{
		Issuer: a.issuer,
		// RFC 8414 §2 lets an AS with no authorization-code grant leave the
		// authorization endpoint out, but the TypeScript MCP SDK refuses
		// such metadata; the endpoint exists and says why it grants nothing.
		AuthorizationEndpoint:                      a.authorizeURL,
		TokenEndpoint:                              a.tokenURL,
		JWKSURI:                                    a.jwksURL,
		ResponseTypesSupported:                     []string{},
		GrantTypesSupported:                        []string{inspect.GrantTypeJWTBearer},
		ScopesSupported:                            a.scopes,
		TokenEndpointAuthMethodsSupported:          authMethods,
		TokenEndpointAuthSigningAlgValuesSupported: []string{"ES256", "RS256"},
		// There is no authorization endpoint, but the MCP Go SDK refuses
		// authorization servers that do not advertise PKCE.
		CodeChallengeMethodsSupported:       []string{"S256"},
		AuthorizationGrantProfilesSupported: []string{inspect.GrantProfileIDJAG},
	}, "", "  ")
	return a, nil
}

// handler routes the resource AS's origin.
func (a *resourceAS) handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("/.well-known/oauth-authorization-server", func(w http.ResponseWriter, r *http.Request) { serveDocument(w, r, a.metadata) })
	mux.HandleFunc("/jwks", func(w http.ResponseWriter, r *http.Request) { serveDocument(w, r, a.keys.JWKS()) })
	mux.HandleFunc("/token", a.serveToken)
	mux.HandleFunc("/authorize", serveNoAuthorization)
	return withTimeout(mux)
}

// serveNoAuthorization answers the resource AS's authorization endpoint:
// no client has a redirect URI here, so the error is shown, not redirected
// (RFC 6749 §4.1.2.1).
func serveNoAuthorization(w http.ResponseWriter, r *http.Request) {
	writeError(w, &oauthError{status: http.StatusBadRequest, code: "unsupported_response_type",
		description: "this authorization server has no browser login: it issues access tokens for ID-JAGs only, with the jwt-bearer grant at its token endpoint (RFC 7523 §2.1)"})
}

// accounts maps IdP users to accounts at the resource app (draft §4.4.1:
// sub, scoped by iss, resolved to a local user). Users of the embedded IdP
// exist only when provisioned; users of --trust-issuer issuers are
// provisioned on first use, since the playground cannot know them.
type accounts struct {
	p *Playground

	mu  sync.Mutex
	jit map[string]string
}

func newAccounts(p *Playground) *accounts { return &accounts{p: p, jit: map[string]string{}} }

// resolve returns the local account for iss + sub, or "".
func (ac *accounts) resolve(iss, sub string) (account string, full bool) {
	if iss == ac.p.idpURL {
		if u := ac.p.users.bySubject(sub); u != nil && u.ProvisionedAtResource {
			return "todo-" + u.Username, false
		}
		return "", false
	}
	key := iss + "\x00" + sub
	ac.mu.Lock()
	defer ac.mu.Unlock()
	if a, ok := ac.jit[key]; ok {
		return a, false
	}
	if len(ac.jit) >= maxLocalUsers {
		return "", true
	}
	sum := sha256.Sum256([]byte(key))
	a := "ext-" + base64.RawURLEncoding.EncodeToString(sum[:9])
	ac.jit[key] = a
	return a, false
}
