package inspect

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"slices"
	"strings"
)

// MaxInputBytes is the largest input Decode accepts. Real tokens are a few
// kilobytes; anything bigger is a mistaken paste or a hostile one.
const MaxInputBytes = 1 << 20

// Format is the serialization of a token.
type Format int

// The formats Decode recognises.
const (
	FormatOpaque Format = iota // not a JWT: a reference token, a refresh token
	FormatJWS                  // compact JWS, RFC 7515 §7.1 (three segments)
	FormatJWE                  // compact JWE, RFC 7516 §7.1 (five segments)
	FormatBroken               // dotted like a JWT, but with the wrong number of segments
)

// String names the format.
func (f Format) String() string {
	switch f {
	case FormatJWS:
		return "JWS"
	case FormatJWE:
		return "JWE"
	case FormatBroken:
		return "malformed JWT"
	default:
		return "opaque"
	}
}

// Problem says exactly where and why decoding broke.
type Problem struct {
	// Segment is the 1-based dot-separated segment the problem is in, or 0
	// when it concerns the whole token.
	Segment int `json:"segment,omitempty"`
	// Message is a complete sentence naming the problem.
	Message string `json:"message"`
	// Status is StatusWarn when the token was decoded anyway (padding,
	// standard base64) and StatusFail when decoding stopped or the token
	// cannot be valid.
	Status Status `json:"status"`
}

// String returns the message.
func (p Problem) String() string { return p.Message }

// Token is one decoded token. Decoding never fails because a signature is
// bad; it fails only when the input is not a token at all.
type Token struct {
	// Name is the field the token came from when a token response or form
	// body was pasted ("access_token", "id_token", "assertion"), else "".
	Name string
	// Raw is the compact serialization, cleaned of quotes, prefixes and
	// whitespace. It is a credential: show it shortened unless revealed.
	Raw string
	// Format is how the token is serialized.
	Format Format
	// Segments are the dot-separated parts of Raw.
	Segments []string
	// Header and Claims keep the members in their original order. For a
	// JWE, Header is the protected header and Claims is empty.
	Header Object
	Claims Object
	// Signature is the decoded third segment of a JWS.
	Signature []byte
	// Kind is what the token is, and KindReason why Decode thinks so.
	Kind       Kind
	KindReason string
	// Problems list every place decoding broke, in order.
	Problems []Problem
	// Notes say what was cleaned off the input ("removed a leading 'Bearer '").
	Notes []string
	// Envelope holds the other members of the JSON token response or form
	// body the token came in (token_type, issued_token_type, expires_in …).
	Envelope Object
}

// Typ returns the JOSE "typ" header, or "" when absent.
func (t *Token) Typ() string { s, _ := t.Header.String("typ"); return s }

// Alg returns the JOSE "alg" header, or "" when absent.
func (t *Token) Alg() string { s, _ := t.Header.String("alg"); return s }

// KID returns the JOSE "kid" header, or "" when absent.
func (t *Token) KID() string { s, _ := t.Header.String("kid"); return s }

// InputError is returned when the input is not a token at all (or too big
// to be one). Its message names the problem and what to paste instead.
type InputError struct {
	Reason string
	Err    error // ErrTooLarge, or nil
}

func (e *InputError) Error() string { return e.Reason }

// Unwrap returns the sentinel behind the error, if any.
func (e *InputError) Unwrap() error { return e.Err }

// ErrTooLarge is wrapped by the InputError for input over MaxInputBytes.
var ErrTooLarge = errors.New("input too large")

// ErrKeySet is wrapped by the InputError for a key set given where a
// token belongs: the caller says where keys go instead.
var ErrKeySet = errors.New("a key set, not a token")

// tokenFields are the members of JSON responses and form bodies that carry
// tokens, in the order they are reported.
var tokenFields = []string{
	"id_token", "access_token", "refresh_token", "assertion", "subject_token",
	"actor_token", "client_assertion", "token", "id_jag",
}

// Decode decodes the first token found in input. Use DecodeAll for a pasted
// token response that carries several.
func Decode(input string) (*Token, error) {
	toks, err := DecodeAll(input)
	if err != nil {
		return nil, err
	}
	return toks[0], nil
}

