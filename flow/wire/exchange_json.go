package wire

import (
	"net/http"
	"strings"
	"time"
)

// ExchangeJSON is one HTTP round trip in RunJSON.
type ExchangeJSON struct {
	Label      string        `json:"label"`
	Party      string        `json:"party,omitempty"`
	Request    RequestJSON   `json:"request"`
	Response   *ResponseJSON `json:"response,omitempty"`
	DurationMS float64       `json:"duration_ms"`
	Error      string        `json:"error,omitempty"`
	Curl       string        `json:"curl"`
}

// RequestJSON is the request of an ExchangeJSON.
type RequestJSON struct {
	Method  string            `json:"method"`
	URL     string            `json:"url"`
	Headers map[string]string `json:"headers"`
	Body    string            `json:"body,omitempty"`
}

// ResponseJSON is the response of an ExchangeJSON.
type ResponseJSON struct {
	Status    int               `json:"status"`
	Headers   map[string]string `json:"headers"`
	Body      string            `json:"body,omitempty"`
	Truncated bool              `json:"truncated,omitempty"`
}

// JSON returns the exchange in the shape of ExchangeJSON.
func (x *Exchange) JSON(reveal bool) ExchangeJSON {
	d := x.ForDisplay(reveal)
	j := ExchangeJSON{Label: d.Label, Party: d.Party, DurationMS: DurationMS(d.Duration), Curl: x.Curl(reveal),
		Request: RequestJSON{Method: d.Request.Method, URL: d.Request.URL, Headers: flatHeaders(d.Request.Header), Body: string(d.Request.Body)}}
	if d.Response != nil {
		j.Response = &ResponseJSON{Status: d.Response.Status, Headers: flatHeaders(d.Response.Header), Body: string(d.Response.Body), Truncated: d.Response.Truncated}
	}
	if d.Err != nil {
		j.Error = DisplayText(d.Err.Error(), reveal)
	}
	return j
}

// DisplayText shortens any token in a message unless revealed.
func DisplayText(s string, reveal bool) string {
	if reveal {
		return s
	}
	return ShortenTokens(s)
}

func flatHeaders(h http.Header) map[string]string {
	out := make(map[string]string, len(h))
	for k, vs := range h {
		out[k] = strings.Join(vs, ", ")
	}
	return out
}

// DurationMS is a duration in milliseconds, as every JSON output gives it.
func DurationMS(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }
