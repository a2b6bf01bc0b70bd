package wire

import (
	"context"
	"fmt"
	"net/http"
	"strings"

	"github.com/xaatools/xaa/flow/config"
	"github.com/xaatools/xaa/inspect"
)

// JWKS is a key set and where it came from.
type JWKS struct {
	// Issuer is the issuer whose metadata named the key set; "" when it was
	// fetched by URL.
	Issuer string
	// MetadataURL is the metadata document that named URL; "" when the key
	// set was fetched by URL.
	MetadataURL string
	// URL is where the key set was fetched.
	URL  string
	Keys *inspect.KeySet
	// Problem says why Keys is nil: the key set could not be fetched or
	// holds no usable key. A signature checked with it is then unknown.
	Problem string
	// Exchanges are the requests made to find and fetch it.
	Exchanges []*Exchange
}

// Source names the key set for a signature verdict ("https://idp/keys").
func (j *JWKS) Source() string {
	if j == nil {
		return ""
	}
	return j.URL
}

// KeySet returns the keys, or nil.
func (j *JWKS) KeySet() *inspect.KeySet {
	if j == nil {
		return nil
	}
	return j.Keys
}

// KeySetError says a fetched key set cannot be used.
type KeySetError struct {
	URL string
	Err error
}

// Error names the key set and why it cannot be used.
func (e *KeySetError) Error() string {
	return "the key set at " + e.URL + " is not usable: " + e.Err.Error()
}

// Unwrap returns the parse error.
func (e *KeySetError) Unwrap() error { return e.Err }

// FetchJWKS fetches a JWKS by URL with a new client into
// inspect.ParseJWKS. Errors are a *FetchError (network, status, not JSON,
// too large) or a *KeySetError.
func FetchJWKS(ctx context.Context, o Options, jwksURL string) (*JWKS, error) {
	c := NewClient(o)
	j, err := c.FetchJWKS(ctx, "", "key set", jwksURL)
	if j == nil {
		j = &JWKS{URL: jwksURL}
	}
	j.Exchanges = c.Exchanges()
	return j, err
}

// LoadKeySet loads the keys named by spec, as the user typed it: an
// http(s) URL is fetched as a JWKS; text starting with "{" or "-----BEGIN"
// is parsed as it is; anything else is read as a file (a JWKS, a JWK or
// PEM keys). The JWKS's Source names where the keys came from.
func LoadKeySet(ctx context.Context, o Options, spec string) (*JWKS, error) {
	spec = strings.TrimSpace(spec)
	switch {
	case strings.HasPrefix(spec, "https://") || strings.HasPrefix(spec, "http://"):
		return FetchJWKS(ctx, o, spec)
	case strings.HasPrefix(spec, "{") || strings.HasPrefix(spec, "-----BEGIN"):
		ks, err := inspect.ParseJWKS([]byte(spec))
		if err != nil {
			return nil, fmt.Errorf("the keys typed in are not a JWKS, a JWK or PEM: %w", err)
		}
		return &JWKS{URL: "keys typed in", Keys: ks}, nil
	}
	b, err := config.ReadFile(spec, inspect.MaxInputBytes)
	if err != nil {
		return nil, err
	}
	ks, err := inspect.ParseJWKS(b)
	if err != nil {
		return nil, fmt.Errorf("%s is not a JWKS, a JWK or PEM: %w", spec, err)
	}
	return &JWKS{URL: spec, Keys: ks}, nil
}

// FindJWKS finds an issuer's key set: its metadata (OIDC discovery, then
// RFC 8414; the issuer must match exactly), then the jwks_uri it names.
// This is how a token's keys are found from its iss claim.
func FindJWKS(ctx context.Context, o Options, issuer string) (*JWKS, error) {
	c := NewClient(o)
	md, err := c.DiscoverMetadata(ctx, "", "issuer metadata", issuer, inspect.IdPMetadataURLs(issuer))
	j := &JWKS{Issuer: issuer}
	if md != nil {
		j.MetadataURL = md.URL
	}
	if err == nil && md.JWKSURI == "" {
		err = fmt.Errorf("the metadata at %s has no jwks_uri: the issuer publishes no keys to verify its tokens with", md.URL)
	}
	if err == nil {
		var got *JWKS
		got, err = c.FetchJWKS(ctx, "", "key set", md.JWKSURI)
		if got != nil {
			j.URL, j.Keys = got.URL, got.Keys
		}
	}
	j.Exchanges = c.Exchanges()
	return j, err
}

// FetchJWKS fetches and parses a key set; party and what label the exchange.
func (c *Client) FetchJWKS(ctx context.Context, party, what, jwksURL string) (*JWKS, error) {
	req, err := http.NewRequestWithContext(WithLabel(ctx, party, what), http.MethodGet, jwksURL, nil)
	if err != nil {
		return nil, &FetchError{Kind: FetchBadURL, What: "the " + what, URL: jwksURL, Err: err}
	}
	req.Header.Set("Accept", "application/jwk-set+json, application/json")
	resp, err := c.Send(req, "the "+what)
	if err != nil {
		return nil, err
	}
	var probe any
	if err := CheckJSON(resp, "the "+what, jwksURL, &probe); err != nil {
		return nil, err
	}
	ks, err := inspect.ParseJWKS(resp.Body)
	if err != nil {
		return nil, &KeySetError{URL: jwksURL, Err: err}
	}
	return &JWKS{URL: jwksURL, Keys: ks}, nil
}

// AnalyzeWithRefetch analyses a token against keys; when the token's kid is
// not in the set, it refetches the set once (the keys may have rotated,
// OIDC Core §10.1.1) and analyses again. It returns the key set used.
func (c *Client) AnalyzeWithRefetch(ctx context.Context, t *inspect.Token, keys *JWKS, party string, o inspect.Options) (inspect.Analysis, *JWKS) {
	o.Keys, o.KeySource = keys.KeySet(), keys.Source()
	switch {
	case keys == nil:
		o.KeyProblem = "no key set to verify with: discovery did not find the issuer's (set jwks_uri in the config to give it)"
	case keys.Keys == nil:
		o.KeyProblem = "no usable keys at " + keys.URL + ": " + keys.Problem
	}
	a := inspect.Analyze(t, o)
	// Within one analysis the client refetches at once: its keys are from
	// this run's discovery, and it asks the issuer once per token at most.
	if keys == nil || keys.URL == "" || keys.Keys == nil || !(inspect.KeyRefresh{}).Due(keys.Keys, t.KID(), 0) {
		return a, keys
	}
	fresh, err := c.FetchJWKS(ctx, party, "key set (refetched: unknown kid "+t.KID()+")", keys.URL)
	if err != nil {
		return a, keys
	}
	fresh.Issuer, fresh.MetadataURL = keys.Issuer, keys.MetadataURL
	o.Keys, o.KeySource = fresh.Keys, fresh.URL
	return inspect.Analyze(t, o), fresh
}
