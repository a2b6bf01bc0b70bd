package flow

import (
	"context"
	"errors"
	"net/url"
	"strings"

	"github.com/xaatools/xaa/inspect"
)

// Metadata is an authorization server's metadata document: RFC 8414 §2 or
// OpenID Connect Discovery 1.0 §3, with the members the ID-JAG profile
// adds (draft §7.1, §7.2).
type Metadata struct {
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

	// URL is where the document was found; Format is "rfc8414" or "oidc".
	URL    string `json:"-"`
	Format string `json:"-"`
	// Tried lists the URLs tried before URL, with why each failed.
	Tried []string `json:"-"`
}

// Formats of a metadata document.
const (
	FormatRFC8414 = "rfc8414"
	FormatOIDC    = "oidc"
)

// metadataURL is one place to look for an issuer's metadata.
type metadataURL struct{ url, format string }

// oidcURL appends the OIDC path to the issuer (OIDC Discovery §4.1).
func oidcURL(issuer string) metadataURL {
	return metadataURL{strings.TrimSuffix(issuer, "/") + "/.well-known/openid-configuration", FormatOIDC}
}

// insertedURL inserts a well-known path between host and path (RFC 8414
// §3.1, RFC 9728 §3.1).
func insertedURL(issuer, wellKnown string) (string, bool) {
	u, err := url.Parse(issuer)
	if err != nil || u.Host == "" {
		return "", false
	}
	path := strings.TrimSuffix(u.Path, "/")
	return u.Scheme + "://" + u.Host + "/.well-known/" + wellKnown + path, true
}

func hasPath(issuer string) bool {
	u, err := url.Parse(issuer)
	return err == nil && strings.TrimSuffix(u.Path, "/") != ""
}

// IdPMetadataURLs returns where an IdP's metadata is looked for: OIDC
// discovery first (every OIDC IdP has it; some publish nothing else), then
// RFC 8414.
func IdPMetadataURLs(issuer string) []string {
	var out []string
	for _, m := range idpMetadataURLs(issuer) {
		out = append(out, m.url)
	}
	return out
}

func idpMetadataURLs(issuer string) []metadataURL {
	urls := []metadataURL{oidcURL(issuer)}
	if u, ok := insertedURL(issuer, "oauth-authorization-server"); ok {
		urls = append(urls, metadataURL{u, FormatRFC8414})
	}
	return urls
}

// ASMetadataURLs returns where a resource AS's metadata is looked for, in
// the order MCP prescribes (authorization server discovery): RFC 8414 with
// the path inserted, OIDC with the path inserted, OIDC appended to the path.
// RFC 8414 comes first because some servers list the ID-JAG grant profile
// only there.
func ASMetadataURLs(issuer string) []string {
	var out []string
	for _, m := range asMetadataURLs(issuer) {
		out = append(out, m.url)
	}
	return out
}

func asMetadataURLs(issuer string) []metadataURL {
	var urls []metadataURL
	if u, ok := insertedURL(issuer, "oauth-authorization-server"); ok {
		urls = append(urls, metadataURL{u, FormatRFC8414})
	}
	if hasPath(issuer) {
		if u, ok := insertedURL(issuer, "openid-configuration"); ok {
			urls = append(urls, metadataURL{u, FormatOIDC})
		}
	}
	return append(urls, oidcURL(issuer))
}

// IssuerMismatchError says a metadata document names another issuer than
// the one it was looked up for; RFC 8414 §3.3 and OIDC Discovery §4.3 say
// to discard it.
type IssuerMismatchError struct {
	URL, Want, Got string
	// NearMiss names the usual mistake (a trailing slash), when it is one.
	NearMiss string
}

// Error names both issuers and the near miss.
func (e *IssuerMismatchError) Error() string {
	s := "the metadata at " + e.URL + " names the issuer " + quoteOrNone(e.Got) + ", not " + quoteOrNone(e.Want)
	if e.NearMiss != "" {
		s += " (" + e.NearMiss + ")"
	}
	return s
}

// Is makes errors.Is(err, ErrMetadataIssuer) true.
func (e *IssuerMismatchError) Is(target error) bool { return target == ErrMetadataIssuer }

func quoteOrNone(s string) string {
	if s == "" {
		return "(none)"
	}
	return `"` + s + `"`
}

