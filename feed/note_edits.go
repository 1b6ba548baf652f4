package feed

import (
	"context"
	"database/sql"
	"fmt"
	"time"
)

// NoteEdit is an earlier version of one of the owner's notes.
type NoteEdit struct {
	HTML, ContentWarning string
	// Created is when this version was written: the note's creation for
	// the first, the previous edit for later ones.
	Created time.Time
}

// keepNoteVersion stores old, the version an edit replaces.
func (f *Feed) keepNoteVersion(ctx context.Context, tx *sql.Tx, old Note) error {
	written := old.Updated
	if written.IsZero() {
		written = old.Created
	}
	_, err := tx.ExecContext(ctx, `INSERT INTO note_edits(id, note_id, html, content_warning, created) VALUES(?, ?, ?, ?, ?)`,
		f.nextID(), old.ID, old.HTML, old.ContentWarning, written.Unix())
	if err != nil {
		return fmt.Errorf("keep earlier version of note %d: %w", old.ID, err)
	}
	return nil
}

// NoteEdits lists the earlier versions of one of the owner's notes, oldest
// first; the current version is the note itself. None for a note never
// edited.
func (f *Feed) NoteEdits(ctx context.Context, id int64) ([]NoteEdit, error) {
	rows, err := f.db.QueryContext(ctx, `SELECT html, content_warning, created FROM note_edits WHERE note_id = ? ORDER BY id`, id)
	if err != nil {
		return nil, fmt.Errorf("note edits %d: %w", id, err)
	}
	defer rows.Close()
	var out []NoteEdit
	for rows.Next() {
		var e NoteEdit
		var created int64
		if err := rows.Scan(&e.HTML, &e.ContentWarning, &created); err != nil {
			return nil, fmt.Errorf("note edits %d: %w", id, err)
		}
		e.Created = time.Unix(created, 0).UTC()
		out = append(out, e)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("note edits %d: %w", id, err)
	}
	return out, nil
}
