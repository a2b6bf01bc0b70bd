package playground

import (
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/xaatools/xaa/flow/config"
	"github.com/xaatools/xaa/inspect"
)

// With the Okta profile the IdP's origin also serves the few read-only
// endpoints of Okta's admin (management) API that `xaa doctor` reads, for
// the simulated org, behind the playground's own API token (SSWS): the
// requesting app, its keys and Cross App Access connections, and the
// custom authorization server of the todo API (the playground's resource
// AS, as the org sees it) with its policy, rule and scopes, and the
// identity providers it trusts (okta_idps.go). Shapes follow
// Okta's Management API spec; a test validates them against it.

// Faults that show only in what the admin API reads of the simulated org.
const (
	// FaultOktaPolicyNoJWTBearer: the access policy's rule of the resource's
	// custom authorization server does not allow the JWT Bearer grant.
	FaultOktaPolicyNoJWTBearer = "okta-policy-no-jwt-bearer"
)

func init() {
	faultTable = append(faultTable, FaultInfo{Name: FaultOktaPolicyNoJWTBearer, Party: PartyIdP, Step: StepJWTBearer, Profile: ProfileOkta,
		Description: "the access policy rule of the resource's custom authorization server does not allow the JWT Bearer grant (read with the admin API; the playground's resource AS still redeems ID-JAGs)"})
}

// Ids of the simulated org's objects.
const (
	oktaResourceAppID = "0oatodos0000000000x1"
	oktaAuthServerID  = "austodos000000000x1"
	oktaPolicyID      = "00ptodos000000000x1"
	oktaRuleID        = "0prtodos000000000x1"
	oktaConnectionID  = "cwotodos000000000x1"
)

// OktaAdmin returns the okta section of the config that reads the
// simulated org's admin API: the IdP's origin and the playground's API
// token. Empty without the Okta profile.
func (p *Playground) OktaAdmin() config.OktaConfig {
	if !p.okta {
		return config.OktaConfig{}
	}
	return config.OktaConfig{OrgURL: p.idpURL, Token: config.Secret(p.adminToken())}
}

// adminToken is the playground's API token, derived from the requesting
// app's secret so that it is kept with it across starts.
func (p *Playground) adminToken() string {
	sum := sha256.Sum256([]byte("xaa playground okta admin API token\x00" + p.credentials.IdPClientSecret))
	return "00" + base64.RawURLEncoding.EncodeToString(sum[:24])
}

// adminRoutes registers the admin API's read-only endpoints.
func (p *Playground) adminRoutes(mux *http.ServeMux) {
	mux.HandleFunc("/api/v1/", p.serveAdmin)
	mux.HandleFunc(aiAgentsPath+"/", p.serveAIAdmin)
	mux.HandleFunc(aiAgentsPath, p.serveAIAdmin)
	mux.HandleFunc(mcpServersPath+"/", p.serveAIAdmin)
	mux.HandleFunc(mcpServersPath, p.serveAIAdmin)
}

// oktaAPIError is Okta's error body.
type oktaAPIError struct {
	ErrorCode    string   `json:"errorCode"`
	ErrorSummary string   `json:"errorSummary"`
	ErrorLink    string   `json:"errorLink"`
	ErrorID      string   `json:"errorId"`
	ErrorCauses  []string `json:"errorCauses"`
}

func writeAdminError(w http.ResponseWriter, status int, code, summary string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(oktaAPIError{ErrorCode: code, ErrorSummary: summary, ErrorLink: code, ErrorID: "oaeplayground", ErrorCauses: []string{}})
}

// serveAdmin answers the admin API's reads.
func (p *Playground) serveAdmin(w http.ResponseWriter, r *http.Request) {
	if !p.adminAuthorized(w, r) {
		return
	}
	parts := strings.Split(strings.TrimPrefix(r.URL.Path, "/api/v1/"), "/")
	var body any
	switch {
	case len(parts) == 2 && parts[0] == "apps":
		if app := p.adminApp(parts[1]); app != nil { // a nil map in body would answer null
			body = app
		}
	case len(parts) == 4 && parts[0] == "apps" && parts[2] == "credentials" && parts[3] == "jwks":
		if parts[1] == IdPClientID {
			body = p.adminPage(w, r, p.adminKeys())
		}
	case len(parts) == 4 && parts[0] == "apps" && parts[2] == "cwo" && parts[3] == "connections":
		if p.adminApp(parts[1]) != nil {
			body = p.adminPage(w, r, p.adminConnections(parts[1]))
		}
	case len(parts) == 1 && parts[0] == "idps":
		body = p.adminPage(w, r, p.adminIdPs())
	case len(parts) == 1 && parts[0] == "authorizationServers":
		body = p.adminPage(w, r, []any{p.adminAuthServer()})
	case len(parts) == 3 && parts[0] == "authorizationServers" && parts[1] == oktaAuthServerID && parts[2] == "policies":
		body = p.adminPage(w, r, []any{p.adminPolicy()})
	case len(parts) == 5 && parts[0] == "authorizationServers" && parts[1] == oktaAuthServerID && parts[2] == "policies" && parts[3] == oktaPolicyID && parts[4] == "rules":
		body = p.adminPage(w, r, []any{p.adminRule()})
	case len(parts) == 3 && parts[0] == "authorizationServers" && parts[1] == oktaAuthServerID && parts[2] == "scopes":
		body = p.adminPage(w, r, p.adminScopes())
	}
	if body == nil {
		writeAdminError(w, http.StatusNotFound, "E0000007", "Not found: Resource not found: "+r.URL.Path+" (playground)")
		return
	}
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(body)
}

