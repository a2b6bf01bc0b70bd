package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/xaatools/xaa/flow/conform"

	"github.com/xaatools/xaa/flow/wire"

	"github.com/google/go-cmp/cmp"

	"github.com/xaatools/xaa/flow/playground"
)

// freeListen returns a loopback address whose port and the next two were
// free a moment ago: the conformance IdP takes all three.
func freeListen(t *testing.T) string {
	t.Helper()
	addr, err := playground.FreeListenAddress()
	if err != nil {
		t.Fatal(err)
	}
	return addr
}

// asUnderTest is a playground whose resource AS trusts the conformance IdP
// that will listen on listen, and the config that points xaa at it.
type asUnderTest struct {
	listen, config, secret string
}

func startASUnderTest(t *testing.T, faults ...string) asUnderTest {
	t.Helper()
	listen := freeListen(t)
	p, err := playground.Start(context.Background(), playground.Options{Listen: "127.0.0.1:0", TrustIssuers: []string{"http://" + listen}, Faults: faults})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { p.Close() })
	path := filepath.Join(t.TempDir(), "as.yaml")
	if err := p.WriteConfig(path); err != nil {
		t.Fatal(err)
	}
	return asUnderTest{listen: listen, config: path, secret: p.Config().ResourceAS.ClientSecret.Reveal()}
}

// runConformCmd runs xaa conform in-process on the real clock (the AS under
// test checks times against its own), as a pipe.
func runConformCmd(t *testing.T, ctx context.Context, env map[string]string, args ...string) result {
	t.Helper()
	var out, errOut bytes.Buffer
	code := run(ctx, append([]string{"conform"}, args...), stdio{
		in: strings.NewReader(""), out: &out, err: &errOut,
		getenv: func(k string) string { return env[k] },
		now:    time.Now,
	})
	return result{code: code, stdout: out.String(), stderr: errOut.String()}
}

// TestConformCommand: against a resource AS that trusts the conformance
// IdP, a strict AS passes (exit 0) and one that skips the aud check is
// vulnerable on exactly the aud cases (exit 1); the client secret is never
// printed.
func TestConformCommand(t *testing.T) {
	t.Run("strict AS", func(t *testing.T) {
		as := startASUnderTest(t)
		keys := t.TempDir()
		r := runConformCmd(t, context.Background(), nil, "--config", as.config, "--listen", as.listen, "--key-dir", keys)
		if r.code != exitOK {
			t.Fatalf("exit %d, want 0\nstdout:\n%s\nstderr:\n%s", r.code, r.stdout, r.stderr)
		}
		for _, want := range []string{
			"issuer        http://" + as.listen,
			"JWKS          http://" + as.listen + "/jwks",
			"keys kept in  " + keys,
			"✓ every broken ID-JAG rejected (25 strict rules), the valid one accepted",
			// The playground provisions the users of an issuer it trusts
			// on first use: the policy probe says so.
			"✓ unknown_user", "accepted: the AS admits a user it has not provisioned",
		} {
			if !strings.Contains(r.stdout, want) {
				t.Errorf("stdout lacks %q:\n%s", want, r.stdout)
			}
		}
		if r.stderr != "" {
			t.Errorf("progress went to a stderr that is not a terminal:\n%s", r.stderr)
		}
		if strings.Contains(r.stdout+r.stderr, as.secret) {
			t.Error("the client secret was printed")
		}
	})
	t.Run("AS skipping aud, JSON", func(t *testing.T) {
		as := startASUnderTest(t, playground.FaultASSkipAud)
		r := runConformCmd(t, context.Background(), nil, "--config", as.config, "--listen", as.listen, "--key-dir", t.TempDir(), "--json", "--reveal")
		if r.code != exitFailed {
			t.Fatalf("exit %d, want 1\nstderr:\n%s", r.code, r.stderr)
		}
		var out struct {
			OK    bool `json:"ok"`
			Score struct {
				Verdict    string `json:"verdict"`
				Vulnerable int    `json:"vulnerable"`
				Strictness int    `json:"strictness"`
				Lenient    int    `json:"lenient"`
			} `json:"score"`
			Setup struct {
				Issuer string `json:"issuer"`
			} `json:"setup"`
			Cases []struct {
				ID      string `json:"id"`
				Verdict string `json:"verdict"`
			} `json:"cases"`
		}
		if err := json.Unmarshal([]byte(r.stdout), &out); err != nil {
			t.Fatalf("stdout is not JSON: %v\n%s", err, r.stdout)
		}
		var vulnerable, lenient []string
		for _, c := range out.Cases {
			switch c.Verdict {
			case "vulnerable":
				vulnerable = append(vulnerable, c.ID)
			case "lenient":
				lenient = append(lenient, c.ID)
			}
		}
		want := []string{"wrong_aud", "aud_token_endpoint", "aud_two_values"}
		if diff := cmp.Diff(vulnerable, want); diff != "" || out.OK || out.Score.Verdict != "vulnerable" || out.Setup.Issuer != "http://"+as.listen {
			t.Errorf("vulnerable (-got +want):\n%s\nok %v, score %+v, setup issuer %q", diff, out.OK, out.Score, out.Setup.Issuer)
		}
		if !slices.Equal(lenient, []string{"aud_trailing_slash"}) || out.Score.Lenient != 1 || out.Score.Strictness != 1 || out.Score.Vulnerable != 3 {
			t.Errorf("lenient %v, score %+v; want aud_trailing_slash lenient apart from the 3 vulnerable", lenient, out.Score)
		}
		if strings.Contains(r.stdout+r.stderr, as.secret) {
			t.Error("the client secret was printed, even with --reveal")
		}
	})
	t.Run("AS lenient only", func(t *testing.T) {
		// Accepting a trailing slash in aud is a strictness finding, not a
		// vulnerability: reported, and the run still passes.
		as := startASUnderTest(t, playground.FaultASSkipAud)
		r := runConformCmd(t, context.Background(), nil, "--config", as.config, "--listen", as.listen, "--key-dir", t.TempDir(), "--case", "aud_trailing_slash")
		if r.code != exitOK {
			t.Fatalf("exit %d, want 0\nstdout:\n%s\nstderr:\n%s", r.code, r.stdout, r.stderr)
		}
		for _, want := range []string{"· 1 lenient (strictness)", "Strictness  1 of 1 lenient", "! aud_trailing_slash", "accepted: lenient"} {
			if !strings.Contains(r.stdout, want) {
				t.Errorf("stdout lacks %q:\n%s", want, r.stdout)
			}
		}
	})
}

