package playground

import (
	"net/http"
	"strings"
)

// revokePath is the revocation endpoint beside the token endpoint
// (/token → /revoke, Okta's /oauth2/v1/token → /oauth2/v1/revoke).
func (s *authServer) revokePath() string { return strings.TrimSuffix(s.tokenPath, "token") + "revoke" }

// serveRevoke is the RFC 7009 revocation endpoint, for refresh tokens: the
// client authenticates as at the token endpoint, and a refresh token issued
// to it is forgotten. Any other token gets 200 too (RFC 7009 §2.2), so a
// caller learns nothing about tokens that are not its own.
func (s *authServer) serveRevoke(w http.ResponseWriter, r *http.Request) {
	f, e := readTokenForm(w, r)
	if e != nil {
		writeError(w, e)
		return
	}
	if e := f.require("token"); e != nil {
		writeError(w, e)
		return
	}
	c, _, e := s.clients.authenticate(r, f)
	if e != nil {
		writeError(w, e)
		return
	}
	d := s.idp
	if g, ok := d.refresh.get(f["token"], d.p.now()); ok && g.clientID == c.id && !d.p.faults[FaultIdPSkipRefreshRevoked] {
		d.refresh.take(f["token"], d.p.now())
	}
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(http.StatusOK)
}
