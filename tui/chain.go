package tui

import (
	"strings"

	"github.com/xaatools/xaa/flow"
	"github.com/xaatools/xaa/inspect"
	"github.com/xaatools/xaa/tui/report"
)

// chainClaims are the claims that hand a flow over from token to token.
var chainClaims = []string{"iss", "aud", "sub", "client_id", "resource", "exp"}

// hop is one token of the chain and the step that produced it.
type hop struct {
	step  flow.StepID
	title string
	token *inspect.Token
}

// chainHops returns the flow's tokens in order: the ID token, the ID-JAG,
// the access token (a missing one is nil).
func (f flowScreen) chainHops() []hop {
	get := func(id flow.StepID, kind inspect.Kind) *inspect.Token {
		if st := f.steps[id]; st != nil {
			if a, ok := st.Token(kind); ok {
				return a.Token
			}
		}
		return nil
	}
	return []hop{
		{flow.StepLogin, "ID token", get(flow.StepLogin, inspect.KindIDToken)},
		{flow.StepTokenExchange, "ID-JAG", get(flow.StepTokenExchange, inspect.KindIDJAG)},
		{flow.StepJWTBearer, "Access token", get(flow.StepJWTBearer, inspect.KindAccessToken)},
	}
}

// chainView shows the tokens hop to hop — one row per token when the pane
// is wide, one card per token when it is not — with the audience shift
// highlighted, then the chain checks of inspect.CheckChain.
func (f flowScreen) chainView(width int) string {
	s := f.c.styles
	hops := f.chainHops()
	any := false
	for _, h := range hops {
		any = any || h.token != nil
	}
	if !any {
		return s.faint.Render("No tokens yet: run the login, the token exchange and the jwt-bearer grant, and the chain of tokens shows here — who issued each one, for whom (aud), about whom (sub), for which client and resource, and until when.")
	}
	checks := inspect.CheckChain(inspect.Chain{
		IDToken: hops[0].token, IDJAG: hops[1].token, AccessToken: hops[2].token,
		IdPClientID: f.cfg.IdP.ClientID, ASIssuer: f.cfg.ResourceAS.Issuer, ASClientID: f.cfg.ResourceAS.ClientID,
	})
	bad := mismatchedClaims(checks)
	var b strings.Builder
	if width >= 110 {
		b.WriteString(f.chainTable(hops, bad, width))
	} else {
		b.WriteString(f.chainCards(hops, bad, width))
	}
	b.WriteString("\n" + s.faint.Render("The audience shifts at every hop: the ID token is for the IdP client, the ID-JAG for the resource AS (draft §4.3), the access token for the resource.") + "\n")
	if len(checks) > 0 {
		b.WriteString("\n" + s.report.Heading.Render("Chain checks") + "  " + report.Summary(s.report, checks) + "\n")
		b.WriteString(report.Checks(s.report, checks, width))
	}
	return b.String()
}

// mismatchedClaims maps a failed chain check to the claims of the hop it
// blames: hop index → claim → true.
func mismatchedClaims(r inspect.Report) map[int]map[string]bool {
	blame := map[string]struct {
		hop   int
		claim string
	}{
		"chain.id_token_aud":     {0, "aud"},
		"chain.iss":              {1, "iss"},
		"chain.sub":              {1, "sub"},
		"chain.subject_fresh":    {0, "exp"},
		"chain.id_jag_aud":       {1, "aud"},
		"chain.id_jag_client_id": {1, "client_id"},
		"chain.access_token_aud": {2, "aud"},
		"chain.grant_fresh":      {1, "exp"},
	}
	out := map[int]map[string]bool{}
	for _, c := range r {
		if c.Status != inspect.StatusFail && c.Status != inspect.StatusWarn {
			continue
		}
		if b, ok := blame[c.ID]; ok {
			if out[b.hop] == nil {
				out[b.hop] = map[string]bool{}
			}
			out[b.hop][b.claim] = true
		}
	}
	return out
}

