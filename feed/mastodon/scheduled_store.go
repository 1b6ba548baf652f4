package mastodon

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"time"
)

// scheduled is one row of mastodon_scheduled.
type scheduled struct {
	id      int64
	at      time.Time
	params  ScheduledParams
	problem string
}

// ScheduledDueSQL is a query of one value: the unix millisecond at which
// the earliest scheduled status is due, NULL when none waits.
const ScheduledDueSQL = `SELECT MIN(scheduled_at) FROM mastodon_scheduled WHERE problem = ''`

const scheduledColumns = `SELECT id, scheduled_at, params, problem FROM mastodon_scheduled`

func scanScheduled(row interface{ Scan(...any) error }) (scheduled, error) {
	var s scheduled
	var at int64
	var raw string
	if err := row.Scan(&s.id, &at, &raw, &s.problem); err != nil {
		return s, err
	}
	s.at = time.UnixMilli(at).UTC()
	if err := json.Unmarshal([]byte(raw), &s.params); err != nil {
		return s, fmt.Errorf("scheduled %d: %w", s.id, err)
	}
	return s, nil
}

func (a *API) saveScheduled(ctx context.Context, at time.Time, sp ScheduledParams) (scheduled, error) {
	raw, err := json.Marshal(sp)
	if err != nil {
		return scheduled{}, fmt.Errorf("save scheduled: %w", err)
	}
	now := a.cfg.Now()
	s := scheduled{id: newID(now), at: at.UTC(), params: sp}
	if _, err := a.db.ExecContext(ctx, `INSERT INTO mastodon_scheduled (id, scheduled_at, params, created) VALUES (?, ?, ?, ?)`,
		s.id, at.UnixMilli(), string(raw), now.Unix()); err != nil {
		return scheduled{}, fmt.Errorf("save scheduled: %w", err)
	}
	return s, nil
}

func (a *API) scheduledCount(ctx context.Context) (int, error) {
	var n int
	if err := a.db.QueryRowContext(ctx, `SELECT COUNT(*) FROM mastodon_scheduled`).Scan(&n); err != nil {
		return 0, fmt.Errorf("count scheduled: %w", err)
	}
	return n, nil
}

func (a *API) scheduledByID(ctx context.Context, id int64) (scheduled, error) {
	s, err := scanScheduled(a.db.QueryRowContext(ctx, scheduledColumns+` WHERE id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return s, ErrNotFound
	}
	if err != nil {
		return s, fmt.Errorf("scheduled %d: %w", id, err)
	}
	return s, nil
}

// scheduledPage pages the scheduled statuses by id, newest first, as
// Mastodon does.
func (a *API) scheduledPage(ctx context.Context, pg Page) ([]scheduled, error) {
	q := scheduledColumns + ` WHERE id < ? AND id > ? ORDER BY id DESC LIMIT ?`
	after := max(pg.SinceID, pg.MinID)
	before := pg.MaxID
	if before <= 0 {
		before = 1<<63 - 1
	}
	if pg.MinID > 0 {
		// The page just above min_id: the oldest ones first, turned round below.
		q = scheduledColumns + ` WHERE id < ? AND id > ? ORDER BY id ASC LIMIT ?`
	}
	rows, err := a.db.QueryContext(ctx, q, before, after, pg.Limit)
	if err != nil {
		return nil, fmt.Errorf("list scheduled: %w", err)
	}
	defer rows.Close()
	var out []scheduled
	for rows.Next() {
		s, err := scanScheduled(rows)
		if err != nil {
			return nil, fmt.Errorf("list scheduled: %w", err)
		}
		out = append(out, s)
	}
	if pg.MinID > 0 {
		for i, j := 0, len(out)-1; i < j; i, j = i+1, j-1 {
			out[i], out[j] = out[j], out[i]
		}
	}
	return out, rows.Err()
}

func (a *API) moveScheduled(ctx context.Context, id int64, at time.Time) error {
	if _, err := a.db.ExecContext(ctx, `UPDATE mastodon_scheduled SET scheduled_at = ?, problem = '' WHERE id = ?`,
		at.UnixMilli(), id); err != nil {
		return fmt.Errorf("reschedule %d: %w", id, err)
	}
	return nil
}

func (a *API) dropScheduled(ctx context.Context, id int64) error {
	if _, err := a.db.ExecContext(ctx, `DELETE FROM mastodon_scheduled WHERE id = ?`, id); err != nil {
		return fmt.Errorf("delete scheduled %d: %w", id, err)
	}
	return nil
}

// dueBatch bounds how many statuses one PublishDue posts.
const dueBatch = 50

// PublishDue posts the scheduled statuses whose time has come, through the
// feed room as POST /api/v1/statuses does, and forgets them. cmd/roost
// calls it every minute. A status that cannot be posted as it stands (its
// attachment or the status it answers was deleted) keeps its row with the
// problem and waits for the owner to give it a new date; other failures
// are retried on the next call.
func (a *API) PublishDue(ctx context.Context) error {
	a.dueMu.Lock()
	defer a.dueMu.Unlock()
	rows, err := a.db.QueryContext(ctx, scheduledColumns+` WHERE scheduled_at <= ? AND problem = ''
		ORDER BY scheduled_at LIMIT ?`, a.cfg.Now().UnixMilli(), dueBatch)
	if err != nil {
		return fmt.Errorf("publish due: %w", err)
	}
	var due []scheduled
	for rows.Next() {
		s, err := scanScheduled(rows)
		if err != nil {
			rows.Close()
			return fmt.Errorf("publish due: %w", err)
		}
		due = append(due, s)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return fmt.Errorf("publish due: %w", err)
	}
	var errs []error
	for _, s := range due {
		_, n, problem, err := a.createStatus(ctx, s.params.values())
		switch {
		case problem != "":
			slog.Warn("mastodon: scheduled status not posted", "id", s.id, "problem", problem)
			if _, err := a.db.ExecContext(ctx, `UPDATE mastodon_scheduled SET problem = ? WHERE id = ?`, problem, s.id); err != nil {
				errs = append(errs, fmt.Errorf("publish due %d: %w", s.id, err))
			}
		case err != nil && n.ID == 0:
			errs = append(errs, fmt.Errorf("publish due %d: %w", s.id, err))
		default:
			// Posted (a failure to stream it does not undo that).
			if s.params.Idempotency != nil {
				a.rememberIdempotent(ctx, *s.params.Idempotency, n.ID)
			}
			if err := a.dropScheduled(ctx, s.id); err != nil {
				errs = append(errs, err)
			}
		}
	}
	return errors.Join(errs...)
}
