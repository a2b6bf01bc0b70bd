package doctor

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/xaatools/xaa/flow"
	"github.com/xaatools/xaa/flow/explain"
	"github.com/xaatools/xaa/flow/oktaadmin"
	"github.com/xaatools/xaa/flow/wire"
	"github.com/xaatools/xaa/inspect"
)

// Okta's Todo0 catalog app mints ID-JAGs with this audience and client id
// whatever the request says, until Okta's XAA team points it at your own
// authorization server (protocol reference §7).
const (
	todo0Audience = "http://localhost:5001"
	todo0ClientID = "wiki0-at-todo0"
	oktaXAAEmail  = "xaa@okta.com"
)

// exchangeGate is one thing the org checks before it issues an ID-JAG, in
// the order it checks them, with the catalogue entries (catalogue.go) that
// name its refusal and the fix in the doctor's words.
type exchangeGate struct {
	item         item
	explanations []string
	// expected says what the gate wants, in this config's terms.
	expected func(r *run) string
	fix      func(r *run) string
}

var exchangeGates = []exchangeGate{
	{itemReqIDToken, []string{"token_exchange.subject_invalid", "token_exchange.subject_expired", "token_exchange.subject_wrong_as",
		"token_exchange.subject_untrusted", "token_exchange.subject_aud", "token_exchange.subject_type", "token_exchange.subject_inactive"},
		func(r *run) string { return "the ID token accepted as the subject" }, nil},
	{itemReqUserAssigned, []string{"token_exchange.user_not_assigned"},
		func(r *run) string { return "the user assigned to " + r.cfg.IdP.ClientID }, func(*run) string {
			return "assign the user (or a group of theirs) to the requesting app, then sign in again"
		}},
	{itemReqConnection, []string{"token_exchange.invalid_audience", "token_exchange.audience_not_connected", "token_exchange.no_connection", "token_exchange.access_denied"},
		func(r *run) string {
			return "a connection from " + r.cfg.IdP.ClientID + " to audience " + r.audience()
		}, func(r *run) string {
			return "the org will not mint an ID-JAG for audience " + r.audience() + " for this app: connect the requesting app to the resource app (Manage Connections), " +
				"and check that the resource app's Issuer URL (" + explain.OktaResourceXAA + ") is " + r.audience() + " exactly"
		}},
	{itemResAppResource, []string{"token_exchange.invalid_resource"},
		func(r *run) string {
			return "resource " + cmp.Or(r.resourceID(), "(none sent)") + " allowed by the connection"
		}, func(r *run) string {
			return "make resource.id (" + cmp.Or(r.resourceID(), "not set") + ") and the connection's resource indicator the same string, byte for byte"
		}},
	{itemResAppUser, []string{"token_exchange.resource_app_incomplete"},
		func(r *run) string { return "the user assigned to the resource app of " + r.audience() }, func(*run) string {
			return "assign the user to the resource app, and finish its Cross App Access settings (" + explain.OktaResourceXAA + ")"
		}},
	{itemReqScopes, []string{"token_exchange.scope_denied", "token_exchange.invalid_scope"},
		func(r *run) string {
			return cmp.Or(r.cfg.ResourceAS.Scopes.String(), "the connection's scopes") + " allowed"
		}, func(r *run) string {
			return "request only scopes the connection allows (resource_as.scopes: " + cmp.Or(r.cfg.ResourceAS.Scopes.String(), "none") + "), or add them to the connection"
		}},
	{itemOrgIssuesIDJAG, nil, func(*run) string { return "an ID-JAG" }, nil},
}

// audience is what the token exchange sends: the resource AS issuer.
func (r *run) audience() string { return r.cfg.ResourceAS.Issuer }

// resourceID is what the token exchange sends as resource (each one when
// the API and the MCP server have their own).
func (r *run) resourceID() string {
	return strings.Join(flow.ResourceIndicators(r.cfg, flow.State{API: r.api, MCP: r.mcp}), " ")
}

