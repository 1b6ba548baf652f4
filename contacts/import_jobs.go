package contacts

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"
)

// Background imports: the import form answers at once and the file is
// worked through row by row afterwards, each row saved to the imports table
// for the status page. Resolving thousands of accounts takes minutes, so the
// work belongs to the room's lifetime (see Run), not to the request's.

const (
	// importTimeout caps one background import, so that a peer that never
	// answers cannot keep it running for ever.
	importTimeout = time.Hour
	// saveTimeout bounds one progress write. The write runs even after the
	// import's context has ended, since that is when "interrupted" must be
	// recorded.
	saveTimeout = 5 * time.Second
)

// ErrStopping is returned when an import is started while the site shuts
// down.
var ErrStopping = errors.New("contacts: the site is shutting down")

// jobs tracks the background imports of this process, so that stopping the
// room stops them before the database is closed.
type jobs struct {
	ctx     context.Context // ends when the room stops
	stop    context.CancelFunc
	mu      sync.Mutex // orders start against stopAndWait
	stopped bool
	running sync.WaitGroup
}

func newJobs() *jobs {
	ctx, stop := context.WithCancel(context.Background())
	return &jobs{ctx: ctx, stop: stop}
}

// start runs fn in the background under the room's lifetime, unless the
// room has stopped.
func (j *jobs) start(fn func(ctx context.Context)) error {
	j.mu.Lock()
	defer j.mu.Unlock()
	if j.stopped {
		return ErrStopping
	}
	j.running.Go(func() { fn(j.ctx) })
	return nil
}

// stopAndWait cancels every job and returns when all of them have returned.
func (j *jobs) stopAndWait() {
	j.mu.Lock()
	j.stopped = true
	j.stop()
	j.mu.Unlock()
	j.running.Wait()
}

// Run does the room's background work until ctx ends: it polls the
// subscribed feeds every minute and owns the imports started from the
// import page. When ctx ends it cancels the imports, each of which records
// itself as interrupted, and returns only once they and the poller have
// stopped, so the database can be closed after Run returns. Call it once,
// for the life of the site; imports started after it returned are refused
// with ErrStopping.
func (c *Contacts) Run(ctx context.Context) {
	var wg sync.WaitGroup
	wg.Go(func() { c.pollFeedsEvery(ctx, time.Minute) })
	<-ctx.Done()
	c.StopImports()
	wg.Wait()
}

// StopImports cancels the running imports and returns once each has
// recorded itself interrupted; later imports are refused with
// ErrStopping. Run calls it when it ends; a host that polls the feeds of
// many sites from a shared pool (PollFeeds, FeedsDueSQL) calls it instead.
func (c *Contacts) StopImports() { c.jobs.stopAndWait() }

// startJob stores a new import and runs it in the background, saving its
// progress after every row for the status page.
func (c *Contacts) startJob(ctx context.Context, kind string, job importJob) (int64, error) {
	// A row inserted in the moment between this check and start failing is
	// left unfinished and marked interrupted by the next process.
	if c.jobs.ctx.Err() != nil {
		return 0, fmt.Errorf("start import: %w", ErrStopping)
	}
	var id int64
	err := c.db.QueryRowContext(ctx, `INSERT INTO imports(kind, total, created) VALUES(?, ?, ?) RETURNING id`,
		kind, len(job.rows), c.now().Unix()).Scan(&id)
	if err != nil {
		return 0, fmt.Errorf("start import: %w", err)
	}
	err = c.jobs.start(func(life context.Context) {
		ctx, cancel := context.WithTimeout(life, importTimeout)
		defer cancel()
		res := ImportResult{ID: id, Kind: kind}
		c.runImport(ctx, job, &res, func(r ImportResult) { c.saveProgress(ctx, r) })
	})
	if err != nil {
		return 0, fmt.Errorf("start import %d: %w", id, err)
	}
	return id, nil
}

// saveProgress records an import's progress. It writes even when ctx has
// ended (briefly, so shutdown is not held up), because an import that was
// cut off must still say so.
func (c *Contacts) saveProgress(ctx context.Context, r ImportResult) {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), saveTimeout)
	defer cancel()
	failures, err := json.Marshal(r.Failures)
	if err == nil {
		_, err = c.db.ExecContext(ctx, `UPDATE imports SET processed = ?, added = ?, skipped = ?, failures = ?,
			done = ?, interrupted = ? WHERE id = ?`,
			r.Processed, r.Added, r.Skipped, string(failures), r.Done, r.Interrupted, r.ID)
	}
	if err != nil {
		slog.Error("contacts: import progress", "import", r.ID, "err", err)
	}
}

// interruptStaleImports marks the imports an earlier process left unfinished
// as interrupted: their work died with that process, and without this their
// status page would say "importing" for ever. It runs in New, before this
// process can have started an import of its own.
func (c *Contacts) interruptStaleImports() {
	if c.db == nil {
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), saveTimeout)
	defer cancel()
	if _, err := c.db.ExecContext(ctx, `UPDATE imports SET done = 1, interrupted = 1 WHERE done = 0`); err != nil {
		slog.Error("contacts: mark unfinished imports interrupted", "err", err)
	}
}

// ImportStatus reads a background import's progress.
func (c *Contacts) ImportStatus(ctx context.Context, id int64) (ImportResult, error) {
	r := ImportResult{ID: id}
	var failures string
	err := c.db.QueryRowContext(ctx, `SELECT kind, total, processed, added, skipped, failures, done, interrupted
		FROM imports WHERE id = ?`, id).
		Scan(&r.Kind, &r.Total, &r.Processed, &r.Added, &r.Skipped, &failures, &r.Done, &r.Interrupted)
	if errors.Is(err, sql.ErrNoRows) {
		return ImportResult{}, fmt.Errorf("import %d: %w", id, ErrNotFound)
	}
	if err != nil {
		return ImportResult{}, fmt.Errorf("import %d: %w", id, err)
	}
	if err := json.Unmarshal([]byte(failures), &r.Failures); err != nil {
		return ImportResult{}, fmt.Errorf("import %d: %w", id, err)
	}
	return r, nil
}
