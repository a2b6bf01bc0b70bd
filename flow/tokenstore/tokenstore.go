// Package tokenstore keeps IdP refresh tokens between runs, so that a
// requesting app configured with idp.subject refresh_token logs in once and
// mints each new ID-JAG from the kept token (draft §4.3): in the operating
// system's keyring where there is one (the Secret Service on Linux, the
// macOS Keychain, the Windows Credential Manager), else in a file readable
// only by its owner under $XDG_STATE_HOME/xaa/.
//
// A token is kept per IdP issuer and client id: the IdP exchanges a refresh
// token only for the client it was issued to.
package tokenstore

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/zalando/go-keyring"

	"github.com/xaatools/xaa/flow/config"
)

// service is the keyring service name xaa's entries are kept under.
const service = "xaa"

// fileLimit bounds what is read back from the file: a few tokens.
const fileLimit = 1 << 20

// Store keeps refresh tokens in the keyring, or in File when the keyring
// is not available (no Secret Service on a headless machine, say).
type Store struct {
	// File is the fallback: a JSON object of tokens by key, written 0600.
	File string
	// NoKeyring uses the file only.
	NoKeyring bool
}

// EnvNoKeyring set to any value keeps tokens in the file only (a CI
// machine, a keyring that prompts).
const EnvNoKeyring = "XAA_NO_KEYRING"

// New returns the store under xaa's state directory (config.StateDir).
func New(getenv func(string) string) *Store {
	s := &Store{NoKeyring: getenv(EnvNoKeyring) != ""}
	if dir := config.StateDir(getenv); dir != "" {
		s.File = filepath.Join(dir, "refresh-tokens.json")
	}
	return s
}

// key names one client at one IdP.
func key(issuer, clientID string) string { return clientID + " at " + issuer }

// Where says where tokens are kept, for messages; it never includes one.
func (s *Store) Where() string {
	if !s.NoKeyring && keyringWorks() {
		return "the system keyring (service " + service + ")"
	}
	return s.File
}

// Load returns the token kept for the client at the IdP, or "" when there
// is none.
func (s *Store) Load(issuer, clientID string) (string, error) {
	if !s.NoKeyring {
		switch tok, err := keyring.Get(service, key(issuer, clientID)); {
		case err == nil:
			return tok, nil
		case errors.Is(err, keyring.ErrNotFound):
			// It may have been kept in the file while the keyring was away.
		}
	}
	tokens, err := s.readFile()
	return tokens[key(issuer, clientID)], err
}

// Save keeps the token for the client at the IdP, replacing any other.
func (s *Store) Save(issuer, clientID, token string) error {
	if !s.NoKeyring && keyring.Set(service, key(issuer, clientID), token) == nil {
		return s.dropFromFile(issuer, clientID) // one copy only
	}
	if s.File == "" {
		return errors.New("no system keyring, and no state directory to keep the refresh token in (set XDG_STATE_HOME or HOME)")
	}
	tokens, err := s.readFile()
	if err != nil {
		return err
	}
	tokens[key(issuer, clientID)] = token
	return s.writeFile(tokens)
}

// Forget drops the token kept for the client at the IdP, wherever it is;
// it reports whether there was one.
func (s *Store) Forget(issuer, clientID string) (bool, error) {
	found := false
	if !s.NoKeyring {
		if err := keyring.Delete(service, key(issuer, clientID)); err == nil {
			found = true
		}
	}
	tokens, err := s.readFile()
	if err != nil {
		return found, err
	}
	if _, ok := tokens[key(issuer, clientID)]; ok {
		found = true
		return found, s.dropFromFile(issuer, clientID)
	}
	return found, nil
}

func (s *Store) dropFromFile(issuer, clientID string) error {
	tokens, err := s.readFile()
	if err != nil || len(tokens) == 0 {
		return err
	}
	if _, ok := tokens[key(issuer, clientID)]; !ok {
		return nil
	}
	delete(tokens, key(issuer, clientID))
	if len(tokens) == 0 {
		if err := os.Remove(s.File); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return err
		}
		return nil
	}
	return s.writeFile(tokens)
}

func (s *Store) readFile() (map[string]string, error) {
	tokens := map[string]string{}
	if s.File == "" {
		return tokens, nil
	}
	data, err := config.ReadFile(s.File, fileLimit)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return tokens, nil
	case err != nil:
		return tokens, err
	}
	if err := json.Unmarshal(data, &tokens); err != nil {
		// Never quote the file: it holds tokens.
		return map[string]string{}, fmt.Errorf("%s is not the JSON object xaa writes; delete it (xaa logout cannot read it either)", s.File)
	}
	return tokens, nil
}

func (s *Store) writeFile(tokens map[string]string) error {
	data, err := json.MarshalIndent(tokens, "", "  ")
	if err != nil {
		return err
	}
	return config.WritePrivateFile(s.File, append(data, '\n'))
}

// keyringWorks reports whether the system keyring answers at all.
func keyringWorks() bool {
	_, err := keyring.Get(service, "xaa keyring probe")
	return err == nil || errors.Is(err, keyring.ErrNotFound)
}
