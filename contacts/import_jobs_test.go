package contacts

import (
	"bytes"
	"context"
	"errors"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"
)

// uploadImport posts a file to the import form and returns the status
// page's path.
func uploadImport(t *testing.T, f *fixture, kind, file string) string {
	t.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	mw.WriteField("type", kind)
	fw, _ := mw.CreateFormFile("file", "import.csv")
	fw.Write([]byte(file))
	mw.Close()
	req := httptest.NewRequest(http.MethodPost, "/contacts/import", &body)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	rec := httptest.NewRecorder()
	f.mux.ServeHTTP(rec, req)
	if rec.Code != http.StatusSeeOther || !strings.HasPrefix(rec.Header().Get("Location"), "/contacts/import/") {
		t.Fatalf("import = %d %s", rec.Code, rec.Header().Get("Location"))
	}
	return rec.Header().Get("Location")
}

// runRoom runs the room's background work until the returned stop is
// called; stop fails the test unless Run returns soon after.
func runRoom(t *testing.T, c *Contacts) (stop func()) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	returned := make(chan struct{})
	go func() {
		c.Run(ctx)
		close(returned)
	}()
	stopped := false
	stop = func() {
		t.Helper()
		if stopped {
			return
		}
		stopped = true
		cancel()
		select {
		case <-returned:
		case <-time.After(5 * time.Second):
			t.Fatal("Run did not return after its context ended")
		}
	}
	t.Cleanup(stop)
	return stop
}

func TestShutdownInterruptsImport(t *testing.T) {
	f := newFixture(t)
	f.net.stall, f.net.stalled = "slow", make(chan string, 1)
	stop := runRoom(t, f.c)
	loc := uploadImport(t, f, ImportBlocks, "dave@other.example\nslow@other.example\ncarol@example.social\n")
	select {
	case <-f.net.stalled:
	case <-time.After(5 * time.Second):
		t.Fatal("the import never reached the slow row")
	}
	if doc := f.get(t, loc, http.StatusOK); doc.Find(`[data-testid=import]`).AttrOr("data-done", "") != "false" {
		t.Fatal("the import is done while a row is still running")
	}

	stop() // the site shuts down while the second row waits for its peer

	id, err := strconv.ParseInt(strings.TrimPrefix(loc, "/contacts/import/"), 10, 64)
	if err != nil {
		t.Fatal(err)
	}
	res, err := f.c.ImportStatus(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	want := ImportResult{ID: res.ID, Kind: ImportBlocks, Done: true, Interrupted: true, Total: 3, Processed: 1, Added: 1}
	if res.Kind != want.Kind || res.Done != want.Done || res.Interrupted != want.Interrupted || res.Total != want.Total ||
		res.Processed != want.Processed || res.Added != want.Added || res.Skipped != 0 || len(res.Failures) != 0 {
		t.Errorf("status = %+v, want %+v", res, want)
	}
	if !f.c.IsBlocked(context.Background(), dave) {
		t.Error("the row before the shutdown was not kept")
	}
	if f.c.IsBlocked(context.Background(), carol) {
		t.Error("a row after the shutdown was imported")
	}
	checkInterruptedPage(t, f, loc, "2")

	// After Run returned the room takes no new imports: they could not
	// finish before the database closes.
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	mw.WriteField("type", ImportBlocks)
	fw, _ := mw.CreateFormFile("file", "blocks.csv")
	fw.Write([]byte("dave@other.example\n"))
	mw.Close()
	req := httptest.NewRequest(http.MethodPost, "/contacts/import", &body)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	rec := httptest.NewRecorder()
	f.mux.ServeHTTP(rec, req)
	if rec.Code != http.StatusServiceUnavailable {
		t.Errorf("import after shutdown = %d, want 503", rec.Code)
	}
}

// checkInterruptedPage checks that a status page shows a finished import
// with the interruption as its last row, numbered row.
func checkInterruptedPage(t *testing.T, f *fixture, loc, row string) {
	t.Helper()
	rec := httptest.NewRecorder()
	f.mux.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, loc, nil))
	doc := parse(t, rec)
	if doc.Find(`[data-testid=import]`).AttrOr("data-done", "") != "true" || rec.Header().Get("Refresh") != "" {
		t.Error("an interrupted import is shown as running")
	}
	last := doc.Find(`[data-testid=failure]`).Last()
	if !strings.Contains(last.Text(), "interrupted") || !strings.Contains(last.Text(), "import the file again") {
		t.Errorf("last row = %q, want the interruption and what to do", last.Text())
	}
	if got := strings.TrimSpace(last.Find("td").First().Text()); got != row {
		t.Errorf("interruption shown at row %s, want %s", got, row)
	}
}

