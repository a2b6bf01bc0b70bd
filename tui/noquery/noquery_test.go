package noquery

import "testing"

func TestTUIInvocation(t *testing.T) {
	tests := []struct {
		args []string
		want bool
	}{
		{[]string{"xaa"}, true},
		{[]string{"xaa", "--config", "x.yaml"}, true},
		{[]string{"xaa", "-user", "bob"}, true},
		{[]string{"xaa", "decode", "eyJ"}, false},
		{[]string{"xaa", "run"}, false},
		{[]string{"xaa", "--help"}, false},
		{[]string{"xaa", "-h"}, false},
		{[]string{"xaa", ""}, false},
	}
	for _, tt := range tests {
		if got := tuiInvocation(tt.args); got != tt.want {
			t.Errorf("tuiInvocation(%q) = %v, want %v", tt.args, got, tt.want)
		}
	}
}
