package playground

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/xaatools/xaa/inspect"
)

// Limits on what the resource AS fetches from a trusted issuer.
const (
	maxDocumentBytes = 1 << 20
	fetchTimeout     = 5 * time.Second
	keysTTL          = 10 * time.Minute
	// refetchAfter rate-limits JWKS refetches on an unknown kid.
	refetchAfter = 30 * time.Second
)

// trustedIssuer is an IdP whose ID-JAGs the resource AS accepts: the
// embedded IdP, whose keys it reads directly, or an issuer given with
// --trust-issuer, whose metadata and JWKS it fetches and caches.
type trustedIssuer struct {
	issuer   string
	embedded func() *inspect.KeySet

	mu      sync.Mutex
	jwksURI string
	keys    *inspect.KeySet
	fetched time.Time
}

// trustStore is the resource AS's list of trusted issuers (draft §4.4.1:
// the issuer is looked up before anything else in the token is trusted).
type trustStore struct {
	issuers []*trustedIssuer
	client  *http.Client
	now     func() time.Time
}

// lookup returns the trusted issuer named exactly iss, or nil.
func (ts *trustStore) lookup(iss string) *trustedIssuer {
	for _, t := range ts.issuers {
		if t.issuer == iss {
			return t
		}
	}
	return nil
}

// closest returns the trusted issuer iss most likely meant to be (one that
// differs by a slash, a scheme …), else the first: inspect's iss check then
// names the near miss.
func (ts *trustStore) closest(iss string) string {
	for _, t := range ts.issuers {
		if _, near := inspect.CompareIdentifier(t.issuer, iss); near != "" {
			return t.issuer
		}
	}
	return ts.issuers[0].issuer
}

// names lists the trusted issuers, for messages.
func (ts *trustStore) names() string {
	var n []string
	for _, t := range ts.issuers {
		n = append(n, t.issuer)
	}
	return strings.Join(n, ", ")
}

// keyRefresh is when the resource AS fetches a trusted issuer's keys again.
var keyRefresh = inspect.KeyRefresh{TTL: keysTTL, MinInterval: refetchAfter}

// keySet returns the issuer's keys: cached, and fetched again when
// keyRefresh says so for a token with the given kid.
func (ts *trustStore) keySet(ctx context.Context, t *trustedIssuer, kid string) (*inspect.KeySet, string, error) {
	if t.embedded != nil {
		return t.embedded(), "the embedded IdP's JWKS", nil
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	now := ts.now()
	age := now.Sub(t.fetched)
	if !keyRefresh.Due(t.keys, kid, age) {
		return t.keys, t.jwksURI, nil
	}
	keys, jwksURI, err := ts.fetchKeys(ctx, t.issuer)
	if err != nil {
		if t.keys != nil {
			return t.keys, t.jwksURI, nil // keep serving the last good keys
		}
		return nil, "", err
	}
	t.keys, t.jwksURI, t.fetched = keys, jwksURI, now
	return keys, jwksURI, nil
}

// fetchKeys discovers the issuer's jwks_uri (OIDC Discovery, then RFC 8414)
// and fetches its JWKS.
func (ts *trustStore) fetchKeys(ctx context.Context, issuer string) (*inspect.KeySet, string, error) {
	var errs []error
	for _, candidate := range inspect.IdPMetadataURLs(issuer) {
		metaURL := candidate.URL
		var meta struct {
			Issuer  string `json:"issuer"`
			JWKSURI string `json:"jwks_uri"`
		}
		body, err := ts.get(ctx, metaURL)
		if err == nil {
			err = json.Unmarshal(body, &meta)
		}
		switch {
		case err != nil:
			errs = append(errs, err)
			continue
		case meta.Issuer != issuer:
			errs = append(errs, fmt.Errorf("%s names issuer %q, not %q (RFC 8414 §3.3)", metaURL, meta.Issuer, issuer))
			continue
		case meta.JWKSURI == "":
			errs = append(errs, fmt.Errorf("%s has no jwks_uri", metaURL))
			continue
		}
		body, err = ts.get(ctx, meta.JWKSURI)
		if err != nil {
			return nil, "", err
		}
		keys, err := inspect.ParseJWKS(body)
		if err != nil {
			return nil, "", fmt.Errorf("JWKS %s: %w", meta.JWKSURI, err)
		}
		return keys, meta.JWKSURI, nil
	}
	return nil, "", fmt.Errorf("no metadata for issuer %s: %w", issuer, errors.Join(errs...))
}

// get fetches a public JSON document, bounded in time and size.
func (ts *trustStore) get(ctx context.Context, u string) ([]byte, error) {
	ctx, cancel := context.WithTimeout(ctx, fetchTimeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return nil, err
	}
	req.Header.Set("Accept", "application/json")
	resp, err := ts.client.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxDocumentBytes+1))
	switch {
	case err != nil:
		return nil, fmt.Errorf("reading %s: %w", u, err)
	case len(body) > maxDocumentBytes:
		return nil, fmt.Errorf("%s is larger than 1 MiB", u)
	case resp.StatusCode != http.StatusOK:
		return nil, fmt.Errorf("GET %s: HTTP %d", u, resp.StatusCode)
	}
	return body, nil
}
