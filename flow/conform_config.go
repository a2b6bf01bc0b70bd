package flow

import (
	"errors"
	"strings"
)

// ValidateConform checks the parts of the config a conformance run uses:
// resource_as (the AS under test, its client and how it authenticates) and
// resource. The idp section is not used — the embedded IdP takes its place —
// so its problems are left out.
func (c *Config) ValidateConform() error {
	err := c.Validate()
	var ce *ConfigError
	if !errors.As(err, &ce) {
		return err
	}
	kept := &ConfigError{Source: ce.Source}
	for _, p := range ce.Problems {
		if !strings.HasPrefix(p.Key, "idp.") {
			kept.Problems = append(kept.Problems, p)
		}
	}
	if len(kept.Problems) == 0 {
		return nil
	}
	return kept
}
