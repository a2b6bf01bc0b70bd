package flow

import (
	"cmp"
	"net/url"
	"slices"
	"strings"

	"github.com/xaatools/xaa/flow/wire"
	"github.com/xaatools/xaa/inspect"
)

// applyOverrides sets or removes form parameters: an empty value removes.
func applyOverrides(form url.Values, o Overrides) {
	for k, v := range o {
		switch {
		case v == "":
			form.Del(k)
		case k == "resource":
			// Resource indicators are URIs, so a space separates several:
			// each is its own parameter (RFC 8707 §2).
			form[k] = strings.Fields(v)
		default:
			form.Set(k, v)
		}
	}
}

// scopeResponseCheck checks the scope member of a token response against
// the request: it is REQUIRED when the scopes granted differ from the ones
// requested (RFC 6749 §5.1; RFC 8693 §2.2.1). The granted scopes are read
// from the token's scope claim; a token that names none cannot tell.
func scopeResponseCheck(st *Step, prefix string, tr *wire.TokenResponse, requested string, tok *inspect.Token) {
	const spec, title = "RFC 6749 §5.1; RFC 8693 §2.2.1", "scope is in the response when it differs from the request"
	id := prefix + ".scope_response"
	answered, hasAnswer := tr.Fields.String("scope")
	granted, hasGranted := "", false
	if tok != nil {
		granted, hasGranted = tok.Claims.String("scope")
	}
	switch {
	case hasAnswer && hasGranted && !sameScopes(answered, granted):
		st.check(id, inspect.StatusWarn, title, "the token's scope: "+granted, answered,
			"the response's scope and the token's disagree; the client believes the response", spec)
	case hasAnswer:
		st.check(id, inspect.StatusPass, title, orAbsent(requested), answered, "", spec)
	case !hasGranted:
		st.check(id, inspect.StatusUnknown, title, orAbsent(requested), "(absent)",
			"the token names no scope, so whether the grant differs from the request cannot be told", spec)
	case requested == "" || !sameScopes(requested, granted):
		st.check(id, inspect.StatusFail, title, "scope: "+granted, "(absent)",
			"the token grants "+granted+", not what was requested ("+orAbsent(requested)+"): the response MUST then say so in scope", spec)
	default:
		st.check(id, inspect.StatusPass, title, requested, "(absent: the same as requested)", "", spec)
	}
}

// sameScopes compares two space-separated scope lists as sets.
func sameScopes(a, b string) bool {
	x, y := strings.Fields(a), strings.Fields(b)
	slices.Sort(x)
	slices.Sort(y)
	return slices.Equal(slices.Compact(x), slices.Compact(y))
}

func orAbsent(s string) string { return cmp.Or(s, "(absent)") }

// responseChecks checks the members every token response must have.
func responseChecks(st *Step, prefix string, tr *wire.TokenResponse, spec string) {
	if tr.Str("access_token") == "" {
		st.check(prefix+".access_token", inspect.StatusFail, "access_token is present", "a token", "(absent)",
			"the response must carry the token in access_token (for a token exchange: the ID-JAG, despite the name)", spec)
	}
	if ct := tr.Fields; ct != nil {
		if raw, ok := ct.Raw("expires_in"); ok {
			st.check(prefix+".expires_in", inspect.StatusPass, "expires_in is given", "seconds", string(raw), "", spec)
		} else {
			st.check(prefix+".expires_in", inspect.StatusWarn, "expires_in is given", "seconds", "(absent)",
				"RECOMMENDED: without it the client cannot know when to get a new token", spec)
		}
	}
}
