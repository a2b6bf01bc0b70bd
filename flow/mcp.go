package flow

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"unicode/utf8"

	"github.com/modelcontextprotocol/go-sdk/jsonrpc"
	"github.com/modelcontextprotocol/go-sdk/mcp"

	"github.com/xaatools/xaa/flow/wire"
)

// maxToolText bounds the tool result text kept for the report.
const maxToolText = 4 << 10

// ClientName is how xaa introduces itself to MCP servers.
const ClientName = "xaa"

// callMCP connects to the MCP server with the official Go SDK over
// Streamable HTTP, through the recorder, lists the tools and calls one when
// asked (MCP authorization: the token on every request).
func (r *Runner) callMCP(ctx context.Context, s *wire.Client, st *Step, scheme, token string) (*MCPResult, error) {
	endpoint := r.Config.Resource.MCPURL
	res := &MCPResult{URL: endpoint}
	// The SDK reads the answers itself: bound them like every other body.
	limit := &wire.BodyLimit{Limit: s.MaxBody(), What: "the MCP server's answer"}
	httpClient := s.HTTPWith(func(recorder http.RoundTripper) http.RoundTripper {
		limit.Next = recorder
		return &bearerTransport{scheme: scheme, token: token, next: limit}
	})
	transport := &mcp.StreamableClientTransport{
		Endpoint:             endpoint,
		HTTPClient:           httpClient,
		MaxRetries:           -1,
		DisableStandaloneSSE: true, // one request, one answer: nothing to wait for
	}
	client := mcp.NewClient(&mcp.Implementation{Name: ClientName, Version: Version()}, nil)
	ctx = wire.WithLabel(ctx, wire.PartyResource, "MCP")
	defer labelMCPExchanges(s)

	cs, err := client.Connect(ctx, transport, nil)
	if err != nil {
		return res, mcpError(s, limit, "initialize", endpoint, err)
	}
	defer cs.Close()
	if init := cs.InitializeResult(); init != nil {
		res.ProtocolVersion = init.ProtocolVersion
		if init.ServerInfo != nil {
			res.ServerName, res.ServerVersion = init.ServerInfo.Name, init.ServerInfo.Version
		}
	}
	tools, err := cs.ListTools(ctx, nil)
	if err != nil {
		return res, mcpError(s, limit, "tools/list", endpoint, err)
	}
	for _, t := range tools.Tools {
		res.Tools = append(res.Tools, MCPTool{Name: t.Name, Description: t.Description})
	}
	names := make([]string, len(res.Tools))
	for i, t := range res.Tools {
		names[i] = t.Name
	}
	st.note("MCP tools: %s", cmp.Or(strings.Join(names, ", "), "(none)"))
	if r.Tool == "" {
		return res, nil
	}
	var args map[string]any
	if len(r.ToolArgs) > 0 {
		if err := json.Unmarshal(r.ToolArgs, &args); err != nil {
			return res, fmt.Errorf("%w: --args is not a JSON object: %v", wire.ErrNoInput, err)
		}
	}
	call, err := cs.CallTool(ctx, &mcp.CallToolParams{Name: r.Tool, Arguments: args})
	if err != nil {
		return res, mcpError(s, limit, "tools/call", endpoint, err)
	}
	res.Call = &MCPToolCall{Name: r.Tool, IsError: call.IsError, Text: toolText(call)}
	if call.IsError {
		return res, &wire.MCPError{Operation: "tools/call", Message: "the tool " + r.Tool + " reported an error: " + firstLine(res.Call.Text)}
	}
	return res, nil
}

// toolText joins the text content of a tool result, bounded.
func toolText(call *mcp.CallToolResult) string {
	var b strings.Builder
	for _, c := range call.Content {
		if t, ok := c.(*mcp.TextContent); ok {
			if b.Len() > 0 {
				b.WriteString("\n")
			}
			b.WriteString(t.Text)
		}
	}
	s := b.String()
	if len(s) > maxToolText {
		cut := maxToolText
		for cut > 0 && !utf8.RuneStart(s[cut]) {
			cut--
		}
		s = s[:cut] + "…"
	}
	return s
}

func firstLine(s string) string {
	line, _, _ := strings.Cut(s, "\n")
	return line
}

// mcpError explains a failed MCP call: a refusal of the token (401/403 with
// a challenge) like any resource's, a network failure as a *FetchError,
// an answer over the size limit as that *FetchError, anything else as an
// *MCPError with the JSON-RPC code and HTTP status.
func mcpError(s *wire.Client, limit *wire.BodyLimit, op, endpoint string, err error) error {
	if over := limit.Exceeded(); over != nil {
		return over
	}
	xs := s.Exchanges()
	var last *wire.Exchange
	if len(xs) > 0 {
		last = xs[len(xs)-1]
	}
	if last != nil && last.Err != nil {
		return wire.ClassifyTransportError("the MCP server", endpoint, s.HTTP().Timeout, last.Err)
	}
	status := 0
	if last != nil && last.Response != nil {
		status = last.Response.Status
		if rerr := wire.ResourceRefusal(status, last.Response.Header, "the MCP server", endpoint); rerr != nil && (status == http.StatusUnauthorized || status == http.StatusForbidden) {
			return rerr
		}
	}
	me := &wire.MCPError{Operation: op, Err: err, Message: err.Error()}
	var rpcErr *jsonrpc.Error
	if errors.As(err, &rpcErr) {
		me.Code, me.Message = rpcErr.Code, rpcErr.Message
	}
	if status >= 300 {
		me.Status = status
		me.Message = "HTTP " + wire.StatusLine(status) + ": " + me.Message
	}
	return me
}

// labelMCPExchanges names each MCP exchange after its JSON-RPC method.
func labelMCPExchanges(s *wire.Client) {
	s.Recorder().Relabel(func(x *wire.Exchange) {
		if x.Label != "MCP" {
			return
		}
		var msg struct {
			Method string `json:"method"`
		}
		if json.Unmarshal(x.Request.Body, &msg) == nil && msg.Method != "" {
			x.Label = "MCP " + msg.Method
		} else if x.Request.Method != http.MethodPost {
			x.Label = "MCP " + x.Request.Method
		}
	})
}