// DecodeAll decodes every token in what a user pasted: a bare token, a token
// with surrounding whitespace, line breaks, quotes, or a leading "Bearer " /
// "Authorization: Bearer ", a JSON token response, or a form-encoded request
// body. It returns an *InputError when nothing in the input can be a token.
func DecodeAll(input string) ([]*Token, error) {
	if len(input) > MaxInputBytes {
		return nil, &InputError{Err: ErrTooLarge, Reason: fmt.Sprintf(
			"input is %s; xaa reads at most 1 MiB — paste just the token or the token response",
			byteSize(len(input)))}
	}
	s, notes := clean(input)
	if s == "" {
		return nil, &InputError{Reason: "input is empty: paste a token (eyJ…), a token response or a request body"}
	}
	if s[0] == '{' {
		return decodeEnvelope(s, notes)
	}
	if looksLikeForm(s) {
		if toks := decodeForm(s, notes); toks != nil {
			return toks, nil
		}
	}
	t, err := decodeCompact(s)
	if err != nil {
		return nil, err
	}
	t.Notes = notes
	return []*Token{t}, nil
}

// clean strips what surrounds a token in logs, headers and shells.
func clean(s string) (string, []string) {
	var notes []string
	s = strings.TrimSpace(s)
	for _, prefix := range []string{"Authorization:", "authorization:"} {
		if rest, ok := strings.CutPrefix(s, prefix); ok {
			s = strings.TrimSpace(rest)
			notes = append(notes, "removed a leading 'Authorization:'")
		}
	}
	if len(s) >= 2 {
		if q := s[0]; (q == '"' || q == '\'' || q == '`') && s[len(s)-1] == q {
			s = strings.TrimSpace(s[1 : len(s)-1])
			notes = append(notes, "removed surrounding quotes")
		}
	}
	for _, scheme := range []string{"Bearer", "DPoP"} {
		if len(s) > len(scheme) && strings.EqualFold(s[:len(scheme)], scheme) && (s[len(scheme)] == ' ' || s[len(scheme)] == '\t') {
			s = strings.TrimSpace(s[len(scheme):])
			notes = append(notes, fmt.Sprintf("removed a leading '%s '", scheme))
		}
	}
	// Only a JWT is worth re-joining: a log line or terminal may wrap it.
	// Words separated by spaces are prose, not an opaque token.
	if s != "" && s[0] != '{' && strings.Contains(s, ".") && strings.ContainsAny(s, " \t\r\n") {
		s = strings.Join(strings.Fields(s), "")
		notes = append(notes, "removed whitespace and line breaks inside the token")
	}
	return s, notes
}

// decodeEnvelope picks the token fields out of a JSON token response.
func decodeEnvelope(s string, notes []string) ([]*Token, error) {
	obj, err := parseObject([]byte(s))
	if err != nil {
		return nil, &InputError{Reason: fmt.Sprintf("input starts with '{' but is not a JSON object: %v", err)}
	}
	var toks []*Token
	var rest Object
	for _, m := range obj {
		if !isTokenField(m.Name) {
			rest = append(rest, m)
		}
	}
	for _, name := range tokenFields {
		v, ok := obj.String(name)
		if !ok || strings.TrimSpace(v) == "" {
			continue
		}
		t, err := decodeCompact(strings.Join(strings.Fields(v), ""))
		if err != nil {
			return nil, &InputError{Reason: fmt.Sprintf("field %q: %v", name, err)}
		}
		t.Name = name
		t.Envelope = rest
		t.Notes = append(append([]string(nil), notes...), fmt.Sprintf("taken from the %q field of a JSON object", name))
		classify(t)
		toks = append(toks, t)
	}
	if len(toks) == 0 {
		if obj.Has("error") {
			desc, _ := obj.String("error_description")
			code, _ := obj.String("error")
			return nil, &InputError{Reason: fmt.Sprintf("this is an OAuth error response (error=%q %s), not a token — xaa run explains such errors", code, desc)}
		}
		if obj.Has("keys") {
			return nil, &InputError{Reason: "this is a JWKS (a set of public keys), not a token", Err: ErrKeySet}
		}
		return nil, &InputError{Reason: "a JSON object with no token field: looked for " + strings.Join(tokenFields, ", ")}
	}
	return toks, nil
}

// looksLikeForm reports whether s is a form body carrying a token field.
func looksLikeForm(s string) bool {
	for _, kv := range strings.Split(s, "&") {
		name, _, ok := strings.Cut(kv, "=")
		if ok && isTokenField(name) {
			return true
		}
	}
	return false
}

