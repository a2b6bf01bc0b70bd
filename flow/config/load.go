package config

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
)

// MaxFileBytes bounds a config file: an xaa config is a few hundred bytes.
const MaxFileBytes = 1 << 20

// Candidate is a place the config may be read from.
type Candidate struct {
	Path string
	// Origin says how the path was chosen ("--config", "XAA_CONFIG",
	// "./xaa.yaml", "$XDG_CONFIG_HOME").
	Origin string
	// Required is set for a path the user named: a missing file is an error.
	Required bool
}

// Candidates returns where to look for the config, in order: the
// --config flag, XAA_CONFIG, ./xaa.yaml, $XDG_CONFIG_HOME/xaa/config.yaml
// (~/.config when unset). It reads nothing; the caller opens the first
// that exists.
func Candidates(flagPath string, getenv func(string) string) []Candidate {
	if flagPath != "" {
		return []Candidate{{Path: flagPath, Origin: "--config", Required: true}}
	}
	if p := getenv(EnvConfig); p != "" {
		return []Candidate{{Path: p, Origin: EnvConfig, Required: true}}
	}
	out := []Candidate{{Path: "xaa.yaml", Origin: "./xaa.yaml"}}
	if xdg := getenv("XDG_CONFIG_HOME"); xdg != "" {
		out = append(out, Candidate{Path: filepath.Join(xdg, "xaa", "config.yaml"), Origin: "$XDG_CONFIG_HOME"})
	} else if home := getenv("HOME"); home != "" {
		out = append(out, Candidate{Path: filepath.Join(home, ".config", "xaa", "config.yaml"), Origin: "~/.config"})
	}
	return out
}

// NotFoundError says that no config file exists at any of the places looked at.
type NotFoundError struct {
	Looked []string
}

// Error lists where xaa looked.
func (e *NotFoundError) Error() string {
	return "no config found (looked at " + strings.Join(e.Looked, ", ") + ")"
}

// Find loads the first candidate that exists (see Candidates). A path the
// user named must exist; when none of the others does, the error is a
// *NotFoundError.
func Find(flagPath string, getenv func(string) string) (*Config, error) {
	var looked []string
	for _, c := range Candidates(flagPath, getenv) {
		if _, err := os.Stat(c.Path); errors.Is(err, os.ErrNotExist) && !c.Required {
			looked = append(looked, c.Path)
			continue
		}
		cfg, err := Load(c.Path, getenv)
		if err != nil {
			return nil, fmt.Errorf("config (%s): %w", c.Origin, err)
		}
		return cfg, nil
	}
	return nil, &NotFoundError{Looked: looked}
}

// Load reads and parses a config file, applies the secrets of the
// environment (getenv may be nil) and loads the private keys it names. It
// does not validate: --set may still change the config.
func Load(path string, getenv func(string) string) (*Config, error) {
	data, err := ReadFile(path, MaxFileBytes)
	if err != nil {
		return nil, err
	}
	cfg, err := Parse(data, path)
	if err != nil {
		return nil, err
	}
	cfg.Dir = filepath.Dir(path)
	if w := permissionWarning(path, cfg); w != nil {
		cfg.loadWarnings = append(cfg.loadWarnings, *w)
	}
	if getenv != nil {
		cfg.ApplyEnv(getenv)
	}
	cfg.LoadKeys()
	return cfg, nil
}

// permissionWarning warns about a config file that holds a client secret
// and can be read by other users of the machine.
func permissionWarning(path string, c *Config) *Problem {
	fi, err := os.Stat(path)
	if err != nil || fi.Mode().Perm()&0o077 == 0 || (c.IdP.ClientSecret == "" && c.ResourceAS.ClientSecret == "") {
		return nil
	}
	return &Problem{Key: "(file)", Message: fmt.Sprintf("%s holds client secrets and is readable by other users (mode %04o): chmod 600 %s", path, fi.Mode().Perm(), path)}
}

// LoadKeys parses the private_key files of both clients, relative to Dir.
// A key that cannot be read or parsed is reported by Validate, naming the
// key and the problem without echoing the key material.
func (c *Config) LoadKeys() {
	c.loadKey(&c.IdP.ClientConfig)
	c.loadKey(&c.ResourceAS)
	c.loadOktaKey()
}

