package wire

import (
	"context"
	"errors"
	"strings"

	"github.com/xaatools/xaa/inspect"
)

// Metadata is an authorization server's metadata document and where it
// was found. The members are inspect's ServerMetadata: xaa decodes them
// itself rather than with the MCP SDK's oauthex types, because a debugger
// must read the ID-JAG members the SDK does not know, and read a document
// the SDK would refuse in order to say what is wrong with it.
type Metadata struct {
	inspect.ServerMetadata
	// URL is where the document was found; Format is "rfc8414" or "oidc".
	URL    string `json:"-"`
	Format string `json:"-"`
	// Tried lists the URLs tried before URL, with why each failed.
	Tried []string `json:"-"`
}

// Formats of a metadata document.
const (
	FormatRFC8414 = inspect.MetadataRFC8414
	FormatOIDC    = inspect.MetadataOIDC
)

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

// DiscoverMetadata tries each URL in turn. It moves on after an HTTP error
// or a body that is not metadata, and stops at a network failure (the next
// URL is on the same host). A document whose issuer differs is returned with
// an *IssuerMismatchError.
func (c *Client) DiscoverMetadata(ctx context.Context, party, what, issuer string, urls []inspect.MetadataURL) (*Metadata, error) {
	var attempts []*FetchError
	var tried []string
	for _, u := range urls {
		var md Metadata
		label := what + " (" + u.Format + ")"
		_, err := c.GetJSON(WithLabel(ctx, party, label), u.URL, "the "+label, &md)
		var fe *FetchError
		if errors.As(err, &fe) {
			attempts = append(attempts, fe)
			tried = append(tried, u.URL+": "+fe.shortReason())
			if fe.Kind <= FetchTimeout {
				break
			}
			continue
		}
		if err != nil {
			return nil, err
		}
		if md.Issuer == "" && md.TokenEndpoint == "" {
			attempts = append(attempts, &FetchError{Kind: FetchNotJSON, What: "the " + label, URL: u.URL,
				Err: errors.New("a JSON document without issuer or token_endpoint, so not metadata"), Preview: "{…}"})
			tried = append(tried, u.URL+": not metadata")
			continue
		}
		md.URL, md.Format, md.Tried = u.URL, u.Format, tried
		if equal, near := inspect.CompareIdentifier(issuer, md.Issuer); !equal {
			return &md, &IssuerMismatchError{URL: u.URL, Want: issuer, Got: md.Issuer, NearMiss: near}
		}
		return &md, nil
	}
	return nil, &DiscoveryError{What: what, Issuer: issuer, Attempts: attempts}
}

// shortReason is the error in a few words, for a list of attempts.
func (e *FetchError) shortReason() string {
	switch e.Kind {
	case FetchStatus, FetchRedirect:
		return StatusLine(e.Status)
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
func (c *Client) DiscoverIdP(ctx context.Context, issuer string) (*Metadata, error) {
	return c.DiscoverMetadata(ctx, PartyIdP, "IdP metadata", issuer, inspect.IdPMetadataURLs(issuer))
}

// DiscoverAS fetches a resource authorization server's metadata in MCP's
// order (RFC 8414 first). Errors as for DiscoverIdP.
func (c *Client) DiscoverAS(ctx context.Context, issuer string) (*Metadata, error) {
	return c.DiscoverMetadata(ctx, PartyAS, "resource AS metadata", issuer, inspect.ASMetadataURLs(issuer))
}

// Parties named in an Exchange.
const (
	PartyIdP      = "idp"
	PartyAS       = "as"
	PartyResource = "resource"
)
