package inspect

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"slices"
	"time"
)

// Member is one name/value pair of a JSON object, with the value kept as raw
// JSON so that nothing is lost or reformatted.
type Member struct {
	Name string
	Raw  json.RawMessage
}

// Object is a JSON object with its members in their original order. A JOSE
// header or a claims set is shown to users exactly as it was written, so the
// order matters and a map will not do.
type Object []Member

// errNotObject is returned by parseObject for valid JSON that is not an object.
var errNotObject = errors.New("not a JSON object")

// parseObject parses b, which must be a JSON object, keeping member order.
func parseObject(b []byte) (Object, error) {
	if !json.Valid(b) {
		return nil, jsonSyntaxError(b)
	}
	s := scanner{b: b}
	s.skipSpace()
	if s.i >= len(b) || b[s.i] != '{' {
		return nil, errNotObject
	}
	s.i++
	var obj Object
	for {
		s.skipSpace()
		if b[s.i] == '}' {
			return obj, nil
		}
		if b[s.i] == ',' {
			s.i++
			s.skipSpace()
		}
		keyStart := s.i
		s.skipString()
		name, err := unquote(b[keyStart:s.i])
		if err != nil {
			return nil, err
		}
		s.skipSpace()
		s.i++ // ':'
		s.skipSpace()
		valStart := s.i
		s.skipValue()
		obj = append(obj, Member{Name: name, Raw: json.RawMessage(b[valStart:s.i])})
	}
}

// jsonSyntaxError describes where invalid JSON breaks, in words a user can
// act on ("ends early at byte 180" usually means a truncated token).
func jsonSyntaxError(b []byte) error {
	var v any
	err := json.Unmarshal(b, &v)
	var se *json.SyntaxError
	switch {
	case errors.As(err, &se) && se.Offset >= int64(len(bytes.TrimRight(b, " \t\r\n"))):
		return fmt.Errorf("JSON ends early at byte %d (truncated?)", se.Offset)
	case errors.As(err, &se):
		return fmt.Errorf("%v at byte %d", se, se.Offset)
	case err != nil:
		return err
	}
	return errors.New("invalid JSON")
}

func unquote(raw []byte) (string, error) {
	if bytes.IndexByte(raw, '\\') < 0 {
		return string(raw[1 : len(raw)-1]), nil
	}
	var s string
	err := json.Unmarshal(raw, &s)
	return s, err
}

// scanner walks JSON that json.Valid has already accepted, so it only needs
// to find boundaries, never to report errors.
type scanner struct {
	b []byte
	i int
}

func (s *scanner) skipSpace() {
	for s.i < len(s.b) {
		switch s.b[s.i] {
		case ' ', '\t', '\r', '\n':
			s.i++
		default:
			return
		}
	}
}

// skipString moves past the string starting at s.i (which is a quote).
func (s *scanner) skipString() {
	s.i++
	for s.i < len(s.b) {
		switch s.b[s.i] {
		case '\\':
			s.i += 2
		case '"':
			s.i++
			return
		default:
			s.i++
		}
	}
}

// skipValue moves past the value starting at s.i.
func (s *scanner) skipValue() {
	switch s.b[s.i] {
	case '"':
		s.skipString()
	case '{', '[':
		depth := 0
		for s.i < len(s.b) {
			switch s.b[s.i] {
			case '"':
				s.skipString()
				continue
			case '{', '[':
				depth++
			case '}', ']':
				depth--
				if depth == 0 {
					s.i++
					return
				}
			}
			s.i++
		}
	default: // number, true, false, null
		for s.i < len(s.b) {
			switch s.b[s.i] {
			case ',', '}', ']', ' ', '\t', '\r', '\n':
				return
			}
			s.i++
		}
	}
}

// Has reports whether the object has a member called name.
func (o Object) Has(name string) bool {
	_, ok := o.Raw(name)
	return ok
}

// Raw returns the raw JSON of the member called name. When a name appears
// more than once the last one wins, as it does for encoding/json and go-jose;
// Duplicates reports such names.
func (o Object) Raw(name string) (json.RawMessage, bool) {
	for i := len(o) - 1; i >= 0; i-- {
		if o[i].Name == name {
			return o[i].Raw, true
		}
	}
	return nil, false
}

