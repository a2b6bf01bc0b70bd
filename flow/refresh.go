package flow

import (
	"errors"

	"github.com/xaatools/xaa/flow/wire"
	"github.com/xaatools/xaa/inspect"
)

// RefreshTokens keeps IdP refresh tokens between runs, per IdP issuer and
// client id (package tokenstore is the one xaa uses).
type RefreshTokens interface {
	Load(issuer, clientID string) (string, error)
	Save(issuer, clientID, token string) error
	Forget(issuer, clientID string) (bool, error)
}

// Resume starts a session. With idp.subject refresh_token and a refresh
// token kept from an earlier login, the login is recorded as skipped and
// the token exchange starts from the kept token; the error says why a kept
// token could not be read (the session then starts with the login).
func (r *Runner) Resume() (Session, error) {
	s := NewSession(r, State{})
	if r.Kept == nil || !r.Config.IdP.UsesRefreshToken() {
		return s, nil
	}
	tok, err := r.Kept.Load(r.Config.IdP.Issuer, r.Config.IdP.ClientID)
	if err != nil || tok == "" {
		return s, err
	}
	s.seed = State{RefreshToken: tok, RefreshTokenKept: true}
	s.Skip(StepLogin, "skipped: the refresh token kept from an earlier login stands in for it (xaa logout forgets it; running the login again replaces it)")
	s.standIn[StepLogin] = true
	return s, nil
}

// Skip records a step as skipped for the given reason, without running it.
func (s *Session) Skip(id StepID, why string) {
	in := s.Input(id)
	s.Keep(&Step{ID: id, Status: inspect.StatusSkip, Started: s.Runner.Env.Time(), In: in, Out: in, Notes: []string{why}}, false)
}

// keepRefreshToken keeps the refresh token of a login for the next runs,
// and forgets a kept one the IdP refused, so the next run logs in again.
func (r *Runner) keepRefreshToken(st *Step) {
	if r.Kept == nil || !r.Config.IdP.UsesRefreshToken() {
		return
	}
	issuer, client := r.Config.IdP.Issuer, r.Config.IdP.ClientID
	switch st.ID {
	case StepLogin:
		if st.Out.RefreshToken == "" || st.Err != nil {
			return
		}
		if err := r.Kept.Save(issuer, client, st.Out.RefreshToken); err != nil {
			st.note("the refresh token could not be kept for the next runs: %v", err)
			return
		}
		st.Out.RefreshTokenKept = true
		st.note("kept the refresh token for the next runs, which start at the token exchange (xaa logout forgets it)")
	case StepTokenExchange:
		var oe *wire.OAuthError
		if !st.In.RefreshTokenKept || st.In.SubjectToken != "" || !errors.As(st.Err, &oe) || oe.Code != "invalid_grant" {
			return
		}
		if _, err := r.Kept.Forget(issuer, client); err != nil {
			st.note("the refused refresh token could not be forgotten: %v", err)
			return
		}
		st.note("forgot the kept refresh token the IdP refused: the next run logs in again")
	}
}
