package inspect_test

import (
	"sync"
	"testing"
	"time"

	jose "github.com/go-jose/go-jose/v4"

	"github.com/xaatools/xaa/inspect/inspecttest"
)

// Short names for the minting helpers used throughout these tests.
var (
	claims     = inspecttest.Claims
	override   = inspecttest.Override
	unsigned   = inspecttest.Unsigned
	hs256      = inspecttest.HS256
	selfSigned = inspecttest.SelfSigned
)

var (
	keysOnce sync.Once
	keys     map[string]*inspecttest.Key
)

// key returns a cached key by name; RSA generation is slow. "rs" and "ps"
// share one RSA key, as an IdP that signs with both would.
func key(t testing.TB, name string) *inspecttest.Key {
	t.Helper()
	keysOnce.Do(func() {
		rs := inspecttest.Generate(t, jose.RS256, "rsa-1")
		keys = map[string]*inspecttest.Key{
			"rs":    rs,
			"rs2":   inspecttest.Generate(t, jose.RS256, "rsa-2"),
			"ps":    rs.WithAlg(jose.PS256),
			"es":    inspecttest.Generate(t, jose.ES256, "ec-1"),
			"eddsa": inspecttest.Generate(t, jose.EdDSA, "ed-1"),
		}
	})
	k, ok := keys[name]
	if !ok {
		t.Fatalf("no test key %q", name)
	}
	return k
}

// jwks returns a JWKS document holding the public keys named.
func jwks(t testing.TB, names ...string) []byte {
	t.Helper()
	var ks []*inspecttest.Key
	for _, n := range names {
		ks = append(ks, key(t, n))
	}
	return inspecttest.JWKS(t, ks...)
}

// now is the fixed clock of the claim tests.
var now = time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC)

// The parties and valid claim sets of the tests, at the fixed clock.
const (
	idpIssuer  = inspecttest.IdPIssuer
	asIssuer   = inspecttest.ASIssuer
	asToken    = inspecttest.ASTokenEndpoint
	resourceID = inspecttest.Resource
	idpClient  = inspecttest.IdPClientID
	asClient   = inspecttest.ASClientID
)

func jagClaims() []any         { return inspecttest.IDJAGClaims(now) }
func idTokenClaims() []any     { return inspecttest.IDTokenClaims(now) }
func accessTokenClaims() []any { return inspecttest.AccessTokenClaims(now) }