// adminAuthorized answers a request that is not a GET with the playground's
// API token (SSWS) or an API Services app's access token (Bearer), and sets the rate-limit headers of one that is.
func (p *Playground) adminAuthorized(w http.ResponseWriter, r *http.Request) bool {
	if r.Method != http.MethodGet {
		w.Header().Set("Allow", http.MethodGet)
		writeAdminError(w, http.StatusMethodNotAllowed, "E0000022", "The endpoint does not support the provided HTTP method")
		return false
	}
	scheme, token, _ := strings.Cut(r.Header.Get("Authorization"), " ")
	ssws := strings.EqualFold(scheme, "SSWS") && subtle.ConstantTimeCompare([]byte(token), []byte(p.adminToken())) == 1
	if !ssws && !(strings.EqualFold(scheme, "Bearer") && p.adminBearer(token)) {
		writeAdminError(w, http.StatusUnauthorized, "E0000011", "Invalid token provided")
		return false
	}
	w.Header().Set("X-Rate-Limit-Limit", "600")
	w.Header().Set("X-Rate-Limit-Remaining", "599")
	w.Header().Set("X-Rate-Limit-Reset", strconv.FormatInt(p.now().Unix()+60, 10))
	return true
}

// adminPage returns one page of items: limit (default 200) from the
// cursor after, with Link rel="next" when more follow, as Okta pages.
func (p *Playground) adminPage(w http.ResponseWriter, r *http.Request, items []any) []any {
	limit, err := strconv.Atoi(r.URL.Query().Get("limit"))
	if err != nil || limit <= 0 || limit > 200 {
		limit = 200
	}
	start, _ := strconv.Atoi(r.URL.Query().Get("after"))
	start = min(max(start, 0), len(items))
	end := min(start+limit, len(items))
	if end < len(items) {
		q := r.URL.Query()
		q.Set("after", strconv.Itoa(end))
		q.Set("limit", strconv.Itoa(limit))
		w.Header().Add("Link", fmt.Sprintf("<%s%s?%s>; rel=\"next\"", p.idpURL, r.URL.Path, q.Encode()))
	}
	w.Header().Add("Link", fmt.Sprintf("<%s%s>; rel=\"self\"", p.idpURL, r.URL.Path))
	return append([]any{}, items[start:end]...)
}

func (p *Playground) adminLinks(path string) map[string]any {
	return map[string]any{"self": map[string]any{"href": p.idpURL + path}}
}

// adminApp is the requesting app or the resource app (an OIDC app's id is
// its client id), or nil.
func (p *Playground) adminApp(id string) map[string]any {
	created := p.now().UTC().Add(-24 * 3600e9).Format("2006-01-02T15:04:05.000Z")
	app := func(label, clientID, method string, grants, redirects []string) map[string]any {
		oauth := map[string]any{"application_type": "web", "grant_types": grants, "response_types": []string{"code"},
			"redirect_uris": redirects, "consent_method": "TRUSTED", "issuer_mode": "ORG_URL"}
		return map[string]any{
			"id": id, "name": "oidc_client", "label": label, "status": "ACTIVE", "signOnMode": "OPENID_CONNECT",
			"created": created, "lastUpdated": created,
			"credentials": map[string]any{"userNameTemplate": map[string]any{"template": "${source.login}", "type": "BUILT_IN"},
				"oauthClient": map[string]any{"client_id": clientID, "token_endpoint_auth_method": method, "autoKeyRotation": true}},
			"settings":   map[string]any{"oauthClient": oauth},
			"visibility": map[string]any{"autoSubmitToolbar": false, "hide": map[string]any{"iOS": false, "web": false}},
			"_links":     p.adminLinks("/api/v1/apps/" + id),
		}
	}
	switch id {
	case IdPClientID:
		grants := p.appGrantTypes()
		redirects := p.redirectURIs
		if p.faults[FaultOktaRedirectNotRegistered] {
			redirects = []string{"http://localhost:8080/authorization-code/callback"}
		}
		return app("xaa agent (playground)", IdPClientID, config.AuthClientSecretBasic, grants, redirects)
	case oktaResourceAppID:
		return app("Todos (playground resource app)", oktaResourceAppID, config.AuthClientSecretBasic, []string{"authorization_code"}, []string{p.rsURL + "/callback"})
	}
	return nil
}

