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

// hops returns the chain's tokens in order: the ID token, the ID-JAG, the
// access token (a missing one is nil).
func hops(ch flow.Chain) []hop {
	return []hop{
		{flow.StepLogin, "ID token", ch.IDToken},
		{flow.StepTokenExchange, "ID-JAG", ch.IDJAG},
		{flow.StepJWTBearer, "Access token", ch.AccessToken},
	}
}

// chainView shows the session's tokens hop to hop — one row per token when
// the pane is wide, one card per token when it is not — with the audience
// shift highlighted, then the chain checks (flow.Session.Chain).
func chainView(c *shared, ch flow.Chain, width int) string {
	s := c.styles
	hs := hops(ch)
	if ch.IDToken == nil && ch.IDJAG == nil && ch.AccessToken == nil {
		return s.faint.Render("No tokens yet: run the login, the token exchange and the jwt-bearer grant, and the chain of tokens shows here — who issued each one, for whom (aud), about whom (sub), for which client and resource, and until when.")
	}
	var b strings.Builder
	if ch.MCP != nil {
		b.WriteString(s.report.Heading.Render("The API's tokens") + "\n")
	}
	chainSection(&b, c, hs, ch.Checks, width, true)
	if m := ch.MCP; m != nil {
		b.WriteString("\n" + s.report.Heading.Render("The MCP server's tokens") + s.faint.Render("  its own ID-JAG and access token, for its own resource") + "\n")
		chainSection(&b, c, hops(*m), m.Checks, width, false)
	}
	return b.String()
}

// chainSection writes one chain: its hops, what an audience shift means
// (the first time), and its checks.
func chainSection(b *strings.Builder, c *shared, hs []hop, checks inspect.Report, width int, explain bool) {
	s := c.styles
	t := chainTable{c: c, hops: hs, bad: mismatchedClaims(checks)}
	if width >= 110 {
		b.WriteString(t.rows(width))
	} else {
		b.WriteString(t.cards(width))
	}
	if explain {
		b.WriteString("\n" + s.faint.Render("The audience shifts at every hop: the ID token is for the IdP client, the ID-JAG for the resource AS (draft §4.3), the access token for the resource.") + "\n")
	}
	if len(checks) > 0 {
		b.WriteString("\n" + s.report.Heading.Render("Chain checks") + "  " + report.Summary(s.report, checks) + "\n")
		b.WriteString(report.Checks(s.report, checks, width))
	}
}

// chainTable renders the hops of a chain, marking the claims the chain
// checks blame.
type chainTable struct {
	c    *shared
	hops []hop
	bad  map[int]map[string]bool
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
func (t chainTable) claimText(tok *inspect.Token, claim string) string {
	if tok == nil {
		return ""
	}
	if claim == "exp" {
		if tm, ok := tok.Claims.Time("exp"); ok {
			return inspect.DescribeTime("exp", tm, t.c.now)
		}
		return "—"
	}
	if vs, _, ok := tok.Claims.Strings(claim); ok {
		return report.Safe(strings.Join(vs, ", "))
	}
	if raw, ok := tok.Claims.Raw(claim); ok {
		return report.Safe(string(raw))
	}
	return "—"
}

// shifted says whether hop i's audience differs from the hop before it.
func (t chainTable) shifted(i int) bool {
	h := t.hops
	return i > 0 && h[i].token != nil && h[i-1].token != nil &&
		t.claimText(h[i].token, "aud") != t.claimText(h[i-1].token, "aud")
}

// cell renders a claim of hop i: a mismatch in red with ✗, an audience that
// moved since the previous hop in yellow with →, so both read without colour.
func (t chainTable) cell(i int, claim string, width int) string {
	s := t.c.styles
	v := t.claimText(t.hops[i].token, claim)
	switch {
	case t.bad[i][claim]:
		return s.mismatch.Render(truncateLine(report.GlyphOf(inspect.StatusFail)+" "+v, width))
	case claim == "aud" && t.shifted(i):
		return s.shift.Render(truncateLine("→ "+v, width))
	}
	return truncateLine(v, width)
}

// rows renders one row per token.
func (t chainTable) rows(width int) string {
	s := t.c.styles
	const first = 14
	cols := t.columnWidths(width - first)
	var b strings.Builder
	b.WriteString(report.Pad("", first))
	for j, c := range chainClaims {
		b.WriteString(s.report.Key.Render(report.Pad(c, cols[j])) + " ")
	}
	b.WriteString("\n")
	for i, h := range t.hops {
		b.WriteString(s.bold.Render(report.Pad(h.title, first)))
		if h.token == nil {
			b.WriteString(s.faint.Render("not issued yet") + "\n")
			continue
		}
		for j, c := range chainClaims {
			b.WriteString(report.Pad(t.cell(i, c, cols[j]), cols[j]) + " ")
		}
		b.WriteString("\n")
	}
	return b.String()
}

// columnWidths sizes the chain table's columns to their contents (plus room
// for a ✗ or → marker), shrinking the widest until the table fits avail.
func (t chainTable) columnWidths(avail int) []int {
	widths := make([]int, len(chainClaims))
	for j, c := range chainClaims {
		widths[j] = len(c)
		for _, h := range t.hops {
			widths[j] = max(widths[j], len([]rune(t.claimText(h.token, c)))+2)
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

// cards renders one block per token, with arrows naming the step that
// turned one token into the next.
func (t chainTable) cards(width int) string {
	s := t.c.styles
	var b strings.Builder
	for i, h := range t.hops {
		if i > 0 {
			b.WriteString(s.faint.Render("   ↓ "+h.step.Name()) + "\n")
		}
		b.WriteString(s.bold.Render(h.title) + s.faint.Render("  from "+h.step.Name()) + "\n")
		if h.token == nil {
			b.WriteString(s.faint.Render("  not issued yet") + "\n")
			continue
		}
		for _, c := range chainClaims {
			b.WriteString("  " + s.report.Key.Render(report.Pad(c, 10)) + t.cell(i, c, max(width-12, 8)) + "\n")
		}
	}
	return b.String()
}
