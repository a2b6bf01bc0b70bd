package inspect_test

import (
	"os/exec"
	"strings"
	"testing"
)

// layers ranks every package of the module: a package imports only
// packages of a lower rank, so imports run one way — cmd → tui →
// tui/report → flow/{doctor,conform,export} → flow → flow/explain →
// flow/wire → flow/config → inspect — and the playground, beside wire,
// never imports flow (flow's tests start it). docs/architecture.md draws
// the same map.
var layers = map[string]int{
	"cmd/xaa":         10,
	"tui":             9,
	"tui/report":      8,
	"tui/noquery":     8,
	"flow/doctor":     7,
	"flow/conform":    7,
	"flow/export":     7,
	"flow":            6,
	"flow/explain":    5,
	"flow/oktaadmin":  5,
	"flow/wire":       4,
	"flow/playground": 4,
	"flow/config":     3,
	"flow/tokenstore": 4,
	"inspect":         1,
}

// outside lists imports from outside the module that a package must not
// have: the UI stays in tui and cmd, the network stays out of inspect.
var outside = map[string][]string{
	"inspect": {"net/http", "os/exec", "github.com/charmbracelet/"},
	"flow":    {"github.com/charmbracelet/"},
}

// TestImportDirection enforces the layers with `go list`.
func TestImportDirection(t *testing.T) {
	out, err := exec.Command("go", "list", "-f", `{{.ImportPath}}{{range .Imports}} {{.}}{{end}}`, "github.com/xaatools/xaa/...").Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	const mod = "github.com/xaatools/xaa/"
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		fields := strings.Fields(line)
		pkg := strings.TrimPrefix(fields[0], mod)
		if strings.HasSuffix(pkg, "test") && strings.Contains(pkg, "/") {
			continue // test support (inspect/inspecttest …) is imported by tests only
		}
		rank, ok := layers[pkg]
		if !ok {
			t.Errorf("%s has no layer: add it to layers (and to docs/architecture.md)", pkg)
			continue
		}
		for _, imp := range fields[1:] {
			if strings.HasPrefix(imp, mod) {
				dep := strings.TrimPrefix(imp, mod)
				if strings.HasSuffix(dep, "test") && strings.Contains(dep, "/") {
					t.Errorf("%s imports %s, which is test support only", pkg, dep)
					continue
				}
				if r, ok := layers[dep]; ok && r >= rank {
					t.Errorf("%s (layer %d) imports %s (layer %d): imports run downwards only", pkg, rank, dep, r)
				}
				continue
			}
			for owner, bad := range outside {
				if pkg != owner && !strings.HasPrefix(pkg, owner+"/") {
					continue
				}
				for _, b := range bad {
					if strings.HasPrefix(imp, b) {
						t.Errorf("%s imports %s: %s stays free of it", pkg, imp, owner)
					}
				}
			}
		}
	}
}
