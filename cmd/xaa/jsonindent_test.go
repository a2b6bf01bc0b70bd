package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"testing"
)

// TestIndentJSON: indentJSON writes what json.Indent writes (but for the
// trailing whitespace json.Indent keeps), for nested and empty containers,
// strings holding brackets, commas, colons, quotes and escapes, and input
// that is not compact.
func TestIndentJSON(t *testing.T) {
	inputs := []string{
		`{}`, `[]`, `""`, `1`, `null`,
		`{"a":1,"b":[1,2,{"c":[]}],"d":{},"e":{"f":{"g":null}}}`,
		`[[],[[]],{},[{}],[1,[2,[3]]]]`,
		`{"s":"{[,:]}","q":"a\"b\\\\","u":"\u003c\u2028é😀","e":"\\"}`,
		" { \"a\" :\t[ 1 , 2 ] ,\n\"b\" : { } , \"c\" : [ ] , \"d\":\r\n\"x y\" } ",
		`{"n":-1.5e+10,"t":true,"f":false}`,
	}
	for _, in := range inputs {
		var want bytes.Buffer
		if err := json.Indent(&want, []byte(in), "", "  "); err != nil {
			t.Fatalf("json.Indent(%q): %v", in, err)
		}
		var got bytes.Buffer
		w := bufio.NewWriter(&got)
		indentJSON(w, []byte(in), "  ")
		w.Flush()
		if got.String() != string(bytes.TrimRight(want.Bytes(), " \t\r\n")) {
			t.Errorf("indentJSON(%q):\n got %s\nwant %s", in, got.String(), want.String())
		}
	}
}

// FuzzIndentJSON: for any valid JSON, indentJSON agrees with json.Indent
// (which keeps trailing whitespace; indentJSON drops it).
func FuzzIndentJSON(f *testing.F) {
	for _, s := range []string{`{"a":[1,{"b":"}"}]}`, `[ ]`, `{"x":"\"\\"}`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		if !json.Valid([]byte(in)) {
			return
		}
		var want bytes.Buffer
		json.Indent(&want, []byte(in), "", "  ")
		var got bytes.Buffer
		w := bufio.NewWriter(&got)
		indentJSON(w, []byte(in), "  ")
		w.Flush()
		if got.String() != string(bytes.TrimRight(want.Bytes(), " \t\r\n")) {
			t.Errorf("indentJSON(%q) = %q, json.Indent = %q", in, got.String(), want.String())
		}
	})
}
