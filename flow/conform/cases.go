package conform

import (
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/xaatools/xaa/flow/config"

	"github.com/xaatools/xaa/flow/playground"
)

// CaseKind says how a conformance case is judged.
type CaseKind int

// The kinds of case: a strict rule (a broken ID-JAG that must be
// rejected), the valid baseline (must be accepted), a policy probe (the
// draft leaves the answer to the resource app; both answers are reported,
// only a grant beyond the ID-JAG counts as vulnerable), and a strictness
// case (an RFC's exact rule that widely used implementations relax:
// accepting is a finding, lenient, scored apart from the security cases).
const (
	CaseStrict CaseKind = iota
	CaseBaseline
	CasePolicy
	CaseStrictness
	// CaseAnswer is an IdP scorecard check of the good answer (the
	// baseline's ID-JAG and response): right, or wrong.
	CaseAnswer
)

// Parties a scorecard tests: the resource AS (xaa conform) or the IdP
// (xaa conform --idp).
const (
	PartyAS  = "as"
	PartyIdP = "idp"
)

// String returns the identifier used in JSON: baseline, strict, policy,
// strictness.
func (k CaseKind) String() string {
	switch k {
	case CaseBaseline:
		return "baseline"
	case CasePolicy:
		return "policy"
	case CaseStrictness:
		return "strictness"
	case CaseAnswer:
		return "answer"
	}
	return "strict"
}

// MarshalText encodes the kind as its identifier.
func (k CaseKind) MarshalText() ([]byte, error) { return []byte(k.String()), nil }

// Values the broken ID-JAGs carry. The example domains are reserved (RFC
// 2606), so none of them can be someone's real server.
const (
	conformOtherAudience = "https://as.other.example"
	conformOtherResource = "https://api.other.example"
	conformOtherClientID = "xaa-conform-other-client"
	conformUnknownKID    = "xaa-conform-unknown-kid"
	// conformRequestingApp is the aud of the ID token case when the config
	// names no client at the IdP.
	conformRequestingApp = "xaa-conform-requesting-app"
	// conformUser is the demo user the ID-JAGs are for, and
	// conformUnknownUser one the resource app has not provisioned.
	conformUser        = "alice"
	conformUnknownUser = "dave"
)

// conformAlgorithms are the algorithms the conformance IdP signs with: RS256
// for ID-JAGs; its JWKS also holds an ES256 key.
var conformAlgorithms = []string{"RS256", "ES256"}

// ruleSingleAssertion is the rule of the request that it carries one
// assertion (RFC 7521 §4.1); the playground's as-skip-single-assertion
// fault names it.
const ruleSingleAssertion = "request.single_assertion"

// caseAudTokenEndpoint is the case whose aud is the token endpoint URL: an
// AS that wants that aud refuses the baseline and accepts it.
const caseAudTokenEndpoint = "aud_token_endpoint"

const (
	draft   = "draft-ietf-oauth-identity-assertion-authz-grant-04"
	draftAS = draft + " §4.4.1"
)

// Case is one ID-JAG sent to the resource AS under test: valid, or
// breaking exactly one rule of the draft (§3.1, §4.4.1).
type Case struct {
	// ID is stable ("alg_none"); --case selects cases by it.
	ID string `json:"id"`
	// Title says what is wrong with the token, in a few words.
	Title string   `json:"title"`
	Kind  CaseKind `json:"kind"`
	// Rule is the inspect check the token breaks ("id_jag.alg"), or a rule
	// of the request itself (request.single_assertion); the playground's
	// as-skip-* faults name the same rules.
	Rule string `json:"rule,omitempty"`
	// Spec cites the rule.
	Spec string `json:"spec,omitempty"`
	// Risk says in one sentence what accepting the token gives an attacker.
	Risk string `json:"risk,omitempty"`
	// ExpectedErrors are the error codes of a correct rejection.
	ExpectedErrors []string `json:"expected_errors,omitempty"`
	// Party is PartyIdP for the IdP scorecard's cases; "" for the
	// resource AS's.
	Party string `json:"party,omitempty"`
	// Fault is the playground fault that makes the playground fail this
	// case (its as-skip-* or idp-skip-* proof).
	Fault string `json:"fault,omitempty"`

	build func(*caseInput) (caseRequest, error)
	// onAccept and onReject say what an answer means where accepting is
	// not a vulnerability (policy probes, strictness cases, a scope case
	// that grants nothing withheld).
	onAccept, onReject string
}

