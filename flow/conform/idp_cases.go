package conform

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"slices"
	"strings"

	jose "github.com/go-jose/go-jose/v4"

	"github.com/xaatools/xaa/flow"
	"github.com/xaatools/xaa/flow/config"
	"github.com/xaatools/xaa/flow/playground"
	"github.com/xaatools/xaa/flow/wire"
	"github.com/xaatools/xaa/inspect"
)

// Values the IdP cases send. The example domains are reserved (RFC 2606).
const (
	conformOtherIssuer = "https://idp.other.example"
	// conformBeyondPolicy is a scope no IdP policy grants.
	conformBeyondPolicy = "xaa.conform.beyond-policy"
)

// Sources the IdP cases cite.
const (
	specTE         = "RFC 8693 §2.1, §2.2.2"
	specDraftIdP   = draft + " §4.3"
	specClientAuth = "RFC 6749 §2.3, §3.2.1"
	specAssertion  = "RFC 7523 §3; " + draft + " §9.1; MCP enterprise-managed authorization"
	specSubject    = specDraftIdP + " (the IdP validates the subject token); " + specTE
)

// idpCase is one case of the IdP scorecard: a token exchange to send and
// how to judge an ID-JAG it wrongly gets (build), or a check of the
// baseline's good answer (answer).
type idpCase struct {
	Case
	build func(context.Context, *idpInput) idpRequest
	// accepted judges a token issued where one may be (a policy case, or a
	// requested type the IdP may issue); nil: any token is vulnerable.
	accepted func(tr *wire.TokenResponse, jag *inspect.Analysis, req idpRequest) (Verdict, string)
	answer   func(*idpInput, *idpBaseline) answerVerdict
}

// answerVerdict is an answer check's finding: right or wrong, and what
// was found; or skipped, naming the missing input.
type answerVerdict struct {
	ok        bool
	got, skip string
}

// idpInput is what a case builds its request from.
type idpInput struct {
	cfg           *config.Config
	st            *idpState
	tokenEndpoint string
	auth          wire.ClientAuth
	runner        *IdPRunner
}

// idpRequest is one token exchange: the form, the client authentication,
// and how to send and judge it.
type idpRequest struct {
	form url.Values
	auth wire.ClientAuth
	// twice sends it twice and judges the second (a reused assertion).
	twice bool
	// otherClient: the request authenticates as conform.other_client_id,
	// so invalid_client says its credentials are wrong, not that the
	// IdP judged the case.
	otherClient bool
	withheld    string
	skip        string
	err         error
	notes       []string
	// exchanges are requests made to build it (a second login).
	exchanges []*wire.Exchange
}

// request is the valid token exchange (draft §4.3): the subject — the ID
// token, else the refresh token —, the resource AS as audience, the
// resource and scopes configured, authenticated as the configured client.
func (in *idpInput) request() idpRequest {
	subject, typ := in.st.idToken, inspect.TokenTypeIDToken
	if subject == "" {
		subject, typ = in.st.refreshToken, inspect.TokenTypeRefreshToken
	}
	return in.requestWith(subject, typ)
}

func (in *idpInput) requestWith(subject, typ string) idpRequest {
	form := url.Values{
		"grant_type":           {inspect.GrantTypeTokenExchange},
		"requested_token_type": {inspect.TokenTypeIDJAG},
		"subject_token":        {subject},
		"subject_token_type":   {typ},
		"audience":             {in.cfg.ResourceAS.Issuer},
	}
	if in.st.resource != "" {
		form.Set("resource", in.st.resource)
	}
	if sc := in.cfg.ResourceAS.Scopes.String(); sc != "" {
		form.Set("scope", sc)
	}
	return idpRequest{form: form, auth: in.auth}
}

// change is the valid request with one change to the form.
func change(f func(url.Values)) func(context.Context, *idpInput) idpRequest {
	return func(_ context.Context, in *idpInput) idpRequest {
		r := in.request()
		f(r.form)
		return r
	}
}

