package doctor

import "testing"

func TestIsCustomASPath(t *testing.T) {
	for path, want := range map[string]bool{
		"/oauth2/default":            true,
		"/oauth2/default/":           true,
		"/oauth2/aus1a2b3c4d5e6f7g8": true,
		"/oauth2/":                   false,
		"/oauth2":                    false,
		"":                           false,
		"/oauth2/default/v1/token":   false,
		"/x/oauth2/default":          false,
	} {
		if got := isCustomASPath(path); got != want {
			t.Errorf("isCustomASPath(%q) = %t, want %t", path, got, want)
		}
	}
}
