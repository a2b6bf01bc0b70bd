package playground

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"slices"
	"sync"
	"time"

	"github.com/modelcontextprotocol/go-sdk/auth"
	"github.com/modelcontextprotocol/go-sdk/mcp"
)

// maxMCPBody bounds one MCP request body.
const maxMCPBody = 1 << 20

// Names of the MCP tools.
const (
	toolListTodos = "list_todos"
	toolAddTodo   = "add_todo"
)

// listTodosOutput is the structured result of list_todos.
type listTodosOutput struct {
	Todos []Todo `json:"todos"`
}

// addTodoInput is the argument of add_todo.
type addTodoInput struct {
	Title string `json:"title" jsonschema:"what to do, at most 200 characters"`
}

// mcpHandler is the MCP server over Streamable HTTP (official Go SDK),
// stateless so that it holds no per-client memory, behind the same bearer
// protection as the REST API. The SDK's server is built in the background
// as the playground starts (inferring the tools' JSON schemas is a
// millisecond of reflection that a start should not wait for); the first
// MCP request waits for it if it is not ready yet.
func (rs *resourceServer) mcpHandler() http.Handler {
	sdk := sync.OnceValue(rs.mcpServer)
	go sdk()
	pr := protection{
		audiences:      []string{rs.p.rsURL + mcpPath},
		metadataURL:    rs.p.rsURL + prmPath + mcpPath,
		scopeFor:       mcpScope,
		challengeScope: ScopeTodosRead + " " + ScopeTodosWrite,
	}
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { sdk().ServeHTTP(w, r) })
	return withDeadline(rs.protect(pr, h), 10*time.Second)
}

// mcpServer builds the SDK's MCP server with the two tools, and its
// Streamable HTTP handler.
func (rs *resourceServer) mcpServer() http.Handler {
	server := mcp.NewServer(&mcp.Implementation{Name: "xaa-playground-todos", Title: "xaa playground todos", Version: "1.0.0"}, nil)
	mcp.AddTool(server, &mcp.Tool{Name: toolListTodos, Title: "List todos", Description: "List the signed-in user's todos (scope todos.read).",
		Annotations: &mcp.ToolAnnotations{ReadOnlyHint: true}},
		func(ctx context.Context, req *mcp.CallToolRequest, _ struct{}) (*mcp.CallToolResult, listTodosOutput, error) {
			g := grantFrom(ctx)
			if g == nil {
				return nil, listTodosOutput{}, errors.New("no access token")
			}
			return nil, listTodosOutput{Todos: rs.todos.list(g.account)}, nil
		})
	mcp.AddTool(server, &mcp.Tool{Name: toolAddTodo, Title: "Add a todo", Description: "Add a todo to the signed-in user's list (scope todos.write)."},
		func(ctx context.Context, req *mcp.CallToolRequest, in addTodoInput) (*mcp.CallToolResult, Todo, error) {
			g := grantFrom(ctx)
			if g == nil || !slices.Contains(g.scopes, ScopeTodosWrite) {
				return nil, Todo{}, fmt.Errorf("insufficient_scope: adding a todo needs scope %s", ScopeTodosWrite)
			}
			t, err := rs.todos.add(g.account, in.Title)
			return nil, t, err
		})
	streamable := mcp.NewStreamableHTTPHandler(func(*http.Request) *mcp.Server { return server }, &mcp.StreamableHTTPOptions{Stateless: true})
	// The SDK hands tools the token info that its own middleware stores;
	// protect has verified the token already, so this only passes it on.
	return auth.RequireBearerToken(func(ctx context.Context, _ string, _ *http.Request) (*auth.TokenInfo, error) {
		g := grantFrom(ctx)
		return &auth.TokenInfo{Scopes: g.scopes, UserID: g.account, Expiration: time.Now().Add(g.expires.Sub(rs.p.now()))}, nil
	}, nil)(streamable)
}

// mcpScope is the scope an MCP request needs: todos.write to call add_todo,
// todos.read for anything else. A missing scope is then a 403 with
// insufficient_scope, the MCP authorization spec's step-up signal.
func mcpScope(r *http.Request) (string, *bearerError) {
	if r.Method != http.MethodPost {
		return ScopeTodosRead, nil
	}
	body, err := io.ReadAll(http.MaxBytesReader(nil, r.Body, maxMCPBody))
	if err != nil {
		return "", &bearerError{status: http.StatusRequestEntityTooLarge, code: "invalid_request", description: "the MCP request body is larger than 1 MiB"}
	}
	r.Body = io.NopCloser(bytes.NewReader(body))
	type call struct {
		Method string `json:"method"`
		Params struct {
			Name string `json:"name"`
		} `json:"params"`
	}
	var calls []call
	var one call
	if json.Unmarshal(body, &one) == nil {
		calls = []call{one}
	} else {
		json.Unmarshal(body, &calls) // a batch; anything else is the SDK's to refuse
	}
	for _, c := range calls {
		if c.Method == "tools/call" && c.Params.Name == toolAddTodo {
			return ScopeTodosWrite, nil
		}
	}
	return ScopeTodosRead, nil
}

// withDeadline ends the context of h's requests after d.
func withDeadline(h http.Handler, d time.Duration) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx, cancel := context.WithTimeout(r.Context(), d)
		defer cancel()
		h.ServeHTTP(w, r.WithContext(ctx))
	})
}