// TestConformCommandASDown: an AS that does not answer makes every case
// inconclusive and the run exit 1, with the reason.
func TestConformCommandASDown(t *testing.T) {
	as := startASUnderTest(t)
	down := "http://" + freeListen(t)
	config := writeFile(t, "down.yaml", fmt.Sprintf("resource_as:\n  issuer: %s\n  client_id: c\n  client_secret: s3cret-value\n", down))
	r := runConformCmd(t, context.Background(), nil, "--config", config, "--listen", as.listen, "--key-dir", t.TempDir())
	if r.code != exitFailed {
		t.Fatalf("exit %d, want 1\n%s\n%s", r.code, r.stdout, r.stderr)
	}
	for _, want := range []string{"nothing is listening", "! cannot judge: the valid ID-JAG was not accepted", "more with the same answer: repeated_assertion, id_token, wrong_typ", "token endpoint is unknown"} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("stdout lacks %q:\n%s", want, r.stdout)
		}
	}
	// One AS down is one answer: said once in the list, once in the detail.
	if n := strings.Count(r.stdout, "connection refused"); n != 1 {
		t.Errorf("the same error is printed %d times:\n%s", n, r.stdout)
	}
	if r.stderr != "" {
		t.Errorf("progress went to a stderr that is not a terminal:\n%s", r.stderr)
	}
}

// TestConformCommandUsage covers refusals (exit 2) and --list-cases.
func TestConformCommandUsage(t *testing.T) {
	good := writeFile(t, "ok.yaml", "resource_as:\n  issuer: https://as.example\n  client_id: c\n  client_secret: s\n")
	busy, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer busy.Close()
	cases := []struct {
		name string
		args []string
		code int
		out  string
		err  string
	}{
		{"list cases", []string{"--list-cases"}, exitOK, "alg_hs256_public_key  strict", ""},
		{"no config", []string{"--key-dir", t.TempDir()}, exitUsage, "", "no config found"},
		{"config without resource_as", []string{"--config", writeFile(t, "idp.yaml", "idp:\n  issuer: https://idp.example\n")}, exitUsage, "", "resource_as.client_id: required"},
		{"unknown case", []string{"--config", good, "--case", "alg-none"}, exitUsage, "", `unknown case "alg-none"; the cases are: baseline`},
		{"bad token endpoint", []string{"--config", good, "--token-endpoint", "/token"}, exitUsage, "", "--token-endpoint \"/token\" must be an absolute http(s) URL"},
		{"bad timeout", []string{"--config", good, "--timeout", "0s"}, exitUsage, "", "--timeout must be positive"},
		{"argument", []string{"now"}, exitUsage, "", `conform takes no arguments, got "now"`},
		{"port in use", []string{"--config", good, "--listen", busy.Addr().String(), "--key-dir", t.TempDir()}, exitUsage, "", "cannot listen on"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := runConformCmd(t, context.Background(), map[string]string{"HOME": t.TempDir()}, c.args...)
			if r.code != c.code || !strings.Contains(r.stdout, c.out) || !strings.Contains(r.stderr, c.err) {
				t.Errorf("got exit %d, stdout %q, stderr %q; want exit %d, stdout with %q, stderr with %q", r.code, r.stdout, r.stderr, c.code, c.out, c.err)
			}
		})
	}
	t.Run("every case listed", func(t *testing.T) {
		r := runConformCmd(t, context.Background(), nil, "--list-cases")
		lines := strings.Split(r.stdout, "\n")
		for _, c := range conform.Cases() {
			i := slices.IndexFunc(lines, func(l string) bool { return strings.HasPrefix(l, c.ID+" ") })
			if i < 0 || !slices.Contains(strings.Fields(lines[i]), c.Kind.String()) {
				t.Errorf("--list-cases lacks %s with its kind %s", c.ID, c.Kind)
			}
		}
	})
}

