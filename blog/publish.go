package blog

import (
	"context"
	"database/sql"
	"fmt"
	"log/slog"
	"net/url"
	"strconv"
	"time"

	"roost/federation"
	"roost/federation/vocab"
)

// publisher queues an activity for the fediverse in the transaction of the
// change it announces; the federation room implements it (its outbox
// delivers after the commit, so a slow peer never holds up the editor, and
// a crash never leaves a saved post unsent).
type publisher interface {
	Publish(ctx context.Context, tx *sql.Tx, activity vocab.OutActivity, to federation.Audience) error
}

// federable reports whether an article belongs on the fediverse now. Pages
// are site furniture (About, Contact), not posts, so only posts are sent.
func (b *Blog) federable(a Article) bool {
	return !a.Draft && !a.Page && a.Due(b.now())
}

// articleObject is the ActivityStreams Article for a post. Blog posts are
// public: to Public, cc the followers, as Mastodon expects of a public post.
func (b *Blog) articleObject(a Article) vocab.OutObject {
	o := vocab.OutObject{
		ID:           a.ObjectID,
		Type:         vocab.TypeArticle,
		AttributedTo: b.actorID,
		Name:         a.Title,
		ContentHTML:  a.HTML,
		Summary:      a.Summary,
		URL:          a.URL,
		Published:    a.PublishedAt,
		To:           []string{vocab.Public},
		Cc:           []string{b.followersURL},
		RepliesID:    a.ObjectID + "/replies",
	}
	if a.Updated.After(a.PublishedAt) {
		o.Updated = a.Updated
	}
	for _, t := range a.Tags {
		o.Tags = append(o.Tags, vocab.Tag{Type: vocab.TypeHashtag, Name: "#" + t, Href: b.tagURL(t)})
	}
	return o
}

func (b *Blog) tagURL(tag string) string {
	return b.baseURL + "/blog/tags/" + url.PathEscape(TagKey(tag))
}

// federateSaved queues, in the transaction that saved the article, what
// the change means to followers: a Create the first time a post is public
// and due, an Update after that, and a Delete when a post they have seen
// goes back to draft or into the future.
func (b *Blog) federateSaved(ctx context.Context, tx *sql.Tx, a Article, wasFederated bool) error {
	// The pages a public post links to hear of it by Webmention; when it
	// stops being public they hear that too.
	content := ""
	if b.federable(a) {
		content = a.HTML
	}
	if err := b.QueueWebmentions(ctx, tx, a.URL, content, nil); err != nil {
		return err
	}
	if b.publisher == nil {
		return nil
	}
	now := b.now()
	switch {
	case b.federable(a) && !wasFederated:
		return b.send(ctx, tx, a.ID, vocab.TypeCreate, a.ObjectID+"#create-"+activityStamp(now), vocab.ObjectMap(b.articleObject(a)), true)
	case b.federable(a):
		o, err := b.articleWithReplies(ctx, a)
		if err != nil {
			return fmt.Errorf("article replies: %w", err)
		}
		return b.send(ctx, tx, a.ID, vocab.TypeUpdate, a.ObjectID+"#update-"+activityStamp(now), vocab.ObjectMap(o), true)
	case wasFederated:
		if err := b.federateDelete(ctx, tx, a.ObjectID, now); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE articles SET federated_at = NULL WHERE id = ?`, a.ID); err != nil {
			return fmt.Errorf("unmark federated: %w", err)
		}
	}
	return nil
}

func (b *Blog) federateDelete(ctx context.Context, tx *sql.Tx, objectID string, now time.Time) error {
	if b.publisher == nil {
		return nil
	}
	tombstone := map[string]any{
		"id":         objectID,
		"type":       vocab.TypeTombstone,
		"formerType": vocab.TypeArticle,
		"deleted":    now.UTC().Format(time.RFC3339),
	}
	return b.send(ctx, tx, 0, vocab.TypeDelete, objectID+"#delete-"+activityStamp(now), tombstone, false)
}

// send queues one activity in tx and, for a Create or Update, marks the
// article federated there too, so PublishDue never sends it twice.
func (b *Blog) send(ctx context.Context, tx *sql.Tx, articleID int64, typ, id string, object any, markFederated bool) error {
	act := vocab.OutActivity{
		ID:        id,
		Type:      typ,
		Actor:     b.actorID,
		Object:    object,
		To:        []string{vocab.Public},
		Cc:        []string{b.followersURL},
		Published: b.now(),
	}
	if err := b.publisher.Publish(ctx, tx, act, federation.Audience{Followers: true}); err != nil {
		return fmt.Errorf("publish %s: %w", typ, err)
	}
	if markFederated {
		if _, err := tx.ExecContext(ctx, `UPDATE articles SET federated_at = ? WHERE id = ?`, b.now().Unix(), articleID); err != nil {
			return fmt.Errorf("mark federated: %w", err)
		}
	}
	return nil
}

// ScheduledDueSQL is a query of one value: the unix millisecond at which
// the earliest published article not yet federated falls due, NULL when
// there is none (it is in the past for one whose federation failed).
const ScheduledDueSQL = `SELECT MIN(published_at) * 1000 FROM articles
	WHERE deleted_at IS NULL AND status = 'published' AND kind = 'post' AND federated_at IS NULL`

// PublishDue federates posts whose scheduled time has come (and any whose
// first delivery failed). The composition root calls it every minute; the
// federated_at column makes sure each post is sent once.
func (b *Blog) PublishDue(ctx context.Context) error {
	if b.publisher == nil {
		return nil
	}
	list, err := b.query(ctx, "due articles", `SELECT `+articleColumns+` FROM articles a WHERE `+visibleToAll+`
		AND a.federated_at IS NULL ORDER BY a.published_at, a.id`, b.now().Unix())
	if err != nil {
		return fmt.Errorf("publish due: %w", err)
	}
	for _, a := range list {
		if err := b.publishDueOne(ctx, a); err != nil {
			slog.ErrorContext(ctx, "blog: publish due", "id", a.ID, "err", err)
		}
	}
	return nil
}

// publishDueOne federates one due article, unless a concurrent save did.
func (b *Blog) publishDueOne(ctx context.Context, a Article) error {
	tx, err := b.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	a, err = b.articleIn(ctx, tx, a.ID)
	if err != nil {
		return err
	}
	if err := b.federateSaved(ctx, tx, a, false); err != nil {
		return err
	}
	return tx.Commit()
}

// articleIn reads an article with its tags inside tx, as the transaction
// that just wrote it sees it.
func (b *Blog) articleIn(ctx context.Context, tx *sql.Tx, id int64) (Article, error) {
	a, _, err := b.scanArticle(tx.QueryRowContext(ctx, `SELECT `+articleColumns+` FROM articles a WHERE a.id = ?`, id))
	if err != nil {
		return Article{}, fmt.Errorf("read article %d: %w", id, err)
	}
	rows, err := tx.QueryContext(ctx, `SELECT `+tagLabel+` FROM article_tags WHERE article_id = ? ORDER BY position, tag`, id)
	if err != nil {
		return Article{}, fmt.Errorf("read tags of %d: %w", id, err)
	}
	defer rows.Close()
	for rows.Next() {
		var t string
		if err := rows.Scan(&t); err != nil {
			return Article{}, err
		}
		a.Tags = append(a.Tags, t)
	}
	return a, rows.Err()
}

// activityStamp makes activity ids unique per send: peers and the delivery
// queue drop an id they have seen, and a post can be unpublished and
// republished, or edited twice in one second.
func activityStamp(t time.Time) string { return strconv.FormatInt(t.UnixNano(), 36) }