// userChecks checks, for a signed-in user, everything the org checks
// before it issues an ID-JAG — by performing the real token exchange — and
// then the ID-JAG itself and its redemption at the resource AS.
func (r *run) userChecks(ctx context.Context) {
	after := []item{itemResAppAudience, itemResAppClientID, itemASAccepts}
	all := func(from int, why string, ev []*wire.Exchange) {
		for _, g := range exchangeGates[from:] {
			r.unknown(g.item, "", why, ev)
		}
		for _, i := range after {
			r.unknown(i, "", why, ev)
		}
	}
	switch {
	case r.token == "":
		items := []item{}
		for _, g := range exchangeGates {
			items = append(items, g.item)
		}
		r.noUserChecklist(append(items, after...), "needs a signed-in user: run xaa doctor --token <ID token>, or open the doctor in the terminal UI after logging in")
		return
	case r.idp == nil || !r.idpTrusted:
		all(0, needs("the org's metadata with the configured issuer", itemOrgIssuer.id), nil)
		return
	}
	if !r.idTokenCheck(ctx) {
		all(1, needs("an ID token the org can accept", itemReqIDToken.id), nil)
		return
	}
	if !r.exchangeReady {
		all(1, needs("the requesting app's credentials, grant and the org's feature", itemReqCredentials.id), nil)
		return
	}
	runner := r.quietRunner()
	st := runner.RunStep(ctx, flow.StepTokenExchange, flow.State{IdP: r.idp, IdPKeys: r.idpKeys, AS: r.as, API: r.api, MCP: r.mcp, IDToken: r.token}, nil)
	ev := st.Exchanges
	if st.Err != nil {
		r.exchangeRefused(st, all)
		return
	}
	// The step analysed the one token the org answered with (the first,
	// when the API and the MCP server each got their own).
	var jag inspect.Analysis
	if len(st.Tokens) > 0 {
		jag = st.Tokens[0]
	}
	for _, a := range st.Tokens {
		if a.Token != nil && st.Out.MCPIDJAG != "" && a.Token.Raw == st.Out.MCPIDJAG {
			r.mcpSubject = oktaadmin.Sanitize(describeSubject(a.Token))
		}
	}
	if jag.Token == nil || (jag.Token.Kind != inspect.KindIDJAG && jag.Token.Kind != inspect.KindUnknown) {
		got := "no token"
		if jag.Token != nil {
			got = jag.Token.Kind.Title() + " (" + jag.Token.KindReason + ")"
		}
		for _, g := range exchangeGates[1 : len(exchangeGates)-1] {
			r.unknown(g.item, "", "not known: the org answered with no ID-JAG", ev)
		}
		r.fail(itemOrgIssuesIDJAG, "an ID-JAG ("+inspect.TypIDJAG+") in access_token", got,
			"the org answered the token exchange with something else than an ID-JAG: check that idp.issuer is the org authorization server, and report the response to Okta Support", ev)
		all(len(exchangeGates), needs("an ID-JAG", itemOrgIssuesIDJAG.id), nil)
		return
	}
	for _, g := range exchangeGates[1 : len(exchangeGates)-1] {
		if g.item == itemReqScopes {
			r.grantedScopes(jag.Token, ev)
			continue
		}
		r.pass(g.item, g.expected(r), "yes: the org issued the ID-JAG", ev)
	}
	r.pass(itemOrgIssuesIDJAG, inspect.TypIDJAG+" token", jag.Token.Kind.Title()+", "+jag.Signature.Verdict(), ev)
	audOK := r.jagAudience(jag.Token, ev)
	clientOK := r.jagClientID(jag.Token, ev)
	switch {
	case !audOK || !clientOK:
		r.unknown(itemASAccepts, "", "not tried: the resource AS refuses an ID-JAG addressed to another audience or client (fix the resource app first)", nil)
	case r.as == nil || !r.asCredentials:
		r.unknown(itemASAccepts, "", needs("the resource AS's metadata and accepted credentials", itemASCredentials.id), nil)
	default:
		r.redeem(ctx, runner, st.Out)
	}
}

// idTokenCheck checks the given ID token as the org will: an ID token it
// issued to idp.client_id, signed with its keys, not expired.
func (r *run) idTokenCheck(ctx context.Context) bool {
	i := itemReqIDToken
	want := "an ID token from " + r.idp.Issuer + " for " + r.cfg.IdP.ClientID + ", unexpired"
	toks, err := inspect.DecodeAll(r.token)
	if err != nil || len(toks) == 0 {
		r.fail(i, want, "not a token: "+fmt.Sprint(err), "give the id_token of a login at the org (xaa run shows it; --token @file reads it from a file)", nil)
		return false
	}
	// A pasted token response holds several tokens: the ID token is the one.
	t := toks[0]
	for _, c := range toks {
		if c.Kind == inspect.KindIDToken {
			t = c
			break
		}
	}
	r.token = t.Raw
	s := r.session()
	a, _ := s.AnalyzeWithRefetch(ctx, t, r.idpKeys, wire.PartyIdP, inspect.Options{Want: inspect.KindIDToken,
		Expect: inspect.Expect{Now: r.env.Time(), Issuer: r.idp.Issuer, ClientID: r.cfg.IdP.ClientID}})
	ev := s.Exchanges()
	if c, bad := a.Checks.FirstFailure(); bad {
		hint := c.Hint
		switch c.ID {
		case "id_token.exp":
			hint = "the ID token expired: sign in again and pass the new one"
		case "id_token.iss":
			hint = "this ID token comes from another authorization server: sign in at the org authorization server " + r.idp.Issuer + " (a custom authorization server's ID token is refused)"
		}
		r.fail(i, want, c.ID+": "+cmp.Or(c.Actual, c.Title), hint, ev)
		return false
	}
	if r.idpKeys != nil && !a.Signature.Verified() {
		r.fail(i, want, "signature "+a.Signature.Verdict(), "the ID token is not signed with the org's keys: sign in again at "+r.idp.Issuer, ev)
		return false
	}
	sub, _ := t.Claims.String("sub")
	r.pass(i, want, "sub "+cmp.Or(sub, "(none)")+", "+a.Signature.Verdict(), ev)
	return true
}

