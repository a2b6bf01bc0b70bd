package tokenstore_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/zalando/go-keyring"

	"github.com/xaatools/xaa/flow/tokenstore"
)

const (
	issuer   = "https://idp.example.com"
	clientID = "agent"
	token    = "rt_0123456789abcdef"
)

func TestFileStore(t *testing.T) {
	dir := t.TempDir()
	s := &tokenstore.Store{File: filepath.Join(dir, "state", "refresh-tokens.json"), NoKeyring: true}
	if got, err := s.Load(issuer, clientID); got != "" || err != nil {
		t.Fatalf("Load before any Save = %q, %v; want nothing", got, err)
	}
	if err := s.Save(issuer, clientID, token); err != nil {
		t.Fatal(err)
	}
	if err := s.Save(issuer, "other-client", "rt_other"); err != nil {
		t.Fatal(err)
	}
	fi, err := os.Stat(s.File)
	if err != nil {
		t.Fatal(err)
	}
	if perm := fi.Mode().Perm(); perm != 0o600 {
		t.Errorf("the token file is %v, want 0600", perm)
	}
	if got, _ := s.Load(issuer, clientID); got != token {
		t.Errorf("Load = %q, want %q", got, token)
	}
	if got, _ := s.Load("https://other-idp.example.com", clientID); got != "" {
		t.Errorf("another IdP's token = %q, want none: a refresh token belongs to one IdP and client", got)
	}
	if found, err := s.Forget(issuer, clientID); !found || err != nil {
		t.Errorf("Forget = %t, %v; want it found", found, err)
	}
	if got, _ := s.Load(issuer, clientID); got != "" {
		t.Errorf("Load after Forget = %q, want nothing", got)
	}
	if got, _ := s.Load(issuer, "other-client"); got != "rt_other" {
		t.Errorf("Forget dropped another client's token: %q", got)
	}
	if found, _ := s.Forget(issuer, clientID); found {
		t.Error("Forget found a token twice")
	}
	s.Forget(issuer, "other-client")
	if _, err := os.Stat(s.File); !os.IsNotExist(err) {
		t.Errorf("the file outlives its last token: %v", err)
	}
}

func TestBrokenFileIsNotQuoted(t *testing.T) {
	dir := t.TempDir()
	s := &tokenstore.Store{File: filepath.Join(dir, "refresh-tokens.json"), NoKeyring: true}
	if err := os.WriteFile(s.File, []byte(`{"agent at x": "rt_secret_value"`), 0o600); err != nil {
		t.Fatal(err)
	}
	_, err := s.Load(issuer, clientID)
	if err == nil || strings.Contains(err.Error(), "rt_secret_value") || !strings.Contains(err.Error(), s.File) {
		t.Errorf("Load of a broken file: %v; want an error naming the file and quoting none of it", err)
	}
}

// TestKeyringFirst uses go-keyring's in-memory provider: with a keyring
// the token goes there, and no file is written.
func TestKeyringFirst(t *testing.T) {
	keyring.MockInit()
	dir := t.TempDir()
	s := &tokenstore.Store{File: filepath.Join(dir, "refresh-tokens.json")}
	if err := s.Save(issuer, clientID, token); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(s.File); !os.IsNotExist(err) {
		t.Errorf("with a keyring, a file was written too: %v", err)
	}
	if got, _ := s.Load(issuer, clientID); got != token {
		t.Errorf("Load = %q, want %q", got, token)
	}
	if !strings.Contains(s.Where(), "keyring") {
		t.Errorf("Where = %q, want the keyring", s.Where())
	}
	if found, _ := s.Forget(issuer, clientID); !found {
		t.Error("Forget did not find the keyring's token")
	}
	if got, _ := s.Load(issuer, clientID); got != "" {
		t.Errorf("Load after Forget = %q", got)
	}
}
