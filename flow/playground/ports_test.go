package playground_test

import (
	"net"
	"net/url"
	"strconv"
	"testing"

	"github.com/xaatools/xaa/flow/playground"
)

func TestFreeAddresses(t *testing.T) {
	uri, err := playground.FreeRedirectURI()
	if err != nil {
		t.Fatal(err)
	}
	u, err := url.Parse(uri)
	if err != nil || u.Hostname() != "127.0.0.1" || u.Path != "/callback" {
		t.Fatalf("FreeRedirectURI = %q", uri)
	}
	if port, _ := strconv.Atoi(u.Port()); port < 20000 || port >= 32768 {
		t.Errorf("port %d is not below the ephemeral range", port)
	}
	l, err := net.Listen("tcp", u.Host)
	if err != nil {
		t.Fatalf("the port of %s is not free: %v", uri, err)
	}
	l.Close()

	addr, err := playground.FreeListenAddress()
	if err != nil {
		t.Fatal(err)
	}
	host, portText, _ := net.SplitHostPort(addr)
	port, _ := strconv.Atoi(portText)
	for p := port; p < port+3; p++ {
		l, err := net.Listen("tcp", net.JoinHostPort(host, strconv.Itoa(p)))
		if err != nil {
			t.Fatalf("port %d of %s is not free: %v", p, addr, err)
		}
		l.Close()
	}
}