// caseInput is what a case builds its token from.
type caseInput struct {
	idps *IdPs
	cfg  *config.Config
	// resource is what the ID-JAGs name (Setup.Resource).
	resource      string
	tokenEndpoint string
}

// caseRequest is the jwt-bearer request of one case.
type caseRequest struct {
	assertion string
	// scope is the request's scope parameter; "" sends none.
	scope string
	// withheld is a scope the ID-JAG does not grant: a response granting
	// it is a vulnerability (scope cases only).
	withheld string
	// replay sends the assertion twice and judges the second answer.
	replay bool
	// extra are further assertion parameters, sent after the first in the
	// same request.
	extra []string
	// skip says why the case cannot run with this config.
	skip string
}

// Cases returns every case, baseline first, in the order the
// resource AS applies its rules (draft §4.4.1), then the strictness cases,
// then the policy probes.
func Cases() []Case { return slices.Clone(conformCases) }

var conformCases = withExpectedErrors([]Case{
	{ID: "baseline", Title: "valid ID-JAG (baseline)", Kind: CaseBaseline, Spec: draft + " §3.1, §4.4",
		Risk:  "none: it must be accepted, or the rejections below prove nothing",
		build: func(in *caseInput) (caseRequest, error) { return in.mint(nil) }},

	{ID: "repeated_assertion", Title: "two assertion parameters in one request", Rule: ruleSingleAssertion, Spec: "RFC 7521 §4.1 (a single assertion); RFC 6749 §3.2 (no parameter more than once)",
		ExpectedErrors: []string{"invalid_request", "invalid_grant"},
		Risk:           "the AS picks one of several assertions, so the one a gateway or log checked need not be the one that is redeemed",
		build:          func(in *caseInput) (caseRequest, error) { return in.twoAssertions() }},

	{ID: "id_token", Title: "the ID token sent instead of an ID-JAG", Rule: "kind", Spec: draft + " §3.1; RFC 8725 §3.11",
		Risk:  "the user's ID token, which the requesting app and others hold, works as a grant to this resource",
		build: func(in *caseInput) (caseRequest, error) { return in.idToken() }},
	{ID: "wrong_typ", Title: "typ JWT instead of oauth-id-jag+jwt", Rule: "id_jag.typ", Spec: draft + " §3.1; RFC 8725 §3.11",
		Risk:  "other JWTs the IdP signs (ID tokens, logout tokens) can be presented as ID-JAGs",
		build: mutate(func(m *playground.MintRequest) { m.Header["typ"] = "JWT" })},
	{ID: "missing_typ", Title: "no typ header", Rule: "id_jag.typ", Spec: draft + " §3.1; RFC 8725 §3.11",
		Risk:  "any JWT the IdP signs without a typ passes as an ID-JAG",
		build: mutate(func(m *playground.MintRequest) { m.Header["typ"] = nil })},

	{ID: "alg_none", Title: "alg none (unsigned)", Rule: "id_jag.alg", Spec: "RFC 8725 §3.1; " + draftAS,
		Risk:  "anyone can forge an ID-JAG for any user without a key",
		build: mutate(func(m *playground.MintRequest) { m.Header["alg"] = "none" })},
	{ID: "alg_hs256_public_key", Title: "HS256 keyed with the IdP's public key", Rule: "id_jag.alg", Spec: "RFC 8725 §2.1, §3.1; " + draftAS,
		Risk:  "anyone can forge ID-JAGs by HMAC-signing them with the IdP's published key (algorithm confusion)",
		build: mutate(func(m *playground.MintRequest) { m.Header["alg"] = "HS256" })},
	{ID: "alg_not_allowed", Title: "PS256, which the IdP does not use (its own key)", Rule: "id_jag.alg", Spec: "RFC 8725 §3.1; " + draftAS,
		Risk:  "the token's header, not an allow-list, picks the verification algorithm — the opening algorithm-confusion attacks use",
		build: mutate(func(m *playground.MintRequest) { m.Header["alg"] = "PS256" })},

	{ID: "untrusted_issuer", Title: "untrusted issuer (another IdP's iss and key)", Rule: "id_jag.iss", Spec: draftAS,
		Risk:  "any IdP, including one an attacker runs, can sign users in to this resource app",
		build: func(in *caseInput) (caseRequest, error) { return in.fromUntrusted() }},
	{ID: "iss_not_bound", Title: "another issuer's iss, signed with the trusted IdP's key", Rule: "id_jag.iss", Spec: draftAS,
		Risk: "keys are not bound to their issuer, so one trusted IdP can speak for the users of another",
		build: func(in *caseInput) (caseRequest, error) {
			return in.mint(func(m *playground.MintRequest) { m.Claims["iss"] = in.idps.Untrusted.IdPURL() })
		}},

	{ID: "bad_signature", Title: "claims altered after signing", Rule: "id_jag.signature", Spec: draftAS + "; RFC 7523 §3 item 9",
		Risk:  "anyone holding one real ID-JAG can edit its claims and still have it honoured",
		build: func(in *caseInput) (caseRequest, error) { return in.tampered() }},
	{ID: "unknown_key_same_kid", Title: "signed by an unknown key under the IdP's kid", Rule: "id_jag.signature", Spec: draftAS + "; RFC 7523 §3 item 9",
		Risk:  "a token signed with any key passes as long as it names the IdP's kid",
		build: mutate(func(m *playground.MintRequest) { m.Key = playground.MintUnpublishedRS256 })},
	{ID: "unknown_kid", Title: "signed by an unknown key with an unknown kid", Rule: "id_jag.signature", Spec: draftAS + "; RFC 7523 §3 item 9",
		Risk: "a kid missing from the IdP's JWKS makes the AS fall back to no or the wrong verification",
		build: mutate(func(m *playground.MintRequest) {
			m.Key, m.Header["kid"] = playground.MintUnpublishedRS256, conformUnknownKID
		})},

	{ID: "wrong_aud", Title: "aud of another authorization server", Rule: "id_jag.aud", Spec: draftAS + "; RFC 7523 §3 item 3",
		Risk:  "an ID-JAG minted for another resource AS can be spent here",
		build: mutate(func(m *playground.MintRequest) { m.Claims["aud"] = conformOtherAudience })},
	{ID: caseAudTokenEndpoint, Title: "aud is the token endpoint URL, not the issuer", Rule: "id_jag.aud", Spec: draftAS,
		Risk: "aud is not compared with the issuer byte for byte, so audiences this AS does not own may pass too",
		build: func(in *caseInput) (caseRequest, error) {
			if in.tokenEndpoint == in.cfg.ResourceAS.Issuer {
				return caseRequest{skip: "the token endpoint is resource_as.issuer, so this ID-JAG would be the baseline"}, nil
			}
			return in.mint(func(m *playground.MintRequest) { m.Claims["aud"] = in.tokenEndpoint })
		}},
	{ID: "aud_two_values", Title: "aud array with a second authorization server", Rule: "id_jag.aud", Spec: draftAS + " (one audience)",
		Risk: "one ID-JAG is valid at several authorization servers, so any of them can replay it here",
		build: func(in *caseInput) (caseRequest, error) {
			return in.mint(func(m *playground.MintRequest) {
				m.Claims["aud"] = []string{in.cfg.ResourceAS.Issuer, conformOtherAudience}
			})
		}},

	{ID: "expired", Title: "expired ten minutes ago", Rule: "id_jag.exp", Spec: "RFC 7523 §3 item 4; " + draftAS,
		Risk: "a leaked or logged ID-JAG stays usable forever",
		build: mutateAt(func(m *playground.MintRequest, iat time.Time) {
			m.Claims["iat"], m.Claims["exp"] = iat.Add(-15*time.Minute).Unix(), iat.Add(-10*time.Minute).Unix()
		})},
	{ID: "iat_future", Title: "issued ten minutes in the future", Rule: "id_jag.iat", Spec: "RFC 7519 §4.1.6; " + draftAS,
		Risk: "tokens minted ahead of time (a wrong or compromised IdP clock) are honoured before they exist",
		build: mutateAt(func(m *playground.MintRequest, iat time.Time) {
			m.Claims["iat"], m.Claims["exp"] = iat.Add(10*time.Minute).Unix(), iat.Add(12*time.Minute).Unix()
		})},
	{ID: "nbf_future", Title: "not valid before four minutes from now", Rule: "id_jag.nbf", Spec: "RFC 7523 §3 item 5; " + draftAS,
		Risk: "the IdP's nbf is ignored, so tokens meant for later work now",
		build: mutateAt(func(m *playground.MintRequest, iat time.Time) {
			m.Claims["nbf"] = iat.Add(4 * time.Minute).Unix()
		})},
	{ID: "lifetime_too_long", Title: "lives 24 hours instead of minutes", Rule: "id_jag.lifetime", Spec: draft + " §3.1; Okta id_jag_lifetime_too_long (5 minutes)",
		Risk: "a leaked ID-JAG stays usable for a day instead of minutes",
		build: mutateAt(func(m *playground.MintRequest, iat time.Time) {
			m.Claims["exp"] = iat.Add(24 * time.Hour).Unix()
		})},

	{ID: "missing_jti", Title: "no jti", Rule: "id_jag.jti", Spec: draft + " §3.1 (jti REQUIRED); RFC 7523 §3 item 7",
		Risk:  "without a jti the AS cannot notice a replayed ID-JAG",
		build: mutate(func(m *playground.MintRequest) { m.Claims["jti"] = nil })},
	{ID: "replayed_jti", Title: "the valid ID-JAG sent a second time", Rule: "id_jag.jti", Spec: draftAS + "; RFC 7523 §3 item 7; MCP enterprise-managed authorization (replay detection REQUIRED)",
		Risk: "a stolen ID-JAG can be redeemed again and again until it expires",
		build: func(in *caseInput) (caseRequest, error) {
			r, err := in.mint(nil)
			r.replay = true
			return r, err
		}},

	{ID: "other_client", Title: "client_id of another client", Rule: "id_jag.client_id", Spec: draftAS,
		Risk:  "a client can redeem ID-JAGs the IdP issued to another client",
		build: mutate(func(m *playground.MintRequest) { m.Claims["client_id"] = conformOtherClientID })},
	{ID: "missing_sub", Title: "no sub", Rule: "id_jag.sub", Spec: draft + " §3.1 (sub REQUIRED), §4.4.1",
		Risk:  "the AS issues access tokens that name no user",
		build: mutate(func(m *playground.MintRequest) { m.Claims["sub"] = nil })},
	{ID: "scope_not_granted", Title: "requests a scope the ID-JAG does not grant", Rule: "id_jag.scope", Spec: draftAS + "; RFC 7521 §4.1; MCP enterprise-managed authorization §7.2.1",
		ExpectedErrors: []string{"invalid_grant", "invalid_scope"},
		Risk:           "a client can give itself scopes the IdP never granted for this user",
		build:          func(in *caseInput) (caseRequest, error) { return in.withheldScope(false) },
		onAccept:       "the withheld scope was not granted, so this is not a vulnerability (refusing is cleaner)"},
	{ID: "resource_mismatch", Title: "resource claim names another API", Rule: "id_jag.resource", Spec: draftAS + "; MCP enterprise-managed authorization §7.6.2",
		ExpectedErrors: []string{"invalid_grant", "invalid_target"},
		Risk:           "an ID-JAG granted for another API becomes an access token for this one",
		build:          mutate(func(m *playground.MintRequest) { m.Claims["resource"] = conformOtherResource })},

	{ID: "aud_trailing_slash", Title: "aud differs by a trailing slash (strict, RFC 7523 §3)", Kind: CaseStrictness, Rule: "id_jag.aud",
		Spec: "RFC 7523 §3 item 3 (aud compared exactly); " + draftAS + "; the MCP conformance suite and the official MCP Go SDK treat a trailing slash as insignificant",
		Risk: "strictness: the aud is this AS's own issuer with a trailing slash added or taken away; accepting it is common, but RFC 7523 §3 asks for an exact match",
		build: func(in *caseInput) (caseRequest, error) {
			return in.mint(func(m *playground.MintRequest) { m.Claims["aud"] = slashVariant(in.cfg.ResourceAS.Issuer) })
		},
		onAccept: "an aud that differs by a trailing slash passed, as the MCP conformance suite and the MCP Go SDK allow; RFC 7523 §3 compares exactly",
		onReject: "the AS refuses an aud that differs by a trailing slash, as RFC 7523 §3's exact comparison asks"},

	{ID: "unknown_user", Title: "unknown user (a sub the resource app has not provisioned)", Kind: CasePolicy, Rule: "id_jag.sub", Spec: draft + " §3.1, §4.4.1 (sub resolved to a local user; email for just-in-time provisioning)",
		ExpectedErrors: []string{"invalid_grant", "access_denied"},
		Risk:           "policy: rejecting is strict; accepting means the AS provisions (or admits) users it has never seen",
		build: func(in *caseInput) (caseRequest, error) {
			return in.mintFor(in.idps.Trusted, conformUnknownUser, nil)
		},
		onAccept: "the AS admits a user it has not provisioned (just-in-time provisioning); make sure that is intended",
		onReject: "the AS requires a provisioned user"},
	{ID: "trimmed_scopes", Title: "requests more scopes than the ID-JAG grants", Kind: CasePolicy, Rule: "id_jag.scope", Spec: "MCP enterprise-managed authorization §7.2.1 (grant the intersection); RFC 6749 §3.3",
		ExpectedErrors: []string{"invalid_grant", "invalid_scope"},
		Risk:           "policy: refusing and granting only the ID-JAG's scopes are both fine; granting the rest is a vulnerability",
		build:          func(in *caseInput) (caseRequest, error) { return in.withheldScope(true) },
		onAccept:       "the AS trims the request to the ID-JAG's scopes (the intersection)",
		onReject:       "the AS refuses rather than trims"},
})

