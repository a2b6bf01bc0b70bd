package wire

import (
	"bytes"
	"io"
	"strings"

	"golang.org/x/net/html"
)

// PageText is the text a person reads on an HTML page — its visible text,
// without markup, scripts or styles, white space collapsed — and "" when
// the body is not HTML. An IdP's error page is shown this way rather than
// as thirty lines of markup.
func PageText(contentType string, body []byte) string {
	if !LooksLikeHTML(contentType, body) {
		return ""
	}
	var b strings.Builder
	z := html.NewTokenizer(bytes.NewReader(body))
	skip := 0
	for {
		switch z.Next() {
		case html.ErrorToken:
			if z.Err() == io.EOF || b.Len() > 0 {
				return strings.Join(strings.Fields(b.String()), " ")
			}
			return ""
		case html.StartTagToken:
			if name, _ := z.TagName(); string(name) == "script" || string(name) == "style" {
				skip++
			}
		case html.EndTagToken:
			if name, _ := z.TagName(); (string(name) == "script" || string(name) == "style") && skip > 0 {
				skip--
			}
		case html.TextToken:
			if skip == 0 {
				b.Write(z.Text())
				b.WriteByte(' ')
			}
		}
	}
}
