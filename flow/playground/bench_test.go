package playground_test

import (
	"context"
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/json"
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

	jose "github.com/go-jose/go-jose/v4"

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
				req.SetBasicAuth(cfg.ResourceAS.ClientID, cfg.ResourceAS.ClientSecret.Reveal())
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
// against: the two signature operations a grant cannot avoid — verifying
// the RS256 ID-JAG and signing the ES256 access token — on every core
// (b.RunParallel), with no HTTP, no form and no checks. "primitives" is
// the bare crypto/rsa and crypto/ecdsa calls over a digest; "jose" is the
// same two operations on tokens with go-jose (parse and verify a
// playground-sized ID-JAG, sign and serialize an access token), as a JWT
// library does them. Run both with the load test, alternating:
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
	now := time.Now().Unix()
	claims, _ := json.Marshal(map[string]any{
		"iss": "http://127.0.0.1:40001", "sub": "00u1alice0000000000", "aud": "http://127.0.0.1:40002",
		"client_id": playground.ASClientID, "jti": "idjag_0123456789abcdefghij", "iat": now, "exp": now + 300,
		"scope": "todos.read todos.write", "resource": "http://127.0.0.1:40003", "auth_time": now, "amr": []string{"pwd"},
	})
	rsaSigner, err := jose.NewSigner(jose.SigningKey{Algorithm: jose.RS256, Key: jose.JSONWebKey{Key: rsaKey, KeyID: "rs256-0123456789ab"}},
		(&jose.SignerOptions{}).WithType(inspect.TypIDJAG))
	if err != nil {
		b.Fatal(err)
	}
	obj, err := rsaSigner.Sign(claims)
	if err != nil {
		b.Fatal(err)
	}
	idjag, _ := obj.CompactSerialize()
	atClaims, _ := json.Marshal(map[string]any{"iss": "http://127.0.0.1:40002", "sub": "todo-alice", "aud": "http://127.0.0.1:40003",
		"client_id": playground.ASClientID, "scope": "todos.read todos.write", "jti": "at_0123456789abcdefghijkl", "iat": now, "exp": now + 3600})
	ecSigner, err := jose.NewSigner(jose.SigningKey{Algorithm: jose.ES256, Key: jose.JSONWebKey{Key: ecKey, KeyID: "es256-0123456789ab"}},
		(&jose.SignerOptions{}).WithType(inspect.TypAccessToken))
	if err != nil {
		b.Fatal(err)
	}
	digest := sha256.Sum256([]byte(idjag[:strings.LastIndexByte(idjag, '.')]))
	sig, err := rsa.SignPKCS1v15(rand.Reader, rsaKey, crypto.SHA256, digest[:])
	if err != nil {
		b.Fatal(err)
	}
	for _, c := range []struct {
		name  string
		grant func() error
	}{
		{"primitives", func() error {
			if err := rsa.VerifyPKCS1v15(&rsaKey.PublicKey, crypto.SHA256, digest[:], sig); err != nil {
				return err
			}
			at := sha256.Sum256(atClaims)
			_, err := ecdsa.SignASN1(rand.Reader, ecKey, at[:])
			return err
		}},
		{"jose", func() error {
			jws, err := jose.ParseSignedCompact(idjag, []jose.SignatureAlgorithm{jose.RS256})
			if err != nil {
				return err
			}
			if _, err := jws.Verify(&rsaKey.PublicKey); err != nil {
				return err
			}
			at, err := ecSigner.Sign(atClaims)
			if err != nil {
				return err
			}
			_, err = at.CompactSerialize()
			return err
		}},
	} {
		b.Run(c.name, func(b *testing.B) {
			begin, cpu0 := time.Now(), playground.ProcessCPU()
			b.RunParallel(func(pb *testing.PB) {
				for pb.Next() {
					if err := c.grant(); err != nil {
						b.Error(err)
						return
					}
				}
			})
			elapsed, cpu := time.Since(begin), playground.ProcessCPU()-cpu0
			b.ReportMetric(float64(b.N)/elapsed.Seconds(), "grants/s")
			b.ReportMetric(float64(cpu.Microseconds())/float64(b.N), "cpu-µs/grant")
		})
	}
}