// decodeForm picks the token fields out of an application/x-www-form-urlencoded body.
func decodeForm(s string, notes []string) []*Token {
	vals, err := url.ParseQuery(s)
	if err != nil {
		return nil
	}
	var rest Object
	for _, kv := range strings.Split(s, "&") {
		k, v, _ := strings.Cut(kv, "=")
		k, _ = url.QueryUnescape(k)
		v, _ = url.QueryUnescape(v)
		if k == "" || isTokenField(k) || isSecretField(k) {
			continue
		}
		raw, _ := json.Marshal(v)
		rest = append(rest, Member{Name: k, Raw: raw})
	}
	var toks []*Token
	for _, name := range tokenFields {
		v := strings.TrimSpace(vals.Get(name))
		if v == "" {
			continue
		}
		t, err := decodeCompact(v)
		if err != nil {
			continue
		}
		t.Name = name
		t.Envelope = rest
		t.Notes = append(append([]string(nil), notes...), fmt.Sprintf("taken from the %q parameter of a form body", name))
		classify(t)
		toks = append(toks, t)
	}
	return toks
}

func isTokenField(name string) bool { return slices.Contains(tokenFields, name) }

// isSecretField names form parameters that are never copied into a Token.
func isSecretField(name string) bool {
	switch name {
	case "client_secret", "password", "code_verifier", "code":
		return true
	}
	return false
}

// decodeCompact decodes one cleaned token string.
func decodeCompact(s string) (*Token, error) {
	t := &Token{Raw: s}
	if !strings.Contains(s, ".") {
		if i := strings.IndexFunc(s, func(r rune) bool { return !isTokenChar(r) }); i >= 0 {
			return nil, &InputError{Reason: fmt.Sprintf(
				"not a token: %q at offset %d cannot appear in one (a JWT is three base64url segments separated by dots, eyJ…)", rune(s[i]), i)}
		}
		if len(s) < 8 {
			return nil, &InputError{Reason: fmt.Sprintf("not a token: %q is too short to be one", s)}
		}
		t.Format = FormatOpaque
		t.Segments = []string{s}
		classify(t)
		return t, nil
	}
	t.Segments = strings.Split(s, ".")
	switch len(t.Segments) {
	case 3:
		t.Format = FormatJWS
	case 5:
		t.Format = FormatJWE
	default:
		t.Format = FormatBroken
		t.problem(0, "token has %d dot-separated segments; a signed JWT (JWS) has 3 and an encrypted one (JWE) has 5", len(t.Segments))
	}
	header, ok := t.decodeSegment(1, "header")
	if ok {
		t.Header = t.parseJSON(1, "header", header)
	}
	if t.Format == FormatJWE {
		classify(t)
		return t, nil
	}
	if len(t.Segments) >= 2 {
		if claims, ok := t.decodeSegment(2, "claims"); ok {
			t.Claims = t.parseJSON(2, "claims", claims)
		}
	}
	if len(t.Segments) >= 3 {
		if sig, ok := t.decodeSegment(3, "signature"); ok {
			t.Signature = sig
			t.checkSignatureLength()
		}
	}
	if t.Header == nil && t.Claims == nil {
		return nil, &InputError{Reason: "not a token: " + t.Problems[0].Message}
	}
	classify(t)
	return t, nil
}

func (t *Token) problem(segment int, format string, args ...any) {
	t.Problems = append(t.Problems, Problem{Segment: segment, Message: fmt.Sprintf(format, args...), Status: StatusFail})
}

// lenient records a problem that decoding worked around.
func (t *Token) lenient(segment int, format string, args ...any) {
	t.Problems = append(t.Problems, Problem{Segment: segment, Message: fmt.Sprintf(format, args...), Status: StatusWarn})
}

