package tui

import (
	"strings"
	"time"

	"github.com/xaatools/xaa/flow/wire"

	"github.com/xaatools/xaa/inspect"
	"github.com/xaatools/xaa/tui/report"
)

// renderToken renders one analysed token: a loud verdict line, then the
// report every xaa command shows (kind, header, claims with human times,
// keys tried with ✓/✗, checks). Time claims are recomputed against now, so
// "expires in 4m12s" counts down while the view is open.
func renderToken(s styles, a inspect.Analysis, now time.Time, reveal bool, width int) string {
	a.Times = liveTimes(a.Times, now)
	var b strings.Builder
	b.WriteString(verdictBanner(s, a, now))
	b.WriteString("\n\n")
	b.WriteString(report.Token(s.report, a, report.TokenOptions{Reveal: reveal, Width: width}))
	return b.String()
}

// liveTimes returns a copy of times described relative to now.
func liveTimes(times []inspect.TimeClaim, now time.Time) []inspect.TimeClaim {
	if now.IsZero() || len(times) == 0 {
		return times
	}
	out := make([]inspect.TimeClaim, len(times))
	for i, tc := range times {
		tc.Relative = inspect.DescribeTime(tc.Claim, tc.Time, now)
		out[i] = tc
	}
	return out
}

// verdictBanner is the one line nobody can miss: whether the signature was
// verified, and when the token expires.
func verdictBanner(s styles, a inspect.Analysis, now time.Time) string {
	var line string
	switch {
	case a.Signature.Verified() && a.Signature.SelfAsserted:
		line = s.banner.Render(" "+report.GlyphOf(inspect.StatusWarn)+" SELF-CONSISTENT ONLY ") +
			s.faint.Render("  verified with keys its own iss names: pin the keys of an issuer you trust")
	case a.Signature.Verified():
		line = s.okBanner.Render(report.GlyphOf(inspect.StatusPass) + " VERIFIED")
	case a.Signature.Status == inspect.SignatureInvalid:
		line = s.banner.Render(" " + report.GlyphOf(inspect.StatusFail) + " SIGNATURE INVALID ")
	default:
		line = s.banner.Render(" " + report.GlyphOf(inspect.StatusWarn) + " NOT VERIFIED ")
	}
	if a.Token.Format == inspect.FormatOpaque {
		return line + s.faint.Render("  opaque token: only the server that issued it can say what it means")
	}
	if exp, ok := a.Token.Claims.Time("exp"); ok && !now.IsZero() {
		st := s.report.Pass
		if !exp.After(now) {
			st = s.report.Fail
		}
		line += "  " + st.Render(inspect.DescribeTime("exp", exp, now))
	}
	if !a.Signature.Verified() || a.Signature.SelfAsserted {
		line += s.faint.Render("  — the claims below are unproven")
	}
	return line
}

// withWholeKeySet completes the keys tried with the rest of the key set the
// token was verified against, so the table lists every published key: ✓
// the one that verified, ✗ the others tried, · those passed over, each saying why. Verify tries only
// the key a kid names; people debugging a rotation want to see them all.
func withWholeKeySet(a inspect.Analysis, sets ...*wire.JWKS) inspect.Analysis {
	src := a.Signature.KeySource
	var ks *inspect.KeySet
	for _, j := range sets {
		if j != nil && src != "" && j.Source() == src {
			ks = j.KeySet()
			break
		}
	}
	if ks == nil {
		return a
	}
	tried := map[string]bool{}
	for _, k := range a.Signature.Tried {
		tried[k.Thumbprint] = true
	}
	all := append([]inspect.KeyAttempt(nil), a.Signature.Tried...)
	for _, k := range ks.Keys {
		if k.Thumbprint != "" && tried[k.Thumbprint] {
			continue
		}
		note := "not tried"
		switch {
		case k.Problem != "":
			note = "unusable: " + k.Problem
		case a.Token.KID() != "" && k.KID != a.Token.KID():
			note = "not tried: the token names kid " + a.Token.KID()
		}
		all = append(all, inspect.KeyAttempt{KID: k.KID, KTY: k.KTY, Alg: k.Alg, Use: k.Use, Thumbprint: k.Thumbprint, Note: note, NotTried: true})
	}
	a.Signature.Tried = all
	return a
}
