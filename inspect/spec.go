package inspect

// Citations of the rules xaa checks, shared by every package that judges
// one, so a rule cites the same section wherever it is judged.
const (
	// SpecDraft is the ID-JAG draft the checks follow.
	SpecDraft = "draft-ietf-oauth-identity-assertion-authz-grant-04"
	// SpecIdPMetadata: an IdP advertises the token exchange and the ID-JAG
	// token type (draft §7.1).
	SpecIdPMetadata = SpecDraft + " §7.1"
	// SpecASMetadata: a resource AS advertises the jwt-bearer grant and the
	// ID-JAG grant profile (draft §7.2).
	SpecASMetadata = SpecDraft + " §7.2"
	// SpecServerMetadata: authorization server metadata and its issuer
	// (RFC 8414).
	SpecServerMetadata = "RFC 8414 §2, §3.3"
	// SpecResourceMetadata: a resource's metadata names the resource it
	// describes (RFC 9728).
	SpecResourceMetadata = "RFC 9728 §3.3"
)
