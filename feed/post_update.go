package feed

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"roost/federation/vocab"
)

// PostEdit is an earlier version of a remote post, kept when its author
// edited it (the Mastodon API shows the history).
type PostEdit struct {
	HTML, Summary, Name string
	Sensitive           bool
	Created             time.Time // when this version was written
}

// PostUpdated replaces a stored post's content with its author's edit and
// keeps the previous version. Posts roost did not keep are ignored, as is an
// Update by anyone but the stored author (federation checked the origin
// already; this is the second lock on the door).
func (f *Feed) PostUpdated(ctx context.Context, obj *vocab.Object, author *vocab.Actor) error {
	if obj == nil || obj.ID == "" {
		return nil
	}
	old, err := f.storedPost(ctx, `p.object_id = ?`, obj.ID)
	if errors.Is(err, ErrNotFound) || errors.Is(err, ErrGone) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("post updated %s: %w", obj.ID, err)
	}
	if author == nil {
		author = &vocab.Actor{ID: obj.AttributedTo}
	}
	if author.ID != old.Author.ActorID {
		slog.WarnContext(ctx, "update by another actor ignored", "object", obj.ID, "actor", author.ID)
		return nil
	}
	p := old
	p.HTML, p.Summary, p.Sensitive, p.Name = obj.ContentHTML, strings.TrimSpace(obj.SummaryText), obj.Sensitive, strings.TrimSpace(obj.Name)
	if isWebURL(obj.URL) {
		p.URL = obj.URL
	}
	p.Author = AuthorOf(author)
	p.Updated = obj.Updated.UTC().Truncate(time.Second)
	if p.Updated.IsZero() {
		p.Updated = f.now().UTC().Truncate(time.Second)
	}
	f.partsFromObject(&p, obj)
	if poll := pollFromObject(obj); poll != nil {
		if err := savePostPoll(ctx, f.db, old.ID, poll); err != nil {
			return fmt.Errorf("post updated %s: %w", obj.ID, err)
		}
		// Mastodon sends the Question again whenever its counts change;
		// that is not an edit worth a version in the history.
		if p.HTML == old.HTML && p.Summary == old.Summary && p.Name == old.Name {
			f.events.StatusUpdated(ctx, p.ID)
			return nil
		}
	}
	// The quoted author's stamp arrives in an Update that changes nothing
	// else (or a policy changes): kept, but no edit.
	if stamp := onlyWebURL(obj.QuoteAuthorization); stamp != old.QuoteAuthorization || obj.QuotePolicy != old.QuotePolicy {
		if _, err := f.db.ExecContext(ctx, `UPDATE posts SET quote_authorization = ?, quote_policy = ? WHERE id = ?`,
			stamp, obj.QuotePolicy, old.ID); err != nil {
			return fmt.Errorf("post updated %s: %w", obj.ID, err)
		}
		if p.HTML == old.HTML && p.Summary == old.Summary && p.Sensitive == old.Sensitive && p.Name == old.Name {
			f.events.StatusUpdated(ctx, p.ID)
			return nil
		}
	}
	// Peers deliver the same Update more than once: an edit of the same
	// moment that changes nothing is not another version, nor news.
	if !old.Updated.IsZero() && !p.Updated.After(old.Updated) &&
		p.HTML == old.HTML && p.Summary == old.Summary && p.Sensitive == old.Sensitive && p.Name == old.Name {
		return nil
	}
	// Mastodon tells people who liked or boosted a post that it changed;
	// the notification is written with the edit, as the redelivery of an
	// edit already stored tells nobody.
	if err := f.markOwnReactions(ctx, []*Post{&old}); err != nil {
		return fmt.Errorf("post updated %s: %w", obj.ID, err)
	}
	var n *Notification
	if old.Liked || old.Boosted {
		n = &Notification{Type: NotifyUpdate, Actor: p.Author, ObjectID: p.ObjectID, ObjectURL: p.URL, Text: excerpt(p.HTML, p.Summary)}
	}
	id, notified, err := f.rewritePost(ctx, old, p, n)
	if err != nil {
		return fmt.Errorf("post updated %s: %w", obj.ID, err)
	}
	f.events.StatusUpdated(ctx, p.ID)
	if notified {
		f.events.NotificationCreated(ctx, id)
	}
	return nil
}

// rewritePost keeps the earlier version of a post, writes the new one and,
// when n is not nil, the owner's notification of the edit, in one
// transaction; it reports the notification's id and whether it is new.
func (f *Feed) rewritePost(ctx context.Context, old, p Post, n *Notification) (int64, bool, error) {
	var id int64
	var notified bool
	err := f.rewriteIn(ctx, old, p, func(tx *sql.Tx) error {
		if n == nil {
			return nil
		}
		var err error
		id, notified, err = f.notifyIn(ctx, tx, *n)
		return err
	})
	return id, notified, err
}

