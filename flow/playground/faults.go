package playground

import (
	"fmt"
	"slices"
	"strings"
	"time"
)

// Parties a fault belongs to.
const (
	PartyIdP      = "idp"
	PartyAS       = "as"
	PartyResource = "resource"
)

// Steps of the flow, as named in `xaa run --json` (docs/formats.md).
const (
	StepLogin         = "login"
	StepTokenExchange = "token_exchange"
	StepJWTBearer     = "jwt_bearer"
	StepResource      = "resource"
)

// IdP faults: each bends one thing the IdP does.
const (
	FaultIDJAGWrongAud      = "idjag-wrong-aud"
	FaultIDJAGWrongTyp      = "idjag-wrong-typ"
	FaultIDJAGExpired       = "idjag-expired"
	FaultIDJAGUnknownKID    = "idjag-unknown-kid"
	FaultIDJAGBadSignature  = "idjag-bad-signature"
	FaultIDJAGMissingJTI    = "idjag-missing-jti"
	FaultIDJAGLongLifetime  = "idjag-long-lifetime"
	FaultIDJAGWrongClientID = "idjag-wrong-client-id"
	FaultNoConnection       = "no-connection"
	FaultUserNotAssigned    = "user-not-assigned"
	FaultIdPSlow            = "idp-slow"
	FaultIdP500             = "idp-500"
)

// Resource AS faults: each switches off exactly one ID-JAG validation rule,
// named by its inspect check ID (id_jag.typ, …).
const (
	FaultASSkipTyp       = "as-skip-typ"
	FaultASSkipAlg       = "as-skip-alg"
	FaultASSkipIss       = "as-skip-iss"
	FaultASSkipSignature = "as-skip-signature"
	FaultASSkipAud       = "as-skip-aud"
	FaultASSkipExp       = "as-skip-exp"
	FaultASSkipIat       = "as-skip-iat"
	FaultASSkipNbf       = "as-skip-nbf"
	FaultASSkipLifetime  = "as-skip-lifetime"
	FaultASSkipJTI       = "as-skip-jti"
	FaultASSkipClientID  = "as-skip-client-id"
	FaultASSkipSub       = "as-skip-sub"
	FaultASSkipScope     = "as-skip-scope"
	FaultASSkipResource  = "as-skip-resource"
	// FaultASSkipSingleAssertion switches off a rule of the request, not
	// of the ID-JAG: its check ID is request.single_assertion.
	FaultASSkipSingleAssertion = "as-skip-single-assertion"
)

// Okta profile misconfigurations: each makes the IdP answer the way an Okta
// org with that mistake does. They need Options.Profile "okta".
const (
	FaultOktaXAADisabled               = "okta-xaa-disabled"
	FaultOktaGrantNotEnabled           = "okta-grant-not-enabled"
	FaultOktaRefreshNotEnabled         = "okta-refresh-not-enabled"
	FaultOktaUserNotAssignedRequesting = "okta-user-not-assigned-requesting"
	FaultOktaUserNotAssignedResource   = "okta-user-not-assigned-resource"
	FaultOktaNoConnection              = "okta-no-connection"
	FaultOktaTodo0Audience             = "okta-todo0-audience"
	FaultOktaRedirectNotRegistered     = "okta-redirect-not-registered"
	FaultOktaWrongSecret               = "okta-wrong-secret"
)

// IdPSlowDelay is how long the idp-slow fault holds each token-exchange
// response.
const IdPSlowDelay = 3 * time.Second

// Okta's Todo0 placeholder: Okta-minted ID-JAGs for the Todo0 catalog app
// carry this audience and client id whatever the request says (protocol
// reference §7, oktadev/okta-cross-app-access-mcp issue #10).
const (
	todo0Audience = "http://localhost:5001"
	todo0ClientID = "wiki0-at-todo0"
)

// FaultInfo describes one fault.
type FaultInfo struct {
	Name string `json:"name"`
	// Party is where the fault lives: "idp", "as" or "resource".
	Party string `json:"party"`
	// Step is the step of the flow that shows it (the step ids of docs/formats.md).
	Step string `json:"step"`
	// CheckID is the inspect check an AS fault switches off, or a rule of
	// the token request (request.single_assertion).
	CheckID string `json:"check_id,omitempty"`
	// Profile is "okta" for faults that need the Okta profile.
	Profile     string `json:"profile,omitempty"`
	Description string `json:"description"`
}

