package playground

import (
	"crypto/rand"
	"encoding/base64"
	"sync"
	"time"
)

// expiringStore keeps short-lived server state (authorization codes, refresh
// tokens) under random handles, never more than max entries: when full it
// drops expired entries, and when still full it refuses to add.
type expiringStore[V any] struct {
	max int

	mu    sync.Mutex
	items map[string]expiringItem[V]
}

type expiringItem[V any] struct {
	value   V
	expires time.Time
}

func newExpiringStore[V any](max int) *expiringStore[V] {
	return &expiringStore[V]{max: max, items: map[string]expiringItem[V]{}}
}

// add stores v under a fresh random handle; ok is false when the store is
// full of live entries.
func (s *expiringStore[V]) add(prefix string, v V, expires, now time.Time) (handle string, ok bool) {
	handle = prefix + randomID(32)
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.items) >= s.max {
		for k, it := range s.items {
			if !it.expires.After(now) {
				delete(s.items, k)
			}
		}
		if len(s.items) >= s.max {
			return "", false
		}
	}
	s.items[handle] = expiringItem[V]{value: v, expires: expires}
	return handle, true
}

// get returns the live entry under handle.
func (s *expiringStore[V]) get(handle string, now time.Time) (V, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	it, ok := s.items[handle]
	if !ok || !it.expires.After(now) {
		var zero V
		return zero, false
	}
	return it.value, true
}

// take removes and returns the entry under handle: single use. An expired
// entry is removed too, and reported as absent.
func (s *expiringStore[V]) take(handle string, now time.Time) (V, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	it, ok := s.items[handle]
	delete(s.items, handle)
	if !ok || !it.expires.After(now) {
		var zero V
		return zero, false
	}
	return it.value, true
}

// randomID returns n random bytes, base64url-encoded.
func randomID(n int) string {
	b := make([]byte, n)
	rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}