// exchangeRefused finds the gate the org's refusal names: the gates before
// it are passed or not known, those after it not reached.
func (r *run) exchangeRefused(st *flow.Step, all func(int, string, []*wire.Exchange)) {
	ev := st.Exchanges
	var oe *wire.OAuthError
	switch {
	case errors.As(st.Err, &oe):
	case undecided(st.Err):
		all(1, "the token exchange brought back no answer: "+st.Err.Error(), ev)
		return
	default:
		// An answer that is no token response: an HTTP error without an
		// OAuth body, a redirect, a success without the ID-JAG.
		for _, g := range exchangeGates[1 : len(exchangeGates)-1] {
			r.unknown(g.item, "", "not known: the org's answer was no token response", ev)
		}
		fix := "report the response (the evidence below) to Okta Support"
		if st.Explanation != nil {
			fix = st.Explanation.Fix
		}
		r.fail(itemOrgIssuesIDJAG, "an ID-JAG", st.Err.Error(), fix, ev)
		all(len(exchangeGates), needs("an ID-JAG", itemOrgIssuesIDJAG.id), nil)
		return
	}
	id := ""
	if st.Explanation != nil {
		id = st.Explanation.ID
	}
	if id == "" && refusesSubject(oe.Description) {
		id = "token_exchange.subject_invalid"
	}
	at := len(exchangeGates) - 1
	for n, g := range exchangeGates {
		if slices.Contains(g.explanations, id) || (g.item == itemReqScopes && id == "token_exchange.grant_not_enabled" && mentionsScope(oe.Description)) {
			at = n
			break
		}
	}
	g := exchangeGates[at]
	fix := ""
	switch {
	case g.fix != nil:
		fix = g.fix(r)
	case st.Explanation != nil:
		fix = st.Explanation.Fix
	}
	if at == 0 {
		// The local check passed, so the org's reason is one it knows better.
		r.diag.Checks = slices.DeleteFunc(r.diag.Checks, func(c Check) bool { return c.ID == itemReqIDToken.id })
	}
	stopped := "not known: the org refused the exchange at \"" + strings.ToLower(g.item.title) + "\""
	for n, earlier := range exchangeGates[1:max(at, 1)] {
		if n == 0 {
			// Okta checks the user's assignment to the requesting app with
			// the subject token (invalid_subject_token_user_not_assigned),
			// before anything else.
			r.pass(earlier.item, earlier.expected(r), "yes: the org accepted the subject token, and refused later", ev)
			continue
		}
		r.unknown(earlier.item, "", stopped+", which it may check first", ev)
	}
	r.add(g.item.check(inspect.StatusFail, g.expected(r), oe.Error(), fix, ev))
	for _, later := range exchangeGates[at+1:] {
		r.unknown(later.item, "", stopped, ev)
	}
	for _, i := range []item{itemResAppAudience, itemResAppClientID, itemASAccepts} {
		r.unknown(i, "", stopped, ev)
	}
}

// grantedScopes compares the ID-JAG's scope with resource_as.scopes.
func (r *run) grantedScopes(jag *inspect.Token, ev []*wire.Exchange) {
	asked := r.cfg.ResourceAS.Scopes
	got, _ := jag.Claims.String("scope")
	granted := strings.Fields(got)
	var missing []string
	for _, s := range asked {
		if !slices.Contains(granted, s) {
			missing = append(missing, s)
		}
	}
	want := cmp.Or(asked.String(), "the connection's scopes")
	if len(missing) > 0 {
		r.warn(itemReqScopes, want, cmp.Or(got, "(no scope claim)"),
			"the org left out "+strings.Join(missing, " ")+": the connection does not allow them — add them to the connection, or stop asking for them", ev)
		return
	}
	r.pass(itemReqScopes, want, cmp.Or(got, "(no scope claim)"), ev)
}

