package report

import (
	"cmp"
	"encoding/json"
	"fmt"
	"maps"
	"net/http"
	"net/url"
	"slices"
	"strings"

	"github.com/xaatools/xaa/flow"
	"github.com/xaatools/xaa/flow/explain"
	"github.com/xaatools/xaa/flow/wire"
	"github.com/xaatools/xaa/inspect"
)

// Markdown returns the run as a Markdown transcript to paste into a support
// ticket: the parties, each step with its error and explanation, checks,
// tokens and every exchange with a curl command. Secrets were redacted when
// recorded; tokens are shortened unless reveal is set; control characters
// from outside are made visible.
func Markdown(r *flow.Run, reveal bool) []byte {
	var b strings.Builder
	_, verdict := r.Verdict()
	fmt.Fprintf(&b, "# xaa run — %s\n\n", verdict)
	fmt.Fprintf(&b, "Run %s, %s. Secrets are redacted", inspect.FormatTime(r.Started), millis(wire.DurationMS(r.Duration)))
	if !reveal {
		b.WriteString(" and tokens shortened")
	}
	b.WriteString(".\n\n")
	p := r.Parties
	b.WriteString("| party | issuer / URL | client | authentication |\n|---|---|---|---|\n")
	fmt.Fprintf(&b, "| IdP | %s | %s | %s |\n", mdCell(p.IdPIssuer), mdCell(p.IdPClientID), p.IdPAuthMethod)
	fmt.Fprintf(&b, "| resource AS | %s | %s | %s |\n", mdCell(p.ASIssuer), mdCell(p.ASClientID), p.ASAuthMethod)
	for _, res := range []struct{ name, v string }{{"resource id", p.ResourceID}, {"API", p.APIURL}, {"MCP server", p.MCPURL}} {
		if res.v != "" {
			fmt.Fprintf(&b, "| %s | %s | | |\n", res.name, mdCell(res.v))
		}
	}
	b.WriteString("\n| step | status | time |\n|---|---|---|\n")
	for _, s := range r.Steps {
		fmt.Fprintf(&b, "| %s | %s %s | %s |\n", s.ID, GlyphOf(s.Status), s.Status, millis(wire.DurationMS(s.Duration)))
	}
	for _, s := range r.Steps {
		markdownStep(&b, s, reveal)
	}
	// The transcript holds no escape sequence of its own, so the whole of
	// it is made safe at once: whoever cats it into a terminal is safe too.
	return []byte(SafeBlock(b.String()))
}

func markdownStep(b *strings.Builder, s *flow.Step, reveal bool) {
	fmt.Fprintf(b, "\n## %d. %s — %s %s\n\n", s.ID.Number(), s.Title(), GlyphOf(s.Status), s.Status)
	if s.Status == inspect.StatusSkip {
		for _, n := range s.Notes {
			fmt.Fprintf(b, "%s\n", text(n, reveal))
		}
		return
	}
	if s.Err != nil {
		ej := explain.NewErrorJSON(s.Err, s.Explanation, reveal)
		fmt.Fprintf(b, "> **Error:** %s\n", mdInline(ej.Message))
		if ej.Explanation != "" {
			fmt.Fprintf(b, ">\n> **What it means:** %s\n", mdInline(ej.Explanation))
		}
		if len(ej.Causes) > 0 {
			b.WriteString(">\n> **Likely causes:**\n")
			for _, c := range ej.Causes {
				fmt.Fprintf(b, "> - %s\n", mdInline(c))
			}
		}
		if ej.Fix != "" {
			fmt.Fprintf(b, ">\n> **Fix:** %s\n", mdInline(ej.Fix))
		}
		if ej.Spec != "" {
			fmt.Fprintf(b, ">\n> *%s*\n", ej.Spec)
		}
		b.WriteString("\n")
	}
	for _, n := range s.Notes {
		fmt.Fprintf(b, "- %s\n", mdInline(text(n, reveal)))
	}
	if len(s.Notes) > 0 {
		b.WriteString("\n")
	}
	if len(s.Checks) > 0 {
		b.WriteString("### Checks\n\n")
		markdownChecks(b, s.Checks)
	}
	for _, a := range s.Tokens {
		markdownToken(b, a, reveal)
	}
	if s.Resource != nil {
		markdownResource(b, s.Resource, reveal)
	}
	if len(s.Exchanges) > 0 {
		b.WriteString("### HTTP exchanges\n")
		for _, x := range s.Exchanges {
			markdownExchange(b, x, reveal)
		}
	}
}

func markdownChecks(b *strings.Builder, r inspect.Report) {
	b.WriteString("| | check | expected | actual | hint |\n|---|---|---|---|---|\n")
	for _, c := range r {
		fmt.Fprintf(b, "| %s | `%s` %s | %s | %s | %s |\n", GlyphOf(c.Status), c.ID, mdCell(c.Title), mdCell(c.Expected), mdCell(c.Actual), mdCell(c.Hint))
	}
	b.WriteString("\n")
}

