package config_test

import (
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/xaatools/xaa/flow/config"
)

// TestConformSection: the conform section parses without warnings, its
// secrets are scrubbed and refused by --set, never printed, and written
// back in full.
func TestConformSection(t *testing.T) {
	src := `idp:
  issuer: https://idp.example
  client_id: app
  client_secret: s1
conform:
  other_client_id: other-app
  other_client_secret: other-s3cret
  unassigned_user: bob
  expired_id_token: eyJ.expired.tok
`
	c, err := config.Parse([]byte(src), "test")
	if err != nil {
		t.Fatal(err)
	}
	for _, w := range c.Warnings() {
		if strings.HasPrefix(w.Key, "conform") {
			t.Errorf("warning for a conform key: %s", w)
		}
	}
	other := c.Conform.OtherClient(c.IdP.ClientConfig)
	if other.ClientID != "other-app" || other.ClientSecret.Reveal() != "other-s3cret" || other.Issuer != "https://idp.example" {
		t.Errorf("OtherClient = %+v", other)
	}
	if c.Conform.UnassignedUser != "bob" {
		t.Errorf("unassigned_user = %q", c.Conform.UnassignedUser)
	}
	for _, secret := range []string{"other-s3cret", "eyJ.expired.tok"} {
		if !slices.Contains(c.Secrets(), secret) {
			t.Errorf("Secrets() lacks %q", secret)
		}
		if strings.Contains(fmt.Sprintf("%v %+v", c, c.Conform), secret) {
			t.Errorf("%q is printed", secret)
		}
	}
	for _, key := range []string{"conform.other_client_secret", "conform.expired_id_token"} {
		if err := c.Set(key, "x"); err == nil || !strings.Contains(err.Error(), "is a secret") {
			t.Errorf("Set(%s) = %v, want a refusal", key, err)
		}
	}
	if err := c.Set("conform.unassigned_user", "carol"); err != nil || c.Conform.UnassignedUser != "carol" {
		t.Errorf("Set(conform.unassigned_user) = %v, %q", err, c.Conform.UnassignedUser)
	}
	path := filepath.Join(t.TempDir(), "c.yaml")
	if err := config.Write(path, c, config.WriteOptions{}); err != nil {
		t.Fatal(err)
	}
	back, err := config.Load(path, nil)
	if err != nil {
		t.Fatal(err)
	}
	if back.Conform.OtherClientSecret.Reveal() != "other-s3cret" || back.Conform.ExpiredIDToken.Reveal() != "eyJ.expired.tok" {
		t.Errorf("written back: %q %q", back.Conform.OtherClientSecret.Reveal(), back.Conform.ExpiredIDToken.Reveal())
	}
}
