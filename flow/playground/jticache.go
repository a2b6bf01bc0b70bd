package playground

import (
	"crypto/sha256"
	"sync"
	"time"
)

// jtiResult is what a replay cache says about a jti.
type jtiResult int

const (
	jtiFresh    jtiResult = iota // first use: recorded
	jtiReplayed                  // seen before and not yet expired
	jtiFull                      // the cache is full of live entries: refuse rather than forget
)

// defaultJTICapacity bounds a replay cache. At 1,500 grants a second and a
// 5-minute ID-JAG lifetime plus 1 minute of skew about 540,000 entries are
// live at once; each costs about 60 bytes.
const defaultJTICapacity = 1 << 20

// jtiCache remembers the jti of every accepted token until the token
// expires (draft §4.4.1 via RFC 7523 §3 item 7; the MCP enterprise-managed
// authorization extension makes replay detection required). It forgets
// expired entries as it goes and never holds more than max entries: when
// every slot is still live it refuses new tokens instead of forgetting one
// that could then be replayed.
type jtiCache struct {
	max int

	mu    sync.Mutex
	seen  map[jtiKey]int64 // key → expiry, Unix seconds
	queue []jtiEntry       // min-heap by expiry
	peak  int
}

// jtiKey is a hash of issuer and jti, so memory does not depend on how long
// the jti strings are.
type jtiKey [16]byte

type jtiEntry struct {
	expires int64
	key     jtiKey
}

func newJTICache(max int) *jtiCache {
	return &jtiCache{max: max, seen: map[jtiKey]int64{}}
}

// use records jti from issuer until expires, unless it was already used.
func (c *jtiCache) use(issuer, jti string, expires, now time.Time) jtiResult {
	h := sha256.Sum256([]byte(issuer + "\x00" + jti))
	var key jtiKey
	copy(key[:], h[:])
	nowUnix := now.Unix()
	c.mu.Lock()
	defer c.mu.Unlock()
	c.forgetExpired(nowUnix)
	if exp, ok := c.seen[key]; ok && exp >= nowUnix {
		return jtiReplayed
	}
	if len(c.seen) >= c.max {
		return jtiFull
	}
	exp := expires.Unix()
	c.seen[key] = exp
	c.push(jtiEntry{expires: exp, key: key})
	c.peak = max(c.peak, len(c.seen))
	return jtiFresh
}

// Len returns how many jtis are remembered.
func (c *jtiCache) Len() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.seen)
}

// forgetExpired drops entries whose token has expired, and gives memory back
// once the cache has shrunk to a quarter of its peak (Go maps never shrink).
func (c *jtiCache) forgetExpired(now int64) {
	for len(c.queue) > 0 && c.queue[0].expires < now {
		e := c.pop()
		if exp, ok := c.seen[e.key]; ok && exp == e.expires {
			delete(c.seen, e.key)
		}
	}
	if c.peak > 4096 && len(c.seen) < c.peak/4 {
		fresh := make(map[jtiKey]int64, len(c.seen))
		for k, v := range c.seen {
			fresh[k] = v
		}
		c.seen = fresh
		c.queue = append(make([]jtiEntry, 0, len(c.queue)), c.queue...)
		c.peak = len(c.seen)
	}
}

func (c *jtiCache) push(e jtiEntry) {
	c.queue = append(c.queue, e)
	i := len(c.queue) - 1
	for i > 0 {
		parent := (i - 1) / 2
		if c.queue[parent].expires <= c.queue[i].expires {
			break
		}
		c.queue[parent], c.queue[i] = c.queue[i], c.queue[parent]
		i = parent
	}
}

func (c *jtiCache) pop() jtiEntry {
	q := c.queue
	top := q[0]
	last := len(q) - 1
	q[0] = q[last]
	q = q[:last]
	i := 0
	for {
		l, r, small := 2*i+1, 2*i+2, i
		if l < len(q) && q[l].expires < q[small].expires {
			small = l
		}
		if r < len(q) && q[r].expires < q[small].expires {
			small = r
		}
		if small == i {
			break
		}
		q[i], q[small] = q[small], q[i]
		i = small
	}
	c.queue = q
	return top
}
