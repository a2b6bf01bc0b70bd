package playground_test

import (
	"context"
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"runtime"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/xaatools/xaa/flow/playground"
	"github.com/xaatools/xaa/inspect"
)

// benchClients is the number of concurrent clients of the load test.
const benchClients = 32

// BenchmarkJWTBearer is a bounded load test of the resource AS: b.N
// distinct ID-JAGs (RS256, minted before the timer starts) redeemed by 32
// concurrent clients over loopback with client_secret_basic. It reports
// grants per second, the 50th and 99th percentile latency and the CPU time
// per grant (clients included). Run it with
// a fixed count, e.g. -benchtime 20000x (minting is slow).
func BenchmarkJWTBearer(b *testing.B) {
	dir := b.TempDir()
	p, err := playground.Start(context.Background(), playground.Options{KeyDir: dir})
	if err != nil {
		b.Fatal(err)
	}
	defer p.Close()
	cfg := p.Config()
	jags := make([]string, b.N)
	var wg sync.WaitGroup
	var mintErr atomic.Value
	for w := range runtime.GOMAXPROCS(0) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := w; i < b.N; i += runtime.GOMAXPROCS(0) {
				m, err := p.IDJAGTemplate("alice")
				if err == nil {
					jags[i], err = p.Mint(m)
				}
				if err != nil {
					mintErr.Store(err)
					return
				}
			}
		}()
	}
	wg.Wait()
	if err := mintErr.Load(); err != nil {
		b.Fatal(err)
	}
	client := &http.Client{Timeout: 30 * time.Second, Transport: &http.Transport{MaxIdleConnsPerHost: benchClients, MaxConnsPerHost: benchClients}}
	tokenURL := cfg.ResourceAS.Issuer + "/token"
	latencies := make([]time.Duration, b.N)
	var next, failures atomic.Int64
	var firstFailure atomic.Value
	b.ResetTimer()
	begin, cpu0 := time.Now(), playground.ProcessCPU()
	for range benchClients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				i := int(next.Add(1)) - 1
				if i >= b.N {
					return
				}
				body := "grant_type=" + url.QueryEscape(inspect.GrantTypeJWTBearer) + "&assertion=" + jags[i]
				req, _ := http.NewRequest(http.MethodPost, tokenURL, strings.NewReader(body))
				req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
				req.SetBasicAuth(cfg.ResourceAS.ClientID, cfg.ResourceAS.ClientSecret)
				t0 := time.Now()
				resp, err := client.Do(req)
				if err == nil {
					msg, _ := io.ReadAll(resp.Body)
					resp.Body.Close()
					if resp.StatusCode != http.StatusOK {
						err = fmt.Errorf("HTTP %d %s", resp.StatusCode, msg)
					}
				}
				latencies[i] = time.Since(t0)
				if err != nil {
					failures.Add(1)
					firstFailure.CompareAndSwap(nil, err.Error())
				}
			}
		}()
	}
	wg.Wait()
	elapsed, cpu := time.Since(begin), playground.ProcessCPU()-cpu0
	b.StopTimer()
	if n := failures.Load(); n > 0 {
		b.Fatalf("%d of %d grants failed; first: %v", n, b.N, firstFailure.Load())
	}
	slices.Sort(latencies)
	pct := func(q float64) float64 { return float64(latencies[int(q*float64(b.N-1))]) / float64(time.Millisecond) }
	b.ReportMetric(float64(b.N)/elapsed.Seconds(), "grants/s")
	b.ReportMetric(pct(0.50), "p50-ms")
	b.ReportMetric(pct(0.99), "p99-ms")
	// CPU per grant, clients and server together: what bounds grants/s on
	// a machine of n cores at n / (CPU per grant), whatever else runs.
	b.ReportMetric(float64(cpu.Microseconds())/float64(b.N), "cpu-µs/grant")
}

// BenchmarkGrantCryptoBound is the bound BenchmarkJWTBearer is measured
// against: only the two signature operations a grant cannot avoid — an
// RS256 verification (the ID-JAG) and an ES256 signature (the access
// token) — on every core (b.RunParallel), with no HTTP, no parsing and no
// checks. Run both in one go test, alternating:
//
//	go test -run '^$' -bench 'JWTBearer|GrantCryptoBound' -benchtime 20000x -count 6 ./flow/playground
func BenchmarkGrantCryptoBound(b *testing.B) {
	rsaKey, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		b.Fatal(err)
	}
	ecKey, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		b.Fatal(err)
	}
	digest := sha256.Sum256([]byte("an ID-JAG's header.payload"))
	sig, err := rsa.SignPKCS1v15(rand.Reader, rsaKey, crypto.SHA256, digest[:])
	if err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	begin := time.Now()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			if err := rsa.VerifyPKCS1v15(&rsaKey.PublicKey, crypto.SHA256, digest[:], sig); err != nil {
				b.Error(err)
				return
			}
			at := sha256.Sum256([]byte("an access token's header.payload"))
			if _, err := ecdsa.SignASN1(rand.Reader, ecKey, at[:]); err != nil {
				b.Error(err)
				return
			}
		}
	})
	b.ReportMetric(float64(b.N)/time.Since(begin).Seconds(), "grants/s")
}
