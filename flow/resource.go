package flow

import (
	"cmp"
	"context"
	"net/http"
	"slices"
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
// session with resource.mcp_url, each with its access token — the MCP
// server's own when it got one. Each token's audience is checked against
// the server's protected resource metadata before the call.
func (r *Runner) callResource(ctx context.Context, s *wire.Client, st *Step) {
	c := r.Config
	in := st.In
	st.Resource = &ResourceResult{}
	scheme := "Bearer"
	if strings.EqualFold(in.AccessTokenType, "DPoP") {
		st.note("the access token is DPoP-bound; xaa sends it as a bearer token, which the resource should refuse")
	}
	if in.AccessToken != "" && in.IDJAG == "" {
		if t, err := inspect.Decode(in.AccessToken); err == nil {
			// A given access token: show what it is.
			t.Name = "access_token"
			st.Tokens = append(st.Tokens, inspect.Analyze(t, inspect.Options{Keys: in.ASKeys.KeySet(), KeySource: in.ASKeys.Source(),
				Expect: inspect.Expect{Now: r.Env.Time(), Audience: cmp.Or(resourceFor(c, in.API), resourceFor(c, in.MCP))}}))
		}
	}
	if c.Resource.APIURL != "" && !otherServersToken(st, "resource.api_aud", "the API", in.AccessToken, resourceFor(c, in.API), resourceFor(c, in.MCP)) {
		audienceCheck(st, "resource.api_aud", "the API", "resource.api_url", in.AccessToken, in.API)
		res, err := r.callAPI(ctx, s, scheme, in.AccessToken)
		st.Resource.API = res
		if err != nil && st.Err == nil {
			st.Err = err
		}
	}
	if token := cmp.Or(in.MCPAccessToken, in.AccessToken); c.Resource.MCPURL != "" && !otherServersToken(st, "resource.mcp_aud", "the MCP server", token, resourceFor(c, in.MCP), resourceFor(c, in.API)) {
		audienceCheck(st, "resource.mcp_aud", "the MCP server", "resource.mcp_url", token, in.MCP)
		res, err := r.callMCP(ctx, s, st, scheme, token)
		st.Resource.MCP = res
		if err != nil && st.Err == nil {
			st.Err = err
		}
	}
}

// otherServersToken reports, and records as a skip, a call that has no
// token of its own: the servers have identifiers of their own (resource.id
// unset) and the only token is a JWT for the other server alone — a given
// one, or what is left when the other grant alone succeeded.
func otherServersToken(st *Step, id, server, token, mine, theirs string) bool {
	if mine == "" || theirs == "" || inspect.SameResource(mine, theirs) {
		return false
	}
	t, err := inspect.Decode(token)
	if err != nil || t.Format != inspect.FormatJWS {
		return false
	}
	auds, _, _ := t.Claims.Strings("aud")
	forMe := slices.ContainsFunc(auds, func(a string) bool { return inspect.SameResource(a, mine) })
	forThem := slices.ContainsFunc(auds, func(a string) bool { return inspect.SameResource(a, theirs) })
	if forMe || !forThem {
		return false
	}
	st.check(id, inspect.StatusSkip, "the token sent to "+server+" is for it", mine, "not called",
		"no token for "+server+": the only one is for "+theirs+" (its aud); run from the token exchange to get one for "+mine+" as well", "RFC 8707 §2")
	st.note("%s not called: the access token is for %s only", server, theirs)
	return true
}

// specAudienceBinding is why a server's token must be for it.
const specAudienceBinding = "RFC 8707 §2; RFC 9728 §2; MCP authorization (token audience binding)"

// audienceCheck compares the audience of the token sent to a server with
// the resource its protected resource metadata names: MCP authorization
// and RFC 8707 §2 want a token issued for that server, and the server
// must refuse others.
func audienceCheck(st *Step, id, server, key, token string, md *wire.ResourceMetadata) {
	const spec = specAudienceBinding
	title := "the token sent to " + server + " is for it"
	switch {
	case md == nil || md.Resource == "":
		st.check(id, inspect.StatusSkip, title, inspect.NotCompared, "",
			"not compared: "+server+" publishes no protected resource metadata naming its resource (RFC 9728 at "+key+"'s /.well-known/oauth-protected-resource)", spec)
		return
	case token == "":
		return
	}
	t, err := inspect.Decode(token)
	if err != nil || t.Format != inspect.FormatJWS {
		st.check(id, inspect.StatusUnknown, title, md.Resource, "(an opaque token: its audience cannot be read here)",
			"only "+server+" can read it; its answer shows whether it takes the token as its own", spec)
		return
	}
	auds, _, _ := t.Claims.Strings("aud")
	if slices.ContainsFunc(auds, func(a string) bool { return inspect.SameResource(a, md.Resource) }) {
		st.check(id, inspect.StatusPass, title, md.Resource, strings.Join(auds, ", "), "", spec)
		return
	}
	_, near := inspect.CompareIdentifier(md.Resource, strings.Join(auds, ", "))
	st.check(id, inspect.StatusFail, title, md.Resource, cmp.Or(strings.Join(auds, ", "), "(no aud)"), inspect.WithNearMiss(near,
		"the token was issued for another resource: request it for "+md.Resource+" (leave resource.id unset so each server gets a token for its own identifier, or set it to this one); a server that accepts it does not check its audience"), spec)
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