// decodeSegment base64url-decodes segment n (1-based), recording exactly
// where it breaks.
func (t *Token) decodeSegment(n int, what string) ([]byte, bool) {
	seg := t.Segments[n-1]
	if seg == "" {
		if what == "signature" {
			if alg := t.Alg(); alg != "" && alg != "none" {
				t.problem(n, "signature segment is empty although alg is %s — the signature was stripped", alg)
			}
			return nil, true
		}
		t.problem(n, "segment %d (%s) is empty", n, what)
		return nil, false
	}
	trimmed := strings.TrimRight(seg, "=")
	if len(trimmed) != len(seg) {
		t.lenient(n, "segment %d (%s) ends with '=' padding; base64url in JWTs has none (RFC 7515 §2) — decoded anyway", n, what)
	}
	std := false
	for i := 0; i < len(trimmed); i++ {
		c := trimmed[i]
		switch {
		case c >= 'A' && c <= 'Z', c >= 'a' && c <= 'z', c >= '0' && c <= '9', c == '-', c == '_':
		case c == '+' || c == '/':
			if !std {
				t.lenient(n, "segment %d (%s) uses %q at offset %d: that is standard base64, not base64url (RFC 7515 §2) — decoded anyway", n, what, c, i)
			}
			std = true
		default:
			t.problem(n, "segment %d (%s) is not base64url: %q at offset %d", n, what, rune(c), i)
			return nil, false
		}
	}
	if len(trimmed)%4 == 1 {
		t.problem(n, "segment %d (%s) is %d characters, a length no base64url encoding produces — a character is missing or extra (truncated?)", n, what, len(trimmed))
		return nil, false
	}
	if std {
		trimmed = strings.NewReplacer("+", "-", "/", "_").Replace(trimmed)
	}
	b, err := base64.RawURLEncoding.DecodeString(trimmed)
	if err != nil { // unreachable after the checks above, kept as a guard
		t.problem(n, "segment %d (%s) is not base64url: %v", n, what, err)
		return nil, false
	}
	return b, true
}

// parseJSON parses a decoded header or claims segment.
func (t *Token) parseJSON(n int, what string, b []byte) Object {
	obj, err := parseObject(b)
	switch {
	case errors.Is(err, errNotObject):
		t.problem(n, "segment %d (%s) is JSON but not an object: %s", n, what, preview(b))
		return nil
	case err != nil:
		t.problem(n, "segment %d (%s) is not valid JSON: %v", n, what, err)
		return nil
	}
	if dups := obj.Duplicates(); len(dups) > 0 {
		t.problem(n, "%s has duplicate members %s; parsers disagree on which copy wins (RFC 8725 §2.6)", what, strings.Join(dups, ", "))
	}
	return obj
}

// signatureLengths are the encoded lengths of valid signatures per alg.
var signatureLengths = map[string][]int{
	"ES256": {64}, "ES384": {96}, "ES512": {132}, "EdDSA": {64},
	"HS256": {32}, "HS384": {48}, "HS512": {64},
}

// checkSignatureLength flags signatures that cannot be valid for the alg,
// which almost always means a token cut short in a log line.
func (t *Token) checkSignatureLength() {
	alg, n := t.Alg(), len(t.Signature)
	if n == 0 {
		return
	}
	encoded := func(bytes int) int { return base64.RawURLEncoding.EncodedLen(bytes) }
	if want, ok := signatureLengths[alg]; ok && !slices.Contains(want, n) {
		t.problem(3, "signature is %d characters, an %s signature is %d — truncated?", encoded(n), alg, encoded(want[0]))
		return
	}
	if strings.HasPrefix(alg, "RS") || strings.HasPrefix(alg, "PS") {
		switch n {
		case 256, 384, 512: // 2048-, 3072- and 4096-bit keys
		default:
			if n < 256 {
				t.problem(3, "signature is %d characters, an %s signature over a 2048-bit key is %d — truncated?", encoded(n), alg, encoded(256))
			}
		}
	}
}

// isTokenChar reports the characters of an RFC 6750 b64token.
func isTokenChar(r rune) bool {
	return r >= 'A' && r <= 'Z' || r >= 'a' && r <= 'z' || r >= '0' && r <= '9' ||
		strings.ContainsRune("-._~+/=", r)
}

func preview(b []byte) string {
	b = bytes.TrimSpace(b)
	if len(b) > 40 {
		return string(b[:40]) + "…"
	}
	return string(b)
}

func byteSize(n int) string {
	switch {
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MiB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%.1f KiB", float64(n)/(1<<10))
	}
	return fmt.Sprintf("%d bytes", n)
}

// ShortenToken shortens a token (or any credential) for display: enough of
// each end to tell tokens apart, never enough to use one.
// "eyJhbGciOiJS…Xk9w (1024 chars)".
func ShortenToken(raw string) string {
	const head, tail = 12, 4
	if len(raw) <= 2*(head+tail) {
		if len(raw) <= 8 {
			return strings.Repeat("•", len(raw))
		}
		return raw[:4] + "…" + fmt.Sprintf(" (%d chars)", len(raw))
	}
	return raw[:head] + "…" + raw[len(raw)-tail:] + fmt.Sprintf(" (%d chars)", len(raw))
}
