package main

import (
	"context"
	"errors"
	"fmt"

	"github.com/xaatools/xaa/flow/wire"

	"github.com/xaatools/xaa/inspect"
)

// errKeySource marks a --jwks value that cannot be used: a usage error.
var errKeySource = errors.New("unusable key source")

// tokenKeys are the keys to verify one token with, and what to tell the
// user about where they came from.
type tokenKeys struct {
	set      *inspect.KeySet
	source   string   // a URL or file, shown in the verdict
	warnings []string // e.g. a key set holding private keys
	// selfAsserted says the keys came from the token's own iss: they
	// prove self-consistency, not trust.
	selfAsserted bool
	why          string // why there are no keys, when set is nil
}

// keyResolver finds the keys for each token of one decode: the --jwks file
// or URL when given, else the JWKS discovered from the issuer (unless
// --offline). Results are cached per issuer.
type keyResolver struct {
	ctx     context.Context
	f       decodeFlags
	fixed   *tokenKeys // from --jwks
	byIssue map[string]tokenKeys
}

func newKeyResolver(ctx context.Context, f decodeFlags) *keyResolver {
	return &keyResolver{ctx: ctx, f: f, byIssue: map[string]tokenKeys{}}
}

// forToken returns the keys for tok. An error wrapping errKeySource means
// the user's --jwks cannot be used at all; other errors are fetch failures,
// reported while the token is still decoded and checked.
func (r *keyResolver) forToken(tok *inspect.Token) (tokenKeys, error) {
	if tok.Format != inspect.FormatJWS {
		return tokenKeys{}, nil
	}
	if r.f.jwks != "" {
		return r.fromFlag()
	}
	if r.f.offline {
		return tokenKeys{why: "--offline: no keys fetched (give --jwks FILE to verify offline)"}, nil
	}
	issuer := r.f.issuer
	fromToken := false
	if issuer == "" {
		issuer, _ = tok.Claims.String("iss")
		fromToken = true
	}
	if issuer == "" {
		return tokenKeys{why: "the token has no iss to discover keys from; give --jwks URL or FILE"}, nil
	}
	if k, ok := r.byIssue[issuer]; ok {
		return k, nil
	}
	var k tokenKeys
	jwks, err := wire.FindJWKS(r.ctx, wire.Options{}, issuer)
	if err != nil {
		k.why = "could not get the issuer's keys: " + err.Error()
	} else {
		k.set, k.source = jwks.KeySet(), jwks.Source()
	}
	k.selfAsserted = err == nil && fromToken
	r.byIssue[issuer] = k
	return k, nil
}

// fromFlag loads --jwks once.
func (r *keyResolver) fromFlag() (tokenKeys, error) {
	if r.fixed != nil {
		return *r.fixed, nil
	}
	jwks, err := wire.LoadKeySet(r.ctx, wire.Options{}, r.f.jwks)
	if err != nil {
		return tokenKeys{}, fmt.Errorf("%w: --jwks %v", errKeySource, err)
	}
	k := tokenKeys{set: jwks.KeySet(), source: jwks.Source()}
	if k.set.PrivateKeys {
		k.warnings = append(k.warnings, "the key set contains PRIVATE key material; a published JWKS must hold public keys only — rotate those keys")
	}
	r.fixed = &k
	return k, nil
}