func markdownToken(b *strings.Builder, a inspect.Analysis, reveal bool) {
	t := a.Token
	name := t.Kind.Title()
	if t.Name != "" {
		name += " (" + t.Name + ")"
	}
	fmt.Fprintf(b, "### %s\n\n", name)
	raw := inspect.ShortenToken(t.Raw)
	if reveal {
		raw = t.Raw
	}
	fmt.Fprintf(b, "- token: `%s`\n- signature: %s\n\n", raw, mdInline(a.Signature.Verdict()))
	if len(t.Header) > 0 {
		fmt.Fprintf(b, "Header:\n\n```json\n%s\n```\n\n", indentJSON(t.Header))
	}
	if len(t.Claims) > 0 {
		claims := indentJSON(t.Claims)
		if !reveal {
			claims = wire.ShortenTokens(claims)
		}
		fmt.Fprintf(b, "Claims:\n\n```json\n%s\n```\n\n", claims)
	}
	if len(a.Checks) > 0 {
		markdownChecks(b, a.Checks)
	}
}

func markdownResource(b *strings.Builder, r *flow.ResourceResult, reveal bool) {
	b.WriteString("### Resource\n\n")
	if r.API != nil {
		fmt.Fprintf(b, "- API %s answered %s (%s, %d bytes)\n", r.API.URL, wire.StatusLine(r.API.Status), cmp.Or(r.API.ContentType, "no Content-Type"), r.API.Size)
	}
	if m := r.MCP; m != nil {
		fmt.Fprintf(b, "- MCP server %s: %s %s, protocol %s\n", m.URL, cmp.Or(m.ServerName, "(unnamed)"), m.ServerVersion, cmp.Or(m.ProtocolVersion, "(not negotiated)"))
		for _, t := range m.Tools {
			fmt.Fprintf(b, "  - tool `%s` — %s\n", t.Name, mdInline(t.Description))
		}
		if m.Call != nil {
			fmt.Fprintf(b, "- tools/call `%s` (error: %t):\n\n```\n%s\n```\n", m.Call.Name, m.Call.IsError, text(m.Call.Text, reveal))
		}
	}
	b.WriteString("\n")
}

func markdownExchange(b *strings.Builder, x *wire.Exchange, reveal bool) {
	d := x.ForDisplay(reveal)
	status := "no response"
	if d.Response != nil {
		status = wire.StatusLine(d.Response.Status)
	}
	fmt.Fprintf(b, "\n#### %s: %s %s → %s (%s)\n\n", cmp.Or(d.Label, "request"), d.Request.Method, d.Request.URL, status, millis(wire.DurationMS(d.Duration)))
	b.WriteString("```http\n")
	target := d.Request.URL
	host := ""
	if u, err := url.Parse(d.Request.URL); err == nil {
		target, host = u.RequestURI(), u.Host
	}
	fmt.Fprintf(b, "%s %s HTTP/1.1\nHost: %s\n", d.Request.Method, target, host)
	writeHeaders(b, d.Request.Header)
	if len(d.Request.Body) > 0 {
		fmt.Fprintf(b, "\n%s\n", d.Request.Body)
	}
	b.WriteString("```\n\n")
	if d.Response != nil {
		fmt.Fprintf(b, "```http\n%s %s\n", cmp.Or(d.Response.Proto, "HTTP/1.1"), wire.StatusLine(d.Response.Status))
		writeHeaders(b, d.Response.Header)
		if len(d.Response.Body) > 0 {
			fmt.Fprintf(b, "\n%s\n", d.Response.Body)
		}
		if d.Response.Truncated {
			fmt.Fprintf(b, "[… %d bytes in all; xaa kept the first %d]\n", d.Response.BodySize, len(d.Response.Body))
		}
		b.WriteString("```\n\n")
	}
	if d.Err != nil {
		fmt.Fprintf(b, "Error: %s\n\n", mdInline(text(d.Err.Error(), reveal)))
	}
	fmt.Fprintf(b, "```sh\n%s\n```\n", x.Curl(reveal))
}

func writeHeaders(b *strings.Builder, h http.Header) {
	for _, k := range slices.Sorted(maps.Keys(h)) {
		for _, v := range h[k] {
			fmt.Fprintf(b, "%s: %s\n", k, v)
		}
	}
}

func indentJSON(v any) string {
	out, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return fmt.Sprint(v)
	}
	return string(out)
}

// mdCell makes text safe inside a table cell.
func mdCell(s string) string {
	return strings.NewReplacer("|", `\|`, "\n", " ").Replace(s)
}

// mdInline makes text safe on one line of a block quote or list.
func mdInline(s string) string { return strings.ReplaceAll(s, "\n", " ") }
