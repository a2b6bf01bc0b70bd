package wire_test

import (
	"context"
	"errors"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/xaatools/xaa/flow/explain"

	"github.com/xaatools/xaa/flow/wire"
)

// TestFetchErrors checks that every way a fetch fails becomes a
// *FetchError of the right kind whose message explains it in a sentence.
func TestFetchErrors(t *testing.T) {
	mux := http.NewServeMux()
	mux.HandleFunc("/html", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		w.Write([]byte("<!doctype html><title>Sign in</title>"))
	})
	mux.HandleFunc("/text", func(w http.ResponseWriter, r *http.Request) { w.Write([]byte("keys: none")) })
	mux.HandleFunc("/big", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Write([]byte(`{"keys":["` + strings.Repeat("a", 4096) + `"]}`))
	})
	mux.HandleFunc("/slow", func(w http.ResponseWriter, r *http.Request) { <-r.Context().Done() })
	mux.HandleFunc("/moved", func(w http.ResponseWriter, r *http.Request) { http.Redirect(w, r, "/elsewhere", http.StatusFound) })
	mux.HandleFunc("/broken", func(w http.ResponseWriter, r *http.Request) { http.Error(w, "oops", http.StatusBadGateway) })
	srv := httptest.NewServer(mux)
	defer srv.Close()
	tlsSrv := httptest.NewTLSServer(mux)
	defer tlsSrv.Close()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	refused := "http://" + l.Addr().String() + "/jwks"
	l.Close()

	env := wire.Options{Timeout: 300 * time.Millisecond, MaxBody: 1024}
	cases := []struct {
		name string
		url  string
		kind wire.FetchErrorKind
		says string
	}{
		{"not found", srv.URL + "/missing", wire.FetchStatus, "answered 404 Not Found — nothing is published at this URL"},
		{"server error", srv.URL + "/broken", wire.FetchStatus, "answered 502 Bad Gateway"},
		{"HTML", srv.URL + "/html", wire.FetchHTML, "an HTML page (text/html), not JSON"},
		{"not JSON", srv.URL + "/text", wire.FetchNotJSON, `starts with "keys: none"`},
		{"oversize", srv.URL + "/big", wire.FetchTooLarge, "larger than 1 KiB"},
		{"timeout", srv.URL + "/slow", wire.FetchTimeout, "no answer within 300ms (timeout)"},
		{"redirect", srv.URL + "/moved", wire.FetchRedirect, "redirected (302 Found) to /elsewhere"},
		{"refused", refused, wire.FetchRefused, "(connection refused) — is the server running"},
		{"TLS", tlsSrv.URL + "/html", wire.FetchTLS, "the TLS connection failed: "},
		{"DNS", "https://xaa-test-host.invalid/jwks", wire.FetchDNS, "the host name xaa-test-host.invalid does not resolve (DNS)"},
		{"bad URL", "ftp://example.com/jwks", wire.FetchBadURL, "the URL is not valid"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			// The hanging server times out whatever the load; the others get
			// a long timeout, so a loaded machine cannot turn their failure
			// (a TLS handshake, a refusal) into a timeout.
			o := env
			if c.kind != wire.FetchTimeout {
				o.Timeout = 10 * time.Second
			}
			j, err := wire.FetchJWKS(context.Background(), o, c.url)
			var fe *wire.FetchError
			if !errors.As(err, &fe) {
				t.Fatalf("FetchJWKS(%s) error = %v (%T), want a *FetchError", c.url, err, err)
			}
			if fe.Kind != c.kind {
				t.Errorf("kind = %s, want %s (%v)", fe.Kind, c.kind, err)
			}
			if !strings.Contains(err.Error(), c.says) {
				t.Errorf("message = %q, want it to say %q", err.Error(), c.says)
			}
			if strings.Contains(err.Error(), "goroutine") || strings.Count(err.Error(), "\n") > 0 {
				t.Errorf("message is not one sentence: %q", err.Error())
			}
			if j == nil || j.URL != c.url {
				t.Errorf("FetchJWKS did not say what it fetched: %+v", j)
			}
			if ex := explain.Error(explain.TokenExchange, err); ex == nil || !strings.HasPrefix(ex.ID, "network.") {
				t.Errorf("Explain = %+v, want a network.* entry", ex)
			}
		})
	}
}

func TestFetchJWKSUnusable(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Write([]byte(`{"issuer":"x"}`))
	}))
	defer srv.Close()
	_, err := wire.FetchJWKS(context.Background(), wire.Options{}, srv.URL)
	var ke *wire.KeySetError
	if !errors.As(err, &ke) || !strings.Contains(err.Error(), "is not usable") {
		t.Errorf("FetchJWKS(metadata, not keys) = %v, want a *KeySetError", err)
	}
}
