package playground

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync"

	jose "github.com/go-jose/go-jose/v4"

	"github.com/xaatools/xaa/flow/config"
	"github.com/xaatools/xaa/inspect"
)

// signingKey is one private key and the kid it is published under.
type signingKey struct {
	kid  string
	alg  string // the JWS algorithm the key signs with by default: RS256 or ES256
	priv crypto.Signer
	// atHeader is the encoded JOSE header of the access tokens it signs.
	atHeader func() string
}

// generateKey makes a fresh key for alg (RS256: RSA 2048, ES256: P-256).
func generateKey(alg string) (*signingKey, error) {
	var priv crypto.Signer
	var err error
	switch alg {
	case "RS256":
		priv, err = rsa.GenerateKey(rand.Reader, 2048)
	case "ES256":
		priv, err = ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	default:
		return nil, fmt.Errorf("no key type for %s", alg)
	}
	if err != nil {
		return nil, fmt.Errorf("generating a %s key: %w", alg, err)
	}
	return newSigningKey(alg, priv)
}

// newSigningKey names a private key by its RFC 7638 thumbprint, so a kept
// key keeps its kid across starts.
func newSigningKey(alg string, priv crypto.Signer) (*signingKey, error) {
	jwk := jose.JSONWebKey{Key: priv.Public()}
	tp, err := jwk.Thumbprint(crypto.SHA256)
	if err != nil {
		return nil, fmt.Errorf("key thumbprint: %w", err)
	}
	kid := strings.ToLower(alg) + "-" + base64.RawURLEncoding.EncodeToString(tp)[:12]
	k := &signingKey{kid: kid, alg: alg, priv: priv}
	k.atHeader = sync.OnceValue(func() string {
		h, _ := json.Marshal(struct {
			Alg string `json:"alg"`
			KID string `json:"kid"`
			Typ string `json:"typ"`
		}{alg, kid, inspect.TypAccessToken})
		return base64.RawURLEncoding.EncodeToString(h)
	})
	return k, nil
}

// accessTokenHeader is the encoded header of an RFC 9068 access token
// signed by k: its alg, kid and typ at+jwt.
func (k *signingKey) accessTokenHeader() string { return k.atHeader() }

// publicJWK is the key as published in a JWKS. It carries no "alg" member on
// purpose: the resource AS's allow-list decides which algorithms it accepts,
// and the conformance tests sign with algorithms outside that list.
func (k *signingKey) publicJWK() jose.JSONWebKey {
	return jose.JSONWebKey{Key: k.priv.Public(), KeyID: k.kid, Use: "sig"}
}

// keyring holds the keys one issuer signs with: a current key per algorithm
// and, after a rotation, the previous ones, still published so tokens signed
// before the rotation keep verifying. It also keeps "rogue" keys that are
// never published, to mint tokens no JWKS can verify.
type keyring struct {
	store *keyStore
	name  string // file name prefix in the store
	algs  []string

	mu       sync.RWMutex
	current  map[string]*signingKey
	previous []*signingKey
	rogue    map[string]*signingKey
	jwks     []byte
	keySet   *inspect.KeySet
}

// newKeyring loads the keys named name-<alg>.pem from the store, or
// generates them (and keeps them there). fresh makes new keys even when
// kept ones exist (--rotate-keys).
func newKeyring(store *keyStore, name string, fresh bool, algs ...string) (*keyring, error) {
	kr := &keyring{store: store, name: name, algs: algs, current: map[string]*signingKey{}, rogue: map[string]*signingKey{}}
	for _, alg := range algs {
		k, err := store.key(name+"-"+strings.ToLower(alg), alg, fresh)
		if err != nil {
			return nil, err
		}
		kr.current[alg] = k
	}
	if err := kr.publish(); err != nil {
		return nil, err
	}
	return kr, nil
}

// keyStore is where a playground keeps the keys it generates: a directory
// (Options.KeyDir), or nowhere. Key files are PKCS #8 PEM, mode 0600, in a
// directory made with mode 0700, and are written atomically (a temporary
// file renamed over the old one), so a crash or a second playground
// starting at the same moment never leaves half a key behind. A key file
// that cannot be read or parsed is replaced by a new key, with a warning:
// the playground always starts.
type keyStore struct {
	dir  string       // "" keeps keys in memory only
	warn func(string) // tells the user about a replaced or unsaved key
}

// key returns the key kept in file.pem, or a new key (kept in the store)
// when there is none, it is unusable, or fresh is set.
func (s *keyStore) key(file, alg string, fresh bool) (*signingKey, error) {
	if s.dir == "" {
		return generateKey(alg)
	}
	path := filepath.Join(s.dir, file+".pem")
	if !fresh {
		data, err := os.ReadFile(path)
		if err == nil {
			var k *signingKey
			if k, err = parseKeyPEM(data, alg); err == nil {
				return k, nil
			}
		}
		if !errors.Is(err, fs.ErrNotExist) {
			s.warn(fmt.Sprintf("key file %s is unusable (%v); made a new %s key in its place", path, err, alg))
		}
	}
	k, err := generateKey(alg)
	if err != nil {
		return nil, err
	}
	s.save(path, k.priv)
	return k, nil
}

