package flow

import (
	"slices"

	"github.com/xaatools/xaa/flow/config"
	"github.com/xaatools/xaa/flow/wire"
)

// target is a resource that gets tokens of its own. When the API and the
// MCP server each have their own identifier (their protected resource
// metadata's resource, resource.id unset), each gets its own ID-JAG and
// access token, restricted to it: MCP authorization requires a token issued
// for the server itself, and an ID-JAG is redeemed once (draft §4.4.1).
// Otherwise one target serves both.
type target struct {
	// resource is the RFC 8707 resource the token exchange sends for this
	// target alone; empty when one target serves every resource.
	resource string
	// audience is what the access token's aud must be; empty when unknown.
	audience string
	// own says the target is one of two, each server's own; mcp marks the
	// MCP server's.
	own, mcp bool
}

// The servers as token names and labels call them.
const (
	serverAPI = "the API"
	serverMCP = "the MCP server"
)

// server names the target's server, "" when one target serves both.
func (t target) server() string {
	switch {
	case !t.own:
		return ""
	case t.mcp:
		return serverMCP
	}
	return serverAPI
}

// suffix tells the target's checks apart: " (the MCP server's)".
func (t target) suffix() string {
	if s := t.server(); s != "" {
		return " (" + s + "'s)"
	}
	return ""
}

// label names an exchange of the target: "token exchange for the API".
func (t target) label(what string) string {
	if s := t.server(); s != "" {
		return what + " for " + s
	}
	return what
}

// ownTargets are the API's and the MCP server's targets when each has an
// identifier of its own, else nil.
func ownTargets(api, mcp string) []target {
	if api == "" || mcp == "" || api == mcp {
		return nil
	}
	return []target{
		{resource: api, audience: api, own: true},
		{resource: mcp, audience: mcp, own: true, mcp: true},
	}
}

// exchangeTargets are the token exchanges of step 2: one per resource with
// its own identifier, unless the request is overridden by hand.
func (r *Runner) exchangeTargets(st *Step) []target {
	in := st.In
	api, mcp := resourceFor(r.Config, in.API), resourceFor(r.Config, in.MCP)
	if _, set := st.Overrides["resource"]; !set {
		if ts := ownTargets(api, mcp); ts != nil {
			return ts
		}
	}
	return []target{r.oneTarget(in, st.Overrides)}
}

// grantTargets are the jwt-bearer grants of step 3: one per ID-JAG the
// token exchange got, unless the assertion is given or overridden.
func (r *Runner) grantTargets(st *Step) []target {
	in := st.In
	if _, set := st.Overrides["assertion"]; !set && in.MCPIDJAG != "" {
		if ts := ownTargets(resourceFor(r.Config, in.API), resourceFor(r.Config, in.MCP)); ts != nil {
			return ts
		}
	}
	return []target{r.oneTarget(in, st.Overrides)}
}

// oneTarget serves every resource: its audience is the resource asked for
// (by hand, resource.id, or the first resource known).
func (r *Runner) oneTarget(in State, o Overrides) target {
	if res := o["resource"]; res != "" {
		return target{audience: res}
	}
	if res := ResourceIndicators(r.Config, in); len(res) > 0 {
		return target{audience: res[0]}
	}
	return target{}
}

// ResourceIndicators are the RFC 8707 resources the token exchange asks
// for: resource.id when it is set (one identifier for every resource),
// else each configured resource's own, from its protected resource
// metadata — the API's and the MCP server's, each once.
func ResourceIndicators(c *config.Config, in State) []string {
	if c.Resource.ID != "" {
		return []string{c.Resource.ID}
	}
	var out []string
	for _, md := range []*wire.ResourceMetadata{in.API, in.MCP} {
		if md != nil && md.Resource != "" && !slices.Contains(out, md.Resource) {
			out = append(out, md.Resource)
		}
	}
	return out
}

// resourceFor is the identifier the access token for one resource must
// carry: resource.id when it is set, else the resource's own from its
// metadata; empty when neither is known.
func resourceFor(c *config.Config, md *wire.ResourceMetadata) string {
	if c.Resource.ID != "" {
		return c.Resource.ID
	}
	if md != nil {
		return md.Resource
	}
	return ""
}
