package flow

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"sort"
	"strings"

	"github.com/xaatools/xaa/inspect"
)

// tokenResponse is a successful token endpoint response (RFC 6749 §5.1,
// RFC 8693 §2.2.1).
type tokenResponse struct {
	Status int
	// Fields are the members in their original order; Body is the raw JSON.
	Fields inspect.Object
	Body   []byte
}

func (t *tokenResponse) str(name string) string { s, _ := t.Fields.String(name); return s }

// postToken sends a token request: the form, the client authentication,
// Accept: application/json and no Origin header (Okta refuses token calls
// it takes for browser requests). Errors are an *OAuthError (the server
// refused), a *FetchError (nothing usable came back) or ErrClientAuth.
func (s *session) postToken(ctx context.Context, party, label, endpoint string, form url.Values, auth clientAuth) (*tokenResponse, error) {
	what := "the " + label + " response"
	params, err := auth.formParams(s.env)
	if err != nil {
		return nil, err
	}
	body := url.Values{}
	for k, v := range form {
		body[k] = v
	}
	for k, v := range params {
		body[k] = v
	}
	req, err := http.NewRequestWithContext(withLabel(ctx, party, label), http.MethodPost, endpoint, strings.NewReader(encodeForm(body, form, params)))
	if err != nil {
		return nil, &FetchError{Kind: FetchBadURL, What: what, URL: endpoint, Err: err}
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Accept", "application/json")
	auth.header(req)
	resp, err := send(s.client, req, what, s.env.maxBody())
	if err != nil {
		return nil, err
	}
	return s.readTokenResponse(resp, what, endpoint)
}

// readTokenResponse turns a token endpoint answer into a response or an error.
func (s *session) readTokenResponse(resp *response, what, endpoint string) (*tokenResponse, error) {
	if resp.Status < 200 || resp.Status >= 300 {
		if oe, ok := parseOAuthError(resp.Status, resp.Body); ok {
			return nil, s.scrubError(oe, resp.Body)
		}
	}
	var probe any
	if err := checkJSON(resp, what, endpoint, &probe); err != nil {
		return nil, err
	}
	if _, isObject := probe.(map[string]any); !isObject {
		return nil, &FetchError{Kind: FetchNotJSON, What: what, URL: endpoint, Err: errors.New("a JSON value that is not an object"), Preview: preview(resp.Body)}
	}
	// An error code in a 200 answer is still an error (RFC 6749 §5.2 says
	// 400, some servers say 200).
	if oe, ok := parseOAuthError(resp.Status, resp.Body); ok {
		return nil, s.scrubError(oe, resp.Body)
	}
	return &tokenResponse{Status: resp.Status, Fields: objectOf(resp.Body), Body: resp.Body}, nil
}

// scrubError keeps secrets a server echoes out of an error.
func (s *session) scrubError(oe *OAuthError, body []byte) *OAuthError {
	oe.Body = []byte(s.rec.scrub(string(redactBody("application/json", body))))
	oe.Description = s.rec.scrub(oe.Description)
	oe.URI = s.rec.scrub(oe.URI)
	return oe
}

// objectOf decodes a JSON object keeping member order; nil when body is
// not an object.
func objectOf(body []byte) inspect.Object {
	dec := json.NewDecoder(strings.NewReader(string(body)))
	var obj inspect.Object
	if t, err := dec.Token(); err != nil || t != json.Delim('{') {
		return nil
	}
	for dec.More() {
		k, err := dec.Token()
		if err != nil {
			return nil
		}
		name, _ := k.(string)
		var v json.RawMessage
		if err := dec.Decode(&v); err != nil {
			return nil
		}
		obj = append(obj, inspect.Member{Name: name, Raw: v})
	}
	return obj
}

// encodeForm writes the protocol parameters in a readable order (grant_type
// first, as in the specs' examples), then client authentication.
func encodeForm(all, protocol, auth url.Values) string {
	order := []string{"grant_type", "requested_token_type", "subject_token_type", "subject_token", "audience", "resource", "scope", "assertion", "code", "redirect_uri", "code_verifier"}
	var parts []string
	seen := map[string]bool{}
	emit := func(k string) {
		if seen[k] {
			return
		}
		seen[k] = true
		for _, v := range all[k] {
			parts = append(parts, url.QueryEscape(k)+"="+url.QueryEscape(v))
		}
	}
	for _, k := range order {
		if _, ok := protocol[k]; ok {
			emit(k)
		}
	}
	for _, k := range sortedKeys(protocol) {
		emit(k)
	}
	for _, k := range []string{"client_id", "client_secret", "client_assertion_type", "client_assertion"} {
		if _, ok := auth[k]; ok {
			emit(k)
		}
	}
	return strings.Join(parts, "&")
}

func sortedKeys(v url.Values) []string {
	keys := make([]string, 0, len(v))
	for k := range v {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

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
func responseChecks(st *Step, prefix string, tr *tokenResponse, spec string) {
	if tr.str("access_token") == "" {
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

func wrapNoInput(what string) error { return fmt.Errorf("%w: %s", ErrNoInput, what) }
