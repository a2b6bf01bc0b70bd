package doctor

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"slices"
	"strings"

	"github.com/xaatools/xaa/flow"
	"github.com/xaatools/xaa/flow/config"
	"github.com/xaatools/xaa/flow/wire"
	"github.com/xaatools/xaa/inspect"
)

// doctorProbeSubject is the subject token of the credentials probe: not a
// token at all, so no IdP can issue anything for it, and the error it
// answers with says how far the request got.
const doctorProbeSubject = "xaa-doctor-probe-not-an-id-token"

// doctorProbeIssuer is the iss of the probe assertion: a .invalid host
// (RFC 6761 §6.4) no resource AS trusts and no resolver answers for.
const doctorProbeIssuer = "https://xaa-doctor.invalid"

// refusesSubject recognises a refused subject token in any IdP's wording.
func refusesSubject(description string) bool {
	d := strings.ToLower(description)
	return strings.Contains(d, "subject_token") || strings.Contains(d, "subject token")
}

// quietRunner runs single steps of the flow for the doctor, without
// progress events.
func (r *run) quietRunner() *flow.Runner {
	env := r.env
	env.Progress = nil
	return &flow.Runner{Config: r.cfg, Env: env}
}

// Explanation IDs of a token exchange refused for the client itself, the
// app's grant, or the org's feature (catalogue.go).
var (
	refusedClient  = []string{"token_exchange.invalid_client", "client_assertion.invalid", "token_exchange.assertion_audience", "client.multiple_credentials", "token_exchange.confidential_client_required"}
	refusedGrant   = []string{"token_exchange.grant_not_enabled"}
	refusedFeature = []string{"token_exchange.grant_unsupported", "token_exchange.not_offered", "token_exchange.sku_not_enabled", "token_exchange.custom_as"}
)

