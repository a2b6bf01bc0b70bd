package doctor

import (
	"cmp"
	"context"
	"errors"
	"slices"
	"strings"

	"github.com/xaatools/xaa/flow/wire"
	"github.com/xaatools/xaa/inspect"
)

// resourceASDiscovery fetches the resource AS's metadata in MCP's order
// (RFC 8414 first, where the ID-JAG grant profile is listed) and compares
// its issuer with resource_as.issuer — the audience the org writes into
// every ID-JAG — byte for byte.
func (r *run) resourceASDiscovery(ctx context.Context) {
	issuer := r.cfg.ResourceAS.Issuer
	var md *wire.Metadata
	var ev []*wire.Exchange
	md, r.asTrusted, ev = r.discoverServer(ctx, serverLookup{party: wire.PartyAS, what: "resource AS metadata", issuer: issuer, key: "resource_as.issuer", urlCheck: itemASConfig.id,
		urls: inspect.ASMetadataURLs(issuer), formats: "RFC 8414 or OIDC metadata", metadata: itemASMetadata, issuerItem: itemASIssuer,
		issuerHint: "the org writes resource_as.issuer into the ID-JAG's aud and the resource AS compares it with its own issuer: set resource_as.issuer, and the resource app's Issuer URL in Okta, to its published issuer exactly"})
	r.as = md
	if md == nil {
		for _, i := range []item{itemASGrant, itemASProfile, itemASAuthMethod} {
			r.unknown(i, "", needs("the resource AS's metadata", itemASMetadata.id), nil)
		}
		return
	}
	advertised := inspect.CheckASMetadata(&md.ServerMetadata, md.Format)
	r.judged(itemASGrant, advertised[0], "the resource AS does not list the jwt-bearer grant it needs to redeem ID-JAGs (resource_as.credentials is the verdict)", ev)
	r.judged(itemASProfile, advertised[1], "", ev)
	r.authMethod(itemASAuthMethod, r.cfg.ResourceAS, md, ev)
}

// resourceChecks checks the protected resource metadata (RFC 9728) of the
// API and the MCP server: published, naming the configured resource, and
// listing the resource AS; for MCP also the 401 challenge pointing to it.
func (r *run) resourceChecks(ctx context.Context) {
	c := r.cfg.Resource
	if c.APIURL != "" {
		r.api = r.protectedResource(ctx, itemsAPI, c.APIURL, false)
	}
	if c.MCPURL != "" {
		r.mcp = r.protectedResource(ctx, itemsMCP, c.MCPURL, true)
	}
}

