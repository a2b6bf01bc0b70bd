package inspect

import (
	"net/url"
	"slices"
	"strings"
)

// Formats of an authorization server metadata document.
const (
	MetadataRFC8414 = "rfc8414" // /.well-known/oauth-authorization-server (RFC 8414)
	MetadataOIDC    = "oidc"    // /.well-known/openid-configuration (OIDC Discovery)
)

// MetadataURL is one place to look for an issuer's metadata, and the
// format of the document found there.
type MetadataURL struct {
	URL, Format string
}

// IdPMetadataURLs returns where an IdP's metadata is looked for: OIDC
// discovery first (every OIDC IdP has it; some publish nothing else), then
// RFC 8414 with the path inserted.
func IdPMetadataURLs(issuer string) []MetadataURL {
	urls := []MetadataURL{oidcAppended(issuer)}
	if u, ok := WellKnownURL(issuer, "oauth-authorization-server"); ok {
		urls = append(urls, MetadataURL{u, MetadataRFC8414})
	}
	return urls
}

// ASMetadataURLs returns where a resource AS's metadata is looked for, in
// the order MCP's authorization server discovery prescribes: RFC 8414
// with the path inserted, OIDC with the path inserted, OIDC appended to
// the path. RFC 8414 comes first because some servers list the ID-JAG
// grant profile only there.
func ASMetadataURLs(issuer string) []MetadataURL {
	var urls []MetadataURL
	if u, ok := WellKnownURL(issuer, "oauth-authorization-server"); ok {
		urls = append(urls, MetadataURL{u, MetadataRFC8414})
	}
	if hasPath(issuer) {
		if u, ok := WellKnownURL(issuer, "openid-configuration"); ok {
			urls = append(urls, MetadataURL{u, MetadataOIDC})
		}
	}
	return append(urls, oidcAppended(issuer))
}

// ProtectedResourceMetadataURLs returns the well-known locations of a
// resource's metadata: the path-inserted form, then the root (RFC 9728 §3.1).
func ProtectedResourceMetadataURLs(resourceURL string) []string {
	var out []string
	if u, ok := WellKnownURL(resourceURL, "oauth-protected-resource"); ok {
		out = append(out, u)
		if hasPath(resourceURL) {
			root, _ := WellKnownURL(origin(resourceURL), "oauth-protected-resource")
			out = append(out, root)
		}
	}
	return out
}

// oidcAppended appends the OIDC path to the issuer (OIDC Discovery §4.1).
func oidcAppended(issuer string) MetadataURL {
	return MetadataURL{strings.TrimSuffix(issuer, "/") + "/.well-known/openid-configuration", MetadataOIDC}
}

// WellKnownURL inserts /.well-known/<name> between the host and the path
// of an identifier (RFC 8414 §3.1, RFC 9728 §3.1).
func WellKnownURL(identifier, name string) (string, bool) {
	u, err := url.Parse(identifier)
	if err != nil || u.Host == "" {
		return "", false
	}
	path := strings.TrimSuffix(u.Path, "/")
	return u.Scheme + "://" + u.Host + "/.well-known/" + name + path, true
}

func hasPath(identifier string) bool {
	u, err := url.Parse(identifier)
	return err == nil && strings.TrimSuffix(u.Path, "/") != ""
}

func origin(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return raw
	}
	return u.Scheme + "://" + u.Host
}

// ServerMetadata is an authorization server's metadata document: RFC 8414 §2 or
// OpenID Connect Discovery 1.0 §3, with the members the ID-JAG profile
// adds (draft §7.1, §7.2).
type ServerMetadata struct {
	Issuer                                     string   `json:"issuer"`
	AuthorizationEndpoint                      string   `json:"authorization_endpoint,omitempty"`
	TokenEndpoint                              string   `json:"token_endpoint,omitempty"`
	RevocationEndpoint                         string   `json:"revocation_endpoint,omitempty"`
	JWKSURI                                    string   `json:"jwks_uri,omitempty"`
	GrantTypesSupported                        []string `json:"grant_types_supported,omitempty"`
	ResponseTypesSupported                     []string `json:"response_types_supported,omitempty"`
	ScopesSupported                            []string `json:"scopes_supported,omitempty"`
	TokenEndpointAuthMethodsSupported          []string `json:"token_endpoint_auth_methods_supported,omitempty"`
	TokenEndpointAuthSigningAlgValuesSupported []string `json:"token_endpoint_auth_signing_alg_values_supported,omitempty"`
	CodeChallengeMethodsSupported              []string `json:"code_challenge_methods_supported,omitempty"`
	IDTokenSigningAlgValuesSupported           []string `json:"id_token_signing_alg_values_supported,omitempty"`
	AuthorizationResponseIssParameterSupported bool     `json:"authorization_response_iss_parameter_supported,omitempty"`
	// AuthorizationGrantProfilesSupported contains
	// urn:ietf:params:oauth:grant-profile:id-jag at a resource AS that
	// implements the profile (draft §7.2).
	AuthorizationGrantProfilesSupported []string `json:"authorization_grant_profiles_supported,omitempty"`
	// IdentityChainingRequestedTokenTypesSupported contains the ID-JAG
	// token type at an IdP that issues them (draft §7.1).
	IdentityChainingRequestedTokenTypesSupported []string `json:"identity_chaining_requested_token_types_supported,omitempty"`
}

