package inspect

import (
	"fmt"
	"slices"
	"strings"
)

// Chain is the tokens of one Cross App Access flow and the identities they
// must line up with. Any token may be nil; checks that need it are skipped.
type Chain struct {
	IDToken     *Token
	IDJAG       *Token
	AccessToken *Token
	// IdPClientID is the client that logged in and performed the token
	// exchange (steps 1 and 2).
	IdPClientID string
	// ASIssuer is the resource authorization server's issuer.
	ASIssuer string
	// ASClientID is the client that authenticates at the resource AS (step 3).
	ASClientID string
}

const specChain = "draft-ietf-oauth-identity-assertion-authz-grant-04 §4.3, §4.4"

// CheckChain checks that the tokens of one flow hand over to each other:
// the ID token was issued to the IdP client, the ID-JAG continues its user
// and issuer and names the resource AS and the client there, and the access
// token is for the resource the ID-JAG names, within the grant's lifetime.
func CheckChain(ch Chain) Report {
	var r Report
	add := func(id string, st Status, title, exp, act, hint string) {
		r = append(r, Check{ID: "chain." + id, Status: st, Title: title, Expected: exp, Actual: act, Hint: hint, Spec: specChain})
	}
	idt, jag, at := ch.IDToken, ch.IDJAG, ch.AccessToken

	if idt != nil && ch.IdPClientID != "" {
		auds, _, _ := idt.Claims.Strings("aud")
		if slices.Contains(auds, ch.IdPClientID) {
			add("id_token_aud", StatusPass, "ID token aud is the IdP client", ch.IdPClientID, strings.Join(auds, ", "), "")
		} else {
			add("id_token_aud", StatusFail, "ID token aud is the IdP client", ch.IdPClientID, strings.Join(auds, ", "),
				"the IdP refuses to exchange an ID token issued to another client (\"ID Token aud doesn't match the authenticated client_id\"); log in and exchange with the same client")
		}
	}
	if idt != nil && jag != nil {
		idIss, _ := idt.Claims.String("iss")
		jagIss, _ := jag.Claims.String("iss")
		if equal, near := CompareIdentifier(idIss, jagIss); equal {
			add("iss", StatusPass, "ID-JAG iss is the ID token's issuer", idIss, jagIss, "")
		} else {
			add("iss", StatusFail, "ID-JAG iss is the ID token's issuer", idIss, jagIss,
				WithNearMiss(near, "the IdP that signed the user in must be the one that issues the ID-JAG"))
		}
		idSub, _ := idt.Claims.String("sub")
		jagSub, _ := jag.Claims.String("sub")
		if idSub == jagSub {
			add("sub", StatusPass, "ID-JAG sub continues the ID token's sub", idSub, jagSub, "")
		} else {
			add("sub", StatusWarn, "ID-JAG sub continues the ID token's sub", idSub, jagSub,
				"the IdP put another subject in the ID-JAG; legitimate only with pairwise subject identifiers — otherwise the resource AS maps the wrong user")
		}
		if idExp, ok := idt.Claims.Time("exp"); ok {
			if jagIat, ok := jag.Claims.Time("iat"); ok && jagIat.After(idExp.Add(DefaultSkew)) {
				add("subject_fresh", StatusFail, "the ID token was still valid when the ID-JAG was issued",
					"ID-JAG iat before "+FormatTime(idExp), FormatTime(jagIat), "the IdP should have refused an expired subject token")
			} else if ok {
				add("subject_fresh", StatusPass, "the ID token was still valid when the ID-JAG was issued",
					"ID-JAG iat before "+FormatTime(idExp), FormatTime(jagIat), "")
			}
		}
	}
	if jag != nil {
		jagAud, _, _ := jag.Claims.Strings("aud")
		if ch.ASIssuer != "" {
			got := strings.Join(jagAud, ", ")
			if len(jagAud) == 1 && jagAud[0] == ch.ASIssuer {
				add("id_jag_aud", StatusPass, "ID-JAG aud is the resource AS issuer", ch.ASIssuer, got, "")
			} else {
				_, near := CompareIdentifier(ch.ASIssuer, got)
				add("id_jag_aud", StatusFail, "ID-JAG aud is the resource AS issuer", ch.ASIssuer, got,
					WithNearMiss(near, "ask for the resource AS metadata issuer, verbatim, as the token exchange's audience; if that was asked, the IdP has another issuer for the resource app (Okta: its Issuer URL)"))
			}
		}
		if ch.ASClientID != "" {
			cid, _ := jag.Claims.String("client_id")
			if cid == ch.ASClientID {
				add("id_jag_client_id", StatusPass, "ID-JAG client_id is the client that authenticates at the resource AS", ch.ASClientID, cid, "")
			} else {
				hint := "the resource AS requires client_id to equal the authenticated client; fix the client id registered for this app in the IdP's connection, or authenticate at the AS as that client"
				if cid == ch.IdPClientID {
					hint = "client_id is the IdP client id; the IdP must write the client's id *at the resource AS* (the connection's \"client ID registered in this app\")"
				}
				add("id_jag_client_id", StatusFail, "ID-JAG client_id is the client that authenticates at the resource AS", ch.ASClientID, orNone(cid), hint)
			}
		}
	}
	if jag != nil && at != nil {
		res, _, hasRes := jag.Claims.Strings("resource")
		atAud, _, _ := at.Claims.Strings("aud")
		const title = "access token aud is within the ID-JAG's resources"
		switch {
		case hasRes && at.Format == FormatOpaque:
			// Only the resource server can read an opaque token's audience.
			add("access_token_aud", StatusUnknown, title, strings.Join(res, ", "), "(an opaque token: its audience cannot be read here)",
				"the resource server is the one to check it; a call with the token shows whether it is accepted")
		case hasRes:
			// A token for some of the ID-JAG's resources is fine (a grant
			// narrowed to one server); one for a resource it does not name
			// is not.
			inGrant := func(a string) bool {
				return slices.ContainsFunc(res, func(r string) bool { return SameResource(r, a) })
			}
			extra := slices.DeleteFunc(slices.Clone(atAud), inGrant)
			switch {
			case len(atAud) > 0 && len(extra) == 0:
				add("access_token_aud", StatusPass, title, strings.Join(res, ", "), strings.Join(atAud, ", "), "")
			case len(atAud) == 0:
				add("access_token_aud", StatusFail, title, strings.Join(res, ", "), "(no aud)",
					"the resource AS must restrict the access token to the resource the ID-JAG was minted for (RFC 9068 §3, RFC 8707 §2.2)")
			default:
				add("access_token_aud", StatusFail, title, strings.Join(res, ", "), strings.Join(atAud, ", "),
					"the access token is for "+strings.Join(extra, ", ")+", which the ID-JAG does not grant: the resource AS must restrict it to the ID-JAG's resources (RFC 8707 §2.2)")
			}
		}
		if jagScope, ok := jag.Claims.String("scope"); ok {
			if atScope, ok := at.Claims.String("scope"); ok {
				var extra []string
				for _, s := range strings.Fields(atScope) {
					if !slices.Contains(strings.Fields(jagScope), s) {
						extra = append(extra, s)
					}
				}
				if len(extra) == 0 {
					add("scope", StatusPass, "access token scope is within the ID-JAG's", jagScope, atScope, "")
				} else {
					add("scope", StatusFail, "access token scope is within the ID-JAG's", jagScope, atScope,
						fmt.Sprintf("the resource AS granted %s beyond what the IdP allowed", strings.Join(extra, " ")))
				}
			}
		}
		if jagExp, ok := jag.Claims.Time("exp"); ok {
			if atIat, ok := at.Claims.Time("iat"); ok {
				if atIat.After(jagExp.Add(DefaultSkew)) {
					add("grant_fresh", StatusFail, "the access token was issued while the ID-JAG was valid",
						"iat before "+FormatTime(jagExp), FormatTime(atIat), "the resource AS accepted an expired ID-JAG")
				} else {
					add("grant_fresh", StatusPass, "the access token was issued while the ID-JAG was valid",
						"iat before "+FormatTime(jagExp), FormatTime(atIat), "")
				}
			}
		}
	}
	return r
}