// DiscoveryError says no metadata document was found at any of the places
// looked at; Attempts holds why each failed.
type DiscoveryError struct {
	What     string
	Issuer   string
	Attempts []*FetchError
}

// Error lists every place looked at and why each failed.
func (e *DiscoveryError) Error() string {
	var parts []string
	for _, a := range e.Attempts {
		parts = append(parts, a.Error())
	}
	return "no " + e.What + " found for " + e.Issuer + ": " + strings.Join(parts, "; ")
}

// Unwrap returns the attempts' errors, so errors.As finds a FetchError.
func (e *DiscoveryError) Unwrap() []error {
	out := make([]error, len(e.Attempts))
	for i, a := range e.Attempts {
		out[i] = a
	}
	return out
}

// discoverMetadata tries each URL in turn. It moves on after an HTTP error
// or a body that is not metadata, and stops at a network failure (the next
// URL is on the same host). A document whose issuer differs is returned with
// an *IssuerMismatchError.
func (s *session) discoverMetadata(ctx context.Context, party, what, issuer string, urls []metadataURL) (*Metadata, error) {
	var attempts []*FetchError
	var tried []string
	for _, u := range urls {
		var md Metadata
		label := what + " (" + u.format + ")"
		_, err := getJSON(withLabel(ctx, party, label), s.env, s.client, u.url, "the "+label, &md)
		var fe *FetchError
		if errors.As(err, &fe) {
			attempts = append(attempts, fe)
			tried = append(tried, u.url+": "+fe.shortReason())
			if fe.Kind <= FetchTimeout {
				break
			}
			continue
		}
		if err != nil {
			return nil, err
		}
		if md.Issuer == "" && md.TokenEndpoint == "" {
			attempts = append(attempts, &FetchError{Kind: FetchNotJSON, What: "the " + label, URL: u.url,
				Err: errors.New("a JSON document without issuer or token_endpoint, so not metadata"), Preview: "{…}"})
			tried = append(tried, u.url+": not metadata")
			continue
		}
		md.URL, md.Format, md.Tried = u.url, u.format, tried
		if equal, near := inspect.CompareIdentifier(issuer, md.Issuer); !equal {
			return &md, &IssuerMismatchError{URL: u.url, Want: issuer, Got: md.Issuer, NearMiss: near}
		}
		return &md, nil
	}
	return nil, &DiscoveryError{What: what, Issuer: issuer, Attempts: attempts}
}

// shortReason is the error in a few words, for a list of attempts.
func (e *FetchError) shortReason() string {
	switch e.Kind {
	case FetchStatus, FetchRedirect:
		return statusLine(e.Status)
	case FetchHTML:
		return "an HTML page"
	case FetchNotJSON:
		return "not JSON"
	case FetchTooLarge:
		return "too large"
	}
	return e.Kind.String()
}

// DiscoverIdP fetches an IdP's metadata: OIDC discovery, then RFC 8414.
// When the document names another issuer it is returned together with an
// *IssuerMismatchError; when none is found the error is a *DiscoveryError.
func DiscoverIdP(ctx context.Context, env Env, issuer string) (*Metadata, []*Exchange, error) {
	s := newSession(env, nil)
	md, err := s.discoverMetadata(ctx, PartyIdP, "IdP metadata", issuer, idpMetadataURLs(issuer))
	return md, s.exchanges(), err
}

// DiscoverAS fetches a resource authorization server's metadata in MCP's
// order (RFC 8414 first). Errors as for DiscoverIdP.
func DiscoverAS(ctx context.Context, env Env, issuer string) (*Metadata, []*Exchange, error) {
	s := newSession(env, nil)
	md, err := s.discoverMetadata(ctx, PartyAS, "resource AS metadata", issuer, asMetadataURLs(issuer))
	return md, s.exchanges(), err
}

// config.Parties named in an Exchange.
const (
	PartyIdP      = "idp"
	PartyAS       = "as"
	PartyResource = "resource"
)

// advertises reports whether a metadata list contains v, and whether the
// list is there at all.
func advertises(list []string, v string) (has, listed bool) {
	for _, x := range list {
		if x == v {
			return true, true
		}
	}
	return false, list != nil
}
