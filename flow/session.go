package flow

import (
	"net/http"
	"time"
)

// session is the recorder and HTTP client of one step (or one exported
// discovery call), so each step's record holds exactly its own exchanges.
type session struct {
	env    Env
	rec    *Recorder
	client *http.Client
}

func newSession(env Env, secrets []string) *session {
	rec := &Recorder{Next: env.baseTransport(), Now: env.Now, Secrets: secrets}
	return &session{env: env, rec: rec, client: env.client(rec)}
}

// settleTimeout bounds the wait for response bodies still being read when
// a step ends.
const settleTimeout = time.Second

// exchanges returns what the session recorded, once the bodies being read
// have been (or a second has passed).
func (s *session) exchanges() []*Exchange {
	s.rec.Settle(settleTimeout)
	return s.rec.Exchanges()
}
