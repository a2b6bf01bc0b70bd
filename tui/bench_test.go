package tui

import (
	"bytes"
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/xaatools/xaa/inspect"

	"github.com/xaatools/xaa/flow/wire"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/xaatools/xaa/flow"
)

// signalWriter is a program's output that notes when the first frame and
// the playground's "ready" line are written.
type signalWriter struct {
	mu          sync.Mutex
	buf         bytes.Buffer
	first       chan struct{}
	ready       chan struct{}
	sawFirst    bool
	sawReady    bool
	readyMarker string
}

func newSignalWriter() *signalWriter {
	return &signalWriter{first: make(chan struct{}), ready: make(chan struct{}), readyMarker: "✓ ready"}
}

func (w *signalWriter) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.buf.Write(p)
	if !w.sawFirst && bytes.Contains(w.buf.Bytes(), []byte("Walk through the built-in playground")) {
		w.sawFirst = true
		close(w.first)
	}
	if !w.sawReady && bytes.Contains(w.buf.Bytes(), []byte(w.readyMarker)) {
		w.sawReady = true
		close(w.ready)
	}
	return len(p), nil
}

// BenchmarkFirstFrame runs the real program with no config, as `xaa` does
// on a first run, and measures the time from starting it to the first frame
// on its output (ms/first-frame) and to the built-in playground being up
// and shown as ready (ms/playground-ready).
func BenchmarkFirstFrame(b *testing.B) {
	var first, ready time.Duration
	for i := 0; i < b.N; i++ {
		w := newSignalWriter()
		ctx, cancel := context.WithCancel(context.Background())
		start := time.Now()
		p := tea.NewProgram(New(Options{Context: ctx, Now: start}), tea.WithInput(nil), tea.WithOutput(w), tea.WithoutSignals())
		done := make(chan tea.Model, 1)
		go func() {
			m, _ := p.Run()
			done <- m
		}()
		<-w.first
		first += time.Since(start)
		<-w.ready
		ready += time.Since(start)
		p.Quit()
		if m, ok := (<-done).(Model); ok && m.Playground() != nil {
			m.Playground().Close()
		}
		cancel()
	}
	b.ReportMetric(float64(first.Microseconds())/1000/float64(b.N), "ms/first-frame")
	b.ReportMetric(float64(ready.Microseconds())/1000/float64(b.N), "ms/playground-ready")
}

// bigResponse is a step whose response is a JSON document of about n bytes.
func bigResponse(n int) *flow.Step {
	var body strings.Builder
	body.WriteString(`{"todos":[`)
	for i := 0; body.Len() < n; i++ {
		if i > 0 {
			body.WriteByte(',')
		}
		fmt.Fprintf(&body, `{"id":"t%d","title":"todo number %d, with a title long enough to wrap on a narrow terminal","done":false}`, i, i)
	}
	body.WriteString(`]}`)
	x := exchange("todo API", "resource", "GET", "https://api.example.com/todos", "", "", 200, body.String())
	return &flow.Step{ID: flow.StepResource, Status: inspect.StatusPass, Exchanges: []*wire.Exchange{x}}
}

// largeFlow is a model showing the flow screen with a 1 MB response in the
// resource step, at 120×40.
func largeFlow() Model {
	m := New(Options{Config: testConfig(), Now: testNow})
	m = update(m, tea.WindowSizeMsg{Width: 120, Height: 40})
	m.flow.session.Keep(bigResponse(1<<20), false)
	m.flow.list.selectStep(flow.StepResource)
	return m
}

// BenchmarkResponse1MBRender measures the command that prepares the
// Response tab of a 1 MB response — indenting the JSON, shortening tokens,
// wrapping to the pane — which runs off the event loop.
func BenchmarkResponse1MBRender(b *testing.B) {
	m := largeFlow()
	m = update(m, tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("2")})
	b.SetBytes(1 << 20)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		m.flow.tabs.inFlight = nil
		if _, ok := m.flow.tabs.takeRender()().(renderedMsg); !ok {
			b.Fatal("no rendered view")
		}
	}
}

// BenchmarkResponse1MBOpen measures what the event loop itself does to
// open the Response tab of a 1 MB response: the key press (which only asks
// for the rendering) and taking the rendered text into the viewport.
func BenchmarkResponse1MBOpen(b *testing.B) {
	m := largeFlow()
	next, cmd := m.Update(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("2")})
	m = next.(Model)
	msg, ok := cmdMsg[renderedMsg](b, cmd)
	if !ok {
		b.Fatal("opening the tab did not start a rendering command")
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		m.flow.tabs.tab, m.flow.tabs.last, m.flow.tabs.want, m.flow.tabs.inFlight = tabRequest, nil, nil, nil
		m = update(m, tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("2")})
		m = update(m, msg)
	}
	b.ReportMetric(float64(m.flow.tabs.pane.vp.TotalLineCount()), "lines")
}

// BenchmarkResponse1MBScroll measures what scrolling a 1 MB response costs
// per key press: a page down and the whole frame rendered. Only the visible
// lines are drawn, so it does not depend on the response's size.
func BenchmarkResponse1MBScroll(b *testing.B) {
	m := largeFlow()
	next, cmd := m.Update(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("2")})
	msg, _ := cmdMsg[renderedMsg](b, cmd)
	m = update(next.(Model), msg)
	pgdn := tea.KeyMsg{Type: tea.KeyPgDown}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if m.flow.tabs.pane.vp.AtBottom() {
			m.flow.tabs.pane.vp.GotoTop()
		}
		m = update(m, pgdn)
		_ = m.View()
	}
}

func update(m Model, msg tea.Msg) Model {
	next, _ := m.Update(msg)
	return next.(Model)
}