func TestRestartMarksUnfinishedImportsInterrupted(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	// What a process killed half way through a three-row import leaves
	// behind, next to one that finished.
	var stale, finished int64
	err := f.c.db.QueryRowContext(ctx, `INSERT INTO imports(kind, total, processed, added, created)
		VALUES('blocks', 3, 1, 1, 0) RETURNING id`).Scan(&stale)
	if err != nil {
		t.Fatal(err)
	}
	err = f.c.db.QueryRowContext(ctx, `INSERT INTO imports(kind, total, processed, added, done, created)
		VALUES('blocks', 2, 2, 2, 1, 0) RETURNING id`).Scan(&finished)
	if err != nil {
		t.Fatal(err)
	}

	restarted := New(Config{DB: f.c.db, BaseURL: base, Network: f.net, Page: f.c.page})
	f.c, f.mux = restarted, http.NewServeMux()
	restarted.Routes(f.mux, func(h http.Handler) http.Handler { return h })

	tests := []struct {
		id          int64
		interrupted bool
		added       int
	}{
		{stale, true, 1},
		{finished, false, 2},
	}
	for _, tt := range tests {
		res, err := restarted.ImportStatus(ctx, tt.id)
		if err != nil {
			t.Fatal(err)
		}
		if !res.Done || res.Interrupted != tt.interrupted || res.Added != tt.added {
			t.Errorf("import %d after restart = %+v, want done, interrupted %v, %d added", tt.id, res, tt.interrupted, tt.added)
		}
	}
	checkInterruptedPage(t, f, "/contacts/import/"+strconv.FormatInt(stale, 10), "2")
}

func TestImportStopsWhenContextEnds(t *testing.T) {
	f := newFixture(t)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	res, err := f.c.Import(ctx, ImportDomainBlocks, strings.NewReader("ok.example\nfine.example\n"), false)
	if !errors.Is(err, context.Canceled) {
		t.Errorf("err = %v, want context.Canceled", err)
	}
	if !res.Done || !res.Interrupted || res.Total != 2 || res.Processed != 0 || res.Added != 0 {
		t.Errorf("result = %+v", res)
	}
}

func TestBrokenFileReason(t *testing.T) {
	tests := []struct{ kind, file string }{
		{ImportBlocks, "dave@other.example\n\"unterminated\n"},
		{ImportVCard, "BEGIN:VCARD\r\nVERSION:4.0\r\nFN:Dave\r\nIMPP:ap:https://other.example/dave\r\nEND:VCARD\r\nBEGIN:VCARD\r\nnot a vcard line\r\n"},
	}
	for _, tt := range tests {
		t.Run(tt.kind, func(t *testing.T) {
			f := newFixture(t)
			res, err := f.c.Import(context.Background(), tt.kind, strings.NewReader(tt.file), false)
			if err != nil {
				t.Fatal(err)
			}
			if len(res.Failures) == 0 {
				t.Fatalf("result = %+v, want the broken part as a failure", res)
			}
			if got := res.Failures[len(res.Failures)-1].Reason; got != "the file is broken from here on" {
				t.Errorf("reason = %q", got)
			}
		})
	}
}