// claimText returns a claim for the chain: strings as they are, arrays
// joined, times relative to now.
func (f flowScreen) claimText(t *inspect.Token, claim string) string {
	if t == nil {
		return ""
	}
	if claim == "exp" {
		if tm, ok := t.Claims.Time("exp"); ok {
			return inspect.DescribeTime("exp", tm, f.c.now)
		}
		return "—"
	}
	if vs, _, ok := t.Claims.Strings(claim); ok {
		return strings.Join(vs, ", ")
	}
	if raw, ok := t.Claims.Raw(claim); ok {
		return string(raw)
	}
	return "—"
}

// shifted says whether hop i's audience differs from the hop before it.
func (f flowScreen) shifted(hops []hop, i int) bool {
	return i > 0 && hops[i].token != nil && hops[i-1].token != nil &&
		f.claimText(hops[i].token, "aud") != f.claimText(hops[i-1].token, "aud")
}

// cell renders a claim of hop i: a mismatch in red with ✗, an audience that
// moved since the previous hop in yellow with →, so both read without colour.
func (f flowScreen) cell(hops []hop, i int, claim string, bad map[int]map[string]bool, width int) string {
	s := f.c.styles
	v := f.claimText(hops[i].token, claim)
	switch {
	case bad[i][claim]:
		return s.mismatch.Render(truncateLine(report.GlyphOf(inspect.StatusFail)+" "+v, width))
	case claim == "aud" && f.shifted(hops, i):
		return s.shift.Render(truncateLine("→ "+v, width))
	}
	return truncateLine(v, width)
}

// chainTable renders one row per token.
func (f flowScreen) chainTable(hops []hop, bad map[int]map[string]bool, width int) string {
	s := f.c.styles
	const first = 14
	cols := f.columnWidths(hops, width-first)
	var b strings.Builder
	b.WriteString(pad("", first))
	for j, c := range chainClaims {
		b.WriteString(s.report.Key.Render(pad(c, cols[j])) + " ")
	}
	b.WriteString("\n")
	for i, h := range hops {
		b.WriteString(s.bold.Render(pad(h.title, first)))
		if h.token == nil {
			b.WriteString(s.faint.Render("not issued yet") + "\n")
			continue
		}
		for j, c := range chainClaims {
			b.WriteString(pad(f.cell(hops, i, c, bad, cols[j]), cols[j]) + " ")
		}
		b.WriteString("\n")
	}
	return b.String()
}

// columnWidths sizes the chain table's columns to their contents (plus room
// for a ✗ or → marker), shrinking the widest until the table fits avail.
func (f flowScreen) columnWidths(hops []hop, avail int) []int {
	widths := make([]int, len(chainClaims))
	for j, c := range chainClaims {
		widths[j] = len(c)
		for _, h := range hops {
			widths[j] = max(widths[j], len([]rune(f.claimText(h.token, c)))+2)
		}
	}
	avail -= len(chainClaims) // the spaces between columns
	for {
		total, widest := 0, 0
		for j, w := range widths {
			total += w
			if w > widths[widest] {
				widest = j
			}
		}
		if total <= avail || widths[widest] <= 8 {
			return widths
		}
		widths[widest]--
	}
}

// chainCards renders one block per token, with arrows naming the step that
// turned one token into the next.
func (f flowScreen) chainCards(hops []hop, bad map[int]map[string]bool, width int) string {
	s := f.c.styles
	var b strings.Builder
	for i, h := range hops {
		if i > 0 {
			b.WriteString(s.faint.Render("   ↓ "+shortTitle(h.step)) + "\n")
		}
		b.WriteString(s.bold.Render(h.title) + s.faint.Render("  from "+shortTitle(h.step)) + "\n")
		if h.token == nil {
			b.WriteString(s.faint.Render("  not issued yet") + "\n")
			continue
		}
		for _, c := range chainClaims {
			b.WriteString("  " + s.report.Key.Render(pad(c, 10)) + f.cell(hops, i, c, bad, max(width-12, 8)) + "\n")
		}
	}
	return b.String()
}
