package archive

import (
	"fmt"
	"io"
	"os"
	"sync"
	"time"

	"github.com/schollz/progressbar/v3"
	"golang.org/x/term"
)

// Progress tells a person at a terminal how far an export or import is: a
// bar with counts, size and time left; plain lines every few seconds when
// the output is a file or a pipe (service logs, scripts).
type Progress struct {
	mu    sync.Mutex
	w     io.Writer
	what  string
	total int64
	done  int64
	bytes int64
	bar   *progressbar.ProgressBar
	last  time.Time
	start time.Time
}

// NewProgress starts reporting on w; total is the number of items expected
// (0 when unknown).
func NewProgress(w io.Writer, what string, total int64) *Progress {
	p := &Progress{w: w, what: what, total: total, start: time.Now(), last: time.Now()}
	if f, ok := w.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
		max := total
		if max <= 0 {
			max = -1 // a spinner
		}
		p.bar = progressbar.NewOptions64(max, progressbar.OptionSetWriter(w), progressbar.OptionSetDescription(what),
			progressbar.OptionShowCount(), progressbar.OptionSetPredictTime(true), progressbar.OptionSetWidth(30),
			progressbar.OptionThrottle(100*time.Millisecond), progressbar.OptionClearOnFinish())
	}
	return p
}

// Add counts items finished and the bytes they took.
func (p *Progress) Add(items int, bytes int64) {
	if p == nil {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	p.done += int64(items)
	p.bytes += bytes
	if p.bar != nil {
		p.bar.Describe(fmt.Sprintf("%s (%s)", p.what, Size(p.bytes)))
		p.bar.Add(items)
		return
	}
	if time.Since(p.last) >= 3*time.Second {
		p.last = time.Now()
		fmt.Fprintln(p.w, p.line())
	}
}

// Done ends the report with one line of totals.
func (p *Progress) Done() {
	if p == nil {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.bar != nil {
		p.bar.Finish()
	}
	fmt.Fprintf(p.w, "%s: %d items, %s in %s\n", p.what, p.done, Size(p.bytes), time.Since(p.start).Round(100*time.Millisecond))
}

func (p *Progress) line() string {
	if p.total > 0 {
		return fmt.Sprintf("%s: %d of %d, %s", p.what, p.done, p.total, Size(p.bytes))
	}
	return fmt.Sprintf("%s: %d, %s", p.what, p.done, Size(p.bytes))
}

// Size writes a byte count for people.
func Size(n int64) string {
	switch {
	case n >= 1<<30:
		return fmt.Sprintf("%.1f GB", float64(n)/(1<<30))
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%.1f kB", float64(n)/(1<<10))
	}
	return fmt.Sprintf("%d B", n)
}
