package playground

import (
	"context"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/xaatools/xaa/inspect"
)

// bearerGrant is what a valid access token grants.
type bearerGrant struct {
	account  string
	clientID string
	scopes   []string
	expires  time.Time
}

type bearerGrantKey struct{}

// grantFrom returns the grant protect put in ctx.
func grantFrom(ctx context.Context) *bearerGrant {
	g, _ := ctx.Value(bearerGrantKey{}).(*bearerGrant)
	return g
}

// bearerError is an RFC 6750 §3 error: a status and a WWW-Authenticate
// challenge.
type bearerError struct {
	status      int
	code        string // "" when the request carried no token (§3.1)
	description string
	scope       string
}

// protection is what one protected endpoint requires.
type protection struct {
	// audiences are the resource identifiers the endpoint accepts in aud.
	audiences []string
	// metadataURL is the endpoint's RFC 9728 protected resource metadata.
	metadataURL string
	// scopeFor names the scope a request needs.
	scopeFor func(*http.Request) (string, *bearerError)
	// challengeScope is the scope the 401 challenge suggests.
	challengeScope string
}

// protect requires a valid access token from the resource AS, with the
// right audience and scope (RFC 6750, RFC 9068 §4), before calling next.
func (rs *resourceServer) protect(pr protection, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		g, be := rs.authenticate(r, pr)
		if be == nil {
			need, scopeErr := pr.scopeFor(r)
			switch {
			case scopeErr != nil:
				be = scopeErr
			case need != "" && !slices.Contains(g.scopes, need):
				be = &bearerError{status: http.StatusForbidden, code: "insufficient_scope",
					description: fmt.Sprintf("this request needs scope %s; the token has %s", need, strings.Join(g.scopes, " ")),
					scope:       strings.Join(append(slices.Clone(g.scopes), need), " ")}
			}
		}
		if be != nil {
			writeBearerError(w, pr, be)
			return
		}
		next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), bearerGrantKey{}, g)))
	})
}

// authenticate validates the bearer token with inspect's access token
// checks against the resource AS's keys.
func (rs *resourceServer) authenticate(r *http.Request, pr protection) (*bearerGrant, *bearerError) {
	if r.URL.Query().Has("access_token") {
		return nil, &bearerError{status: http.StatusBadRequest, code: "invalid_request",
			description: "the access token is in the URL query; send it in the Authorization header only (RFC 6750 §2.1)"}
	}
	h := r.Header.Get("Authorization")
	scheme, raw, _ := strings.Cut(h, " ")
	switch {
	case h == "":
		return nil, &bearerError{status: http.StatusUnauthorized, description: "no access token: send Authorization: Bearer <access token>", scope: pr.challengeScope}
	case !strings.EqualFold(scheme, "Bearer"):
		return nil, &bearerError{status: http.StatusUnauthorized, code: "invalid_request", description: fmt.Sprintf("the Authorization header uses %s; send Authorization: Bearer <access token>", scheme)}
	}
	raw = strings.TrimSpace(raw)
	tok, err := inspect.Decode(raw)
	if err != nil || tok.Format != inspect.FormatJWS || tok.Raw != raw {
		return nil, &bearerError{status: http.StatusUnauthorized, code: "invalid_token", description: "the bearer token is not a JWT access token from " + rs.p.asURL}
	}
	if tok.Kind == inspect.KindIDJAG || tok.Kind == inspect.KindIDToken {
		k := inspect.CheckKind(tok, inspect.KindAccessToken)
		return nil, &bearerError{status: http.StatusUnauthorized, code: "invalid_token", description: k.Title + ": " + k.Hint}
	}
	expect := inspect.Expect{Now: rs.p.now(), Issuer: rs.p.asURL, Audience: pr.audiences[0], Algorithms: []string{"ES256"}}
	if auds, _, ok := tok.Claims.Strings("aud"); ok {
		for _, a := range auds {
			if slices.Contains(pr.audiences, a) {
				expect.Audience = a
				break
			}
		}
	}
	keys := rs.p.as.keys.KeySet()
	sig := inspect.Verify(tok, keys, inspect.VerifyOptions{Algorithms: expect.Algorithms, KeySource: rs.p.as.jwksURL})
	checks := inspect.CheckAccessToken(tok, sig, expect)
	if failed, bad := checks.FirstFailure(); bad {
		return nil, &bearerError{status: http.StatusUnauthorized, code: "invalid_token", description: describeCheck(failed)}
	}
	if !sig.Verified() {
		return nil, &bearerError{status: http.StatusUnauthorized, code: "invalid_token", description: "the signature is not verified: " + sig.Reason}
	}
	g := &bearerGrant{}
	g.account, _ = tok.Claims.String("sub")
	g.clientID, _ = tok.Claims.String("client_id")
	scope, _ := tok.Claims.String("scope")
	g.scopes = strings.Fields(scope)
	g.expires, _ = tok.Claims.Time("exp")
	return g, nil
}

// writeBearerError answers with the RFC 6750 §3 challenge, including the
// RFC 9728 §5.1 resource_metadata parameter, and a JSON body.
func writeBearerError(w http.ResponseWriter, pr protection, be *bearerError) {
	params := []string{`realm="todos"`}
	if be.code != "" {
		params = append(params, fmt.Sprintf(`error="%s"`, be.code))
	}
	if be.description != "" {
		params = append(params, fmt.Sprintf(`error_description="%s"`, challengeSafe(be.description)))
	}
	if be.scope != "" {
		params = append(params, fmt.Sprintf(`scope="%s"`, be.scope))
	}
	params = append(params, fmt.Sprintf(`resource_metadata="%s"`, pr.metadataURL))
	w.Header().Set("WWW-Authenticate", "Bearer "+strings.Join(params, ", "))
	body := map[string]string{"error": be.code, "error_description": be.description}
	if be.code == "" {
		body["error"] = "unauthorized"
	}
	writeJSON(w, be.status, body)
}

// challengeSafe keeps the characters RFC 6750 §3 allows in a quoted
// error_description (%x20-21 / %x23-5B / %x5D-7E).
func challengeSafe(s string) string {
	s = strings.NewReplacer("—", "-", "…", "...", `"`, "'", `\`, "/").Replace(s)
	return strings.Map(func(r rune) rune {
		if r < 0x20 || r > 0x7e {
			return '?'
		}
		return r
	}, s)
}