// withIDToken is a case that sends an ID token: skipped without one.
func withIDToken(f func(in *idpInput, r *idpRequest)) func(context.Context, *idpInput) idpRequest {
	return func(_ context.Context, in *idpInput) idpRequest {
		if in.st.idToken == "" {
			return idpRequest{skip: "needs an ID token: a login, or --token with an ID token (or a refresh token the IdP answers with one)"}
		}
		r := in.requestWith(in.st.idToken, inspect.TokenTypeIDToken)
		f(in, &r)
		return r
	}
}

// asOtherClient authenticates the request as conform.other_client_id.
func (in *idpInput) asOtherClient(r *idpRequest) {
	r.auth.Client = in.cfg.Conform.OtherClient(in.cfg.IdP.ClientConfig)
	r.otherClient = true
}

// clientAuth replaces the configured authentication: client_id alone
// (method none) and the extra parameters given.
func (in *idpInput) clientAuth(r *idpRequest, extra url.Values) {
	r.auth.Client = config.ClientConfig{Issuer: in.cfg.IdP.Issuer, ClientID: in.cfg.IdP.ClientID, AuthMethod: config.AuthNone}
	for k, v := range extra {
		r.form[k] = v
	}
}

// assertion signs a client assertion for the configured private_key_jwt
// client with the given audience; skip says why there is none.
func (in *idpInput) assertion(aud string) (string, string, error) {
	idp := in.cfg.IdP
	if idp.Method() != config.AuthPrivateKeyJWT || idp.Key == nil {
		return "", "needs a private_key_jwt client: idp.auth_method private_key_jwt with idp.private_key", nil
	}
	if aud == "" {
		aud = in.auth.AssertionAudience()
	}
	a, err := in.runner.Env.Client(nil).ClientAssertion(idp.Key, idp.ClientID, aud)
	return a, "", err
}

// alteredIDToken is the ID token with its exp moved a minute on after
// signing: the signature no longer verifies, and nothing else is wrong.
func alteredIDToken(tok string) (string, error) {
	parts := strings.Split(tok, ".")
	if len(parts) != 3 {
		return "", errors.New("the ID token is not a compact JWS")
	}
	payload, err := base64.RawURLEncoding.DecodeString(parts[1])
	if err != nil {
		return "", err
	}
	var claims map[string]any
	if err := json.Unmarshal(payload, &claims); err != nil {
		return "", err
	}
	exp, _ := claims["exp"].(float64)
	claims["exp"] = int64(exp) + 60
	altered, err := json.Marshal(claims)
	if err != nil {
		return "", err
	}
	parts[1] = base64.RawURLEncoding.EncodeToString(altered)
	return strings.Join(parts, "."), nil
}

// otherIssuerIDToken is the ID token's claims under another issuer, signed
// with a key made for this run: what any other IdP (or an attacker's) can
// mint for the same user and client.
func otherIssuerIDToken(tok string) (string, error) {
	t, err := inspect.Decode(tok)
	if err != nil {
		return "", err
	}
	var claims map[string]any
	if err := json.Unmarshal(mustJSON(t.Claims), &claims); err != nil {
		return "", err
	}
	claims["iss"] = conformOtherIssuer
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return "", err
	}
	signer, err := jose.NewSigner(jose.SigningKey{Algorithm: jose.ES256, Key: key}, (&jose.SignerOptions{}).WithHeader("kid", "xaa-conform-other-issuer"))
	if err != nil {
		return "", err
	}
	payload, _ := json.Marshal(claims)
	jws, err := signer.Sign(payload)
	if err != nil {
		return "", err
	}
	return jws.CompactSerialize()
}

// loginAs logs in as another user and returns the ID token.
func (in *idpInput) loginAs(ctx context.Context, user string) (string, []*wire.Exchange, error) {
	r := *in.runner.Flow
	if in.runner.BrowserAs != nil {
		r.Env.OpenBrowser = in.runner.BrowserAs(user)
	}
	st := r.RunStep(ctx, flow.StepLogin, in.st.in, flow.Overrides{"login_hint": user})
	if st.Err != nil {
		return "", st.Exchanges, fmt.Errorf("the login as %s failed: %w", user, st.Err)
	}
	return st.Out.IDToken, st.Exchanges, nil
}