// ProtectedResourceMetadata is an OAuth 2.0 Protected Resource Metadata document
// (RFC 9728 §2).
type ProtectedResourceMetadata struct {
	// Resource is the resource identifier; it must equal the identifier the
	// metadata URL was built from (RFC 9728 §3.3) and is what goes into the
	// token exchange's resource parameter.
	Resource string `json:"resource"`
	// AuthorizationServers are issuer identifiers; one of them is the
	// token exchange's audience.
	AuthorizationServers          []string `json:"authorization_servers,omitempty"`
	ScopesSupported               []string `json:"scopes_supported,omitempty"`
	BearerMethodsSupported        []string `json:"bearer_methods_supported,omitempty"`
	JWKSURI                       string   `json:"jwks_uri,omitempty"`
	ResourceName                  string   `json:"resource_name,omitempty"`
	ResourceDocumentation         string   `json:"resource_documentation,omitempty"`
	DPoPBoundAccessTokensRequired bool     `json:"dpop_bound_access_tokens_required,omitempty"`
}

// Advertises reports whether a metadata list contains v, and whether the
// list is there at all: an absent list says nothing.
func Advertises(list []string, v string) (has, listed bool) {
	for _, x := range list {
		if x == v {
			return true, true
		}
	}
	return false, list != nil
}

// advertised judges whether a metadata list holds a value. It is evidence,
// not a verdict — the grant itself is — so an absent list is unknown and a
// list without the value a warning, never a failure.
func advertised(id, title, member string, list []string, want, hint, spec string) Check {
	c := Check{ID: id, Title: title, Expected: want, Spec: spec}
	switch has, listed := Advertises(list, want); {
	case has:
		c.Status, c.Actual = StatusPass, member+" lists it"
	case !listed:
		c.Status, c.Actual, c.Hint = StatusUnknown, member+" is absent", "the metadata does not say; the grant itself is the verdict"
	default:
		c.Status, c.Actual, c.Hint = StatusWarn, strings.Join(list, ", "), hint
	}
	return c
}

// CheckIdPMetadata judges what an IdP's metadata advertises for Cross App
// Access: the token exchange grant and the ID-JAG token type (draft §7.1),
// and PKCE S256 (RFC 7636), which the MCP Go SDK's enterprise handler
// requires to be advertised.
func CheckIdPMetadata(md *ServerMetadata) Report {
	r := Report{
		advertised("idp_metadata.token_exchange", "the token exchange grant is advertised", "grant_types_supported",
			md.GrantTypesSupported, GrantTypeTokenExchange, "the IdP does not list the token exchange grant: it may not offer it; the token exchange is the verdict", SpecIdPMetadata),
		advertised("idp_metadata.id_jag", "ID-JAG is advertised as a requested token type", "identity_chaining_requested_token_types_supported",
			md.IdentityChainingRequestedTokenTypesSupported, TokenTypeIDJAG, "absence does not prove the IdP cannot issue ID-JAGs; the token exchange is the verdict", SpecIdPMetadata),
	}
	pkce := advertised("idp_metadata.pkce", "PKCE S256 is advertised", "code_challenge_methods_supported",
		md.CodeChallengeMethodsSupported, "S256", "xaa sends S256 anyway; the MCP Go SDK's enterprise handler refuses an IdP that does not advertise it", "RFC 8414 §2; RFC 7636")
	if pkce.Status == StatusUnknown {
		pkce.Status, pkce.Hint = StatusWarn, "the MCP Go SDK's enterprise handler refuses an IdP whose metadata does not advertise S256; xaa sends it anyway"
	}
	return append(r, pkce)
}

// CheckASMetadata judges what a resource AS's metadata advertises for the
// ID-JAG profile (draft §7.2): the jwt-bearer grant, and the grant profile
// itself, which some servers omit from their openid-configuration document
// (format says which document md is).
func CheckASMetadata(md *ServerMetadata, format string) Report {
	grant := advertised("as_metadata.jwt_bearer", "the jwt-bearer grant is advertised", "grant_types_supported",
		md.GrantTypesSupported, GrantTypeJWTBearer, "the resource AS does not list the jwt-bearer grant it needs to redeem ID-JAGs; the jwt-bearer grant is the verdict", SpecASMetadata)
	profile := advertised("as_metadata.grant_profile", "the ID-JAG grant profile is advertised", "authorization_grant_profiles_supported",
		md.AuthorizationGrantProfilesSupported, GrantProfileIDJAG, "", SpecASMetadata)
	if profile.Status != StatusPass {
		profile.Status = StatusWarn
		profile.Hint = "unknown, not unsupported: servers implementing the profile list it in their RFC 8414 metadata; the jwt-bearer grant is the verdict"
		if format == MetadataOIDC {
			profile.Hint = "this is the openid-configuration document, where some servers omit the member; " + profile.Hint
		}
	}
	if profile.Status == StatusPass && grant.Status != StatusPass {
		// §7.2: an AS that lists the profile MUST list the grant; absent,
		// grant_types_supported defaults to authorization_code and implicit.
		grant.Status, grant.Hint = StatusFail,
			"the metadata lists the ID-JAG grant profile, so grant_types_supported MUST list "+GrantTypeJWTBearer+" too (without the member, RFC 8414 §2 defaults it to authorization_code and implicit)"
	}
	return Report{grant, profile}
}

