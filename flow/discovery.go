package flow

import (
	"cmp"
	"context"
	"errors"
	"net/url"
	"slices"
	"strings"

	"github.com/xaatools/xaa/flow/config"
	"github.com/xaatools/xaa/flow/wire"

	"github.com/xaatools/xaa/inspect"
)

// discover is step 0: the IdP's and the resource AS's metadata and keys,
// and the protected resource metadata of the configured resources. The
// advertised capabilities are recorded as evidence (warn, not fail): the
// later steps are the verdict.
func (r *Runner) discover(ctx context.Context, s *wire.Client, st *Step) {
	c := r.Config
	fail := func(err error) {
		if st.Err == nil {
			st.Err = err
		}
	}

	idp, err := s.DiscoverMetadata(ctx, wire.PartyIdP, "IdP metadata", c.IdP.Issuer, inspect.IdPMetadataURLs(c.IdP.Issuer))
	if issuerCheck(st, "discovery.idp.issuer", "IdP metadata issuer is idp.issuer", c.IdP.Issuer, idp, err,
		"use the issuer the IdP publishes, verbatim, as idp.issuer; it is the iss of every ID token and ID-JAG") {
		st.Out.IdP = idp
		r.idpChecks(st, idp)
	} else {
		fail(discoveryFailure(st, err))
	}
	// The keys come from the config's jwks_uri, else the metadata's. A key
	// set that cannot be used is a finding: the steps go on, and each
	// signature they check is unknown, naming why.
	if jwksURI := cmp.Or(c.IdP.JWKSURI, metadataJWKS(st.Out.IdP)); jwksURI != "" || st.Out.IdP != nil {
		st.Out.IdPKeys = r.discoverKeys(ctx, s, st, keySource{id: "discovery.idp.jwks", party: wire.PartyIdP, what: "IdP key set",
			title: "the IdP publishes usable signing keys", url: jwksURI, md: st.Out.IdP, required: true})
		if st.Out.IdPKeys.Keys == nil {
			fail(&wire.CheckError{Check: st.Checks[len(st.Checks)-1]})
		}
	}

	as, err := s.DiscoverMetadata(ctx, wire.PartyAS, "resource AS metadata", c.ResourceAS.Issuer, inspect.ASMetadataURLs(c.ResourceAS.Issuer))
	if issuerCheck(st, "discovery.as.issuer", "resource AS metadata issuer is resource_as.issuer", c.ResourceAS.Issuer, as, err,
		"resource_as.issuer is the audience the IdP writes into the ID-JAG; it must equal the AS metadata issuer exactly") {
		st.Out.AS = as
		r.asChecks(st, as)
	} else {
		fail(discoveryFailure(st, err))
	}
	switch jwksURI := cmp.Or(c.ResourceAS.JWKSURI, metadataJWKS(st.Out.AS)); {
	case jwksURI != "":
		st.Out.ASKeys = r.discoverKeys(ctx, s, st, keySource{id: "discovery.as.jwks", party: wire.PartyAS, what: "resource AS key set",
			title: "the resource AS publishes usable signing keys", url: jwksURI, md: st.Out.AS})
	case st.Out.AS != nil:
		st.check("discovery.as.jwks", inspect.StatusSkip, "the resource AS publishes its signing keys", "jwks_uri", "(absent)",
			"access tokens cannot be verified; fine for opaque access tokens (or set resource_as.jwks_uri)", inspect.SpecServerMetadata)
	}

	r.clientMetadata(ctx, s, st)

	for _, res := range []struct {
		url   string
		mcp   bool
		label string
		set   func(*wire.ResourceMetadata)
	}{
		{c.Resource.APIURL, false, "API", func(m *wire.ResourceMetadata) { st.Out.API = m }},
		{c.Resource.MCPURL, true, "MCP server", func(m *wire.ResourceMetadata) { st.Out.MCP = m }},
	} {
		if res.url == "" {
			continue
		}
		md, err := s.DiscoverProtectedResource(ctx, res.url, res.mcp)
		if !r.resourceChecks(st, res.label, res.url, res.mcp, md, err) {
			fail(err)
			continue
		}
		res.set(md)
	}
	r.resourceIDCheck(st)
}

