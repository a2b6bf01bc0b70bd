package playground_test

import (
	"errors"
	"net"
	"strconv"
	"strings"
	"syscall"
	"testing"

	"github.com/xaatools/xaa/flow/playground"
)

// TestListenPorts: an explicit port puts the IdP on it, the resource AS on
// port+1 and the resource server on port+2; a taken port is named.
func TestListenPorts(t *testing.T) {
	var p *playground.Playground
	var port int
	for attempt := 0; p == nil; attempt++ {
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		port = l.Addr().(*net.TCPAddr).Port
		l.Close()
		if port > 65533 {
			continue
		}
		p, err = playground.Start(t.Context(), playground.Options{Listen: "127.0.0.1:" + strconv.Itoa(port), KeyDir: keyDir})
		if err != nil && (!errors.Is(err, syscall.EADDRINUSE) || attempt == 10) {
			t.Fatal(err)
		}
	}
	defer p.Close()
	want := []string{"http://127.0.0.1:" + strconv.Itoa(port), "http://127.0.0.1:" + strconv.Itoa(port+1), "http://127.0.0.1:" + strconv.Itoa(port+2)}
	if got := []string{p.IdPURL(), p.ASURL(), p.ResourceURL()}; strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("origins %v, want %v", got, want)
	}
	if w := p.Warnings(); len(w) != 0 {
		t.Errorf("loopback listen: warnings %v, want none", w)
	}
	_, err := playground.Start(t.Context(), playground.Options{Listen: "127.0.0.1:" + strconv.Itoa(port+1), KeyDir: keyDir})
	if err == nil || !strings.Contains(err.Error(), "for the IdP") || !strings.Contains(err.Error(), "choose another --listen port") {
		t.Errorf("a taken port: got %v, want the party and the fix named", err)
	}
}

// TestListenAllInterfaces: a non-loopback address works, warns, and keeps
// 127.0.0.1 in the URLs.
func TestListenAllInterfaces(t *testing.T) {
	p, err := playground.Start(t.Context(), playground.Options{Listen: "0.0.0.0:0", KeyDir: keyDir})
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	if w := p.Warnings(); len(w) != 1 || !strings.Contains(w[0], "other machines can reach the playground") {
		t.Errorf("warnings %v, want one about other machines", w)
	}
	if !strings.HasPrefix(p.IdPURL(), "http://127.0.0.1:") {
		t.Errorf("IdP URL %s, want 127.0.0.1", p.IdPURL())
	}
}
