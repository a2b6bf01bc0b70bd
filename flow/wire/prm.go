package wire

import (
	"bytes"
	"context"
	"errors"
	"net/http"

	"github.com/xaatools/xaa/inspect"
)

// ResourceMetadata is a resource's protected resource metadata (inspect's
// ProtectedResourceMetadata), how it was found, and how the resource
// answered a call without a token.
type ResourceMetadata struct {
	inspect.ProtectedResourceMetadata
	// URL is where the document was found; FromChallenge says the URL came
	// from the WWW-Authenticate resource_metadata parameter.
	URL           string `json:"-"`
	FromChallenge bool   `json:"-"`
	// Probed is the resource URL that was probed without a token, and
	// ProbeStatus its answer.
	Probed      string `json:"-"`
	ProbeStatus int    `json:"-"`
	// Challenge is the WWW-Authenticate challenge of the probe, if any.
	Challenge *Challenge `json:"-"`
	// Tried lists the URLs tried before URL, with why each failed.
	Tried []string `json:"-"`
}

// mcpProbeBody is an initialize request: what an MCP client sends first,
// and what a protected MCP server answers with 401 and a challenge.
const mcpProbeBody = `{"jsonrpc":"2.0","id":0,"method":"initialize","params":{"protocolVersion":"2025-11-25","capabilities":{},"clientInfo":{"name":"xaa","version":"discovery probe"}}}`

// DiscoverProtectedResource finds a resource's RFC 9728 metadata: it calls
// the resource without a token (an MCP initialize for an MCP server, a GET
// otherwise), follows the resource_metadata URL of the WWW-Authenticate
// challenge, and else tries the well-known paths.
func (c *Client) DiscoverProtectedResource(ctx context.Context, resourceURL string, mcp bool) (*ResourceMetadata, error) {
	probe := &ResourceMetadata{Probed: resourceURL}
	status, challenge, err := c.probeResource(ctx, resourceURL, mcp)
	var fe *FetchError
	if errors.As(err, &fe) && fe.Kind <= FetchTimeout {
		return probe, err
	}
	probe.ProbeStatus = status
	probe.Challenge = challenge

	var urls []string
	fromChallenge := ""
	if challenge != nil && challenge.Param("resource_metadata") != "" {
		fromChallenge = challenge.Param("resource_metadata")
		urls = append(urls, fromChallenge)
	}
	for _, u := range inspect.ProtectedResourceMetadataURLs(resourceURL) {
		if u != fromChallenge {
			urls = append(urls, u)
		}
	}
	var attempts []*FetchError
	var tried []string
	for _, u := range urls {
		md := *probe
		_, err := c.GetJSON(WithLabel(ctx, PartyResource, "protected resource metadata"), u, "the protected resource metadata", &md)
		if errors.As(err, &fe) {
			attempts = append(attempts, fe)
			tried = append(tried, u+": "+fe.shortReason())
			if fe.Kind <= FetchTimeout {
				break
			}
			continue
		}
		if err != nil {
			return probe, err
		}
		if md.Resource == "" {
			attempts = append(attempts, &FetchError{Kind: FetchNotJSON, What: "the protected resource metadata", URL: u,
				Err: errors.New("a JSON document without resource, so not RFC 9728 metadata"), Preview: "{…}"})
			tried = append(tried, u+": no resource member")
			continue
		}
		md.URL, md.FromChallenge, md.Tried = u, u == fromChallenge, tried
		return &md, nil
	}
	probe.Tried = tried
	return probe, &DiscoveryError{What: "protected resource metadata", Issuer: resourceURL, Attempts: attempts}
}

// probeResource calls the resource without a token and returns the status
// and the Bearer challenge.
func (c *Client) probeResource(ctx context.Context, resourceURL string, mcp bool) (int, *Challenge, error) {
	method, body := http.MethodGet, []byte(nil)
	if mcp {
		method, body = http.MethodPost, []byte(mcpProbeBody)
	}
	req, err := http.NewRequestWithContext(WithLabel(ctx, PartyResource, "resource probe without a token"), method, resourceURL, bytes.NewReader(body))
	if err != nil {
		return 0, nil, &FetchError{Kind: FetchBadURL, What: "the resource", URL: resourceURL, Err: err}
	}
	if mcp {
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Accept", "application/json, text/event-stream")
	}
	resp, err := c.Send(req, "the resource (probe without a token)")
	if err != nil {
		return 0, nil, err
	}
	if c, ok := BearerChallenge(resp.Header.Values("WWW-Authenticate")); ok {
		return resp.Status, &c, nil
	}
	return resp.Status, nil, nil
}