// clientMetadata fetches and checks the metadata documents of clients
// whose client ID is one (an https URL: a client ID metadata document):
// a client listing the ID-JAG profile must list both its grants (draft §8).
func (r *Runner) clientMetadata(ctx context.Context, s *wire.Client, st *Step) {
	for _, cl := range []struct{ key, id, party, prefix string }{
		{"idp.client_id", r.Config.IdP.ClientID, wire.PartyIdP, "discovery.idp_client"},
		{"resource_as.client_id", r.Config.ResourceAS.ClientID, wire.PartyAS, "discovery.as_client"},
	} {
		if !isMetadataDocumentURL(cl.id) {
			continue
		}
		var md inspect.ClientMetadata
		if _, err := s.GetJSON(wire.WithLabel(ctx, cl.party, "client metadata"), cl.id, "the client metadata document", &md); err != nil {
			st.check(cl.prefix+".metadata", inspect.StatusWarn, cl.key+" names a client metadata document", "a JSON document", "not read",
				err.Error(), "draft-ietf-oauth-client-id-metadata-document")
			continue
		}
		st.adopt(cl.prefix, inspect.CheckClientMetadata(&md)...)
	}
}

// isMetadataDocumentURL says whether a client ID is a URL to fetch its
// metadata from: https with a path, or http on loopback (a local test).
func isMetadataDocumentURL(id string) bool {
	u, err := url.Parse(id)
	if err != nil || u.Path == "" || u.Path == "/" {
		return false
	}
	return u.Scheme == "https" || u.Scheme == "http" && (u.Hostname() == "127.0.0.1" || u.Hostname() == "localhost" || u.Hostname() == "::1")
}

// resourceIDCheck checks that resource.id is the resource of one of the
// discovered resources: it is what the token exchange sends and what the
// access token's aud becomes.
func (r *Runner) resourceIDCheck(st *Step) {
	id := r.Config.Resource.ID
	var known []string
	for _, md := range []*wire.ResourceMetadata{st.Out.API, st.Out.MCP} {
		if md != nil && md.Resource != "" {
			known = append(known, md.Resource)
		}
	}
	if id == "" || len(known) == 0 {
		return
	}
	if slices.Contains(known, id) {
		st.check("discovery.resource_id", inspect.StatusPass, "resource.id is a discovered resource", strings.Join(known, " or "), id, "", inspect.SpecResourceMetadata)
		return
	}
	_, near := inspect.CompareIdentifier(known[0], id)
	st.check("discovery.resource_id", inspect.StatusWarn, "resource.id is a discovered resource", strings.Join(known, " or "), id,
		inspect.WithNearMiss(near, "tokens are minted for resource.id, and the resource checks their aud against its own identifier"), inspect.SpecResourceMetadata)
}

// discoveryFailure is the step's error for metadata that could not be
// used: the issuer check for a document naming another issuer, else the
// fetch failure itself (DNS, refused, 404 at every URL …).
func discoveryFailure(st *Step, err error) error {
	if errors.Is(err, wire.ErrMetadataIssuer) {
		if n := len(st.Checks); n > 0 && st.Checks[n-1].Status == inspect.StatusFail {
			return &wire.CheckError{Check: st.Checks[n-1]}
		}
	}
	return err
}

// issuerCheck records the issuer comparison — or, when no document was
// found, that none was — and reports whether md is usable.
func issuerCheck(st *Step, id, title, want string, md *wire.Metadata, err error, hint string) bool {
	var mismatch *wire.IssuerMismatchError
	switch {
	case errors.As(err, &mismatch):
		st.check(id, inspect.StatusFail, title, want, mismatch.Got+" (at "+mismatch.URL+")", inspect.WithNearMiss(mismatch.NearMiss, hint), inspect.SpecServerMetadata)
		return false
	case err != nil:
		st.check(strings.TrimSuffix(id, ".issuer")+".metadata", inspect.StatusFail, "a metadata document is published for "+want,
			"RFC 8414 or OIDC discovery metadata", "none found", err.Error(), inspect.SpecServerMetadata)
		return false
	}
	actual := md.Issuer + " (" + md.URL + ")"
	st.check(id, inspect.StatusPass, title, want, actual, "", inspect.SpecServerMetadata)
	for _, t := range md.Tried {
		st.note("%s: tried %s first", strings.TrimSuffix(id, ".issuer"), t)
	}
	return true
}

// keySource is where one server's key set is looked for.
type keySource struct {
	id, party, what, title string
	url                    string         // the config's jwks_uri or the metadata's
	md                     *wire.Metadata // the server's metadata, nil when not found
	required               bool           // the IdP's keys are; the AS's are not
}

func metadataJWKS(md *wire.Metadata) string {
	if md == nil {
		return ""
	}
	return md.JWKSURI
}

