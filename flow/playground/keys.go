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

	"github.com/xaatools/xaa/inspect"
)

// signingKey is one private key and the kid it is published under.
type signingKey struct {
	kid  string
	alg  string // the JWS algorithm the key signs with by default: RS256 or ES256
	priv crypto.Signer
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

// newSigningKey names a private key by its RFC 7638 thumbprint, so a key kept
// in --key-dir keeps its kid across starts.
func newSigningKey(alg string, priv crypto.Signer) (*signingKey, error) {
	jwk := jose.JSONWebKey{Key: priv.Public()}
	tp, err := jwk.Thumbprint(crypto.SHA256)
	if err != nil {
		return nil, fmt.Errorf("key thumbprint: %w", err)
	}
	kid := strings.ToLower(alg) + "-" + base64.RawURLEncoding.EncodeToString(tp)[:12]
	return &signingKey{kid: kid, alg: alg, priv: priv}, nil
}

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
	dir  string // "" keeps keys in memory only
	name string // file name prefix in dir
	algs []string

	mu       sync.RWMutex
	current  map[string]*signingKey
	previous []*signingKey
	rogue    map[string]*signingKey
	jwks     []byte
	keySet   *inspect.KeySet
}

// newKeyring loads the keys named name-<alg>.pem from dir, or generates them
// (and saves them when dir is set).
func newKeyring(dir, name string, algs ...string) (*keyring, error) {
	kr := &keyring{dir: dir, name: name, algs: algs, current: map[string]*signingKey{}, rogue: map[string]*signingKey{}}
	for _, alg := range algs {
		k, err := kr.loadOrGenerate(name+"-"+strings.ToLower(alg), alg)
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

// loadOrGenerate reads dir/file.pem, or makes a new key and writes it there.
func (kr *keyring) loadOrGenerate(file, alg string) (*signingKey, error) {
	if kr.dir == "" {
		return generateKey(alg)
	}
	path := filepath.Join(kr.dir, file+".pem")
	data, err := os.ReadFile(path)
	switch {
	case err == nil:
		k, err := parseKeyPEM(data, alg)
		if err != nil {
			return nil, fmt.Errorf("key file %s: %w (delete it to get a new key)", path, err)
		}
		return k, nil
	case !errors.Is(err, fs.ErrNotExist):
		return nil, fmt.Errorf("reading key file: %w", err)
	}
	k, err := generateKey(alg)
	if err != nil {
		return nil, err
	}
	return k, writeKeyPEM(path, k.priv)
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

// writeKeyPEM saves a private key as PKCS #8 PEM, readable by its owner only.
func writeKeyPEM(path string, priv crypto.Signer) error {
	der, err := x509.MarshalPKCS8PrivateKey(priv)
	if err != nil {
		return fmt.Errorf("encoding key: %w", err)
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return fmt.Errorf("creating key directory: %w", err)
	}
	data := pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der})
	if err := os.WriteFile(path, data, 0o600); err != nil {
		return fmt.Errorf("writing key file: %w", err)
	}
	return nil
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
		if kr.dir != "" {
			if err := writeKeyPEM(filepath.Join(kr.dir, kr.name+"-"+strings.ToLower(alg)+".pem"), k.priv); err != nil {
				return err
			}
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
	k, err := kr.loadOrGenerate(kr.name+"-unpublished-"+strings.ToLower(alg), alg)
	if err != nil {
		return nil, err
	}
	kr.rogue[alg] = k
	return k, nil
}