// Value returns the decoded value of a member (string, float64, bool, nil,
// []any or map[string]any), or nil when it is absent.
func (o Object) Value(name string) any {
	raw, ok := o.Raw(name)
	if !ok {
		return nil
	}
	var v any
	if json.Unmarshal(raw, &v) != nil {
		return nil
	}
	return v
}

// String returns a member's value when it is a JSON string.
func (o Object) String(name string) (string, bool) {
	raw, ok := o.Raw(name)
	if !ok || len(raw) == 0 || raw[0] != '"' {
		return "", false
	}
	s, err := unquote(raw)
	return s, err == nil
}

// Strings returns a member that is a string or an array of strings (the two
// forms of "aud" in RFC 7519 §4.1.3). isArray tells which form was used.
func (o Object) Strings(name string) (values []string, isArray, ok bool) {
	raw, present := o.Raw(name)
	if !present || len(raw) == 0 {
		return nil, false, false
	}
	switch raw[0] {
	case '"':
		s, err := unquote(raw)
		return []string{s}, false, err == nil
	case '[':
		if json.Unmarshal(raw, &values) != nil {
			return nil, true, false
		}
		return values, true, true
	}
	return nil, false, false
}

// Time returns a member holding an RFC 7519 NumericDate (seconds since the
// epoch, possibly fractional).
func (o Object) Time(name string) (time.Time, bool) {
	raw, ok := o.Raw(name)
	if !ok || len(raw) == 0 || (raw[0] != '-' && (raw[0] < '0' || raw[0] > '9')) {
		return time.Time{}, false
	}
	var f float64
	if json.Unmarshal(raw, &f) != nil || math.IsInf(f, 0) || math.Abs(f) > 1e11 {
		return time.Time{}, false
	}
	sec, frac := math.Modf(f)
	return time.Unix(int64(sec), int64(frac*1e9)).UTC(), true
}

// Duplicates lists member names that appear more than once. Parsers disagree
// on which copy wins, which makes duplicate claims a classic way to smuggle a
// value past one validator and into another (RFC 8725 §2.6).
func (o Object) Duplicates() []string {
	var dups []string
	for i, m := range o {
		for j := 0; j < i; j++ {
			if o[j].Name == m.Name {
				if !slices.Contains(dups, m.Name) {
					dups = append(dups, m.Name)
				}
				break
			}
		}
	}
	return dups
}

// MarshalJSON writes the object with its members in their original order.
func (o Object) MarshalJSON() ([]byte, error) {
	return o.appendJSON(make([]byte, 0, o.jsonSize())), nil
}

// jsonSize is about the length of the object's JSON, to size buffers once:
// a claim can be a megabyte.
func (o Object) jsonSize() int {
	n := 2
	for _, m := range o {
		n += len(m.Name) + len(m.Raw) + 8
	}
	return n
}

// appendJSON appends the object's JSON to b, escaping <, > and & and the
// line and paragraph separators in the values as encoding/json does, so
// that its compaction of a Marshaler's output finds nothing to change.
func (o Object) appendJSON(b []byte) []byte {
	if o == nil {
		return append(b, "{}"...)
	}
	b = append(b, '{')
	for i, m := range o {
		if i > 0 {
			b = append(b, ',')
		}
		name, _ := json.Marshal(m.Name)
		b = append(b, name...)
		b = append(b, ':')
		b = appendHTMLEscaped(b, m.Raw)
	}
	return append(b, '}')
}

// appendHTMLEscaped appends raw JSON with the characters encoding/json
// escapes for HTML (and U+2028, U+2029 for JavaScript) written as \u
// escapes. They can only occur inside strings, where the escape means the
// same character.
func appendHTMLEscaped(b, raw []byte) []byte {
	const hex = "0123456789abcdef"
	start := 0
	for i := 0; i < len(raw); i++ {
		c := raw[i]
		switch {
		case c == '<' || c == '>' || c == '&':
			b = append(b, raw[start:i]...)
			b = append(b, '\\', 'u', '0', '0', hex[c>>4], hex[c&0xf])
			start = i + 1
		case c == 0xe2 && i+2 < len(raw) && raw[i+1] == 0x80 && raw[i+2]&^1 == 0xa8:
			b = append(b, raw[start:i]...)
			b = append(b, '\\', 'u', '2', '0', '2', hex[raw[i+2]&0xf])
			i += 2
			start = i + 1
		}
	}
	return append(b, raw[start:]...)
}
