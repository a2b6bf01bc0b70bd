package playground

import "fmt"

// IdP-side conformance faults: each makes the IdP wrongly accept one
// token exchange `xaa conform --idp` sends, or answer one thing badly, so
// that exactly the case named after it fails (idp-skip-<case>).
const (
	FaultIdPSkipClientAuth           = "idp-skip-client-auth"
	FaultIdPSkipClientSecret         = "idp-skip-client-secret"
	FaultIdPSkipAssertionAud         = "idp-skip-assertion-aud"
	FaultIdPSkipAssertionJTI         = "idp-skip-assertion-jti"
	FaultIdPSkipSubjectClient        = "idp-skip-subject-client"
	FaultIdPSkipSubjectIssuer        = "idp-skip-subject-issuer"
	FaultIdPSkipSubjectExp           = "idp-skip-subject-exp"
	FaultIdPSkipSubjectSignature     = "idp-skip-subject-signature"
	FaultIdPSkipSubjectIDJAG         = "idp-skip-subject-idjag"
	FaultIdPSkipSubjectType          = "idp-skip-subject-type"
	FaultIdPSkipRefreshClient        = "idp-skip-refresh-client"
	FaultIdPSkipRefreshRevoked       = "idp-skip-refresh-revoked"
	FaultIdPSkipRequestedTypeMissing = "idp-skip-requested-token-type-missing"
	FaultIdPSkipRequestedType        = "idp-skip-requested-token-type"
	FaultIdPSkipAudienceMissing      = "idp-skip-audience-missing"
	FaultIdPSkipAudience             = "idp-skip-audience"
	FaultIdPSkipResource             = "idp-skip-resource"
	FaultIdPSkipScope                = "idp-skip-scope"
	FaultIdPSkipUserAssigned         = "idp-skip-user-assigned"
	FaultIdPSkipIssuedTokenType      = "idp-skip-issued-token-type"
	FaultIdPSkipTokenType            = "idp-skip-token-type"
	FaultIdPSkipSubStable            = "idp-skip-sub-stable"
	FaultIdPSkipJTIUnique            = "idp-skip-jti-unique"
	FaultIdPSkipResourceClaim        = "idp-skip-resource-claim"
	idpSkipJTI                       = "idjag_same_for_every_exchange"
)

var idpSkipFaults = []FaultInfo{
	skip(FaultIdPSkipClientAuth, "a token request with client_id alone authenticates as that client"),
	skip(FaultIdPSkipClientSecret, "the client secret is not compared: any secret authenticates a client that has one"),
	skip(FaultIdPSkipAssertionAud, "a private_key_jwt client assertion's aud is not checked"),
	skip(FaultIdPSkipAssertionJTI, "a private_key_jwt client assertion may be used again (its jti is not remembered)"),
	skip(FaultIdPSkipSubjectClient, "a subject ID token issued to another client is accepted (its aud and azp are not compared with the authenticated client)"),
	skip(FaultIdPSkipSubjectIssuer, "a subject ID token from another issuer is taken unverified: only ID tokens with the IdP's own iss are checked"),
	skip(FaultIdPSkipSubjectExp, "an expired subject ID token is accepted"),
	skip(FaultIdPSkipSubjectSignature, "a subject ID token's signature is not verified"),
	skip(FaultIdPSkipSubjectIDJAG, "the IdP's own ID-JAG is accepted as the subject token (checked only for iss and signature)"),
	skip(FaultIdPSkipSubjectType, "subject_token_type is ignored: the IdP guesses the subject token's type from the token"),
	skip(FaultIdPSkipRefreshClient, "a refresh token issued to another client is accepted"),
	skip(FaultIdPSkipRefreshRevoked, "the revocation endpoint answers 200 but forgets nothing: a revoked refresh token still works"),
	skip(FaultIdPSkipRequestedTypeMissing, "a token exchange without requested_token_type gets an ID-JAG"),
	skip(FaultIdPSkipRequestedType, "requested_token_type is ignored: any requested type gets an ID-JAG"),
	skip(FaultIdPSkipAudienceMissing, "a token exchange without audience gets an ID-JAG for the client's connection"),
	skip(FaultIdPSkipAudience, "an audience the IdP has no connection to gets an ID-JAG (aud as requested)"),
	skip(FaultIdPSkipResource, "a resource the connection does not govern is written into the ID-JAG"),
	skip(FaultIdPSkipScope, "scopes beyond the connection's policy are granted as requested"),
	skip(FaultIdPSkipUserAssigned, "users not assigned to the resource app get ID-JAGs"),
	skip(FaultIdPSkipIssuedTokenType, "the token exchange response has no issued_token_type"),
	skip(FaultIdPSkipTokenType, "the token exchange response says token_type Bearer instead of N_A"),
	skip(FaultIdPSkipSubStable, "every ID-JAG names the user with a new random sub"),
	skip(FaultIdPSkipJTIUnique, fmt.Sprintf("every ID-JAG has the same jti (%s)", idpSkipJTI)),
	skip(FaultIdPSkipResourceClaim, "the ID-JAG leaves out the resource the token exchange asked for"),
}

func skip(name, desc string) FaultInfo {
	return FaultInfo{Name: name, Party: PartyIdP, Step: StepTokenExchange, Description: desc + " (proves xaa conform --idp's case)"}
}
