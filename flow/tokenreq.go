package flow

import (
	"net/url"

	"github.com/xaatools/xaa/flow/wire"
	"github.com/xaatools/xaa/inspect"
)

// applyOverrides sets or removes form parameters: an empty value removes.
func applyOverrides(form url.Values, o Overrides) {
	for k, v := range o {
		if v == "" {
			form.Del(k)
		} else {
			form.Set(k, v)
		}
	}
}

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