// jagAudience checks the ID-JAG's aud against the resource AS issuer; the
// Todo0 placeholder gets the email to Okta's XAA team.
func (r *run) jagAudience(jag *inspect.Token, ev []*wire.Exchange) bool {
	want := r.audience()
	if r.as != nil {
		want = r.as.Issuer
	}
	auds, _, _ := jag.Claims.Strings("aud")
	got := strings.Join(auds, ", ")
	if slices.Contains(auds, want) {
		r.pass(itemResAppAudience, want, got, ev)
		return true
	}
	if slices.Contains(auds, todo0Audience) || slices.Contains(auds, todo0Audience+"/") {
		c := itemResAppAudience.check(inspect.StatusFail, want, got+" — the Todo0 catalog app's placeholder",
			"the resource app is Okta's Todo0 sample, whose ID-JAGs always carry aud "+todo0Audience+" and client_id "+todo0ClientID+
				"; only Okta's XAA team can point it at your authorization server: send them the email below", ev)
		c.Email = r.todo0Email(want)
		r.add(c)
		return false
	}
	_, near := inspect.CompareIdentifier(want, got)
	r.fail(itemResAppAudience, want, cmp.Or(got, "(no aud)"),
		inspect.WithNearMiss(near, "the org writes the resource app's Issuer URL into aud, and the resource AS accepts only its own issuer: set the Issuer URL to "+want+" exactly"), ev)
	return false
}

// jagClientID checks the ID-JAG's client_id against resource_as.client_id.
func (r *run) jagClientID(jag *inspect.Token, ev []*wire.Exchange) bool {
	want := r.cfg.ResourceAS.ClientID
	got, _ := jag.Claims.String("client_id")
	auds, _, _ := jag.Claims.Strings("aud")
	switch {
	case got == want:
		r.pass(itemResAppClientID, want, got, ev)
		return true
	case got == todo0ClientID && (slices.Contains(auds, todo0Audience) || slices.Contains(auds, todo0Audience+"/")):
		r.warn(itemResAppClientID, want, got+" — the Todo0 catalog app's placeholder",
			"part of Todo0's placeholder (see "+itemResAppAudience.id+"): the same email asks Okta to set it to "+want, ev)
		return false
	}
	r.fail(itemResAppClientID, want+" (resource_as.client_id)", cmp.Or(got, "(no client_id)"),
		"the resource AS refuses an ID-JAG whose client_id is not the client presenting it: set the connection's client ID registered in the resource app to "+want+", or set resource_as.client_id to "+cmp.Or(got, "the ID-JAG's client_id")+" if that is your client there", ev)
	return false
}

// todo0Email is the message asking Okta to point Todo0 at your resource AS.
func (r *run) todo0Email(audience string) *Email {
	c := r.cfg
	var b strings.Builder
	b.WriteString("Hello Okta XAA team,\n\n")
	b.WriteString("Please point the Todo0 resource app in our org at our own authorization server, so the ID-JAGs\n")
	b.WriteString("our requesting app gets for it carry our issuer as aud and our client id as client_id.\n\n")
	fmt.Fprintf(&b, "Org URL:                              %s\n", c.IdP.Issuer)
	fmt.Fprintf(&b, "Audience (our authorization server):  %s\n", audience)
	fmt.Fprintf(&b, "Client ID at our authorization server: %s\n", c.ResourceAS.ClientID)
	fmt.Fprintf(&b, "Requesting app's client ID in Okta:   %s\n", c.IdP.ClientID)
	if id := c.Resource.ID; id != "" {
		fmt.Fprintf(&b, "Resource indicator:                   %s\n", id)
	}
	fmt.Fprintf(&b, "\nToday the ID-JAGs carry aud %s and client_id %s (the Todo0 defaults).\n\nThank you.\n", todo0Audience, todo0ClientID)
	return &Email{To: oktaXAAEmail, Subject: "Cross App Access: point Todo0 at our authorization server (" + c.IdP.Issuer + ")", Body: b.String()}
}

// redeem presents the ID-JAG at the resource AS with the jwt-bearer grant.
func (r *run) redeem(ctx context.Context, runner *flow.Runner, in flow.State) {
	st := runner.RunStep(ctx, flow.StepJWTBearer, in, nil)
	ev := st.Exchanges
	want := "an access token for the ID-JAG"
	if st.Err == nil {
		r.pass(itemASAccepts, want, "an access token ("+cmp.Or(st.Out.AccessTokenType, "Bearer")+")", ev)
		return
	}
	if undecided(st.Err) {
		r.unknown(itemASAccepts, want, "the resource AS did not answer: "+st.Err.Error(), ev)
		return
	}
	fix := ""
	if st.Explanation != nil {
		fix = st.Explanation.Meaning + " " + st.Explanation.Fix
	}
	r.fail(itemASAccepts, want, st.Err.Error(), fix, ev)
}

// mentionsScope recognises Okta's "Scope not permitted", which comes with
// unauthorized_client, the grant's error code.
func mentionsScope(description string) bool {
	return strings.Contains(strings.ToLower(description), "scope")
}