// idpProbe sends a token exchange with an invalid subject token. The org
// authenticates the client, checks the grant and the feature, and only
// then the subject token, so its answer tells invalid credentials
// (invalid_client), a grant not enabled on the app (unauthorized_client)
// and Cross App Access not enabled (unsupported_grant_type, a SKU error)
// apart from a refused subject token — which means all three are fine.
func (r *run) idpProbe(ctx context.Context) {
	items := []item{itemReqCredentials, itemReqGrant, itemOrgXAA}
	why := ""
	switch {
	case r.idp == nil || r.idp.TokenEndpoint == "":
		why = needs("the org's token endpoint (its metadata, or idp.token_endpoint)", itemOrgMetadata.id)
	case !r.cfg.IdP.Usable():
		why = needs("idp.client_id and its credentials", itemReqConfig.id)
	}
	if why != "" {
		for _, i := range items {
			r.unknown(i, "", why, nil)
		}
		return
	}
	st := r.quietRunner().RunStep(ctx, flow.StepTokenExchange, flow.State{IdP: r.idp, IdPKeys: r.idpKeys, AS: r.as, API: r.api, MCP: r.mcp,
		SubjectToken: doctorProbeSubject, SubjectTokenType: inspect.TokenTypeIDToken}, nil)
	ev := st.Exchanges
	wantCreds := "idp.client_id authenticated with " + r.cfg.IdP.Method()
	wantGrant := "the token exchange grant allowed for idp.client_id"
	wantXAA := "the org's token endpoint takes token exchanges for ID-JAGs"
	var oe *wire.OAuthError
	if st.Err == nil {
		r.pass(itemReqCredentials, wantCreds, "accepted", ev)
		r.pass(itemReqGrant, wantGrant, "allowed", ev)
		r.warn(itemOrgXAA, wantXAA, "the org issued an ID-JAG for a deliberately invalid subject token",
			"an IdP must validate the subject token before issuing an ID-JAG (draft §4.3.3): report this to the IdP's operators", ev)
		r.idpCredentials, r.exchangeReady = true, true
		return
	}
	if !errors.As(st.Err, &oe) {
		for _, i := range items {
			r.unknown(i, "", "the probe got no OAuth answer: "+st.Err.Error(), ev)
		}
		return
	}
	answer, fix, id := oe.Error(), "", ""
	if st.Explanation != nil {
		fix, id = st.Explanation.Fix, st.Explanation.ID
	}
	if id == "" && refusesSubject(oe.Description) {
		// An IdP whose wording the catalogue does not know, refusing the
		// subject token all the same.
		id = "token_exchange.subject_invalid"
	}
	stopped := func(at string) string { return "not known: the org refused the probe at " + at + " first" }
	switch {
	case slices.Contains(refusedClient, id):
		r.fail(itemReqCredentials, wantCreds, answer, fix, ev)
		r.unknown(itemReqGrant, wantGrant, stopped("the client authentication"), ev)
		r.unknown(itemOrgXAA, wantXAA, stopped("the client authentication"), ev)
	case slices.Contains(refusedGrant, id):
		r.pass(itemReqCredentials, wantCreds, "accepted (the org went on to check the app's grant types)", ev)
		r.fail(itemReqGrant, wantGrant, answer, fix, ev)
		r.unknown(itemOrgXAA, wantXAA, stopped("the app's grant types"), ev)
	case id == "token_exchange.custom_as" && config.OktaCustomASPath(urlPath(r.cfg.IdP.Issuer)):
		r.pass(itemReqCredentials, wantCreds, "accepted (by the custom authorization server)", ev)
		r.unknown(itemReqGrant, wantGrant, needs("the org authorization server", itemOrgAuthServer.id), ev)
		r.unknown(itemOrgXAA, wantXAA, needs("the org authorization server", itemOrgAuthServer.id), ev)
	case slices.Contains(refusedFeature, id):
		r.unknown(itemReqCredentials, wantCreds, stopped("the grant type, before the client authentication"), ev)
		r.unknown(itemReqGrant, wantGrant, stopped("the grant type"), ev)
		r.fail(itemOrgXAA, wantXAA, answer, fix, ev)
	case strings.HasPrefix(id, "token_exchange.") && id != "token_exchange.not_generated" && id != "token_exchange.quota":
		// The org judged the request itself (the subject token, the
		// audience …): the client, its grant and the feature passed.
		got := "accepted: the org went on to refuse the invalid subject token (" + answer + ")"
		if !strings.HasPrefix(id, "token_exchange.subject_") {
			got = "accepted: the org went on to judge the request (" + answer + ")"
		}
		r.pass(itemReqCredentials, wantCreds, got, ev)
		r.pass(itemReqGrant, wantGrant, "allowed", ev)
		r.pass(itemOrgXAA, wantXAA, "the org took the request as a token exchange for an ID-JAG", ev)
		r.idpCredentials, r.exchangeReady = true, true
	default:
		for _, i := range items {
			r.unknown(i, "", "the org answered the probe with "+answer+", which does not tell whose setting is wrong", ev)
		}
		return
	}
	r.exchangeReady = !slices.ContainsFunc(r.diag.Checks, func(c Check) bool {
		return c.Status == inspect.StatusFail && slices.Contains([]string{itemReqCredentials.id, itemReqGrant.id, itemOrgXAA.id}, c.ID)
	})
}

func urlPath(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return ""
	}
	return u.EscapedPath()
}

