package noquery

import (
	"os"
	"testing"
)

func TestRestore(t *testing.T) {
	hidden, stdout, real := saved != nil, os.Stdout.Name(), saved
	Restore() // first, so a failure below is printed to the real output
	if !hidden {
		t.Fatal("init did not hide the standard output")
	}
	if stdout != os.DevNull {
		t.Errorf("os.Stdout = %s during init, want %s", stdout, os.DevNull)
	}
	if os.Stdout != real || saved != nil {
		t.Errorf("Restore did not put the real standard output back")
	}
	Restore() // a second call is harmless
	if os.Stdout != real {
		t.Errorf("a second Restore changed os.Stdout")
	}
}
