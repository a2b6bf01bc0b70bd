package wire

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"net/http"
	"net/url"
	"slices"
	"strings"

	"golang.org/x/oauth2"

	"github.com/xaatools/xaa/inspect"
)

// TokenResponse is a successful token endpoint response (RFC 6749 §5.1,
// RFC 8693 §2.2.1).
type TokenResponse struct {
	Status int
	// Fields are the members in their original order; Body is the raw JSON.
	Fields inspect.Object
	Body   []byte
}

// Str returns a string member, or "".
func (t *TokenResponse) Str(name string) string { s, _ := t.Fields.String(name); return s }

// PostToken sends a token request: the form, the client authentication,
// Accept: application/json and no Origin header (Okta refuses token calls
// it takes for browser requests). Errors are an *OAuthError (the server
// refused), a *FetchError (nothing usable came back) or ErrClientAuth.
func (c *Client) PostToken(ctx context.Context, party, label, endpoint string, form url.Values, auth ClientAuth) (*TokenResponse, error) {
	what := "the " + label + " response"
	resp, err := c.postForm(ctx, party, label, endpoint, form, auth)
	if err != nil {
		return nil, err
	}
	return c.ReadTokenResponse(resp, what, endpoint)
}

// Revoke asks an RFC 7009 revocation endpoint to revoke a token, with the
// client's authentication. A 200 is success; anything else is an
// *OAuthError or a *FetchError.
func (c *Client) Revoke(ctx context.Context, party, label, endpoint, token, hint string, auth ClientAuth) error {
	form := url.Values{"token": {token}}
	if hint != "" {
		form.Set("token_type_hint", hint)
	}
	resp, err := c.postForm(ctx, party, label, endpoint, form, auth)
	switch {
	case err != nil:
		return err
	case resp.Status == http.StatusOK:
		return nil
	}
	if oe, ok := ParseOAuthError(resp.Status, resp.Body); ok {
		return c.scrubError(oe, resp.Body)
	}
	return &FetchError{Kind: FetchStatus, What: "the " + label + " response", URL: endpoint, Status: resp.Status}
}

// postForm sends a form to a token or revocation endpoint: the client
// authentication, Accept: application/json and no Origin header (Okta
// refuses token calls it takes for browser requests).
func (c *Client) postForm(ctx context.Context, party, label, endpoint string, form url.Values, auth ClientAuth) (*Response, error) {
	what := "the " + label + " response"
	if err := CheckEndpoint(auth.Issuer, endpoint); err != nil {
		return nil, err
	}
	params, err := auth.FormParams(c)
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
	req, err := http.NewRequestWithContext(WithLabel(ctx, party, label), http.MethodPost, endpoint, strings.NewReader(encodeForm(body, form, params)))
	if err != nil {
		return nil, &FetchError{Kind: FetchBadURL, What: what, URL: endpoint, Err: err}
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Accept", "application/json")
	auth.Header(req)
	return c.Send(req, what)
}

// ReadTokenResponse turns a token endpoint answer into a response or an
// error: an *OAuthError (with the configured secrets scrubbed), or a
// *FetchError when what came back is no token response at all.
func (c *Client) ReadTokenResponse(resp *Response, what, endpoint string) (*TokenResponse, error) {
	if resp.Status < 200 || resp.Status >= 300 {
		if oe, ok := ParseOAuthError(resp.Status, resp.Body); ok {
			return nil, c.scrubError(oe, resp.Body)
		}
	}
	var probe any
	if err := CheckJSON(resp, what, endpoint, &probe); err != nil {
		return nil, err
	}
	if _, isObject := probe.(map[string]any); !isObject {
		return nil, &FetchError{Kind: FetchNotJSON, What: what, URL: endpoint, Err: errors.New("a JSON value that is not an object"), Preview: preview(resp.Body)}
	}
	// An error code in a 200 answer is still an error (RFC 6749 §5.2 says
	// 400, some servers say 200).
	if oe, ok := ParseOAuthError(resp.Status, resp.Body); ok {
		return nil, c.scrubError(oe, resp.Body)
	}
	return &TokenResponse{Status: resp.Status, Fields: ObjectOf(resp.Body), Body: resp.Body}, nil
}

// scrubError keeps secrets a server echoes out of an error.
func (c *Client) scrubError(oe *OAuthError, body []byte) *OAuthError {
	oe.Body = []byte(c.rec.scrub(string(redactBody("application/json", body))))
	oe.Description = c.rec.scrub(oe.Description)
	oe.URI = c.rec.scrub(oe.URI)
	return oe
}

// ObjectOf decodes a JSON object keeping member order; nil when body is
// not an object.
func ObjectOf(body []byte) inspect.Object {
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
	for _, k := range slices.Sorted(maps.Keys(protocol)) {
		emit(k)
	}
	for _, k := range []string{"client_id", "client_secret", "client_assertion_type", "client_assertion"} {
		if _, ok := auth[k]; ok {
			emit(k)
		}
	}
	return strings.Join(parts, "&")
}

// OAuth2Error turns an error of golang.org/x/oauth2 into an *OAuthError
// or a *FetchError, using the recorded exchange for what the library drops.
func (c *Client) OAuth2Error(err error, what, endpoint string) error {
	var re *oauth2.RetrieveError
	if errors.As(err, &re) {
		status := 0
		if re.Response != nil {
			status = re.Response.StatusCode
		}
		if re.ErrorCode != "" {
			return c.scrubError(&OAuthError{Status: status, Code: re.ErrorCode, Description: re.ErrorDescription, URI: re.ErrorURI,
				Source: "token endpoint"}, re.Body)
		}
		resp := &Response{Status: status, Body: re.Body, Header: http.Header{}}
		if re.Response != nil {
			resp.Header = re.Response.Header
		}
		var v any
		if ferr := CheckJSON(resp, what, endpoint, &v); ferr != nil {
			return ferr
		}
		return &FetchError{Kind: FetchStatus, What: what, URL: endpoint, Status: status}
	}
	var fe *FetchError
	if errors.As(err, &fe) {
		return fe
	}
	xs := c.Exchanges()
	if n := len(xs); n > 0 && xs[n-1].Err != nil {
		return ClassifyTransportError(what, endpoint, c.opts.Timeout, xs[n-1].Err)
	}
	if n := len(xs); n > 0 && xs[n-1].Response != nil {
		last := xs[n-1].Response
		var v any
		if ferr := CheckJSON(&Response{Status: last.Status, Header: last.Header, Body: last.Body}, what, endpoint, &v); ferr != nil {
			return ferr
		}
		if strings.Contains(err.Error(), "missing access_token") {
			return fmt.Errorf("%w: %v", ErrMissingToken, err)
		}
	}
	return fmt.Errorf("%w: %v", ErrBadResponse, err)
}
