package export

import (
	"encoding/json"
	"maps"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/xaatools/xaa/flow"
	"github.com/xaatools/xaa/flow/wire"
)

// HAR 1.2 (http://www.softwareishard.com/blog/har-12-spec/), the subset a
// browser's network panel and HAR viewers read.
type harLog struct {
	Log struct {
		Version string     `json:"version"`
		Creator harCreator `json:"creator"`
		Pages   []harPage  `json:"pages"`
		Entries []harEntry `json:"entries"`
		Comment string     `json:"comment,omitempty"`
	} `json:"log"`
}

type harCreator struct {
	Name    string `json:"name"`
	Version string `json:"version"`
}

type harPage struct {
	StartedDateTime string         `json:"startedDateTime"`
	ID              string         `json:"id"`
	Title           string         `json:"title"`
	PageTimings     map[string]any `json:"pageTimings"`
}

type harEntry struct {
	PageRef         string         `json:"pageref"`
	StartedDateTime string         `json:"startedDateTime"`
	Time            float64        `json:"time"`
	Request         harRequest     `json:"request"`
	Response        harResponse    `json:"response"`
	Cache           map[string]any `json:"cache"`
	Timings         harTimings     `json:"timings"`
	Comment         string         `json:"comment,omitempty"`
}

type harNV struct {
	Name  string `json:"name"`
	Value string `json:"value"`
}

type harRequest struct {
	Method      string       `json:"method"`
	URL         string       `json:"url"`
	HTTPVersion string       `json:"httpVersion"`
	Cookies     []harNV      `json:"cookies"`
	Headers     []harNV      `json:"headers"`
	QueryString []harNV      `json:"queryString"`
	PostData    *harPostData `json:"postData,omitempty"`
	HeadersSize int          `json:"headersSize"`
	BodySize    int64        `json:"bodySize"`
}

type harPostData struct {
	MimeType string  `json:"mimeType"`
	Params   []harNV `json:"params,omitempty"`
	Text     string  `json:"text"`
}

type harResponse struct {
	Status      int        `json:"status"`
	StatusText  string     `json:"statusText"`
	HTTPVersion string     `json:"httpVersion"`
	Cookies     []harNV    `json:"cookies"`
	Headers     []harNV    `json:"headers"`
	Content     harContent `json:"content"`
	RedirectURL string     `json:"redirectURL"`
	HeadersSize int        `json:"headersSize"`
	BodySize    int64      `json:"bodySize"`
}

type harContent struct {
	Size     int64  `json:"size"`
	MimeType string `json:"mimeType"`
	Text     string `json:"text,omitempty"`
	Comment  string `json:"comment,omitempty"`
}

type harTimings struct {
	Send    float64 `json:"send"`
	Wait    float64 `json:"wait"`
	Receive float64 `json:"receive"`
}

// HAR returns the run's exchanges as a HAR 1.2 log, one page per step.
// Secrets were redacted when recorded; tokens are shortened unless reveal
// is set.
func HAR(r *flow.Run, reveal bool) ([]byte, error) {
	var h harLog
	h.Log.Version = "1.2"
	h.Log.Creator = harCreator{Name: flow.ClientName, Version: flow.Version()}
	h.Log.Comment = "recorded by xaa run; secrets redacted"
	if !reveal {
		h.Log.Comment += ", tokens shortened"
	}
	h.Log.Pages = []harPage{}
	h.Log.Entries = []harEntry{}
	for _, s := range r.Steps {
		if len(s.Exchanges) == 0 {
			continue
		}
		h.Log.Pages = append(h.Log.Pages, harPage{StartedDateTime: harTime(s.Started), ID: s.ID.String(), Title: s.Title(), PageTimings: map[string]any{}})
		for _, x := range s.Exchanges {
			h.Log.Entries = append(h.Log.Entries, harEntryOf(s.ID, x.ForDisplay(reveal)))
		}
	}
	return json.MarshalIndent(h, "", "  ")
}

func harEntryOf(step flow.StepID, x *wire.Exchange) harEntry {
	e := harEntry{PageRef: step.String(), StartedDateTime: harTime(x.Started), Time: wire.DurationMS(max(x.BodyDuration, x.Duration)), Cache: map[string]any{},
		Comment: x.Label}
	e.Request = harRequest{Method: x.Request.Method, URL: x.Request.URL, HTTPVersion: "HTTP/1.1", Cookies: []harNV{},
		Headers: harHeaders(x.Request.Header), QueryString: []harNV{}, HeadersSize: -1, BodySize: x.Request.BodySize}
	if u, err := url.Parse(x.Request.URL); err == nil {
		for k, vs := range u.Query() {
			for _, v := range vs {
				e.Request.QueryString = append(e.Request.QueryString, harNV{k, v})
			}
		}
	}
	if len(x.Request.Body) > 0 {
		ct := x.Request.Header.Get("Content-Type")
		pd := &harPostData{MimeType: ct, Text: string(x.Request.Body)}
		if strings.HasPrefix(ct, "application/x-www-form-urlencoded") {
			for _, pair := range strings.Split(string(x.Request.Body), "&") {
				k, v, _ := strings.Cut(pair, "=")
				name, _ := url.QueryUnescape(k)
				value, err := url.QueryUnescape(v)
				if err != nil {
					value = v
				}
				pd.Params = append(pd.Params, harNV{name, value})
			}
		}
		e.Request.PostData = pd
	}
	e.Response = harResponse{Cookies: []harNV{}, Headers: []harNV{}, HTTPVersion: "HTTP/1.1", HeadersSize: -1, BodySize: -1}
	if x.Response != nil {
		e.Response.Status, e.Response.StatusText = x.Response.Status, http.StatusText(x.Response.Status)
		if x.Response.Proto != "" {
			e.Response.HTTPVersion = x.Response.Proto
		}
		e.Response.Headers = harHeaders(x.Response.Header)
		e.Response.BodySize = x.Response.BodySize
		e.Response.RedirectURL = x.Response.Header.Get("Location")
		e.Response.Content = harContent{Size: x.Response.BodySize, MimeType: x.Response.Header.Get("Content-Type"), Text: string(x.Response.Body)}
		if x.Response.Truncated {
			e.Response.Content.Comment = "truncated by xaa"
		}
	}
	if x.Err != nil {
		e.Comment += ": " + x.Err.Error()
	}
	wait := wire.DurationMS(x.Duration)
	e.Timings = harTimings{Send: 0, Wait: wait, Receive: max(0, wire.DurationMS(x.BodyDuration)-wait)}
	return e
}

func harHeaders(h http.Header) []harNV {
	out := []harNV{}
	for _, k := range slices.Sorted(maps.Keys(h)) {
		for _, v := range h[k] {
			out = append(out, harNV{k, v})
		}
	}
	return out
}

func harTime(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05.000Z07:00") }
