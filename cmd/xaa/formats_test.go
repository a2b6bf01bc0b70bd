package main

import (
	"encoding/json"
	"os"
	"reflect"
	"strings"
	"testing"

	"github.com/xaatools/xaa/flow/config"
	"github.com/xaatools/xaa/flow/conform"
	"github.com/xaatools/xaa/flow/doctor"
	"github.com/xaatools/xaa/flow/export"
	"github.com/xaatools/xaa/inspect"
)

// TestFormatsDocumented keeps docs/formats.md in step with the code: every
// config key and every member of the JSON outputs is named there.
func TestFormatsDocumented(t *testing.T) {
	data, err := os.ReadFile("../../docs/formats.md")
	if err != nil {
		t.Fatal(err)
	}
	doc := string(data)
	for _, k := range config.Keys() {
		_, name, _ := strings.Cut(k, ".")
		if !strings.Contains(doc, "`"+k+"`") && !strings.Contains(doc, "`"+name+"`") {
			t.Errorf("config key %s is not in docs/formats.md", k)
		}
	}
	members := map[string]bool{}
	for _, v := range []any{export.RunJSON{}, doctor.DiagnosisJSON{}, conform.ScorecardJSON{}, inspect.Signature{}} {
		jsonMembers(reflect.TypeOf(v), members, map[reflect.Type]bool{})
	}
	// inspect.Analysis writes its members by hand (MarshalJSON).
	for _, m := range []string{"name", "kind", "kind_reason", "format", "token", "header", "claims", "times", "signature", "checks", "problems", "notes"} {
		members[m] = true
	}
	for m := range members {
		if !strings.Contains(doc, "`"+m+"`") {
			t.Errorf("JSON member %q is not in docs/formats.md", m)
		}
	}
}

// jsonMembers collects the JSON member names of t and of the module's
// struct types inside it.
func jsonMembers(t reflect.Type, into map[string]bool, seen map[reflect.Type]bool) {
	for t.Kind() == reflect.Pointer || t.Kind() == reflect.Slice || t.Kind() == reflect.Map {
		t = t.Elem()
	}
	marshaler := reflect.TypeFor[json.Marshaler]()
	if t.Kind() != reflect.Struct || seen[t] || !strings.HasPrefix(t.PkgPath(), "github.com/xaatools/xaa") ||
		t.Implements(marshaler) || reflect.PointerTo(t).Implements(marshaler) { // members of its own
		return
	}
	seen[t] = true
	for i := range t.NumField() {
		f := t.Field(i)
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		switch {
		case name == "-" || !f.IsExported():
			continue
		case name == "" && f.Anonymous:
			jsonMembers(f.Type, into, seen)
			continue
		case name == "":
			name = f.Name
		}
		into[name] = true
		jsonMembers(f.Type, into, seen)
	}
}
