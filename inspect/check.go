package inspect

import (
	"encoding/json"
	"fmt"
)

// Status is the outcome of one check — of a token rule, a step, a doctor
// finding or a conformance case: one vocabulary everywhere xaa judges.
type Status int

// Outcomes, from best to worst. Skip means the comparison was not made: a
// value to compare against was not given (the check names the flag or key
// that would give it), or an input the check needs is missing. Unknown
// means the check was attempted and could not be decided: a server did not
// answer, answered garbage, or no usable keys could be found.
const (
	StatusPass Status = iota
	StatusSkip
	StatusUnknown
	StatusWarn
	StatusFail
)

// String returns the identifier used in JSON: pass, skipped, unknown,
// warn, fail.
func (s Status) String() string {
	switch s {
	case StatusPass:
		return "pass"
	case StatusUnknown:
		return "unknown"
	case StatusWarn:
		return "warn"
	case StatusFail:
		return "fail"
	default:
		return "skipped"
	}
}

// MarshalText encodes the status as its identifier.
func (s Status) MarshalText() ([]byte, error) { return []byte(s.String()), nil }

// UnmarshalText decodes an identifier written by MarshalText ("skip", the
// identifier of earlier versions, is read as skipped).
func (s *Status) UnmarshalText(b []byte) error {
	if string(b) == "skip" {
		*s = StatusSkip
		return nil
	}
	for _, v := range []Status{StatusPass, StatusSkip, StatusUnknown, StatusWarn, StatusFail} {
		if v.String() == string(b) {
			*s = v
			return nil
		}
	}
	return fmt.Errorf("unknown check status %q", b)
}

// Check is one rule applied to one token (or one pair of tokens), with the
// values it compared, so a reader sees why it passed or failed.
type Check struct {
	// ID is stable and machine-readable ("id_jag.aud"); the playground's
	// faults and the conformance cases refer to checks by ID.
	ID     string `json:"id"`
	Status Status `json:"status"`
	// Title says what the rule is, in a few words.
	Title string `json:"title"`
	// Expected and Actual are the values compared, as shown to the user.
	Expected string `json:"expected,omitempty"`
	Actual   string `json:"actual,omitempty"`
	// Spec cites the section that makes this a rule.
	Spec string `json:"spec,omitempty"`
	// Hint says what is wrong and how to fix it when the check did not pass.
	Hint string `json:"hint,omitempty"`
	// Needs names the expectation (an Expect field: issuer, audience,
	// client_id, nonce, resource, scope) that was not given, when the check
	// was skipped for want of it: a caller names its own flag or field.
	Needs string `json:"needs,omitempty"`
}

// NotCompared is the Expected of a check that had nothing to compare with.
const NotCompared = "(not compared)"

// Report is the list of checks run on a token or a flow, in order.
type Report []Check

// Worst returns the worst status in the report, ignoring skips; an empty
// report passes.
func (r Report) Worst() Status {
	worst := StatusPass
	for _, c := range r {
		if c.Status != StatusSkip && c.Status > worst {
			worst = c.Status
		}
	}
	return worst
}

// Failed reports whether any check failed.
func (r Report) Failed() bool { return r.Worst() == StatusFail }

// FirstFailure returns the first failed check.
func (r Report) FirstFailure() (Check, bool) {
	for _, c := range r {
		if c.Status == StatusFail {
			return c, true
		}
	}
	return Check{}, false
}

// Find returns the check with the given ID.
func (r Report) Find(id string) (Check, bool) {
	for _, c := range r {
		if c.ID == id {
			return c, true
		}
	}
	return Check{}, false
}

// Count returns how many checks have the given status.
func (r Report) Count(s Status) int {
	n := 0
	for _, c := range r {
		if c.Status == s {
			n++
		}
	}
	return n
}

// MarshalJSON encodes an empty report as [] rather than null.
func (r Report) MarshalJSON() ([]byte, error) {
	if r == nil {
		return []byte("[]"), nil
	}
	return json.Marshal([]Check(r))
}
