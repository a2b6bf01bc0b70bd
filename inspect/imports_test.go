package inspect_test

import (
	"os/exec"
	"strings"
	"testing"
)

// TestImportDirection enforces the one-way imports of DESIGN.md:
// cmd → tui → flow → inspect, and flow/playground → inspect. flow and
// inspect never import the UI; inspect never imports the network; the
// playground never imports flow (so flow's tests can start it).
func TestImportDirection(t *testing.T) {
	out, err := exec.Command("go", "list", "-f", `{{.ImportPath}}{{range .Imports}} {{.}}{{end}}`, "github.com/xaatools/xaa/...").Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	const mod = "github.com/xaatools/xaa/"
	forbidden := map[string][]string{
		"inspect":         {mod + "cmd", mod + "tui", mod + "flow", "net/http", "github.com/charmbracelet/", "os/exec"},
		"flow":            {mod + "cmd", mod + "tui", "github.com/charmbracelet/"},
		"flow/playground": {mod + "cmd", mod + "tui", mod + "flow\x00", "github.com/charmbracelet/"},
		"tui":             {mod + "cmd"},
	}
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		fields := strings.Fields(line)
		pkg := strings.TrimPrefix(fields[0], mod)
		for _, imp := range fields[1:] {
			if imp == mod+"inspect/inspecttest" {
				t.Errorf("%s imports inspect/inspecttest, which is test support only", pkg)
			}
		}
		for owner, bad := range forbidden {
			if pkg != owner && !strings.HasPrefix(pkg, owner+"/") {
				continue
			}
			if owner == "flow" && strings.HasPrefix(pkg, "flow/playground") {
				continue // the playground has its own rules
			}
			for _, imp := range fields[1:] {
				for _, b := range bad {
					if imp+"\x00" == b || (!strings.HasSuffix(b, "\x00") && strings.HasPrefix(imp, b)) {
						t.Errorf("%s imports %s, which breaks the import direction (see DESIGN.md)", pkg, imp)
					}
				}
			}
		}
	}
}
