package playground

import (
	"strings"
	"time"

	"github.com/xaatools/xaa/inspect"
)

// mintIDJAG signs the ID-JAG for a token exchange (draft §3.1): typ
// oauth-id-jag+jwt; iss, sub, aud (the resource AS), client_id (the client
// at that AS, from the connection), jti, iat, exp (5 minutes), resource,
// scope and email. The IdP faults bend exactly one of these.
func (s *authServer) mintIDJAG(c *client, sub subject, conn connection, resources []string, scopes []string, now time.Time) (string, error) {
	faults := s.idp.p.faults
	key := s.keys.signer("RS256")
	header := map[string]any{"alg": "RS256", "kid": key.kid, "typ": inspect.TypIDJAG}
	claims := map[string]any{
		"iss":       s.issuer,
		"sub":       sub.user.Subject,
		"aud":       conn.audience,
		"client_id": conn.clientIDAtAS,
		"jti":       s.newJTI(),
		"iat":       now.Unix(),
		"exp":       now.Add(IDJAGLifetime).Unix(),
		"scope":     strings.Join(scopes, " "),
	}
	switch len(resources) {
	case 0:
	case 1:
		claims["resource"] = resources[0]
	default:
		claims["resource"] = resources
	}
	if sub.email {
		claims["email"] = sub.user.Email
	}
	if faults[FaultIdPSkipResourceClaim] {
		delete(claims, "resource")
	}
	if faults[FaultIdPSkipSubStable] {
		claims["sub"] = "usr_" + randomID(9)
	}
	if faults[FaultIdPSkipJTIUnique] {
		claims["jti"] = idpSkipJTI
	}
	if faults[FaultIDJAGWrongAud] {
		claims["aud"] = conn.audience + "/"
	}
	if faults[FaultIDJAGWrongTyp] {
		header["typ"] = "JWT"
	}
	if faults[FaultIDJAGExpired] {
		claims["iat"], claims["exp"] = now.Add(-2*IDJAGLifetime).Unix(), now.Add(-IDJAGLifetime).Unix()
	}
	if faults[FaultIDJAGMissingJTI] {
		delete(claims, "jti")
	}
	if faults[FaultIDJAGLongLifetime] {
		claims["exp"] = now.Add(time.Hour).Unix()
	}
	if faults[FaultIDJAGWrongClientID] {
		claims["client_id"] = c.id
	}
	if faults[FaultOktaTodo0Audience] {
		claims["aud"], claims["client_id"] = todo0Audience, todo0ClientID
	}
	signer := key
	if faults[FaultIDJAGUnknownKID] || faults[FaultIDJAGBadSignature] {
		rogue, err := s.keys.rogueKey("RS256")
		if err != nil {
			return "", err
		}
		signer = rogue
		if faults[FaultIDJAGUnknownKID] {
			header["kid"] = rogue.kid
		}
	}
	return signCompact(header, claims, signer.priv)
}

// newJTI makes a unique ID-JAG id; Okta's start with "IDAAG.".
func (s *authServer) newJTI() string {
	if s.idp.p.okta {
		return "IDAAG." + randomID(18)
	}
	return "idjag_" + randomID(18)
}
