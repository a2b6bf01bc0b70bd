package inspect_test

import (
	"testing"
	"time"

	"github.com/xaatools/xaa/inspect"
)

// ruleCorpus returns every check a broad corpus gives: each token kind
// with each of its claims removed, emptied or given a wrong type or time,
// against full and empty expectations; headers and signatures gone wrong;
// chains, metadata, client assertions, key sets and identifiers, good and
// bad. A new check the corpus reaches must be registered to pass.
func ruleCorpus(t *testing.T) inspect.Report {
	var out inspect.Report
	for _, run := range worstCases(t) {
		out = append(out, run()...)
	}
	out = append(out, tokenCorpus(t)...)
	out = append(out, chainCorpus(t)...)
	out = append(out, metadataCorpus()...)
	out = append(out, assertionCorpus(t)...)
	return append(out, identifierCorpus(t)...)
}

// corpusKind is one kind of token with its valid claims and expectations.
type corpusKind struct {
	typ    string
	claims []any
	kind   inspect.Kind
	expect inspect.Expect
}

func corpusKinds() []corpusKind {
	return []corpusKind{
		{"JWT", idTokenClaims(), inspect.KindIDToken, inspect.Expect{Issuer: idpIssuer, ClientID: idpClient, Nonce: "n-0S6_WzA2Mj"}},
		{"oauth-id-jag+jwt", jagClaims(), inspect.KindIDJAG, jagExpect},
		{"at+jwt", accessTokenClaims(), inspect.KindAccessToken, inspect.Expect{Issuer: asIssuer, Audience: resourceID, ClientID: asClient, Scope: "todos.read"}},
		{"JWT", []any{"iss", "https://x.example", "iat", now.Unix(), "exp", now.Add(time.Hour).Unix()}, inspect.KindUnknown, inspect.Expect{}},
	}
}

// claimValues are the values every claim is tried with: absent, empty,
// the wrong type, wrong times and wrong identifiers.
var claimValues = []any{nil, "", 7, []string{}, []string{"a", "b"}, map[string]string{"format": "saml-nameid"},
	now.Add(-2 * time.Hour).Unix(), now.Add(-30 * time.Second).Unix(), now.Add(time.Hour).Unix(), now.Add(59 * time.Minute).Unix(),
	"https://other.example", "https://api.example.com/x#f", "https://api.example.com/x?q=1", "/relative"}

// extraClaims are claims the valid sets lack whose presence is checked.
var extraClaims = []string{"nbf", "azp", "nonce", "at_hash", "scopes", "sub_id", "authorization_details", "resource"}

func tokenCorpus(t *testing.T) inspect.Report {
	var out inspect.Report
	for _, k := range corpusKinds() {
		names := append([]string(nil), extraClaims...)
		for i := 0; i < len(k.claims); i += 2 {
			names = append(names, k.claims[i].(string))
		}
		expects := []inspect.Expect{k.expect, {}, {Okta: true}, {Nonce: "other", Resources: []string{resourceID}, Scope: "admin"}}
		for _, e := range expects {
			out = append(out, analyze(t, k.typ, k.claims, k.kind, e).Checks...)
			for _, name := range names {
				for _, v := range claimValues {
					out = append(out, analyze(t, k.typ, override(k.claims, name, v), k.kind, e).Checks...)
				}
			}
		}
		for _, typ := range []string{"", "JWT", "at+jwt", "oauth-id-jag+jwt", "authorization-grant+jwt"} {
			out = append(out, analyze(t, typ, k.claims, k.kind, k.expect).Checks...)
		}
		out = append(out, headerCorpus(t, k)...)
	}
	return out
}