// sameSubject says whether two ID tokens name the same user (the same
// sub); false when either cannot be decoded or has no sub.
func sameSubject(a, b string) bool {
	ta, errA := inspect.Decode(a)
	tb, errB := inspect.Decode(b)
	if errA != nil || errB != nil {
		return false
	}
	subA, okA := ta.Claims.String("sub")
	subB, okB := tb.Claims.String("sub")
	return okA && okB && subA != "" && subA == subB
}

// checkOf judges an answer case by one of inspect's ID-JAG checks.
func checkOf(id string) func(*idpInput, *idpBaseline) answerVerdict {
	return func(_ *idpInput, b *idpBaseline) answerVerdict {
		c, ok := b.idjags[0].Checks.Find(id)
		if !ok {
			return answerVerdict{got: id + " was not checked: the ID-JAG did not decode"}
		}
		got := c.Title + ": " + orDash(c.Actual)
		if c.Status != inspect.StatusPass {
			got = fmt.Sprintf("%s — expected %s, got %s", c.Title, orDash(c.Expected), orDash(c.Actual))
			if c.Hint != "" {
				got += " (" + c.Hint + ")"
			}
		}
		return answerVerdict{ok: c.Status == inspect.StatusPass, got: got}
	}
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

// issuedNotIDJAG judges a token issued for a request that did not ask for
// an ID-JAG: an ID-JAG is the fault, any other type the IdP's own grant.
func issuedNotIDJAG(tr *wire.TokenResponse, jag *inspect.Analysis, _ idpRequest) (Verdict, string) {
	it := tr.Str("issued_token_type")
	if it == inspect.TokenTypeIDJAG || (jag != nil && jag.Token.Kind == inspect.KindIDJAG) {
		return VerdictVulnerable, "accepted: vulnerable — the IdP issued an ID-JAG although the request did not ask for one"
	}
	return VerdictAccepted, "accepted, issuing " + orDash(it) + " as asked: not an ID-JAG, so no cross-app grant was made"
}

// scopeWithin judges a scope beyond policy that was not refused: narrowed
// (and said so, RFC 8693 §2.2.1) is right; granted is vulnerable.
func scopeWithin(tr *wire.TokenResponse, jag *inspect.Analysis, req idpRequest) (Verdict, string) {
	var claim string
	if jag != nil {
		claim, _ = jag.Token.Claims.String("scope")
	}
	switch {
	case slices.Contains(strings.Fields(claim), req.withheld):
		return VerdictVulnerable, fmt.Sprintf("accepted: vulnerable — the ID-JAG grants %s, which no policy allows", req.withheld)
	case slices.Contains(strings.Fields(tr.Str("scope")), req.withheld):
		return VerdictVulnerable, fmt.Sprintf("accepted: vulnerable — the response says %s was granted", req.withheld)
	case tr.Str("scope") == "":
		return VerdictWrong, "narrowed to " + orDash(claim) + " without a scope in the response: RFC 8693 §2.2.1 requires it when the scope differs from the request"
	}
	return VerdictAccepted, "narrowed to " + tr.Str("scope") + ", as the response says (RFC 8693 §2.2.1)"
}

var refusalSubject = []string{"invalid_request", "invalid_grant"}

// idpCases is the IdP scorecard's catalogue, in running order: the
// baseline first (the answer checks judge its answer).
var idpCases = []idpCase{
	{Case: Case{ID: "baseline", Title: "the valid token exchange (sent twice)", Kind: CaseBaseline, Spec: specDraftIdP},
		build: func(_ context.Context, in *idpInput) idpRequest { return in.request() }},

	// The good answer, judged with inspect's ID-JAG checks.
	answerCase("issued_token_type", "issued_token_type is the ID-JAG type", "RFC 8693 §2.2.1; "+draft+" §4.3.4", playground.FaultIdPSkipIssuedTokenType,
		func(_ *idpInput, b *idpBaseline) answerVerdict {
			it := b.responses[0].Str("issued_token_type")
			return answerVerdict{ok: it == inspect.TokenTypeIDJAG, got: "issued_token_type " + orDash(it)}
		}),
	answerCase("token_type", "token_type is N_A", "RFC 8693 §2.2.1; "+draft+" §4.3.4", playground.FaultIdPSkipTokenType,
		func(_ *idpInput, b *idpBaseline) answerVerdict {
			tt := b.responses[0].Str("token_type")
			return answerVerdict{ok: tt == "N_A", got: "token_type " + orDash(tt) + " (an ID-JAG is no access token)"}
		}),
	answerCase("typ", "typ is oauth-id-jag+jwt", draft+" §3.1", playground.FaultIDJAGWrongTyp, checkOf("id_jag.typ")),
	answerCase("aud", "aud is exactly the audience requested, one value", draft+" §3.1, §4.3", playground.FaultIDJAGWrongAud,
		func(in *idpInput, b *idpBaseline) answerVerdict {
			auds, _, _ := b.idjags[0].Token.Claims.Strings("aud")
			want := in.cfg.ResourceAS.Issuer
			return answerVerdict{ok: len(auds) == 1 && auds[0] == want, got: fmt.Sprintf("aud %s (requested %s)", orDash(strings.Join(auds, ", ")), want)}
		}),
	answerCase("client_id", "client_id is the client registered at the resource AS", draft+" §3.1", playground.FaultIDJAGWrongClientID,
		func(in *idpInput, b *idpBaseline) answerVerdict {
			if in.cfg.ResourceAS.ClientID == "" {
				return answerVerdict{skip: "needs resource_as.client_id: the client the ID-JAG must name"}
			}
			return checkOf("id_jag.client_id")(in, b)
		}),
	answerCase("sub_stable", "sub is the user's, the same in two exchanges", draft+" §3.1 (sub: the user at the IdP)", playground.FaultIdPSkipSubStable,
		func(_ *idpInput, b *idpBaseline) answerVerdict {
			if b.idjags[1] == nil {
				return answerVerdict{got: "the second exchange issued no ID-JAG to compare with"}
			}
			s0, _ := b.idjags[0].Token.Claims.String("sub")
			s1, _ := b.idjags[1].Token.Claims.String("sub")
			switch {
			case s0 == "" || s0 != s1:
				return answerVerdict{got: fmt.Sprintf("sub %s, then %s", orDash(s0), orDash(s1))}
			case b.subjectSub != "" && s0 != b.subjectSub:
				return answerVerdict{got: fmt.Sprintf("sub %s, but the ID token exchanged names %s", s0, b.subjectSub)}
			}
			return answerVerdict{ok: true, got: "sub " + s0 + " in both, as in the subject token"}
		}),
	answerCase("jti_unique", "jti is present and differs between two exchanges", draft+" §3.1 (jti REQUIRED); RFC 7519 §4.1.7", playground.FaultIdPSkipJTIUnique,
		func(_ *idpInput, b *idpBaseline) answerVerdict {
			if b.idjags[1] == nil {
				return answerVerdict{got: "the second exchange issued no ID-JAG to compare with"}
			}
			j0, _ := b.idjags[0].Token.Claims.String("jti")
			j1, _ := b.idjags[1].Token.Claims.String("jti")
			if j0 == "" || j0 == j1 {
				return answerVerdict{got: fmt.Sprintf("jti %s, then %s: a resource AS detecting replays refuses the second", orDash(j0), orDash(j1))}
			}
			return answerVerdict{ok: true, got: "two ID-JAGs, two jtis"}
		}),
	answerCase("lifetime", "a short lifetime (minutes)", draft+" §3.1; Okta: 5 minutes", playground.FaultIDJAGLongLifetime, checkOf("id_jag.lifetime")),
	answerCase("resource", "resource is the one requested", draft+" §3.1, §4.3; RFC 8707", playground.FaultIdPSkipResourceClaim,
		func(in *idpInput, b *idpBaseline) answerVerdict {
			if in.st.resource == "" {
				return answerVerdict{skip: "needs a resource: resource.id, or resource.api_url or resource.mcp_url publishing protected resource metadata"}
			}
			return checkOf("id_jag.resource")(in, b)
		}),
	answerCase("signature", "signed by a key in the IdP's JWKS", draft+" §3.1; RFC 7515", playground.FaultIDJAGBadSignature, checkOf("id_jag.signature")),

	// Client authentication.
	refusal("no_client_auth", "client_id alone, no client authentication", specClientAuth, playground.FaultIdPSkipClientAuth, []string{"invalid_client"},
		"anyone who knows the client id gets ID-JAGs for any subject token they hold",
		func(_ context.Context, in *idpInput) idpRequest {
			r := in.request()
			in.clientAuth(&r, nil)
			return r
		}),
	refusal("wrong_secret", "a wrong client secret (client_secret_post)", specClientAuth, playground.FaultIdPSkipClientSecret, []string{"invalid_client"},
		"the client secret protects nothing",
		func(_ context.Context, in *idpInput) idpRequest {
			r := in.request()
			in.clientAuth(&r, url.Values{"client_secret": {"xaa-conform-wrong-secret"}})
			return r
		}),
	refusal("assertion_wrong_aud", "a private_key_jwt assertion addressed to another server", specAssertion, playground.FaultIdPSkipAssertionAud, []string{"invalid_client"},
		"an assertion the client made for another server can be replayed here",
		func(_ context.Context, in *idpInput) idpRequest {
			a, skip, err := in.assertion(conformOtherAudience)
			r := in.request()
			r.skip, r.err = skip, err
			in.clientAuth(&r, url.Values{"client_assertion_type": {inspect.ClientAssertionTypeJWTBearer}, "client_assertion": {a}})
			return r
		}),
	refusal("assertion_reused_jti", "the same private_key_jwt assertion used twice", specAssertion, playground.FaultIdPSkipAssertionJTI, []string{"invalid_client"},
		"a captured client assertion authenticates the client until it expires",
		func(_ context.Context, in *idpInput) idpRequest {
			a, skip, err := in.assertion("")
			r := in.request()
			r.skip, r.err, r.twice = skip, err, true
			in.clientAuth(&r, url.Values{"client_assertion_type": {inspect.ClientAssertionTypeJWTBearer}, "client_assertion": {a}})
			return r
		}),

	// The subject token.
	refusal("subject_other_client", "an ID token issued to another client", specSubject, playground.FaultIdPSkipSubjectClient, refusalSubject,
		"any client can turn another app's ID tokens into ID-JAGs of its own",
		withIDToken(func(in *idpInput, r *idpRequest) {
			if in.cfg.Conform.OtherClientID == "" {
				r.skip = "needs a second client at the IdP: conform.other_client_id and conform.other_client_secret"
			}
			in.asOtherClient(r)
		})),
	refusal("subject_other_issuer", "an ID token from another issuer", specSubject, playground.FaultIdPSkipSubjectIssuer, refusalSubject,
		"any IdP, an attacker's included, can vouch for this IdP's users",
		withIDToken(func(in *idpInput, r *idpRequest) {
			tok, err := otherIssuerIDToken(in.st.idToken)
			r.form.Set("subject_token", tok)
			r.err = err
		})),
	refusal("subject_expired", "an expired ID token", specSubject+"; OIDC Core §3.1.3.7", playground.FaultIdPSkipSubjectExp, refusalSubject,
		"a leaked ID token grants ID-JAGs forever",
		func(_ context.Context, in *idpInput) idpRequest {
			tok := in.cfg.Conform.ExpiredIDToken.Reveal()
			if tok == "" {
				return idpRequest{skip: "needs an expired ID token the IdP issued to the client: conform.expired_id_token"}
			}
			return in.requestWith(tok, inspect.TokenTypeIDToken)
		}),
	refusal("subject_bad_signature", "an ID token altered after signing", specSubject+"; RFC 7515", playground.FaultIdPSkipSubjectSignature, refusalSubject,
		"anyone can edit an ID token and have it honoured",
		withIDToken(func(in *idpInput, r *idpRequest) {
			tok, err := alteredIDToken(in.st.idToken)
			r.form.Set("subject_token", tok)
			r.err = err
		})),
	refusal("subject_idjag", "the IdP's own ID-JAG as the subject token", specSubject, playground.FaultIdPSkipSubjectIDJAG, refusalSubject,
		"an ID-JAG leaked from one resource app buys ID-JAGs for every other",
		func(_ context.Context, in *idpInput) idpRequest {
			b := in.st.baseline
			if b == nil || b.idjags[0] == nil {
				return idpRequest{err: errors.New("the baseline issued no ID-JAG to send")}
			}
			return in.requestWith(b.idjags[0].Token.Raw, inspect.TokenTypeIDToken)
		}),
	refusal("subject_type_mismatch", "subject_token_type that does not match the token", specSubject+" (subject_token_type)", playground.FaultIdPSkipSubjectType, refusalSubject,
		"the IdP guesses what a token is instead of being told, so one kind passes as another",
		func(_ context.Context, in *idpInput) idpRequest {
			if in.st.idToken != "" {
				return in.requestWith(in.st.idToken, inspect.TokenTypeRefreshToken)
			}
			return in.requestWith(in.st.refreshToken, inspect.TokenTypeIDToken)
		}),
	refusal("refresh_other_client", "a refresh token issued to another client", specSubject+"; RFC 6749 §10.4", playground.FaultIdPSkipRefreshClient, refusalSubject,
		"any client can spend another app's refresh tokens on ID-JAGs",
		func(_ context.Context, in *idpInput) idpRequest {
			if in.st.refreshToken == "" {
				return idpRequest{skip: "needs a refresh token: offline_access in idp.scopes, or --token with an IdP refresh token"}
			}
			r := in.requestWith(in.st.refreshToken, inspect.TokenTypeRefreshToken)
			if in.cfg.Conform.OtherClientID == "" {
				r.skip = "needs a second client at the IdP: conform.other_client_id and conform.other_client_secret"
			}
			in.asOtherClient(&r)
			return r
		}),

	// The request.
	refusal("requested_token_type_missing", "no requested_token_type", draft+" §4.3 (requested_token_type REQUIRED)", playground.FaultIdPSkipRequestedTypeMissing, []string{"invalid_request"},
		"an IdP that issues ID-JAGs unasked can be made to mint them by any token exchange",
		change(func(f url.Values) { delete(f, "requested_token_type") })),
	{Case: Case{ID: "requested_token_type_wrong", Title: "requested_token_type an access token", Kind: CaseStrict, Party: PartyIdP, Rule: "token_exchange.requested_token_type",
		Spec: draft + " §4.3; " + specTE, Fault: playground.FaultIdPSkipRequestedType, ExpectedErrors: []string{"invalid_request", "invalid_target"},
		Risk: "the IdP ignores what was asked for and issues an ID-JAG anyway"},
		build:    change(func(f url.Values) { f.Set("requested_token_type", inspect.TokenTypeAccessToken) }),
		accepted: issuedNotIDJAG},
	refusal("audience_missing", "no audience", draft+" §4.3 (audience REQUIRED)", playground.FaultIdPSkipAudienceMissing, []string{"invalid_request", "invalid_target"},
		"the IdP picks the resource AS itself, so the client cannot tell which AS the ID-JAG is for",
		change(func(f url.Values) { delete(f, "audience") })),
	refusal("audience_unknown", "an audience the IdP does not broker to", draft+" §4.3.3; RFC 8693 §2.2.2 (invalid_target)", playground.FaultIdPSkipAudience, []string{"invalid_target"},
		"any authorization server can get ID-JAGs for this IdP's users",
		change(func(f url.Values) { f.Set("audience", conformOtherAudience) })),
	refusal("resource_not_governed", "a resource the audience does not govern", draft+" §4.3.3; RFC 8707 §2; RFC 8693 §2.2.2 (invalid_target)", playground.FaultIdPSkipResource, []string{"invalid_target"},
		"an ID-JAG names an API the connection never allowed",
		change(func(f url.Values) { f.Set("resource", conformOtherResource) })),
	{Case: Case{ID: "scope_beyond_policy", Title: "a scope beyond the IdP's policy", Kind: CasePolicy, Party: PartyIdP, Rule: "token_exchange.scope",
		Spec: draft + " §4.3; RFC 8693 §2.2.1 (scope in the response when it differs)", Fault: playground.FaultIdPSkipScope, ExpectedErrors: []string{"invalid_scope"},
		Risk: "policy: refusing and narrowing (saying so) are both right; granting it is a vulnerability"},
		build: func(_ context.Context, in *idpInput) idpRequest {
			r := in.request()
			r.form.Set("scope", strings.TrimSpace(in.cfg.ResourceAS.Scopes.String()+" "+conformBeyondPolicy))
			r.withheld = conformBeyondPolicy
			return r
		},
		accepted: scopeWithin},
	refusal("user_not_assigned", "a user not assigned to the resource app", draft+" §4.3.3 (the IdP's policy)", playground.FaultIdPSkipUserAssigned, []string{"invalid_target", "invalid_grant", "access_denied", "invalid_request"},
		"every user of the requesting app reaches every resource app, assigned or not",
		func(ctx context.Context, in *idpInput) idpRequest {
			user := in.cfg.Conform.UnassignedUser
			if user == "" {
				return idpRequest{skip: "needs a user not assigned to the resource app: conform.unassigned_user (the run logs in as them)"}
			}
			tok, xs, err := in.loginAs(ctx, user)
			if err == nil && sameSubject(tok, in.st.idToken) {
				// A browser still signed in as the first user answers the
				// second login with them: refusing or accepting that proves
				// nothing about an unassigned user.
				err = fmt.Errorf("the login as %s gave an ID token of the same user as the run's first login (the same sub): was the browser still signed in as them? Sign out at the IdP, or log in as %s when the browser asks", user, user)
			}
			r := in.requestWith(tok, inspect.TokenTypeIDToken)
			r.err, r.exchanges = err, xs
			r.notes = append(r.notes, "the subject is an ID token of "+user+" (conform.unassigned_user)")
			return r
		}),
	// Last: it revokes the run's refresh token, which no later case may use.
	refusal("refresh_revoked", "a refresh token the client revoked", specSubject+"; RFC 7009 §2.1", playground.FaultIdPSkipRefreshRevoked, refusalSubject,
		"a leaked refresh token keeps minting ID-JAGs after the app revoked it",
		func(ctx context.Context, in *idpInput) idpRequest {
			md := in.st.in.IdP
			switch {
			case in.st.refreshToken == "":
				return idpRequest{skip: "needs a refresh token: offline_access in idp.scopes"}
			case in.runner.Token != "":
				return idpRequest{skip: "revokes the refresh token it exchanges: it uses one from its own login, never one given with --token"}
			case md == nil || md.RevocationEndpoint == "":
				return idpRequest{skip: "needs the IdP's revocation_endpoint (RFC 7009) in its metadata"}
			}
			rt := in.st.refreshToken
			s := in.runner.Env.Client(in.cfg.Secrets())
			err := s.Revoke(ctx, wire.PartyIdP, "revocation (refresh_revoked)", md.RevocationEndpoint, rt, "refresh_token", in.auth)
			in.st.refreshToken = "" // revoked (or meant to be): a later run must log in again
			r := in.requestWith(rt, inspect.TokenTypeRefreshToken)
			r.exchanges = s.Exchanges()
			if err != nil {
				r.err = fmt.Errorf("the revocation was not accepted: %w", err)
			}
			r.notes = append(r.notes, "the refresh token was revoked at "+md.RevocationEndpoint+" first")
			return r
		}),
}

// refusal is a strict IdP case: a token exchange the IdP must refuse.
func refusal(id, title, spec, fault string, expected []string, risk string, build func(context.Context, *idpInput) idpRequest) idpCase {
	return idpCase{Case: Case{ID: id, Title: title, Kind: CaseStrict, Party: PartyIdP, Spec: spec, Fault: fault, ExpectedErrors: expected, Risk: risk}, build: build}
}

// answerCase is a check of the baseline's good answer.
func answerCase(id, title, spec, fault string, judge func(*idpInput, *idpBaseline) answerVerdict) idpCase {
	return idpCase{Case: Case{ID: id, Title: title, Kind: CaseAnswer, Party: PartyIdP, Rule: answerRule(id), Spec: spec, Fault: fault}, answer: judge}
}

// answerRule names the inspect check an answer case applies, or the rule
// of the response it checks.
func answerRule(id string) string {
	switch id {
	case "issued_token_type", "token_type":
		return "token_exchange." + id
	case "sub_stable":
		return "id_jag.sub"
	case "jti_unique":
		return "id_jag.jti"
	}
	return "id_jag." + id
}

// mustJSON encodes claims that were decoded from JSON (so they encode).
func mustJSON(o inspect.Object) []byte {
	b, _ := o.MarshalJSON()
	return b
}