// adminKeys are the requesting app's client keys: the demo client key.
func (p *Playground) adminKeys() []any {
	s := p.credentials.clientKey.signer("ES256")
	jwk := s.publicJWK()
	raw, _ := jwk.MarshalJSON()
	var k map[string]any
	_ = json.Unmarshal(raw, &k)
	created := p.now().UTC().Add(-24 * 3600e9).Format("2006-01-02T15:04:05.000Z")
	k["id"], k["status"], k["created"], k["lastUpdated"] = "pks"+strings.ReplaceAll(s.kid, "-", ""), "ACTIVE", created, created
	k["_links"] = map[string]any{"activate": map[string]any{"href": p.idpURL + "/api/v1/apps/" + IdPClientID + "/credentials/jwks/pks/lifecycle/activate", "hints": map[string]any{"allow": []string{"POST"}}}}
	return []any{k}
}

// adminConnections are the app's Cross App Access connections: the
// requesting app to the resource app, unless okta-no-connection.
func (p *Playground) adminConnections(appID string) []any {
	if p.faults[FaultOktaNoConnection] || (appID != IdPClientID && appID != oktaResourceAppID) {
		return []any{}
	}
	created := p.now().UTC().Add(-24 * 3600e9).Format("2006-01-02T15:04:05.000Z")
	return []any{map[string]any{"id": oktaConnectionID, "requestingAppInstanceId": IdPClientID, "resourceAppInstanceId": oktaResourceAppID,
		"status": "ACTIVE", "created": created, "lastUpdated": created}}
}

// adminAuthServer is the resource's custom authorization server: the
// playground's resource AS, as the simulated org lists it.
func (p *Playground) adminAuthServer() map[string]any {
	created := p.now().UTC().Add(-24 * 3600e9).Format("2006-01-02T15:04:05.000Z")
	return map[string]any{"id": oktaAuthServerID, "name": "Todos", "description": "The todo API's authorization server (playground)",
		"audiences": []string{p.rsURL}, "issuer": p.asURL, "issuerMode": "ORG_URL", "status": "ACTIVE", "created": created, "lastUpdated": created,
		"credentials": map[string]any{"signing": map[string]any{"kid": "playground", "rotationMode": "AUTO", "use": "sig"}},
		"_links":      p.adminLinks("/api/v1/authorizationServers/" + oktaAuthServerID)}
}

func (p *Playground) adminPolicy() map[string]any {
	created := p.now().UTC().Add(-24 * 3600e9).Format("2006-01-02T15:04:05.000Z")
	return map[string]any{"id": oktaPolicyID, "type": "OAUTH_AUTHORIZATION_POLICY", "name": "Todo clients", "description": "Clients of the todo API",
		"status": "ACTIVE", "priority": 1, "system": false, "created": created, "lastUpdated": created,
		"conditions": map[string]any{"clients": map[string]any{"include": []string{ASClientID}}},
		"_links":     p.adminLinks("/api/v1/authorizationServers/" + oktaAuthServerID + "/policies/" + oktaPolicyID)}
}

func (p *Playground) adminRule() map[string]any {
	created := p.now().UTC().Add(-24 * 3600e9).Format("2006-01-02T15:04:05.000Z")
	grants := []string{"authorization_code", inspect.GrantTypeJWTBearer}
	if p.faults[FaultOktaPolicyNoJWTBearer] {
		grants = grants[:1]
	}
	return map[string]any{"id": oktaRuleID, "type": "RESOURCE_ACCESS", "name": "Todo access", "status": "ACTIVE", "priority": 1, "system": false,
		"created": created, "lastUpdated": created,
		"conditions": map[string]any{
			"people":     map[string]any{"groups": map[string]any{"include": []string{"EVERYONE"}}},
			"grantTypes": map[string]any{"include": grants},
			"scopes":     map[string]any{"include": []string{"*"}},
		},
		"actions": map[string]any{"token": map[string]any{"accessTokenLifetimeMinutes": 60, "refreshTokenLifetimeMinutes": 0, "refreshTokenWindowMinutes": 10080}},
		"_links":  p.adminLinks("/api/v1/authorizationServers/" + oktaAuthServerID + "/policies/" + oktaPolicyID + "/rules/" + oktaRuleID)}
}

func (p *Playground) adminScopes() []any {
	var out []any
	for i, name := range []string{"openid", "profile", "email", "offline_access", ScopeTodosRead, ScopeTodosWrite} {
		out = append(out, map[string]any{"id": fmt.Sprintf("scptodos%011d", i), "name": name, "displayName": name,
			"consent": "IMPLICIT", "default": false, "metadataPublish": "ALL_CLIENTS", "optional": false, "system": i < 4,
			"_links": p.adminLinks("/api/v1/authorizationServers/" + oktaAuthServerID + "/scopes/" + url.PathEscape(fmt.Sprintf("scptodos%011d", i)))})
	}
	return out
}