// withExpectedErrors fills in invalid_grant, the error the draft uses for
// every ID-JAG validation failure (§4.4.1 via RFC 7523 §3.1), where a case
// names no other.
func withExpectedErrors(cases []Case) []Case {
	for i := range cases {
		if cases[i].Kind != CaseBaseline && len(cases[i].ExpectedErrors) == 0 {
			cases[i].ExpectedErrors = []string{"invalid_grant"}
		}
	}
	return cases
}

// mutate builds a case from the valid ID-JAG with one change.
func mutate(change func(*playground.MintRequest)) func(*caseInput) (caseRequest, error) {
	return func(in *caseInput) (caseRequest, error) { return in.mint(change) }
}

// mutateAt is mutate for changes to the time claims, relative to the
// template's iat (the IdP's clock).
func mutateAt(change func(*playground.MintRequest, time.Time)) func(*caseInput) (caseRequest, error) {
	return mutate(func(m *playground.MintRequest) {
		iat, _ := m.Claims["iat"].(int64)
		change(m, time.Unix(iat, 0))
	})
}

// template is the valid ID-JAG for user, from idp, addressed to the AS
// under test: its issuer as aud, its client as client_id, the configured
// resource and scopes.
func (in *caseInput) template(idp *playground.Playground, user string) (playground.MintRequest, error) {
	m, err := idp.IDJAGTemplate(user)
	if err != nil {
		return m, err
	}
	as := in.cfg.ResourceAS
	m.Claims["aud"], m.Claims["client_id"] = as.Issuer, as.ClientID
	m.Claims["resource"] = nilIfEmpty(in.resource)
	m.Claims["scope"] = nilIfEmpty(as.Scopes.String())
	return m, nil
}