func (f *Feed) rewriteIn(ctx context.Context, old, p Post, alongside func(*sql.Tx) error) error {
	tx, err := f.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	written := old.Updated
	if written.IsZero() {
		written = old.Published
	}
	_, err = tx.ExecContext(ctx, `INSERT INTO post_edits(id, post_id, html, summary, sensitive, name, created)
		VALUES(?, ?, ?, ?, ?, ?, ?)`, f.nextID(), old.ID, old.HTML, old.Summary, boolInt(old.Sensitive), old.Name, written.Unix())
	if err != nil {
		return fmt.Errorf("keep edit: %w", err)
	}
	_, err = tx.ExecContext(ctx, `UPDATE posts SET html = ?, summary = ?, sensitive = ?, name = ?, url = ?, updated = ?
		WHERE id = ?`, p.HTML, p.Summary, boolInt(p.Sensitive), p.Name, p.URL, p.Updated.Unix(), p.ID)
	if err != nil {
		return err
	}
	if err := f.saveAuthor(ctx, tx, p.Author); err != nil {
		return err
	}
	if err := deletePostParts(ctx, tx, p.ID); err != nil {
		return err
	}
	if err := insertPostParts(ctx, tx, p); err != nil {
		return err
	}
	if err := indexPost(ctx, tx, p.ID, p.Name, p.HTML, p.Summary); err != nil {
		return err
	}
	if err := alongside(tx); err != nil {
		return err
	}
	return f.commitContent(tx, p.ID)
}

func deletePostParts(ctx context.Context, tx execer, id int64) error {
	for _, table := range []string{"post_media", "post_tags"} {
		if _, err := tx.ExecContext(ctx, `DELETE FROM `+table+` WHERE post_id = ?`, id); err != nil {
			return fmt.Errorf("clear %s: %w", table, err)
		}
	}
	return nil
}

// PostEdits lists the earlier versions of a remote post, oldest first; the
// current version is the post itself.
func (f *Feed) PostEdits(ctx context.Context, id int64) ([]PostEdit, error) {
	rows, err := f.db.QueryContext(ctx, `SELECT html, summary, sensitive, name, created FROM post_edits
		WHERE post_id = ? ORDER BY id`, id)
	if err != nil {
		return nil, fmt.Errorf("post edits %d: %w", id, err)
	}
	defer rows.Close()
	var out []PostEdit
	for rows.Next() {
		var e PostEdit
		var sensitive int
		var created int64
		if err := rows.Scan(&e.HTML, &e.Summary, &sensitive, &e.Name, &created); err != nil {
			return nil, fmt.Errorf("post edits %d: %w", id, err)
		}
		e.Sensitive, e.Created = sensitive != 0, time.Unix(created, 0).UTC()
		out = append(out, e)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("post edits %d: %w", id, err)
	}
	return out, nil
}

// PostDeleted removes a stored post from every timeline and empties it,
// when actorID is its stored author. The row stays as a marker so a late
// copy of the post (a boost of it, say) is not stored again.
func (f *Feed) PostDeleted(ctx context.Context, objectID, actorID string) error {
	if revoked, err := f.quoteAuthorizationRevoked(ctx, objectID, actorID); revoked || err != nil {
		return err
	}
	var id int64
	var author, parent string
	var deletedAt sql.NullInt64
	err := f.db.QueryRowContext(ctx, `SELECT id, author, in_reply_to, deleted_at FROM posts WHERE object_id = ?`, objectID).
		Scan(&id, &author, &parent, &deletedAt)
	if errors.Is(err, sql.ErrNoRows) || deletedAt.Valid {
		return nil
	}
	if err != nil {
		return fmt.Errorf("post deleted %s: %w", objectID, err)
	}
	if author != actorID {
		slog.WarnContext(ctx, "delete by another actor ignored", "object", objectID, "actor", actorID)
		return nil
	}
	if err := f.removePost(ctx, id, objectID, parent); err != nil {
		return fmt.Errorf("post deleted %s: %w", objectID, err)
	}
	f.events.StatusDeleted(ctx, id)
	return nil
}

func (f *Feed) removePost(ctx context.Context, id int64, objectID, parent string) error {
	tx, err := f.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	_, err = tx.ExecContext(ctx, `UPDATE posts SET html = '', summary = '', name = '', deleted_at = ? WHERE id = ?`,
		f.now().Unix(), id)
	if err != nil {
		return err
	}
	if err := deletePostParts(ctx, tx, id); err != nil {
		return err
	}
	if err := unindexPost(ctx, tx, id); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM home WHERE item = ? AND kind IN (?, ?)`, id, homePost, homeBoost); err != nil {
		return fmt.Errorf("home: %w", err)
	}
	if err := f.notifications.ForgetPost(ctx, tx, objectID); err != nil {
		return fmt.Errorf("notifications: %w", err)
	}
	if err := f.countReply(ctx, tx, parent, -1); err != nil {
		return err
	}
	return f.commitContent(tx, id)
}