// asProbe presents an ID-JAG from an issuer no one trusts, with no valid
// signature, at the resource AS: invalid_client means its credentials are
// wrong, unauthorized_client that the client may not use the jwt-bearer
// grant, invalid_grant that both are fine and the assertion was judged —
// and refused, as it must be.
func (r *run) asProbe(ctx context.Context) {
	items := []item{itemASCredentials, itemASBearerGrant, itemASRejects}
	why := ""
	switch {
	case r.as == nil || r.as.TokenEndpoint == "":
		why = needs("the resource AS's token endpoint (its metadata, or resource_as.token_endpoint)", itemASMetadata.id)
	case !r.cfg.ResourceAS.Usable():
		why = needs("resource_as.client_id and its credentials", itemASConfig.id)
	}
	if why != "" {
		for _, i := range items {
			r.unknown(i, "", why, nil)
		}
		return
	}
	assertion, err := r.probeAssertion()
	if err != nil {
		for _, i := range items {
			r.unknown(i, "", "the probe assertion could not be built: "+err.Error(), nil)
		}
		return
	}
	st := r.quietRunner().RunStep(ctx, flow.StepJWTBearer, flow.State{IdP: r.idp, IdPKeys: r.idpKeys, AS: r.as, IDJAG: assertion, IDJAGChecked: true}, nil)
	ev := st.Exchanges
	wantCreds := "resource_as.client_id authenticated with " + r.cfg.ResourceAS.Method()
	wantGrant := "the jwt-bearer grant allowed for resource_as.client_id"
	wantRejects := "invalid_grant for an unsigned ID-JAG from " + doctorProbeIssuer
	var oe *wire.OAuthError
	switch {
	case st.Err == nil:
		r.pass(itemASCredentials, wantCreds, "accepted", ev)
		r.pass(itemASBearerGrant, wantGrant, "allowed", ev)
		r.fail(itemASRejects, wantRejects, "an access token",
			"the resource AS accepted an ID-JAG it cannot have verified: it must check the issuer, signature and audience of every ID-JAG (draft §4.4.1) — do not use it until it does", ev)
		r.asCredentials = true
		return
	case !errors.As(st.Err, &oe):
		for _, i := range items {
			r.unknown(i, "", "the probe got no OAuth answer: "+st.Err.Error(), ev)
		}
		return
	}
	answer, fix := oe.Error(), ""
	if st.Explanation != nil {
		fix = st.Explanation.Fix
	}
	switch oe.Code {
	case "invalid_client":
		r.fail(itemASCredentials, wantCreds, answer, fix, ev)
		r.unknown(itemASBearerGrant, wantGrant, "not known: the resource AS refused the client first", ev)
		r.unknown(itemASRejects, wantRejects, "not known: the resource AS refused the client first", ev)
	case "unauthorized_client":
		r.pass(itemASCredentials, wantCreds, "accepted (the resource AS went on to check the client's grants)", ev)
		r.fail(itemASBearerGrant, wantGrant, answer, fix, ev)
		r.unknown(itemASRejects, wantRejects, "not known: the resource AS refused the grant first", ev)
	case "unsupported_grant_type":
		r.unknown(itemASCredentials, wantCreds, "not known: the resource AS refused the grant type first", ev)
		r.fail(itemASBearerGrant, wantGrant, answer, fix, ev)
		r.unknown(itemASRejects, wantRejects, "not known: the resource AS refused the grant type first", ev)
	case "invalid_grant":
		r.pass(itemASCredentials, wantCreds, "accepted: the resource AS went on to judge the assertion", ev)
		r.pass(itemASBearerGrant, wantGrant, "allowed", ev)
		r.pass(itemASRejects, wantRejects, answer, ev)
		r.asCredentials = true
	default:
		for _, i := range items {
			r.unknown(i, "", "the resource AS answered the probe with "+answer, ev)
		}
	}
}

// probeAssertion is a JWT shaped like an ID-JAG from doctorProbeIssuer,
// with a signature that is no signature: any resource AS must refuse it.
func (r *run) probeAssertion() (string, error) {
	jti, err := wire.RandomString(r.env.Random(), 12)
	if err != nil {
		return "", err
	}
	now := r.env.Time()
	aud := r.cfg.ResourceAS.Issuer
	if r.as != nil {
		aud = r.as.Issuer
	}
	header, _ := json.Marshal(map[string]string{"alg": "RS256", "typ": inspect.TypIDJAG, "kid": "xaa-doctor-probe"})
	claims, _ := json.Marshal(map[string]any{
		"iss": doctorProbeIssuer, "sub": "xaa-doctor-probe", "aud": aud, "client_id": r.cfg.ResourceAS.ClientID,
		"jti": "xaa-doctor-" + jti, "iat": now.Unix(), "exp": now.Unix() + 60,
	})
	// As long as an RS256 signature over a 2048-bit key, so the resource AS
	// judges the issuer rather than the signature's length.
	signature := bytes.Repeat([]byte("xaa doctor probe: not a signature "), 8)[:256]
	enc := base64.RawURLEncoding.EncodeToString
	return fmt.Sprintf("%s.%s.%s", enc(header), enc(claims), enc(signature)), nil
}