func (c *Config) loadKey(cc *ClientConfig) {
	cc.Key, cc.keyProblem = nil, ""
	if cc.PrivateKey == "" {
		return
	}
	path := cc.PrivateKey
	if !filepath.IsAbs(path) && c.Dir != "" {
		path = filepath.Join(c.Dir, path)
	}
	data, err := ReadFile(path, MaxKeyFileBytes)
	if err == nil {
		cc.Key, err = ParsePrivateKey(data, cc.KeyID)
	}
	if err != nil {
		cc.keyProblem = err.Error()
	}
}

// ReadFile reads a file of at most limit bytes, with errors that name the
// file and the problem: every file xaa reads (configs, keys, tokens) goes
// through it.
func ReadFile(path string, limit int64) ([]byte, error) {
	f, size, err := open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var b bytes.Buffer
	if err := readTo(&b, f, limit, size, path); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

// ReadFileString is ReadFile into a string, read once into the string's
// own buffer: a pasted token may be a megabyte.
func ReadFileString(path string, limit int64) (string, error) {
	f, size, err := open(path)
	if err != nil {
		return "", err
	}
	defer f.Close()
	return ReadString(f, limit, size, path)
}

// ReadString reads at most limit bytes of r into a string read once (more
// is an error naming what was read); size is the expected
// size, 0 when unknown.
func ReadString(r io.Reader, limit, size int64, what string) (string, error) {
	var b strings.Builder
	if err := readTo(&b, r, limit, size, what); err != nil {
		return "", err
	}
	return b.String(), nil
}

// readTo copies at most limit bytes of r to w, which it first grows to the
// expected size (plus the byte that tells an input over the limit), so a
// file's bytes are allocated once instead of a buffer doubling up to them.
func readTo(w interface {
	io.Writer
	Grow(int)
	Len() int
}, r io.Reader, limit, size int64, what string) error {
	expect := min(max(size, 512), limit) + 1
	w.Grow(int(expect) + bytes.MinRead) // bytes.Buffer.ReadFrom wants MinRead free before it sees EOF
	var err error
	if rf, ok := w.(io.ReaderFrom); ok { // bytes.Buffer reads into itself
		_, err = rf.ReadFrom(io.LimitReader(r, limit+1))
	} else {
		_, err = io.CopyBuffer(w, io.LimitReader(r, limit+1), make([]byte, min(expect, 32<<10)))
	}
	if err != nil {
		return fmt.Errorf("reading %s: %w", what, err)
	}
	if int64(w.Len()) > limit {
		return fmt.Errorf("%s is larger than %d KiB; xaa reads at most that much", what, limit>>10)
	}
	return nil
}

// open opens a file to read and returns its size (0 when unknown).
func open(path string) (*os.File, int64, error) {
	f, err := os.Open(path)
	if err != nil {
		if errors.Is(err, os.ErrNotExist) {
			return nil, 0, noSuchFile(path)
		}
		return nil, 0, fmt.Errorf("%s: %w", path, errors.Unwrap(err))
	}
	var size int64
	if fi, err := f.Stat(); err == nil && fi.Mode().IsRegular() {
		size = fi.Size()
	}
	return f, size, nil
}

// noSuchFile says a file is missing in fewer words than the os package,
// and is still os.ErrNotExist to errors.Is.
type noSuchFile string

func (e noSuchFile) Error() string { return string(e) + ": no such file" }

func (e noSuchFile) Unwrap() error { return os.ErrNotExist }

// StateDir is where xaa keeps state between runs (the playground's keys,
// kept refresh tokens): $XDG_STATE_HOME/xaa, else ~/.local/state/xaa (XDG
// Base Directory: state that should persist but is not worth backing up);
// "" when neither is known.
func StateDir(getenv func(string) string) string {
	if xdg := getenv("XDG_STATE_HOME"); filepath.IsAbs(xdg) {
		return filepath.Join(xdg, "xaa")
	}
	if home := getenv("HOME"); filepath.IsAbs(home) {
		return filepath.Join(home, ".local", "state", "xaa")
	}
	return ""
}
