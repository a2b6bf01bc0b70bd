package flow

import (
	"context"
	"net/http"
	"strings"

	"github.com/xaatools/xaa/flow/wire"
	"github.com/xaatools/xaa/inspect"
)

// ResourceResult is what the resource step got back.
type ResourceResult struct {
	// API is the REST call's answer; nil when no api_url is configured.
	API *APIResult `json:"api,omitempty"`
	// MCP is the MCP session's answer; nil when no mcp_url is configured.
	MCP *MCPResult `json:"mcp,omitempty"`
}

// APIResult is the answer of the REST GET.
type APIResult struct {
	URL         string `json:"url"`
	Status      int    `json:"status"`
	ContentType string `json:"content_type,omitempty"`
	// Size is the body length; the body itself is in the exchange.
	Size int `json:"size"`
}

// MCPResult is what the MCP session showed.
type MCPResult struct {
	URL string `json:"url"`
	// ServerName and ServerVersion come from the server's initialize answer.
	ServerName      string    `json:"server_name,omitempty"`
	ServerVersion   string    `json:"server_version,omitempty"`
	ProtocolVersion string    `json:"protocol_version,omitempty"`
	Tools           []MCPTool `json:"tools"`
	// Call is the tool call's result, when a tool was called.
	Call *MCPToolCall `json:"call,omitempty"`
}

// MCPTool is one tool the server lists.
type MCPTool struct {
	Name        string `json:"name"`
	Description string `json:"description,omitempty"`
}

// MCPToolCall is the result of tools/call.
type MCPToolCall struct {
	Name    string `json:"name"`
	IsError bool   `json:"is_error"`
	// Text is the text content, bounded.
	Text string `json:"text"`
}

// bearerTransport puts the access token on every request, in the
// Authorization header only (never the query, RFC 6750 §2.1).
type bearerTransport struct {
	scheme, token string
	next          http.RoundTripper
}

// RoundTrip sends req with the token in its Authorization header.
func (b *bearerTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	req = req.Clone(req.Context())
	req.Header.Set("Authorization", b.scheme+" "+b.token)
	return b.next.RoundTrip(req)
}

// callResource is step 4: a REST GET of resource.api_url and/or an MCP
// session with resource.mcp_url, with the access token.
func (r *Runner) callResource(ctx context.Context, s *wire.Client, st *Step) {
	c := r.Config
	st.Resource = &ResourceResult{}
	scheme := "Bearer"
	if strings.EqualFold(st.In.AccessTokenType, "DPoP") {
		st.note("the access token is DPoP-bound; xaa sends it as a bearer token, which the resource should refuse")
	}
	if st.In.AccessToken != "" {
		if t, err := inspect.Decode(st.In.AccessToken); err == nil && st.In.IDJAG == "" {
			// A given access token: show what it is.
			t.Name = "access_token"
			st.Tokens = append(st.Tokens, inspect.Analyze(t, inspect.Options{Keys: st.In.ASKeys.KeySet(), KeySource: st.In.ASKeys.Source(),
				Expect: inspect.Expect{Now: r.Env.Time(), Audience: ResourceIndicator(r.Config, st.In)}}))
		}
	}
	if c.Resource.APIURL != "" {
		res, err := r.callAPI(ctx, s, scheme, st.In.AccessToken)
		st.Resource.API = res
		if err != nil && st.Err == nil {
			st.Err = err
		}
	}
	if c.Resource.MCPURL != "" {
		res, err := r.callMCP(ctx, s, st, scheme, st.In.AccessToken)
		st.Resource.MCP = res
		if err != nil && st.Err == nil {
			st.Err = err
		}
	}
}

// callAPI GETs the REST URL with the token.
func (r *Runner) callAPI(ctx context.Context, s *wire.Client, scheme, token string) (*APIResult, error) {
	url := r.Config.Resource.APIURL
	req, err := http.NewRequestWithContext(wire.WithLabel(ctx, wire.PartyResource, "API call"), http.MethodGet, url, nil)
	if err != nil {
		return nil, &wire.FetchError{Kind: wire.FetchBadURL, What: "the API", URL: url, Err: err}
	}
	req.Header.Set("Authorization", scheme+" "+token)
	req.Header.Set("Accept", "application/json")
	resp, err := s.Send(req, "the API response")
	if err != nil {
		return nil, err
	}
	res := &APIResult{URL: url, Status: resp.Status, ContentType: resp.Header.Get("Content-Type"), Size: len(resp.Body)}
	if err := wire.ResourceRefusal(resp.Status, resp.Header, "the API", url); err != nil {
		return res, err
	}
	return res, nil
}
