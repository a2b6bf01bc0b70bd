package tui

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"sort"
	"strings"
	"unicode/utf8"

	"github.com/xaatools/xaa/flow/wire"
	"github.com/xaatools/xaa/tui/report"

	"github.com/xaatools/xaa/inspect"
)

// requestsView renders every request a step sent, as it went over the wire:
// secrets were redacted when recorded, tokens are shortened unless revealed.
func requestsView(s styles, xs []*wire.Exchange, reveal bool) string {
	if len(xs) == 0 {
		return s.faint.Render("This step sent no request.")
	}
	var b strings.Builder
	for i, x := range xs {
		if i > 0 {
			b.WriteString("\n")
		}
		x = report.SafeExchange(x.ForDisplay(reveal))
		b.WriteString(exchangeHeading(s, x) + "\n")
		b.WriteString(s.bold.Render(x.Request.Method) + " " + x.Request.URL + "\n")
		writeHeaders(&b, s, x.Request.Header)
		if x.Request.BasicUser != "" {
			b.WriteString(s.faint.Render("  (Basic credentials of client "+x.Request.BasicUser+")") + "\n")
		}
		if len(x.Request.Body) > 0 {
			b.WriteString("\n" + formatBody(s, x.Request.Header.Get("Content-Type"), x.Request.Body) + "\n")
		}
		if x.Request.Truncated {
			b.WriteString(s.faint.Render(fmt.Sprintf("… the body is %s; xaa kept the first %s", byteCount(x.Request.BodySize), byteCount(wire.MaxRecordedBodyBytes))) + "\n")
		}
	}
	return b.String()
}

// responsesView renders every response a step received.
func responsesView(s styles, xs []*wire.Exchange, reveal bool) string {
	if len(xs) == 0 {
		return s.faint.Render("This step received no response.")
	}
	var b strings.Builder
	for i, x := range xs {
		if i > 0 {
			b.WriteString("\n")
		}
		x = report.SafeExchange(x.ForDisplay(reveal))
		b.WriteString(exchangeHeading(s, x) + "\n")
		b.WriteString(responseView(s, x))
	}
	return b.String()
}

// responseView renders one response: status, headers, body.
func responseView(s styles, x *wire.Exchange) string { return responseBlock(s, x, true) }

// responseBlock renders a response, with or without its headers.
func responseBlock(s styles, x *wire.Exchange, headers bool) string {
	var b strings.Builder
	r := x.Response
	if r == nil {
		msg := "no response"
		if x.Err != nil {
			msg += ": " + x.Err.Error()
		}
		b.WriteString(s.report.Fail.Render(report.GlyphOf(inspect.StatusFail)+" "+msg) + "\n")
		return b.String()
	}
	st := s.report.Pass
	switch {
	case r.Status >= 400:
		st = s.report.Fail
	case r.Status >= 300:
		st = s.report.Warn
	}
	b.WriteString(st.Render(fmt.Sprintf("%d %s", r.Status, r.StatusText)) + s.faint.Render(fmt.Sprintf("  %s · %s", shortDuration(x.Duration), byteCount(r.BodySize))) + "\n")
	if headers {
		writeHeaders(&b, s, r.Header)
	}
	if len(r.Body) > 0 {
		b.WriteString("\n" + formatBody(s, r.Header.Get("Content-Type"), r.Body) + "\n")
	}
	if r.Truncated {
		b.WriteString(s.faint.Render(fmt.Sprintf("… only the first %s of %s were recorded", byteCount(int64(len(r.Body))), byteCount(r.BodySize))) + "\n")
	}
	return b.String()
}

// exchangeHeading names an exchange: what it was for and who was called.
func exchangeHeading(s styles, x *wire.Exchange) string {
	label := x.Label
	if label == "" {
		label = x.Request.Method + " " + x.Request.URL
	}
	h := s.report.Heading.Render(label)
	if x.Party != "" {
		h += s.faint.Render("  " + partyName(x.Party))
	}
	return h
}

// partyName spells a party for people.
func partyName(p string) string {
	switch p {
	case "idp":
		return "IdP"
	case "as":
		return "resource AS"
	case "resource":
		return "resource server"
	}
	return p
}

// writeHeaders writes headers sorted by name, one per line.
func writeHeaders(b *strings.Builder, s styles, h http.Header) {
	names := make([]string, 0, len(h))
	for k := range h {
		names = append(names, k)
	}
	sort.Strings(names)
	for _, k := range names {
		for _, v := range h[k] {
			b.WriteString(s.report.Key.Render(k) + ": " + v + "\n")
		}
	}
}

// formatBody makes a body readable: a form one parameter per line, JSON
// indented, anything else as it is (binary bodies are summarised).
func formatBody(s styles, contentType string, body []byte) string {
	ct := strings.ToLower(contentType)
	switch {
	case strings.HasPrefix(ct, "application/x-www-form-urlencoded"):
		if f := formatForm(s, string(body)); f != "" {
			return f
		}
	case strings.Contains(ct, "json") || (len(body) > 0 && (body[0] == '{' || body[0] == '[')):
		var out bytes.Buffer
		if json.Indent(&out, body, "", "  ") == nil {
			return out.String()
		}
	}
	if !utf8.Valid(body) {
		return s.faint.Render(fmt.Sprintf("(%s of binary data)", byteCount(int64(len(body)))))
	}
	return strings.TrimRight(string(body), "\n")
}

// formatForm lists form parameters, decoded, in the order sent.
func formatForm(s styles, body string) string {
	var lines []string
	width := 0
	type pair struct{ k, v string }
	var pairs []pair
	for _, kv := range strings.Split(body, "&") {
		k, v, _ := strings.Cut(kv, "=")
		dk, err1 := url.QueryUnescape(k)
		dv, err2 := url.QueryUnescape(v)
		if err1 != nil || err2 != nil {
			return ""
		}
		pairs = append(pairs, pair{dk, dv})
		width = max(width, len(dk))
	}
	for _, p := range pairs {
		lines = append(lines, s.report.Key.Render(report.Pad(p.k, width))+" = "+p.v)
	}
	return strings.Join(lines, "\n")
}

// byteCount renders a size: "812 B", "4.2 KiB", "1.0 MiB".
func byteCount(n int64) string {
	switch {
	case n < 1024:
		return fmt.Sprintf("%d B", n)
	case n < 1<<20:
		return fmt.Sprintf("%.1f KiB", float64(n)/1024)
	}
	return fmt.Sprintf("%.1f MiB", float64(n)/(1<<20))
}

// curlView renders a curl command for every request of a step.
func curlView(s styles, xs []*wire.Exchange, reveal bool) string {
	if len(xs) == 0 {
		return s.faint.Render("This step sent no request.")
	}
	var b strings.Builder
	note := "Secrets and tokens appear as $ENV placeholders (XAA_IDP_CLIENT_SECRET, XAA_ID_TOKEN …): set them before running. c copies the last command."
	if reveal {
		note = "Secrets appear as $ENV placeholders (XAA_IDP_CLIENT_SECRET …); tokens are revealed. c copies the last command."
	}
	b.WriteString(s.faint.Render(note) + "\n")
	for _, x := range xs {
		b.WriteString("\n" + exchangeHeading(s, report.SafeExchange(x)) + "\n")
		b.WriteString(report.Safe(curlFor(x, reveal)) + "\n")
	}
	return b.String()
}
