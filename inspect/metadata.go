package inspect

import (
	"net/url"
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
