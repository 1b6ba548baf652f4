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
// start, in batches of one transaction each.
func (f *Feed) IndexMissing(ctx context.Context) error {
	for {
		n, err := f.indexMissingBatch(ctx, 500)
		if err != nil {
			return fmt.Errorf("index posts: %w", err)
		}
		if n == 0 {
			return nil
		}
	}
}

func (f *Feed) indexMissingBatch(ctx context.Context, size int) (int, error) {
	tx, err := f.db.BeginTx(ctx, nil)
	if err != nil {
		return 0, err
	}
	defer tx.Rollback()
	rows, err := tx.QueryContext(ctx, `SELECT id, name, html, summary FROM posts
		WHERE deleted_at IS NULL AND id NOT IN (SELECT rowid FROM feed_search) ORDER BY id LIMIT ?`, size)
	if err != nil {
		return 0, err
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
			return 0, err
		}
		batch = append(batch, m)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return 0, err
	}
	for _, m := range batch {
		if err := indexPost(ctx, tx, m.id, m.title, m.html, m.summary); err != nil {
			return 0, err
		}
	}
	return len(batch), tx.Commit()
}
