package doctor

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/xaatools/xaa/flow/config"
	"github.com/xaatools/xaa/flow/wire"

	"github.com/xaatools/xaa/inspect"
)

// Clock skew the doctor accepts between the org and this machine: the
// Todo0 sample resource AS rejects an ID-JAG whose iat is older than 30 s
// (protocol reference §7), and token checks allow inspect.DefaultSkew.
const (
	doctorClockPass = 30 * time.Second
	doctorClockWarn = inspect.DefaultSkew
)

// configChecks turns the config's problems and warnings into one check per
// section. The issuer of the IdP is left to the org URL checks, which say
// more about it.
func (r *run) configChecks() {
	var problems []config.Problem
	var ce *config.Error
	if err := r.cfg.Validate(); errors.As(err, &ce) {
		problems = ce.Problems
	}
	warnings := r.cfg.Warnings()
	for _, sec := range []struct {
		name string
		item item
	}{{"idp", itemReqConfig}, {"resource_as", itemASConfig}, {"resource", itemResConfig}} {
		in := func(ps []config.Problem) []config.Problem {
			var out []config.Problem
			for _, p := range ps {
				section, _, _ := strings.Cut(p.Key, ".")
				if section == sec.name && p.Key != "idp.issuer" {
					out = append(out, p)
				}
			}
			return out
		}
		expected := "the " + sec.name + " section complete and valid"
		switch bad, odd := in(problems), in(warnings); {
		case len(bad) > 0:
			r.fail(sec.item, expected, joinProblems(bad), "fix these keys in "+cmp.Or(r.cfg.Source, "the config")+"; secrets can also come from "+config.EnvIdPClientSecret+" / "+config.EnvASClientSecret, nil)
		case len(odd) > 0:
			r.warn(sec.item, expected, joinProblems(odd), "allowed, but probably not what you meant", nil)
		default:
			r.pass(sec.item, expected, "complete", nil)
		}
	}
}

// notOkta turns the checks of Okta's own rules into "not compared" for an
// IdP that is not an Okta org: a pass would claim a comparison that means
// nothing there, a failure would blame a rule that does not apply. The
// IdP's checks lose their Okta Admin Console screens, which that IdP does
// not have.
func (r *run) notOkta() {
	for i, c := range r.diag.Checks {
		if c.Party == Org || c.Party == RequestingApp || c.Party == ResourceApp {
			c.Console = ""
			r.diag.Checks[i] = c
		}
		if c.ID == itemOrgAdmin.id || c.ID == itemOrgAuthServer.id {
			c.Status, c.Actual, c.Console = inspect.StatusSkip, "not compared", ""
			c.Hint = "the IdP is not an Okta org (neither its host nor its endpoints are Okta's): this is Okta's rule"
			r.diag.Checks[i] = c
		}
	}
}

// looksLikeOkta reports whether the IdP is an Okta org (config.OktaIdP),
// with its metadata when there is one.
func looksLikeOkta(issuer string, md *wire.Metadata) bool {
	if md == nil {
		return config.OktaIdP(issuer, "", "")
	}
	return config.OktaIdP(issuer, md.Issuer, md.TokenEndpoint)
}

