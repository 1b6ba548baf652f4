package mastodon

import (
	"log/slog"
	"net/http"
	"sync"
	"sync/atomic"

	"github.com/segmentio/encoding/json"
)

// Every answer of the API, timelines, single statuses, contexts,
// notifications and search alike, is encoded here, so that a status reads
// the same wherever an app meets it: the entities' struct tags decide the
// field names and which fields are null or left out. segmentio/encoding
// reads the same tags as encoding/json and writes the same bytes, at about
// 60% of the time for a page of statuses (BenchmarkEncodeStatusPage:
// 66-74 µs against 115-120 µs), which keeps the timelines as fast as the
// hand-written appenders they replace.

// jsonBuffers recycles the buffers answers are encoded into: a page of 20
// statuses is some 40 KB, which a fresh buffer would grow to by copying.
var jsonBuffers = sync.Pool{New: func() any { return new([]byte) }}

// maxPooledBuffer keeps an unusually large answer's buffer from staying
// in the pool for good.
const maxPooledBuffer = 1 << 20

// keptSize is the size of the last answer a page cache kept, so the next
// one is encoded into a buffer of about the right size at once.
var keptSize atomic.Int64

// writeJSON answers v with status. v is encoded whole before anything is
// written, so that an encoding failure answers 500 instead of a cut body.
// An answer the page cache keeps is encoded into a buffer of its own,
// which the cache takes instead of a copy.
func writeJSON(w http.ResponseWriter, status int, v any) {
	rec, keeps := w.(*pageRecorder)
	var buf []byte
	if keeps {
		buf = make([]byte, 0, keptSize.Load()+keptSize.Load()/8)
	} else {
		pooled := jsonBuffers.Get().(*[]byte)
		buf = (*pooled)[:0]
		defer func() {
			if cap(buf) <= maxPooledBuffer {
				*pooled = buf
				jsonBuffers.Put(pooled)
			}
		}()
	}
	var err error
	if buf, err = appendJSON(buf, v); err != nil {
		slog.Error("mastodon: encode response", "err", err)
		status = http.StatusInternalServerError
		buf, _ = appendJSON(buf[:0], apiError{Error: "Internal server error"})
	}
	if keeps {
		keptSize.Store(int64(len(buf)))
		rec.keep(buf)
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	if _, err := w.Write(buf); err != nil {
		slog.Debug("mastodon: write response", "err", err)
	}
}

// appendJSON appends v to buf as one line of JSON. <, > and & are left as
// they are: the answers are JSON, never inlined in HTML, and statuses are
// full of HTML that escaping would grow by a sixth. Map keys are sorted, as
// encoding/json sorts them.
func appendJSON(buf []byte, v any) ([]byte, error) {
	out, err := json.Append(buf, v, json.SortMapKeys)
	if err != nil {
		return buf, err
	}
	return append(out, '\n'), nil
}