// mint signs the valid ID-JAG for the demo user with one change (nil: none)
// and requests the configured scopes.
func (in *caseInput) mint(change func(*playground.MintRequest)) (caseRequest, error) {
	return in.mintFor(in.idps.Trusted, conformUser, change)
}

func (in *caseInput) mintFor(idp *playground.Playground, user string, change func(*playground.MintRequest)) (caseRequest, error) {
	m, err := in.template(idp, user)
	if err != nil {
		return caseRequest{}, err
	}
	if change != nil {
		change(&m)
	}
	tok, err := idp.Mint(m)
	return caseRequest{assertion: tok, scope: in.cfg.ResourceAS.Scopes.String()}, err
}

// fromUntrusted is the valid ID-JAG as the untrusted IdP signs it: its own
// iss and key.
func (in *caseInput) fromUntrusted() (caseRequest, error) {
	return in.mintFor(in.idps.Untrusted, conformUser, nil)
}

// tampered is a valid ID-JAG whose claims were changed after signing: the
// jti gets a suffix, so the token is otherwise as good as the baseline.
func (in *caseInput) tampered() (caseRequest, error) {
	r, err := in.mint(nil)
	if err != nil {
		return r, err
	}
	parts := strings.Split(r.assertion, ".")
	if len(parts) != 3 {
		return r, errors.New("the minted ID-JAG is not a compact JWS")
	}
	payload, err := base64.RawURLEncoding.DecodeString(parts[1])
	if err != nil {
		return r, err
	}
	var claims map[string]any
	if err := json.Unmarshal(payload, &claims); err != nil {
		return r, err
	}
	claims["jti"] = fmt.Sprint(claims["jti"]) + "-altered"
	altered, err := json.Marshal(claims)
	if err != nil {
		return r, err
	}
	parts[1] = base64.RawURLEncoding.EncodeToString(altered)
	r.assertion = strings.Join(parts, ".")
	return r, nil
}

