package main

import (
	"errors"
	"fmt"
	"io/fs"

	"github.com/xaatools/xaa/flow"
	"github.com/xaatools/xaa/flow/config"
	"github.com/xaatools/xaa/tui/report"
)

// evidenceLimit bounds an existing evidence document read back.
const evidenceLimit = 16 << 20

// writeEvidence puts a section into the evidence document at path (see
// report.Evidence): created, or updated keeping its other sections.
func writeEvidence(path, name, section string, io stdio) error {
	existing, err := config.ReadFile(path, evidenceLimit)
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("--evidence: %w", err)
	}
	doc, err := report.Evidence(existing, name, section, flow.Version())
	if err != nil {
		return fmt.Errorf("--evidence: %s %w", path, err)
	}
	if err := config.WritePrivateFile(path, doc); err != nil {
		return fmt.Errorf("--evidence: %w", err)
	}
	fmt.Fprintf(io.err, "xaa: wrote the %s evidence to %s\n", name, path)
	return nil
}