// TestConformCommandServe: --serve prints the setup, keeps the IdP up for
// the AS to fetch its keys, and exits 0 when interrupted; the keys stay
// the same on the next start.
func TestConformCommandServe(t *testing.T) {
	as := startASUnderTest(t)
	keys := t.TempDir()
	jwks := func() []string {
		ctx, cancel := context.WithCancel(context.Background())
		var out, errOut syncBuffer
		done := make(chan int, 1)
		go func() {
			done <- run(ctx, []string{"conform", "--config", as.config, "--listen", as.listen, "--key-dir", keys, "--serve"},
				stdio{in: strings.NewReader(""), out: &out, err: &errOut, getenv: func(string) string { return "" }, now: time.Now})
		}()
		deadline := time.Now().Add(20 * time.Second)
		for !strings.Contains(out.String(), "answers until interrupted") && time.Now().Before(deadline) {
			time.Sleep(20 * time.Millisecond)
		}
		keySet, err := wire.FindJWKS(context.Background(), wire.Options{}, "http://"+as.listen)
		cancel()
		if code := <-done; code != exitOK {
			t.Fatalf("--serve exited %d\n%s\n%s", code, out.String(), errOut.String())
		}
		if err != nil {
			t.Fatalf("the IdP's keys could not be fetched while serving: %v\n%s", err, out.String())
		}
		if strings.Contains(errOut.String(), "xaa: ✓") {
			t.Errorf("--serve ran cases:\n%s", errOut.String())
		}
		var kids []string
		for _, k := range keySet.Keys.Keys {
			kids = append(kids, k.KID)
		}
		slices.Sort(kids)
		return kids
	}
	first, second := jwks(), jwks()
	if diff := cmp.Diff(first, second); diff != "" || len(first) == 0 {
		t.Errorf("the keys changed between two starts with the same --key-dir (-first +second):\n%s", diff)
	}
}

// TestConformAgainstAnUntrustingPlayground: when the AS under test is xaa's
// playground and refuses the baseline, the scorecard gives the command
// that makes it trust the conformance IdP.
func TestConformAgainstAnUntrustingPlayground(t *testing.T) {
	p, err := playground.Start(context.Background(), playground.Options{Listen: "127.0.0.1:0", KeyDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { p.Close() })
	path := filepath.Join(t.TempDir(), "as.yaml")
	if err := p.WriteConfig(path); err != nil {
		t.Fatal(err)
	}
	listen := freeListen(t)
	r := runConformCmd(t, context.Background(), nil, "--config", path, "--listen", listen, "--key-dir", t.TempDir(), "--case", "alg_none")
	want := "xaa playground --trust-issuer http://" + listen
	if r.code != exitFailed || !strings.Contains(r.stdout, want) {
		t.Errorf("exit %d; want 1 and the command %q:\n%s", r.code, want, r.stdout)
	}
}

// TestConformProgressOnATerminal: on a terminal one status line is
// rewritten per case and cleared before the scorecard.
func TestConformProgressOnATerminal(t *testing.T) {
	as := startASUnderTest(t)
	var out, status bytes.Buffer
	code := run(context.Background(), []string{"conform", "--config", as.config, "--listen", as.listen, "--key-dir", t.TempDir(), "--case", "alg_none"}, stdio{
		in: strings.NewReader(""), out: &out, err: io.Discard, status: &status,
		getenv: func(string) string { return "" }, now: time.Now,
	})
	if code != exitOK {
		t.Fatalf("exit %d:\n%s", code, out.String())
	}
	lines := strings.Split(status.String(), "\r\x1b[K")
	if len(lines) < 3 || !strings.Contains(status.String(), "xaa conform: 2/2 ✓ alg_none: rejected as it should") || lines[len(lines)-1] != "" {
		t.Errorf("status line = %q; want one rewrite per case, alg_none's among them, and a clear at the end", status.String())
	}
}