// headerCorpus breaks a token's signature and algorithm: none, HS256, a
// key the set lacks, no keys, keys found through the token's own iss, and
// a subject identifier of each format.
func headerCorpus(t *testing.T, k corpusKind) inspect.Report {
	body := claims(k.claims...)
	keys := mustJWKS(t, jwks(t, "rs"))
	run := func(raw string, o inspect.Options) inspect.Report {
		o.Want, o.Expect.Now = k.kind, now
		return inspect.Analyze(mustDecode(t, raw), o).Checks
	}
	var out inspect.Report
	out = append(out, run(unsigned(`{"alg":"none","typ":"`+k.typ+`"}`, body, nil), inspect.Options{Keys: keys})...)
	out = append(out, run(unsigned(`{"typ":"`+k.typ+`"}`, body, []byte("x")), inspect.Options{Keys: keys})...)
	out = append(out, run(hs256(`{"alg":"HS256","typ":"`+k.typ+`"}`, body, []byte("secret")), inspect.Options{Keys: keys})...)
	out = append(out, run(key(t, "rs2").Mint(t, k.typ, body, nil), inspect.Options{Keys: keys})...)
	out = append(out, run(key(t, "rs").Mint(t, k.typ, body, nil), inspect.Options{KeyProblem: "--offline"})...)
	out = append(out, run(key(t, "rs").Mint(t, k.typ, body, nil), inspect.Options{Keys: keys, KeysSelfAsserted: true})...)
	for _, f := range []map[string]string{{"format": "email", "email": "a@example.com"}, {"format": "saml-nameid", "issuer": "x", "nameid": "y"}, {"format": "saml_nameid"}, {}} {
		out = append(out, analyze(t, k.typ, override(k.claims, "sub_id", f), k.kind, k.expect).Checks...)
	}
	for _, d := range []any{[]map[string]string{{"type": "a"}}, []map[string]string{{"actions": "read"}}} {
		out = append(out, analyze(t, k.typ, override(k.claims, "authorization_details", d), k.kind, k.expect).Checks...)
	}
	return out
}

func chainCorpus(t *testing.T) inspect.Report {
	rs := key(t, "rs")
	mint := func(typ string, c []any) *inspect.Token { return mustDecode(t, rs.Mint(t, typ, claims(c...), nil)) }
	good := func() inspect.Chain {
		return inspect.Chain{IDToken: mint("JWT", idTokenClaims()), IDJAG: mint("oauth-id-jag+jwt", jagClaims()),
			AccessToken: mint("at+jwt", accessTokenClaims()), IdPClientID: idpClient, ASIssuer: asIssuer, ASClientID: asClient}
	}
	changes := []func(*inspect.Chain){
		func(*inspect.Chain) {},
		func(c *inspect.Chain) {
			c.IdPClientID, c.ASIssuer, c.ASClientID = "other", "https://other.example", "other"
		},
		func(c *inspect.Chain) {
			c.IDJAG = mint("oauth-id-jag+jwt", override(jagClaims(), "iss", "https://other.example", "sub", "x", "iat", now.Add(2*time.Hour).Unix(), "exp", now.Add(-time.Hour).Unix(), "scope", "a"))
		},
		func(c *inspect.Chain) {
			c.AccessToken = mint("at+jwt", override(accessTokenClaims(), "aud", nil, "scope", "admin", "iat", now.Add(2*time.Hour).Unix()))
		},
		func(c *inspect.Chain) {
			c.AccessToken = mint("at+jwt", override(accessTokenClaims(), "aud", "https://other.example"))
		},
		func(c *inspect.Chain) { c.AccessToken = mustDecode(t, "test-token-1796000000000") },
	}
	var out inspect.Report
	for _, change := range changes {
		ch := good()
		change(&ch)
		out = append(out, inspect.CheckChain(ch)...)
	}
	return out
}

