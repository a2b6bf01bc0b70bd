package doctor

import (
	"context"
	"errors"
	"net/url"

	"github.com/xaatools/xaa/flow/explain"
	"github.com/xaatools/xaa/flow/wire"
)

// itemReqRefresh is checked only with idp.subject refresh_token: that path
// starts from a refresh token, which Okta issues only to an app allowed
// the Refresh Token grant.
var itemReqRefresh = item{"requesting_app.refresh_token_grant", RequestingApp, "The Refresh Token grant is enabled on the requesting app (idp.subject refresh_token)",
	"RFC 6749 §6; draft-ietf-oauth-identity-assertion-authz-grant §4.3 (a refresh token as the subject)", explain.OktaGrantTypes}

// doctorProbeRefreshToken is the refresh token of the refresh grant probe:
// no IdP issued it, so a server that gets as far as the token refuses it.
const doctorProbeRefreshToken = "xaa-doctor-probe-not-a-refresh-token"

// refreshProbe sends the refresh_token grant with a refresh token that is
// none. An IdP authenticates the client and checks the grant before the
// token: unauthorized_client means the app lacks the Refresh Token grant
// (a login with offline_access then gets no refresh token); invalid_grant
// means the grant is allowed and the token was judged — and refused.
func (r *run) refreshProbe(ctx context.Context) {
	if !r.cfg.IdP.UsesRefreshToken() {
		return
	}
	i := itemReqRefresh
	want := "the refresh_token grant allowed for idp.client_id"
	switch {
	case r.idp == nil || r.idp.TokenEndpoint == "":
		r.unknown(i, want, needs("the org's token endpoint (its metadata, or idp.token_endpoint)", itemOrgMetadata.id), nil)
		return
	case !r.idpCredentials:
		r.unknown(i, want, needs("client credentials the org accepts", itemReqCredentials.id), nil)
		return
	}
	s := r.session()
	auth := wire.ClientAuth{Client: r.cfg.IdP.ClientConfig, TokenEndpoint: r.idp.TokenEndpoint, Issuer: r.idp.Issuer}
	form := url.Values{"grant_type": {"refresh_token"}, "refresh_token": {doctorProbeRefreshToken}}
	_, err := s.PostToken(ctx, wire.PartyIdP, "refresh grant probe", r.idp.TokenEndpoint, form, auth)
	ev := s.Exchanges()
	var oe *wire.OAuthError
	switch {
	case err == nil:
		r.warn(i, want, "the org issued tokens for a refresh token it never issued",
			"an IdP must refuse an unknown refresh token (RFC 6749 §6): report this to the IdP's operators", ev)
	case !errors.As(err, &oe):
		r.unknown(i, want, "the probe got no OAuth answer: "+err.Error(), ev)
	case oe.Code == "unauthorized_client" || oe.Code == "unsupported_grant_type":
		r.fail(i, want, oe.Error(), "Enable the Refresh Token grant on the requesting app: "+explain.OktaGrantTypes+
			". Without it a login with offline_access gets no refresh token, so the refresh-token path (idp.subject refresh_token) cannot start.", ev)
	case oe.Code == "invalid_grant":
		r.pass(i, want, "allowed: the org went on to refuse the probe's refresh token ("+oe.Error()+")", ev)
	default:
		r.unknown(i, want, "the org answered the probe with "+oe.Error()+", which does not say whether the grant is allowed", ev)
	}
}