// discoverKeys fetches and judges a key set. It always returns a JWKS:
// with Keys when usable, else with the Problem every signature check will
// name.
func (r *Runner) discoverKeys(ctx context.Context, s *wire.Client, st *Step, k keySource) *wire.JWKS {
	bad := inspect.StatusWarn
	if k.required {
		bad = inspect.StatusFail
	}
	out := &wire.JWKS{URL: k.url}
	if k.md != nil {
		out.Issuer, out.MetadataURL = k.md.Issuer, k.md.URL
	}
	if k.url == "" {
		out.Problem = "the metadata names no jwks_uri"
		st.check(k.id, bad, k.title, "jwks_uri", "(absent)", "without keys no token it signs can be verified", inspect.SpecServerMetadata)
		return out
	}
	keys, err := s.FetchJWKS(ctx, k.party, k.what, k.url)
	if err != nil {
		out.Problem = err.Error()
		st.check(k.id, bad, k.title, "a JWKS at "+k.url, "not usable", err.Error(), "RFC 7517 §5")
		return out
	}
	c := inspect.CheckKeySet(keys.Keys, keys.URL)
	c.ID, c.Title = k.id, k.title
	if c.Status == inspect.StatusFail {
		c.Status = bad
		out.Problem = "the key set holds no usable key (" + keys.Keys.Summary() + ")"
		st.Checks = append(st.Checks, c)
		return out
	}
	st.Checks = append(st.Checks, c)
	out.Keys = keys.Keys
	return out
}

// endpointChecks checks that endpoints are present and not plain http to
// another host.
func endpointChecks(st *Step, prefix string, md *wire.Metadata, required map[string]string) {
	names := make([]string, 0, len(required))
	for name := range required {
		names = append(names, name)
	}
	slices.Sort(names)
	var missing, insecure []string
	for _, name := range names {
		v := required[name]
		if v == "" {
			missing = append(missing, name)
		} else if inspect.IsInsecureURL(v) {
			insecure = append(insecure, name+" "+v)
		}
	}
	if len(missing) > 0 {
		st.check(prefix+".endpoints", inspect.StatusFail, "the metadata names the endpoints xaa needs", strings.Join(names, ", "),
			"missing: "+strings.Join(missing, ", "), "the server cannot be used without them", inspect.SpecServerMetadata)
	} else {
		st.check(prefix+".endpoints", inspect.StatusPass, "the metadata names the endpoints xaa needs", strings.Join(names, ", "), "present", "", inspect.SpecServerMetadata)
	}
	if len(insecure) > 0 {
		st.check(prefix+".http", inspect.StatusWarn, "endpoints use https", "https (or loopback)", strings.Join(insecure, "; "),
			"metadata pointing to plain-http hosts is often re-published by the wrong component", inspect.SpecServerMetadata)
	}
}

func (r *Runner) idpChecks(st *Step, md *wire.Metadata) {
	endpointChecks(st, "discovery.idp", md, map[string]string{
		"authorization_endpoint": md.AuthorizationEndpoint, "token_endpoint": md.TokenEndpoint, "jwks_uri": md.JWKSURI})
	st.adopt("discovery.idp", inspect.CheckIdPMetadata(&md.ServerMetadata)...)
	st.adopt("discovery.idp", authMethod("idp.auth_method", md, r.Config.IdP.ClientConfig))
	if md.AuthorizationResponseIssParameterSupported {
		st.note("the IdP sends iss in the login callback (RFC 9207); xaa checks it")
	}
}

func (r *Runner) asChecks(st *Step, md *wire.Metadata) {
	endpointChecks(st, "discovery.as", md, map[string]string{"token_endpoint": md.TokenEndpoint})
	st.adopt("discovery.as", inspect.CheckASMetadata(&md.ServerMetadata, md.Format)...)
	st.adopt("discovery.as", authMethod("resource_as.auth_method", md, r.Config.ResourceAS))
	if r.Config.Resource.MCPURL != "" {
		st.adopt("discovery.as", inspect.CheckASForMCPClients(&md.ServerMetadata)...)
	}
}

// authMethod judges the configured client authentication against the
// methods the server advertises, titled with the config key.
func authMethod(key string, md *wire.Metadata, cc config.ClientConfig) inspect.Check {
	c := inspect.CheckAuthMethod(&md.ServerMetadata, cc.Method())
	c.Title = key + " is an advertised method"
	return c
}

