package main

import (
	"fmt"

	"github.com/xaatools/xaa/tui/report"
)

// writeEvidence puts a section into the evidence document at path and
// says so.
func writeEvidence(path, name, section string, io stdio) error {
	if err := report.UpdateEvidenceFile(path, name, section); err != nil {
		return fmt.Errorf("--evidence: %w", err)
	}
	fmt.Fprintf(io.err, "xaa: wrote the %s evidence to %s\n", name, path)
	return nil
}