func metadataCorpus() inspect.Report {
	te, jb, profile := inspect.GrantTypeTokenExchange, inspect.GrantTypeJWTBearer, inspect.GrantProfileIDJAG
	mds := []*inspect.ServerMetadata{
		{},
		{GrantTypesSupported: []string{"authorization_code"}, IdentityChainingRequestedTokenTypesSupported: []string{}, CodeChallengeMethodsSupported: []string{"plain"},
			AuthorizationGrantProfilesSupported: []string{profile}, TokenEndpointAuthMethodsSupported: []string{"private_key_jwt"}},
		{GrantTypesSupported: []string{te, jb}, IdentityChainingRequestedTokenTypesSupported: []string{inspect.TokenTypeIDJAG}, CodeChallengeMethodsSupported: []string{"S256"},
			AuthorizationGrantProfilesSupported: []string{profile}, AuthorizationEndpoint: "https://as/authorize", ResponseTypesSupported: []string{}},
	}
	var out inspect.Report
	for _, md := range mds {
		out = append(out, inspect.CheckIdPMetadata(md)...)
		out = append(out, inspect.CheckASMetadata(md, inspect.MetadataRFC8414)...)
		out = append(out, inspect.CheckASMetadata(md, inspect.MetadataOIDC)...)
		out = append(out, inspect.CheckASForMCPClients(md)...)
		out = append(out, inspect.CheckAuthMethod(md, "client_secret_basic"))
	}
	for _, cm := range []*inspect.ClientMetadata{{}, {AuthorizationGrantProfilesSupported: []string{profile}},
		{GrantTypes: []string{te, jb}, AuthorizationGrantProfilesSupported: []string{profile}}} {
		out = append(out, inspect.CheckClientMetadata(cm)...)
	}
	return out
}

func assertionCorpus(t *testing.T) inspect.Report {
	base := []any{"iss", "agent", "sub", "agent", "aud", "https://as/token", "jti", "j1", "iat", now.Unix(), "exp", now.Add(5 * time.Minute).Unix()}
	var out inspect.Report
	for _, c := range [][]any{base, override(base, "sub", "alice"), override(base, "iss", "", "aud", "https://elsewhere", "jti", nil),
		override(base, "exp", nil), override(base, "exp", now.Add(3*time.Hour).Unix())} {
		tok := mustDecode(t, key(t, "es").Mint(t, "JWT", claims(c...), nil))
		for _, e := range []inspect.AssertionExpect{{Now: now}, {Now: now, ClientID: "other", Audiences: []string{"https://as/token"}, MaxLifetime: time.Hour}} {
			out = append(out, inspect.CheckClientAssertion(tok, e)...)
		}
	}
	return out
}

// identifierCorpus: the kind check, key sets and the URN parameters, each
// good and bad, and token responses whose envelope carries URNs.
func identifierCorpus(t *testing.T) inspect.Report {
	var out inspect.Report
	jag := mustDecode(t, key(t, "rs").Mint(t, "oauth-id-jag+jwt", claims(jagClaims()...), nil))
	idt := mustDecode(t, key(t, "rs").Mint(t, "JWT", claims(idTokenClaims()...), nil))
	for _, want := range []inspect.Kind{inspect.KindIDJAG, inspect.KindIDToken, inspect.KindAccessToken} {
		out = append(out, inspect.CheckKind(jag, want), inspect.CheckKind(idt, want))
	}
	out = append(out, inspect.CheckKeySet(mustJWKS(t, jwks(t, "rs")), "test"), inspect.CheckKeySet(&inspect.KeySet{}, "test"))
	for _, p := range []string{"grant_type", "requested_token_type", "issued_token_type", "subject_token_type", "client_assertion_type"} {
		for _, v := range []string{inspect.GrantTypeJWTBearer, inspect.TokenTypeIDJAG, inspect.TokenTypeIDToken, inspect.ClientAssertionTypeJWTBearer, "urn:x"} {
			out = append(out, inspect.CheckURN(p, v))
		}
	}
	raw := key(t, "rs").Mint(t, "oauth-id-jag+jwt", claims(jagClaims()...), nil)
	for _, env := range []string{
		`{"access_token":"` + raw + `","issued_token_type":"urn:ietf:params:oauth:token-type:id_jag","token_type":"N_A"}`,
		`{"access_token":"` + raw + `","issued_token_type":"` + inspect.TokenTypeIDJAG + `"}`,
		`{"refresh_token":"8xLOxBtZp8wxLOxBtZp8"}`,
	} {
		out = append(out, inspect.Analyze(mustDecode(t, env), inspect.Options{Expect: inspect.Expect{Now: now}}).Checks...)
	}
	return out
}
