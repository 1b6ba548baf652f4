package feed

import (
	"context"
	"fmt"

	"roost/federation/vocab"
)

// indexPost puts a post by someone else into the full-text index, in the
// transaction that stores or edits it. The owner's notes are indexed by
// triggers instead (see Migrations): their text is already plain, while a
// post's HTML must first lose its tags, which SQL cannot do.
func indexPost(ctx context.Context, db execer, id int64, title, html, summary string) error {
	if err := unindexPost(ctx, db, id); err != nil {
		return err
	}
	_, err := db.ExecContext(ctx, `INSERT INTO feed_search(rowid, title, body, warning) VALUES(?, ?, ?, ?)`,
		id, vocab.PlainText(title), vocab.PlainText(html), vocab.PlainText(summary))
	if err != nil {
		return fmt.Errorf("index post %d: %w", id, err)
	}
	return nil
}

// unindexPost takes a deleted post out of the index.
func unindexPost(ctx context.Context, db execer, id int64) error {
	if _, err := db.ExecContext(ctx, `DELETE FROM feed_search WHERE rowid = ?`, id); err != nil {
		return fmt.Errorf("unindex post %d: %w", id, err)
	}
	return nil
}

// IndexMissing indexes the posts that are not in the full-text index yet:
// those stored before the index existed, and those a restored archive
// brought (an archive leaves the index out, being derived). It runs at
// start, in id order, in batches of one transaction each; when nothing is
// missing it costs one pass over the ids (about 0.1 s for 100,000 posts).
func (f *Feed) IndexMissing(ctx context.Context) error {
	var after int64
	for {
		last, err := f.indexMissingBatch(ctx, after, 1000)
		if err != nil {
			return fmt.Errorf("index posts: %w", err)
		}
		if last == after {
			return nil
		}
		after = last
	}
}

// indexMissingBatch indexes the next missing posts after the id after and
// returns the last id it indexed (after when none was missing).
func (f *Feed) indexMissingBatch(ctx context.Context, after int64, size int) (int64, error) {
	tx, err := f.db.BeginTx(ctx, nil)
	if err != nil {
		return after, err
	}
	defer tx.Rollback()
	rows, err := tx.QueryContext(ctx, `SELECT id, name, html, summary FROM posts
		WHERE id > ? AND deleted_at IS NULL AND id NOT IN (SELECT rowid FROM feed_search WHERE rowid > ?)
		ORDER BY id LIMIT ?`, after, after, size)
	if err != nil {
		return after, err
	}
	type missing struct {
		id                   int64
		title, html, summary string
	}
	var batch []missing
	for rows.Next() {
		var m missing
		if err := rows.Scan(&m.id, &m.title, &m.html, &m.summary); err != nil {
			rows.Close()
			return after, err
		}
		batch = append(batch, m)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return after, err
	}
	for _, m := range batch {
		if err := indexPost(ctx, tx, m.id, m.title, m.html, m.summary); err != nil {
			return after, err
		}
		after = m.id
	}
	return after, tx.Commit()
}