// orgURLChecks looks at idp.issuer itself: absolute https, not the -admin
// console host, not a custom authorization server, no trailing slash.
func (r *run) orgURLChecks() {
	issuer := r.cfg.IdP.Issuer
	u, err := url.Parse(issuer)
	if issuer == "" || err != nil || u.Host == "" || (u.Scheme != "https" && u.Scheme != "http") {
		r.fail(itemOrgURL, "https://{yourOktaDomain}", cmp.Or(issuer, "(empty)"),
			"set idp.issuer to the org URL, e.g. https://dev-123.okta.com", nil)
		for _, i := range []item{itemOrgAdmin, itemOrgAuthServer, itemOrgSlash} {
			r.unknown(i, "", needs("an absolute org URL", itemOrgURL.id), nil)
		}
		return
	}
	switch {
	case u.Scheme == "https":
		r.pass(itemOrgURL, "https://…", issuer, nil)
	case inspect.IsLoopbackURL(issuer):
		r.pass(itemOrgURL, "https://…", issuer+" (http on loopback: a local test server)", nil)
	default:
		r.fail(itemOrgURL, "https://…", issuer, "an Okta org is only served over https: use https://"+u.Host, nil)
	}

	if fixed, admin := config.AdminConsoleURL(u); admin {
		r.fail(itemOrgAdmin, fixed, issuer, "this is the Admin Console's address, not the org's issuer: use "+fixed, nil)
	} else {
		r.pass(itemOrgAdmin, "not …-admin", u.Hostname(), nil)
	}

	origin := u.Scheme + "://" + u.Host
	switch path := u.EscapedPath(); {
	case config.OktaCustomASPath(path):
		r.fail(itemOrgAuthServer, origin, issuer, "a custom authorization server ("+strings.TrimSuffix(path, "/")+") cannot issue ID-JAGs: set idp.issuer to the org authorization server "+origin+" and log in there", nil)
	case path == "" || path == "/":
		r.pass(itemOrgAuthServer, origin, issuer, nil)
	case config.OktaHost(u.Host):
		r.warn(itemOrgAuthServer, origin, issuer, "an Okta org URL has no path: use "+origin, nil)
	default:
		r.pass(itemOrgAuthServer, "the IdP's issuer", issuer+" (not an Okta custom authorization server path)", nil)
	}

	switch {
	case !strings.HasSuffix(issuer, "/"):
		r.pass(itemOrgSlash, "no trailing /", issuer, nil)
	case config.OktaHost(u.Host) || u.EscapedPath() == "/":
		r.fail(itemOrgSlash, strings.TrimRight(issuer, "/"), issuer, "Okta's issuer has no trailing slash, and issuers are compared byte for byte: use "+strings.TrimRight(issuer, "/"), nil)
	default:
		r.pass(itemOrgSlash, "the published issuer", issuer+" (ends with /: org.issuer compares it with the published one)", nil)
	}
}

func isAbsoluteURL(raw string) bool {
	u, err := url.Parse(raw)
	return err == nil && u.Host != "" && (u.Scheme == "https" || u.Scheme == "http")
}

// serverLookup says how to find one server's metadata and how to word
// what is wrong with it.
type serverLookup struct {
	party, what string // the recorder's party and label
	issuer, key string // the configured issuer and its config key
	// urlCheck is the check that judges the configured issuer's form.
	urlCheck string
	urls     []inspect.MetadataURL
	// formats names the documents looked for, in order.
	formats              string
	metadata, issuerItem item
	// issuerHint is the fix of an issuer that differs from the published one.
	issuerHint string
}

// discoverServer fetches a server's metadata and records whether it was
// found and whether its issuer is the configured one. It returns the
// metadata (also when the issuer differs, so the endpoint probes can still
// run), whether the issuer matched, and the exchanges. Without metadata
// the issuer check is unknown.
func (r *run) discoverServer(ctx context.Context, l serverLookup) (*wire.Metadata, bool, []*wire.Exchange) {
	if !isAbsoluteURL(l.issuer) {
		r.unknown(l.metadata, "", needs("an absolute "+l.key, l.urlCheck), nil)
		r.unknown(l.issuerItem, "", needs("the metadata", l.metadata.id), nil)
		return nil, false, nil
	}
	s := r.session()
	md, err := s.DiscoverMetadata(ctx, l.party, l.what, l.issuer, l.urls)
	ev := s.Exchanges()
	var mismatch *wire.IssuerMismatchError
	switch {
	case err == nil:
		r.pass(l.metadata, l.formats, md.URL, ev)
		r.pass(l.issuerItem, l.issuer, md.Issuer, ev)
		return md, true, ev
	case errors.As(err, &mismatch):
		r.pass(l.metadata, l.formats, md.URL, ev)
		r.fail(l.issuerItem, l.issuer, mismatch.Got+" (at "+mismatch.URL+")", inspect.WithNearMiss(mismatch.NearMiss, l.issuerHint), ev)
		return md, false, ev
	case undecided(err):
		r.unknown(l.metadata, l.formats, err.Error(), ev)
	default:
		r.fail(l.metadata, l.formats, "none found", err.Error()+" — check "+l.key+": open "+inspect.IdPMetadataURLs(l.issuer)[0].URL+" in a browser", ev)
	}
	r.unknown(l.issuerItem, "", needs("the metadata", l.metadata.id), nil)
	return nil, false, ev
}

