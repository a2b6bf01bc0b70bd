package inspect_test

import (
	"testing"

	"github.com/xaatools/xaa/inspect"
)

func TestNormalizeURI(t *testing.T) {
	same := [][2]string{
		{"HTTPS://API.Example.com/mcp", "https://api.example.com/mcp"},
		{"https://api.example.com/%7Ealice/a%2fb", "https://api.example.com/~alice/a%2Fb"},
		{"https://api.example.com/a/./b/../c", "https://api.example.com/a/c"},
		{"https://api.example.com/a/b/..", "https://api.example.com/a/"},
	}
	for _, p := range same {
		if !inspect.SameResource(p[0], p[1]) {
			t.Errorf("%s and %s: want the same resource (%s vs %s)", p[0], p[1], inspect.NormalizeURI(p[0]), inspect.NormalizeURI(p[1]))
		}
	}
	// §6.2.2 leaves the path's case, a trailing slash and a port alone.
	differ := [][2]string{
		{"https://api.example.com/MCP", "https://api.example.com/mcp"},
		{"https://api.example.com/mcp/", "https://api.example.com/mcp"},
		{"https://api.example.com:443/mcp", "https://api.example.com/mcp"},
	}
	for _, p := range differ {
		if inspect.SameResource(p[0], p[1]) {
			t.Errorf("%s and %s: want different resources", p[0], p[1])
		}
	}
}

func TestResourceProblem(t *testing.T) {
	for s, want := range map[string]inspect.Status{
		"https://api.example.com/mcp":       inspect.StatusPass,
		"api.example.com/mcp":               inspect.StatusFail,
		"https://api.example.com/mcp#tools": inspect.StatusFail,
		"https://api.example.com/mcp?v=1":   inspect.StatusWarn,
		"":                                  inspect.StatusFail,
	} {
		if _, got := inspect.ResourceProblem(s); got != want {
			t.Errorf("%q: %v, want %v", s, got, want)
		}
	}
}