// resourceChecks records what the protected resource metadata says and
// reports whether it can be used; a resource without metadata is a warning
// (a REST API need not publish any), a network failure is an error.
func (r *Runner) resourceChecks(st *Step, label, resourceURL string, mcp bool, md *wire.ResourceMetadata, err error) bool {
	c := r.Config
	prefix := "discovery.api"
	if mcp {
		prefix = "discovery.mcp"
	}
	var fe *wire.FetchError
	if errors.As(err, &fe) && fe.Kind <= wire.FetchTimeout && md.ProbeStatus == 0 {
		st.check(prefix+".reachable", inspect.StatusFail, "the "+label+" answers", resourceURL, "no answer", err.Error(), inspect.SpecResourceMetadata)
		return false
	}
	switch {
	case md.ProbeStatus == 401 || md.ProbeStatus == 403:
		st.check(prefix+".protected", inspect.StatusPass, "the "+label+" refuses a call without a token", "401", wire.StatusLine(md.ProbeStatus), "", "RFC 6750 §3")
	case md.ProbeStatus >= 200 && md.ProbeStatus < 300:
		st.check(prefix+".protected", inspect.StatusWarn, "the "+label+" refuses a call without a token", "401", wire.StatusLine(md.ProbeStatus),
			"it answered without a token: is it protected at all?", "RFC 6750 §3")
	default:
		st.check(prefix+".protected", inspect.StatusWarn, "the "+label+" refuses a call without a token", "401", wire.StatusLine(md.ProbeStatus),
			"an unexpected answer to a call without a token (some servers answer 400, 405 or 406 before checking authorization)", "RFC 6750 §3")
	}
	if err != nil {
		st.check(prefix+".prm", inspect.StatusWarn, "the "+label+" publishes protected resource metadata", "RFC 9728 metadata", "none found",
			err.Error(), "RFC 9728 §3.1, §5.1")
		return true
	}
	how := "from the well-known path"
	if md.FromChallenge {
		how = "from the WWW-Authenticate resource_metadata"
	}
	st.check(prefix+".prm", inspect.StatusPass, "the "+label+" publishes protected resource metadata", "RFC 9728 metadata", md.URL+" ("+how+")", "", "RFC 9728 §3.1, §5.1")

	switch {
	case mcp:
		// MCP authorization: the metadata's resource is the MCP server's URL.
		identifierCheck(st, prefix+".resource", "the MCP server's metadata names its URL", resourceURL, md.Resource, inspect.StatusFail,
			"RFC 9728 §3.3 says not to use metadata for another resource: call the URL its resource names, or fix the server's metadata")
	case c.Resource.ID != "":
		identifierCheck(st, prefix+".resource", "the API's metadata names resource.id", c.Resource.ID, md.Resource, inspect.StatusWarn,
			"the token exchange sends resource.id and the access token's aud will be it; the API expects its metadata's resource")
	default:
		st.check(prefix+".resource", inspect.StatusPass, "the API's metadata names a resource", "present", md.Resource, "", inspect.SpecResourceMetadata)
	}
	if slices.Contains(md.AuthorizationServers, c.ResourceAS.Issuer) {
		st.check(prefix+".authorization_servers", inspect.StatusPass, "the "+label+" trusts resource_as.issuer", c.ResourceAS.Issuer,
			strings.Join(md.AuthorizationServers, ", "), "", "RFC 9728 §2")
		return true
	}
	near := ""
	for _, a := range md.AuthorizationServers {
		if _, near = inspect.CompareIdentifier(c.ResourceAS.Issuer, a); near != "" {
			break
		}
	}
	st.check(prefix+".authorization_servers", inspect.StatusFail, "the "+label+" trusts resource_as.issuer", c.ResourceAS.Issuer,
		cmp.Or(strings.Join(md.AuthorizationServers, ", "), "(none listed)"),
		inspect.WithNearMiss(near, "the resource accepts tokens only from the authorization servers it lists; use one of them as resource_as.issuer"), "RFC 9728 §2")
	return true
}

// identifierCheck compares two identifiers byte for byte, naming a near miss.
func identifierCheck(st *Step, id, title, want, got string, bad inspect.Status, hint string) {
	if equal, near := inspect.CompareIdentifier(want, got); !equal {
		st.check(id, bad, title, want, got, inspect.WithNearMiss(near, hint), inspect.SpecResourceMetadata)
		return
	}
	st.check(id, inspect.StatusPass, title, want, got, "", inspect.SpecResourceMetadata)
}
