package playground

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
)

// mcpPath is where the MCP server listens on the resource server.
const mcpPath = "/mcp"

// prmPath is the RFC 9728 §3.1 well-known path.
const prmPath = "/.well-known/oauth-protected-resource"

// resourceServer is the resource application's API: a todo REST API and an
// MCP server, both protected by access tokens from the resource AS.
type resourceServer struct {
	p      *Playground
	todos  *todoStore
	prmAPI []byte
	prmMCP []byte
}

// protectedResourceMetadata is RFC 9728 §2 metadata.
type protectedResourceMetadata struct {
	Resource               string   `json:"resource"`
	AuthorizationServers   []string `json:"authorization_servers"`
	ScopesSupported        []string `json:"scopes_supported"`
	BearerMethodsSupported []string `json:"bearer_methods_supported"`
	ResourceName           string   `json:"resource_name"`
	ResourceDocumentation  string   `json:"resource_documentation,omitempty"`
}

func newResourceServer(p *Playground) *resourceServer {
	rs := &resourceServer{p: p, todos: newTodoStore(p.now)}
	prm := func(resource, name string) []byte {
		b, _ := json.MarshalIndent(protectedResourceMetadata{
			Resource: resource, AuthorizationServers: []string{p.asURL},
			ScopesSupported: []string{ScopeTodosRead, ScopeTodosWrite}, BearerMethodsSupported: []string{"header"},
			ResourceName: name,
		}, "", "  ")
		return b
	}
	rs.prmAPI = prm(p.rsURL, "xaa playground todo API")
	rs.prmMCP = prm(p.rsURL+mcpPath, "xaa playground todo MCP server")
	return rs
}

// handler routes the resource server's origin. The REST API's resource is
// the origin; the MCP server also answers to its own resource (origin +
// /mcp, as the MCP enterprise-managed authorization extension names MCP
// servers), and to the origin, so one access token serves both.
func (rs *resourceServer) handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc(prmPath, func(w http.ResponseWriter, r *http.Request) { serveDocument(w, r, rs.prmAPI) })
	mux.HandleFunc(prmPath+mcpPath, func(w http.ResponseWriter, r *http.Request) { serveDocument(w, r, rs.prmMCP) })
	api := protection{
		audiences:      []string{rs.p.rsURL},
		metadataURL:    rs.p.rsURL + prmPath,
		scopeFor:       todosScope,
		challengeScope: ScopeTodosRead + " " + ScopeTodosWrite,
	}
	mux.Handle("/todos", withTimeout(rs.protect(api, http.HandlerFunc(rs.serveTodos))))
	mux.Handle(mcpPath, rs.mcpHandler())
	return mux
}

// todosScope is the scope each REST request needs.
func todosScope(r *http.Request) (string, *bearerError) {
	if r.Method == http.MethodPost {
		return ScopeTodosWrite, nil
	}
	return ScopeTodosRead, nil
}

// serveTodos lists (GET) and adds (POST {"title": "…"}) the caller's todos.
func (rs *resourceServer) serveTodos(w http.ResponseWriter, r *http.Request) {
	g := grantFrom(r.Context())
	switch r.Method {
	case http.MethodGet, http.MethodHead:
		writeJSON(w, http.StatusOK, map[string]any{"todos": rs.todos.list(g.account)})
	case http.MethodPost:
		if mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type")); err != nil || mt != "application/json" {
			writeJSON(w, http.StatusUnsupportedMediaType, map[string]string{"error": "invalid_request", "error_description": `send the todo as application/json: {"title": "…"}`})
			return
		}
		var in struct {
			Title string `json:"title"`
		}
		dec := json.NewDecoder(http.MaxBytesReader(w, r.Body, 16<<10))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&in); err != nil {
			status := http.StatusBadRequest
			var tooBig *http.MaxBytesError
			if errors.As(err, &tooBig) {
				status = http.StatusRequestEntityTooLarge
			}
			writeJSON(w, status, map[string]string{"error": "invalid_request", "error_description": fmt.Sprintf(`the body is not {"title": "…"}: %v`, err)})
			return
		}
		if _, err := dec.Token(); err != io.EOF {
			writeJSON(w, http.StatusBadRequest, map[string]string{"error": "invalid_request", "error_description": "the body has data after the JSON object"})
			return
		}
		t, err := rs.todos.add(g.account, in.Title)
		if err != nil {
			writeJSON(w, http.StatusUnprocessableEntity, map[string]string{"error": "invalid_request", "error_description": err.Error()})
			return
		}
		writeJSON(w, http.StatusCreated, t)
	default:
		w.Header().Set("Allow", "GET, HEAD, POST")
		writeJSON(w, http.StatusMethodNotAllowed, map[string]string{"error": "invalid_request", "error_description": "use GET to list todos and POST to add one"})
	}
}