// save keeps a private key as PKCS #8 PEM. A key that cannot be saved is
// still used, with a warning: it lasts until the playground stops.
func (s *keyStore) save(path string, priv crypto.Signer) {
	if err := writeKeyPEM(path, priv); err != nil {
		s.warn(fmt.Sprintf("could not keep a key in %s (%v); it lasts until the playground stops", s.dir, err))
	}
}

// writeKeyPEM saves a private key as PKCS #8 PEM, readable by its owner
// only, atomically.
func writeKeyPEM(path string, priv crypto.Signer) error {
	der, err := x509.MarshalPKCS8PrivateKey(priv)
	if err != nil {
		return fmt.Errorf("encoding key: %w", err)
	}
	if err := config.WritePrivateFile(path, pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der})); err != nil {
		return fmt.Errorf("writing key file: %w", err)
	}
	return nil
}

// parseKeyPEM reads a PKCS #8 private key of the type alg needs.
func parseKeyPEM(data []byte, alg string) (*signingKey, error) {
	block, _ := pem.Decode(data)
	if block == nil || block.Type != "PRIVATE KEY" {
		return nil, errors.New("not a PEM \"PRIVATE KEY\" (PKCS #8)")
	}
	key, err := x509.ParsePKCS8PrivateKey(block.Bytes)
	if err != nil {
		return nil, err
	}
	switch key := key.(type) {
	case *rsa.PrivateKey:
		if alg == "RS256" {
			return newSigningKey(alg, key)
		}
	case *ecdsa.PrivateKey:
		if alg == "ES256" && key.Curve == elliptic.P256() {
			return newSigningKey(alg, key)
		}
	}
	return nil, fmt.Errorf("holds a %T, not a key for %s", key, alg)
}

// publish rebuilds the JWKS document and the parsed key set; callers hold
// kr.mu for writing, or own kr exclusively.
func (kr *keyring) publish() error {
	var set jose.JSONWebKeySet
	for _, alg := range kr.algs {
		set.Keys = append(set.Keys, kr.current[alg].publicJWK())
	}
	for _, k := range kr.previous {
		set.Keys = append(set.Keys, k.publicJWK())
	}
	doc, err := json.Marshal(set)
	if err != nil {
		return fmt.Errorf("encoding JWKS: %w", err)
	}
	ks, err := inspect.ParseJWKS(doc)
	if err != nil {
		return fmt.Errorf("parsing own JWKS: %w", err)
	}
	kr.jwks, kr.keySet = doc, ks
	return nil
}

// signer returns the current key for alg.
func (kr *keyring) signer(alg string) *signingKey {
	kr.mu.RLock()
	defer kr.mu.RUnlock()
	return kr.current[alg]
}

// JWKS returns the published key set document.
func (kr *keyring) JWKS() []byte {
	kr.mu.RLock()
	defer kr.mu.RUnlock()
	return kr.jwks
}

// KeySet returns the published keys, parsed, for verifying.
func (kr *keyring) KeySet() *inspect.KeySet {
	kr.mu.RLock()
	defer kr.mu.RUnlock()
	return kr.keySet
}

// rotate makes new current keys. The old ones stay published (one
// generation back) so tokens they signed still verify; older ones are
// dropped, so their kids become unknown.
func (kr *keyring) rotate() error {
	fresh := map[string]*signingKey{}
	for _, alg := range kr.algs {
		k, err := generateKey(alg)
		if err != nil {
			return err
		}
		if kr.store.dir != "" {
			kr.store.save(filepath.Join(kr.store.dir, kr.name+"-"+strings.ToLower(alg)+".pem"), k.priv)
		}
		fresh[alg] = k
	}
	kr.mu.Lock()
	defer kr.mu.Unlock()
	kr.previous = kr.previous[:0]
	for _, alg := range kr.algs {
		kr.previous = append(kr.previous, kr.current[alg])
	}
	kr.current = fresh
	return kr.publish()
}

// rogueKey returns a key of alg's type that is never published; tokens it
// signs fail verification against this keyring's JWKS.
func (kr *keyring) rogueKey(alg string) (*signingKey, error) {
	kr.mu.Lock()
	defer kr.mu.Unlock()
	if k := kr.rogue[alg]; k != nil {
		return k, nil
	}
	k, err := kr.store.key(kr.name+"-unpublished-"+strings.ToLower(alg), alg, false)
	if err != nil {
		return nil, err
	}
	kr.rogue[alg] = k
	return k, nil
}