// idToken is an OIDC ID token (OIDC Core §2) from the trusted IdP for the
// demo user: no typ, aud the requesting app, a nonce and auth_time.
func (in *caseInput) idToken() (caseRequest, error) {
	m, err := in.template(in.idps.Trusted, conformUser)
	if err != nil {
		return caseRequest{}, err
	}
	iat, _ := m.Claims["iat"].(int64)
	aud := in.cfg.IdP.ClientID
	if aud == "" {
		aud = conformRequestingApp
	}
	m.Header["typ"] = nil
	m.Claims = map[string]any{
		"iss": m.Claims["iss"], "sub": m.Claims["sub"], "aud": aud,
		"iat": iat, "exp": iat + int64(5*time.Minute/time.Second), "auth_time": iat, "amr": []string{"pwd"},
		"nonce": "xaa-conform-" + fmt.Sprint(m.Claims["jti"]), "email": m.Claims["email"],
	}
	tok, err := in.idps.Trusted.Mint(m)
	return caseRequest{assertion: tok, scope: in.cfg.ResourceAS.Scopes.String()}, err
}

// twoAssertions sends two valid ID-JAGs for the demo user (each its own
// jti) as two assertion parameters. Both are valid so that an AS that takes
// the first and one that takes the last both issue a token: only refusing
// the request passes.
func (in *caseInput) twoAssertions() (caseRequest, error) {
	r, err := in.mint(nil)
	if err != nil {
		return r, err
	}
	second, err := in.mint(nil)
	r.extra = []string{second.assertion}
	return r, err
}

// withheldScope grants every configured scope but the last in the ID-JAG
// and requests the last one (trim: all of them).
func (in *caseInput) withheldScope(trim bool) (caseRequest, error) {
	scopes := in.cfg.ResourceAS.Scopes
	if len(scopes) < 2 {
		return caseRequest{skip: "needs two scopes in resource_as.scopes: one the ID-JAG grants, one it withholds"}, nil
	}
	granted, withheld := config.Scopes(scopes[:len(scopes)-1]), scopes[len(scopes)-1]
	r, err := in.mint(func(m *playground.MintRequest) { m.Claims["scope"] = granted.String() })
	r.scope, r.withheld = withheld, withheld
	if trim {
		r.scope = scopes.String()
	}
	return r, err
}

// slashVariant adds a trailing slash, or takes it away.
func slashVariant(issuer string) string {
	if strings.HasSuffix(issuer, "/") {
		return strings.TrimSuffix(issuer, "/")
	}
	return issuer + "/"
}

// nonEmpty is s as a list of one, or none.
func nonEmpty(s string) []string {
	if s == "" {
		return nil
	}
	return []string{s}
}

func nilIfEmpty(s string) any {
	if s == "" {
		return nil
	}
	return s
}