// orgDiscovery fetches the org's metadata (OIDC Discovery, then RFC 8414)
// and keys, and reads its clock from the Date header.
func (r *run) orgDiscovery(ctx context.Context) {
	issuer := r.cfg.IdP.Issuer
	md, trusted, ev := r.discoverServer(ctx, serverLookup{party: wire.PartyIdP, what: "org metadata", issuer: issuer, key: "idp.issuer", urlCheck: itemOrgURL.id,
		urls: inspect.IdPMetadataURLs(issuer), formats: "OIDC or RFC 8414 metadata", metadata: itemOrgMetadata, issuerItem: itemOrgIssuer,
		issuerHint: "set idp.issuer to the published issuer, verbatim: it is the iss of every ID token and ID-JAG the org issues"})
	r.idp, r.idpTrusted = md, trusted
	if md == nil {
		for _, i := range []item{itemOrgGrant, itemOrgIDJAGType, itemOrgJWKS, itemReqAuthMethod} {
			r.unknown(i, "", needs("the org's metadata", itemOrgMetadata.id), nil)
		}
		r.clockCheck(ev)
		return
	}
	advertised := inspect.CheckIdPMetadata(&md.ServerMetadata)
	r.judged(itemOrgGrant, advertised[0], "the org does not list the token exchange grant: Cross App Access may be off (org.xaa_enabled is the verdict)", ev)
	r.judged(itemOrgIDJAGType, advertised[1], "the org does not list the ID-JAG token type; absence does not prove it cannot issue them (org.xaa_enabled is the verdict)", ev)
	r.orgKeys(ctx, md)
	r.clockCheck(ev)
	r.authMethod(itemReqAuthMethod, r.cfg.IdP.ClientConfig, md, ev)
}

// authMethod checks the configured client authentication against the
// methods the server advertises.
func (r *run) authMethod(i item, cc config.ClientConfig, md *wire.Metadata, ev []*wire.Exchange) {
	r.judged(i, inspect.CheckAuthMethod(&md.ServerMetadata, cc.Method()), "", ev)
}

// orgKeys fetches the org's JWKS and counts its usable keys.
func (r *run) orgKeys(ctx context.Context, md *wire.Metadata) {
	if md.JWKSURI == "" {
		r.fail(itemOrgJWKS, "jwks_uri", "(absent)", "the org's metadata names no key set: nobody can verify its ID tokens and ID-JAGs", nil)
		return
	}
	s := r.session()
	keys, err := s.FetchJWKS(ctx, wire.PartyIdP, "org key set", md.JWKSURI)
	ev := s.Exchanges()
	switch {
	case err != nil && undecided(err):
		r.unknown(itemOrgJWKS, "a JWKS at "+md.JWKSURI, err.Error(), ev)
		return
	case err != nil:
		r.fail(itemOrgJWKS, "a JWKS at "+md.JWKSURI, "not usable", err.Error(), ev)
		return
	}
	keys.Issuer, keys.MetadataURL = md.Issuer, md.URL
	r.idpKeys = keys
	r.judged(itemOrgJWKS, inspect.CheckKeySet(keys.Keys, keys.URL), "", ev)
}

// clockCheck compares the Date header of the first answer with this
// machine's clock at the middle of that round trip.
func (r *run) clockCheck(ev []*wire.Exchange) {
	for _, x := range ev {
		if x.Response == nil || x.Response.Header.Get("Date") == "" {
			continue
		}
		date, err := http.ParseTime(x.Response.Header.Get("Date"))
		if err != nil {
			continue
		}
		// Date is cut to the second: the org's clock read date + ½ s on average.
		local := x.Started.Add(x.Duration / 2)
		skew := date.Add(time.Second / 2).Sub(local).Round(time.Second)
		abs := max(skew, -skew)
		actual := fmt.Sprintf("the org's Date %s; this machine %s: %s", date.UTC().Format(time.RFC3339), local.UTC().Format(time.RFC3339), describeSkew(skew))
		expected := "within " + inspect.HumanDuration(doctorClockPass)
		hint := "tokens look expired or issued in the future when clocks disagree: synchronise this machine's clock (NTP)"
		switch {
		case abs <= doctorClockPass:
			r.pass(itemOrgClock, expected, actual, []*wire.Exchange{x})
		case abs <= doctorClockWarn:
			r.warn(itemOrgClock, expected, actual, hint+"; resource authorization servers like the Todo0 sample reject an ID-JAG whose iat is more than 30 s old", []*wire.Exchange{x})
		default:
			r.fail(itemOrgClock, expected, actual, hint, []*wire.Exchange{x})
		}
		return
	}
	r.unknown(itemOrgClock, "within "+inspect.HumanDuration(doctorClockPass), "no answer from the org carried a Date header", nil)
}

func describeSkew(d time.Duration) string {
	switch {
	case d == 0:
		return "in step"
	case d > 0:
		return "the org is " + inspect.HumanDuration(d) + " ahead"
	}
	return "the org is " + inspect.HumanDuration(-d) + " behind"
}
