package flowtest

import (
	"net/http"
	"net/http/httptest"
	"testing"
)

// OIDCProviderIdP starts a server that answers as panva's oidc-provider
// 9.13.3 does, configured as .ci/peers/oidc-provider-idp.mjs configures it
// (the answers recorded from it): OIDC metadata without the token
// exchange grant; at /auth, a redirect to its login page for the
// registered redirect URI and its error page for any other; at /token,
// for a client that authenticated, the token exchange refused at its
// grant type. It returns the issuer. The metadata is verbatim; there are
// no keys and no login: the real provider runs in .ci/peers/run.
func OIDCProviderIdP(t testing.TB, redirectURI string) string {
	t.Helper()
	mux := http.NewServeMux()
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	iss := srv.URL
	mux.HandleFunc("GET /.well-known/openid-configuration", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json; charset=utf-8")
		w.Write([]byte(`{"authorization_endpoint":"` + iss + `/auth","claims_parameter_supported":false,` +
			`"claims_supported":["sub","email","email_verified","name","sid","auth_time","iss"],"code_challenge_methods_supported":["S256"],` +
			`"end_session_endpoint":"` + iss + `/session/end","grant_types_supported":["implicit","authorization_code","refresh_token"],` +
			`"issuer":"` + iss + `","jwks_uri":"` + iss + `/jwks","authorization_response_iss_parameter_supported":true,` +
			`"response_modes_supported":["form_post","fragment","query"],"response_types_supported":["code id_token","code","id_token","none"],` +
			`"scopes_supported":["openid","offline_access","email","profile"],"subject_types_supported":["public"],` +
			`"token_endpoint_auth_methods_supported":["client_secret_basic","client_secret_jwt","client_secret_post","private_key_jwt","none"],` +
			`"token_endpoint":"` + iss + `/token","id_token_signing_alg_values_supported":["RS256"],` +
			`"pushed_authorization_request_endpoint":"` + iss + `/request","request_uri_parameter_supported":false,` +
			`"userinfo_endpoint":"` + iss + `/me","claim_types_supported":["normal"]}`))
	})
	mux.HandleFunc("GET /auth", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "no-store")
		if r.URL.Query().Get("redirect_uri") == redirectURI {
			http.Redirect(w, r, "/interaction/B5VQELU6g1c5cSg5E2WbVHpWbsAK7Xptcw5ohZTzGZ5", http.StatusSeeOther)
			return
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.WriteHeader(http.StatusBadRequest)
		w.Write([]byte(`<!DOCTYPE html>
    <html>
    <head>
      <meta http-equiv="X-UA-Compatible" content="IE=edge">
      <meta charset="utf-8">
      <title>oops! something went wrong</title>
      <meta name="viewport" content="width=device-width, initial-scale=1, shrink-to-fit=no">
    </head>
    <body>
      <div class="container">
        <h1>oops! something went wrong</h1>
        <pre><strong>error</strong>: invalid_redirect_uri</pre><pre><strong>error_description</strong>: redirect_uri did not match any of the client&#39;s registered redirect_uris</pre><pre><strong>state</strong>: ` + r.URL.Query().Get("state") + `</pre><pre><strong>iss</strong>: ` + iss + `</pre>
      </div>
    </body>
    </html>`))
	})
	mux.HandleFunc("POST /token", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json; charset=utf-8")
		w.Header().Set("Cache-Control", "no-store")
		w.WriteHeader(http.StatusBadRequest)
		w.Write([]byte(`{"error":"unsupported_grant_type","error_description":"unsupported grant_type requested"}`))
	})
	return iss
}
