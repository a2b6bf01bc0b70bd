package flow

import (
	"net/http"
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

// exchanges returns what the session recorded.
func (s *session) exchanges() []*Exchange { return s.rec.Exchanges() }
