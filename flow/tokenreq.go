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

// specResourceResponse is the source of the resource response parameter:
// the working group's editor's copy, not yet a published draft, so its
// rule warns and never fails.
const specResourceResponse = "draft-ietf-oauth-identity-assertion-authz-grant editor's copy (changes for -05)"

// resourceResponseCheck checks the resource member of a token response:
// REQUIRED when the token is restricted to resources, and a non-empty
// subset of those requested (requested: the request's resource
// parameters, else what the presented ID-JAG names). restrictedTo is the
// token's own restriction: the ID-JAG's resource claim, the access
// token's aud; nil when the token is opaque or names none.
func resourceResponseCheck(st *Step, prefix string, tr *wire.TokenResponse, requested, restrictedTo []string) {
	id, title := prefix+".resource_response", "resource is in the response (editor's copy)"
	_, present := tr.Fields.Raw("resource")
	answered, _, ok := tr.Fields.Strings("resource")
	outside := slices.DeleteFunc(slices.Clone(answered), func(a string) bool {
		return len(requested) == 0 || slices.ContainsFunc(requested, func(r string) bool { return inspect.SameResource(r, a) })
	})
	want := cmp.Or(strings.Join(requested, ", "), "the resources the token is for")
	switch {
	case !present && len(restrictedTo) == 0:
		return
	case !present:
		st.check(id, inspect.StatusWarn, title, want, "(absent)",
			"the token is restricted to "+strings.Join(restrictedTo, ", ")+"; the editor's copy of the draft makes resource REQUIRED then, so the client can check it — -04 does not have it yet", specResourceResponse)
	case !ok || len(answered) == 0:
		st.check(id, inspect.StatusWarn, title, "a string or a non-empty array of strings", tr.Str("resource"),
			"resource must name the resources the token is restricted to", specResourceResponse)
	case len(outside) > 0:
		st.check(id, inspect.StatusWarn, title, "a subset of: "+want, strings.Join(answered, ", "),
			strings.Join(outside, ", ")+" was not requested: the client must not use a token restricted to resources it did not ask for", specResourceResponse)
	default:
		st.check(id, inspect.StatusPass, title, want, strings.Join(answered, ", "), "", specResourceResponse)
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