// protectedResource checks one resource and returns its metadata, or nil.
func (r *run) protectedResource(ctx context.Context, items resourceItems, resourceURL string, mcp bool) *wire.ResourceMetadata {
	s := r.session()
	md, err := s.DiscoverProtectedResource(ctx, resourceURL, mcp)
	ev := s.Exchanges()
	var fe *wire.FetchError
	if errors.As(err, &fe) && fe.Kind <= wire.FetchTimeout && md.ProbeStatus == 0 {
		for _, i := range []item{items.challenge, items.metadata, items.resource, items.servers} {
			if i == items.challenge && !mcp {
				continue
			}
			r.unknown(i, "", "the resource did not answer: "+err.Error(), ev)
		}
		return nil
	}
	if mcp {
		r.mcpChallenge(items.challenge, md, ev)
	}
	switch {
	case err != nil && undecided(err):
		r.unknown(items.metadata, "RFC 9728 metadata", err.Error(), ev)
	case err != nil && mcp:
		r.fail(items.metadata, "RFC 9728 metadata", "none found", err.Error()+" — an MCP server must publish it (MCP authorization): at /.well-known/oauth-protected-resource/<path>, named in WWW-Authenticate resource_metadata", ev)
	case err != nil:
		r.warn(items.metadata, "RFC 9728 metadata", "none found", "a REST API need not publish it, but then resource.id must be set by hand to what the API expects as its token's audience", ev)
	}
	if err != nil {
		for _, i := range []item{items.resource, items.servers} {
			r.unknown(i, "", needs("the resource's metadata", items.metadata.id), nil)
		}
		return nil
	}
	how := "from the well-known path"
	if md.FromChallenge {
		how = "from WWW-Authenticate resource_metadata"
	}
	r.pass(items.metadata, "RFC 9728 metadata", md.URL+" ("+how+")", ev)

	// Tokens for this server are requested for resource.id when it is set,
	// else for the metadata's resource; an MCP server's metadata must name
	// the server's own URL (MCP authorization, RFC 9728 §3.3).
	want, what := r.cfg.Resource.ID, "resource.id"
	if want == "" && mcp {
		want, what = resourceURL, "resource.mcp_url"
	}
	switch equal, near := inspect.CompareIdentifier(want, md.Resource); {
	case want == "":
		r.pass(items.resource, "a resource identifier", md.Resource+" (resource.id is not set: tokens for it are requested for this)", ev)
	case equal:
		r.pass(items.resource, want, md.Resource, ev)
	case what == "resource.id":
		r.fail(items.resource, want+" ("+what+")", md.Resource, inspect.WithNearMiss(near,
			"tokens for this server are requested for resource.id, but it names itself "+md.Resource+" and takes only tokens for that: leave resource.id unset so each server gets a token for its own identifier, or set it to "+md.Resource+" (and the connection's resource indicator with it)"), ev)
	default:
		r.fail(items.resource, want+" ("+what+")", md.Resource,
			inspect.WithNearMiss(near, "RFC 9728 §3.3 says not to use metadata for another resource; set "+what+" to "+md.Resource+", and use the same string as the connection's resource indicator"), ev)
	}

	issuer := r.cfg.ResourceAS.Issuer
	if slices.Contains(md.AuthorizationServers, issuer) {
		r.pass(items.servers, issuer, strings.Join(md.AuthorizationServers, ", "), ev)
		return md
	}
	near := ""
	for _, a := range md.AuthorizationServers {
		if _, near = inspect.CompareIdentifier(issuer, a); near != "" {
			break
		}
	}
	r.fail(items.servers, issuer, cmp.Or(strings.Join(md.AuthorizationServers, ", "), "(none listed)"),
		inspect.WithNearMiss(near, "the resource accepts tokens only from the authorization servers it lists: set resource_as.issuer to one of them, or add it to the resource's metadata"), ev)
	return md
}

// mcpChallenge checks that an MCP server refuses a call without a token
// with 401 and names its metadata in WWW-Authenticate (RFC 9728 §5.1).
func (r *run) mcpChallenge(i item, md *wire.ResourceMetadata, ev []*wire.Exchange) {
	want := `401 with WWW-Authenticate: Bearer resource_metadata="…"`
	got := wire.StatusLine(md.ProbeStatus)
	if md.Challenge != nil {
		got += ", WWW-Authenticate " + md.Challenge.Scheme
		if rm := md.Challenge.Param("resource_metadata"); rm != "" {
			got += ` resource_metadata="` + rm + `"`
		}
	}
	switch {
	case md.ProbeStatus == 0:
		r.unknown(i, want, "the MCP server's answer to an initialize request without a token could not be read", ev)
	case md.ProbeStatus == 401 && md.Challenge != nil && md.Challenge.Param("resource_metadata") != "":
		r.pass(i, want, got, ev)
	case md.ProbeStatus == 401:
		r.warn(i, want, got, "clients find the metadata only at the well-known path: add resource_metadata to the WWW-Authenticate challenge", ev)
	case md.ProbeStatus >= 200 && md.ProbeStatus < 300:
		r.warn(i, want, got, "the MCP server answered a call without a token: is it protected at all?", ev)
	default:
		r.warn(i, want, got, "an unexpected answer to an initialize request without a token", ev)
	}
}