// CheckASForMCPClients judges what MCP client SDKs need of a resource AS's
// metadata beyond what an ID-JAG grant uses: an authorization_endpoint,
// which RFC 8414 §2 lets an AS without the authorization-code grant leave
// out, and response_types_supported, which §2 requires (empty is allowed).
// The TypeScript MCP SDK's metadata schema refuses either missing; the Go
// SDK does not.
func CheckASForMCPClients(md *ServerMetadata) Report {
	authz := Check{ID: "as_metadata.mcp_authorization_endpoint", Title: "authorization_endpoint is published, as MCP client SDKs expect",
		Expected: "an authorization_endpoint", Spec: "RFC 8414 §2", Status: StatusPass, Actual: md.AuthorizationEndpoint}
	if md.AuthorizationEndpoint == "" {
		authz.Status, authz.Actual = StatusWarn, "(absent)"
		authz.Hint = "allowed by RFC 8414 §2 for an AS with no authorization-code grant, but the TypeScript MCP SDK refuses metadata without it: publish an endpoint that answers unsupported_response_type"
	}
	types := Check{ID: "as_metadata.response_types", Title: "response_types_supported is published", Expected: "present (an empty list is allowed)",
		Spec: "RFC 8414 §2", Status: StatusPass, Actual: "[" + strings.Join(md.ResponseTypesSupported, ", ") + "]"}
	if md.ResponseTypesSupported == nil {
		types.Status, types.Actual = StatusWarn, "(absent)"
		types.Hint = "REQUIRED by RFC 8414 §2, and the TypeScript MCP SDK refuses metadata without it: publish [] when the AS has no authorization endpoint grant"
	}
	return Report{authz, types}
}

// CheckAuthMethod judges the client authentication method a client is
// configured with against the methods the server advertises
// (client_secret_basic when the member is absent, RFC 8414 §2).
func CheckAuthMethod(md *ServerMetadata, method string) Check {
	list, shown := md.TokenEndpointAuthMethodsSupported, strings.Join(md.TokenEndpointAuthMethodsSupported, ", ")
	if list == nil {
		list, shown = []string{"client_secret_basic"}, "absent (default client_secret_basic)"
	}
	c := Check{ID: "metadata.auth_method", Title: "the configured authentication method is advertised", Expected: method, Actual: shown, Spec: "RFC 8414 §2"}
	if slices.Contains(list, method) {
		c.Status = StatusPass
		return c
	}
	c.Status, c.Hint = StatusWarn, "the server may refuse "+method+" with invalid_client: set auth_method to one it lists"
	return c
}

// ClientMetadata is what a client's metadata (a client ID metadata
// document, or a dynamic registration) says about the grants it uses.
type ClientMetadata struct {
	ClientID                            string   `json:"client_id"`
	GrantTypes                          []string `json:"grant_types"`
	AuthorizationGrantProfilesSupported []string `json:"authorization_grant_profiles_supported"`
}

// CheckClientMetadata judges a client's metadata for the ID-JAG profile: a
// client that lists the profile MUST list both grants it uses, the token
// exchange at the IdP and the jwt-bearer grant at the resource AS (draft
// §8). A client that does not list the profile gets no check: the rule
// does not apply.
func CheckClientMetadata(md *ClientMetadata) Report {
	if has, _ := Advertises(md.AuthorizationGrantProfilesSupported, GrantProfileIDJAG); !has {
		return nil
	}
	c := Check{ID: "client_metadata.grant_types", Title: "a client using the ID-JAG profile lists both its grants",
		Expected: GrantTypeTokenExchange + ", " + GrantTypeJWTBearer, Spec: SpecDraft + " §8", Status: StatusPass}
	c.Actual = "[" + strings.Join(md.GrantTypes, ", ") + "]"
	var missing []string
	for _, g := range []string{GrantTypeTokenExchange, GrantTypeJWTBearer} {
		if !slices.Contains(md.GrantTypes, g) {
			missing = append(missing, g)
		}
	}
	if len(missing) > 0 {
		c.Status = StatusFail
		c.Hint = "the client metadata lists the ID-JAG grant profile, so grant_types MUST list " + strings.Join(missing, " and ") + " too (without grant_types, RFC 7591 §2 defaults it to authorization_code)"
	}
	return Report{c}
}
