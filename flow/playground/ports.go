package playground

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"net"
)

// Candidate ports for addresses that must be chosen before they are bound
// (a redirect URI registered at start, a stable listen address). They lie
// below every kernel's ephemeral range (Linux 32768–60999, macOS and
// Windows 49152–65535), so no server binding port 0 can take one between
// the check and the bind.
const (
	portLow  = 20000
	portHigh = 32700
)

// FreeRedirectURI returns a loopback redirect URI on a port free right now,
// for a playground started in-process next to a login callback listener:
// the callback port must be known before the playground registers it.
func FreeRedirectURI() (string, error) {
	port, err := freePorts(1)
	if err != nil {
		return "", err
	}
	return fmt.Sprintf("http://127.0.0.1:%d/callback", port), nil
}

// FreeListenAddress returns a loopback address whose port and the next two
// are free right now: Options.Listen for a playground that must come back
// on the same address.
func FreeListenAddress() (string, error) {
	port, err := freePorts(3)
	if err != nil {
		return "", err
	}
	return fmt.Sprintf("127.0.0.1:%d", port), nil
}

// freePorts finds n consecutive free loopback ports and returns the first.
func freePorts(n int) (int, error) {
	for range 200 {
		start := portLow + rand.IntN(portHigh-portLow-n)
		if portsFree(start, n) {
			return start, nil
		}
	}
	return 0, errors.New("no free loopback port found between 20000 and 32700")
}

func portsFree(start, n int) bool {
	var held []net.Listener
	defer func() {
		for _, l := range held {
			l.Close()
		}
	}()
	for p := start; p < start+n; p++ {
		l, err := net.Listen("tcp", fmt.Sprintf("127.0.0.1:%d", p))
		if err != nil {
			return false
		}
		held = append(held, l)
	}
	return true
}