var faultTable = []FaultInfo{
	{Name: FaultIDJAGWrongAud, Party: PartyIdP, Step: StepJWTBearer, Description: "the ID-JAG's aud is the resource AS issuer with a trailing slash; the AS refuses it (id_jag.aud)"},
	{Name: FaultIDJAGWrongTyp, Party: PartyIdP, Step: StepJWTBearer, Description: "the ID-JAG's typ header is JWT instead of oauth-id-jag+jwt (id_jag.typ)"},
	{Name: FaultIDJAGExpired, Party: PartyIdP, Step: StepJWTBearer, Description: "the ID-JAG expired five minutes before it was issued to the client (id_jag.exp)"},
	{Name: FaultIDJAGUnknownKID, Party: PartyIdP, Step: StepJWTBearer, Description: "the ID-JAG is signed with a key whose kid is not in the IdP's JWKS (id_jag.signature)"},
	{Name: FaultIDJAGBadSignature, Party: PartyIdP, Step: StepJWTBearer, Description: "the ID-JAG names the IdP's current kid but is signed with another key (id_jag.signature)"},
	{Name: FaultIDJAGMissingJTI, Party: PartyIdP, Step: StepJWTBearer, Description: "the ID-JAG has no jti, so replay cannot be detected (id_jag.jti)"},
	{Name: FaultIDJAGLongLifetime, Party: PartyIdP, Step: StepJWTBearer, Description: "the ID-JAG lives one hour instead of five minutes (id_jag.lifetime)"},
	{Name: FaultIDJAGWrongClientID, Party: PartyIdP, Step: StepJWTBearer, Description: "the ID-JAG's client_id is the client id at the IdP, not the one at the resource AS (id_jag.client_id)"},
	{Name: FaultNoConnection, Party: PartyIdP, Step: StepTokenExchange, Description: "the IdP has no connection from the requesting app to the resource AS: the token exchange answers invalid_target"},
	{Name: FaultUserNotAssigned, Party: PartyIdP, Step: StepTokenExchange, Description: "no user is assigned to the resource app: the token exchange answers invalid_target"},
	{Name: FaultIdPSlow, Party: PartyIdP, Step: StepTokenExchange, Description: fmt.Sprintf("the IdP holds every token-exchange response for %s", IdPSlowDelay)},
	{Name: FaultIdP500, Party: PartyIdP, Step: StepTokenExchange, Description: "the token exchange fails with HTTP 500 server_error"},

	{Name: FaultASSkipTyp, Party: PartyAS, Step: StepJWTBearer, CheckID: "id_jag.typ", Description: "the resource AS does not check the ID-JAG's typ header"},
	{Name: FaultASSkipAlg, Party: PartyAS, Step: StepJWTBearer, CheckID: "id_jag.alg", Description: "the resource AS accepts any asymmetric alg, not just its allow-list (RS256, ES256)"},
	{Name: FaultASSkipIss, Party: PartyAS, Step: StepJWTBearer, CheckID: "id_jag.iss", Description: "the resource AS does not check that iss is a trusted issuer; it verifies with the embedded IdP's keys whatever iss says"},
	{Name: FaultASSkipSignature, Party: PartyAS, Step: StepJWTBearer, CheckID: "id_jag.signature", Description: "the resource AS does not verify the ID-JAG's signature"},
	{Name: FaultASSkipAud, Party: PartyAS, Step: StepJWTBearer, CheckID: "id_jag.aud", Description: "the resource AS does not check that aud is its own issuer"},
	{Name: FaultASSkipExp, Party: PartyAS, Step: StepJWTBearer, CheckID: "id_jag.exp", Description: "the resource AS accepts expired ID-JAGs"},
	{Name: FaultASSkipIat, Party: PartyAS, Step: StepJWTBearer, CheckID: "id_jag.iat", Description: "the resource AS accepts ID-JAGs issued in the future"},
	{Name: FaultASSkipNbf, Party: PartyAS, Step: StepJWTBearer, CheckID: "id_jag.nbf", Description: "the resource AS accepts ID-JAGs before their nbf"},
	{Name: FaultASSkipLifetime, Party: PartyAS, Step: StepJWTBearer, CheckID: "id_jag.lifetime", Description: "the resource AS accepts ID-JAGs that live longer than 5 minutes"},
	{Name: FaultASSkipJTI, Party: PartyAS, Step: StepJWTBearer, CheckID: "id_jag.jti", Description: "the resource AS neither requires a jti nor detects replays"},
	{Name: FaultASSkipClientID, Party: PartyAS, Step: StepJWTBearer, CheckID: "id_jag.client_id", Description: "the resource AS does not compare the ID-JAG's client_id with the authenticated client"},
	{Name: FaultASSkipSub, Party: PartyAS, Step: StepJWTBearer, CheckID: "id_jag.sub", Description: "the resource AS neither requires sub nor maps it to a local user"},
	{Name: FaultASSkipScope, Party: PartyAS, Step: StepJWTBearer, CheckID: "id_jag.scope", Description: "the resource AS grants requested scopes the ID-JAG does not carry"},
	{Name: FaultASSkipResource, Party: PartyAS, Step: StepJWTBearer, CheckID: "id_jag.resource", Description: "the resource AS does not check the ID-JAG's resource claim"},
	{Name: FaultASSkipSingleAssertion, Party: PartyAS, Step: StepJWTBearer, CheckID: "request.single_assertion", Description: "the resource AS accepts a token request with the assertion parameter repeated and uses the first one (RFC 7521 §4.1 allows one assertion, RFC 6749 §3.2 no repeated parameter)"},

	{Name: FaultOktaXAADisabled, Party: PartyIdP, Step: StepTokenExchange, Profile: ProfileOkta, Description: "Cross App Access is not enabled for the org: the token exchange answers unsupported_grant_type"},
	{Name: FaultOktaGrantNotEnabled, Party: PartyIdP, Step: StepTokenExchange, Profile: ProfileOkta, Description: "the Token Exchange grant is not enabled on the requesting app: unauthorized_client"},
	{Name: FaultOktaRefreshNotEnabled, Party: PartyIdP, Step: StepLogin, Profile: ProfileOkta, Description: "the Refresh Token grant is not enabled on the requesting app: a login with offline_access gets no refresh token, and the refresh_token grant answers unauthorized_client"},
	{Name: FaultOktaUserNotAssignedRequesting, Party: PartyIdP, Step: StepTokenExchange, Profile: ProfileOkta, Description: "the user was unassigned from the requesting app after login: invalid_request ('subject_token' is invalid)"},
	{Name: FaultOktaUserNotAssignedResource, Party: PartyIdP, Step: StepTokenExchange, Profile: ProfileOkta, Description: "the user is not assigned to the resource app: invalid_target"},
	{Name: FaultOktaNoConnection, Party: PartyIdP, Step: StepTokenExchange, Profile: ProfileOkta, Description: "no managed connection from the requesting app to the resource app: invalid_target (invalid audience)"},
	{Name: FaultOktaTodo0Audience, Party: PartyIdP, Step: StepJWTBearer, Profile: ProfileOkta, Description: "the resource app is the Todo0 catalog app: ID-JAGs carry aud http://localhost:5001 and client_id wiki0-at-todo0 whatever was asked; the resource AS refuses them"},
	{Name: FaultOktaRedirectNotRegistered, Party: PartyIdP, Step: StepLogin, Profile: ProfileOkta, Description: "the redirect URI is not a sign-in redirect URI of the app: the authorization endpoint shows an error page"},
	{Name: FaultOktaWrongSecret, Party: PartyIdP, Step: StepLogin, Profile: ProfileOkta, Description: "the IdP holds another client secret than the config: every secret-authenticated token request answers invalid_client"},
}

func init() { faultTable = append(faultTable, idpSkipFaults...) }

// Faults lists every fault the playground knows.
func Faults() []FaultInfo { return slices.Clone(faultTable) }

// faultSet is the faults a playground runs with.
type faultSet map[string]bool

// parseFaults checks names against Faults() and the profile.
func parseFaults(names []string, profile string) (faultSet, error) {
	set := faultSet{}
	for _, n := range names {
		i := slices.IndexFunc(faultTable, func(f FaultInfo) bool { return f.Name == n })
		if i < 0 {
			all := make([]string, len(faultTable))
			for j, f := range faultTable {
				all[j] = f.Name
			}
			return nil, fmt.Errorf("unknown fault %q; the faults are: %s", n, strings.Join(all, ", "))
		}
		if p := faultTable[i].Profile; p != "" && p != profile {
			return nil, fmt.Errorf("fault %s needs --profile %s", n, p)
		}
		set[n] = true
	}
	return set, nil
}

// skipsCheck reports whether an AS fault switches off the check with id.
func (s faultSet) skipsCheck(id string) bool {
	for _, f := range faultTable {
		if f.CheckID == id && s[f.Name] {
			return true
		}
	}
	return false
}
