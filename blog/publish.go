package blog

import (
	"context"
	"fmt"
	"log/slog"
	"net/url"
	"strconv"
	"time"

	"roost/federation"
	"roost/federation/vocab"
)

// publisher delivers an activity to the fediverse; the federation room
// implements it (the delivery queue makes Publish durable, so a slow peer
// never holds up the editor).
type publisher interface {
	Publish(ctx context.Context, activity vocab.OutActivity, to federation.Audience) error
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

func (b *Blog) tagURL(tag string) string { return b.baseURL + "/blog/tags/" + url.PathEscape(tag) }

// federateSaved sends what an edit means to followers: a Create the first
// time a post is public and due, an Update after that, and a Delete when a
// post they have seen goes back to draft or into the future.
func (b *Blog) federateSaved(ctx context.Context, a Article, wasFederated bool) {
	if b.publisher == nil {
		return
	}
	now := b.now()
	switch {
	case b.federable(a) && !wasFederated:
		b.send(ctx, a.ID, vocab.TypeCreate, a.ObjectID+"#create-"+activityStamp(now), vocab.ObjectMap(b.articleObject(a)), true)
	case b.federable(a):
		b.send(ctx, a.ID, vocab.TypeUpdate, a.ObjectID+"#update-"+activityStamp(now), vocab.ObjectMap(b.articleObject(a)), true)
	case wasFederated:
		b.federateDelete(ctx, a.ObjectID, now)
		if _, err := b.db.ExecContext(ctx, `UPDATE articles SET federated_at = NULL WHERE id = ?`, a.ID); err != nil {
			slog.ErrorContext(ctx, "blog: unmark federated", "id", a.ID, "err", err)
		}
	}
}

func (b *Blog) federateDelete(ctx context.Context, objectID string, now time.Time) {
	if b.publisher == nil {
		return
	}
	tombstone := map[string]any{
		"id":         objectID,
		"type":       vocab.TypeTombstone,
		"formerType": vocab.TypeArticle,
		"deleted":    now.UTC().Format(time.RFC3339),
	}
	b.send(ctx, 0, vocab.TypeDelete, objectID+"#delete-"+activityStamp(now), tombstone, false)
}

// send publishes one activity. A failure is logged, not returned: the
// article is saved either way, and a Create that failed leaves federated_at
// empty so PublishDue tries again.
func (b *Blog) send(ctx context.Context, articleID int64, typ, id string, object any, markFederated bool) {
	act := vocab.OutActivity{
		ID:        id,
		Type:      typ,
		Actor:     b.actorID,
		Object:    object,
		To:        []string{vocab.Public},
		Cc:        []string{b.followersURL},
		Published: b.now(),
	}
	if err := b.publisher.Publish(ctx, act, federation.Audience{Followers: true}); err != nil {
		slog.ErrorContext(ctx, "blog: publish", "type", typ, "id", id, "err", err)
		return
	}
	if markFederated {
		if _, err := b.db.ExecContext(ctx, `UPDATE articles SET federated_at = ? WHERE id = ?`, b.now().Unix(), articleID); err != nil {
			slog.ErrorContext(ctx, "blog: mark federated", "id", articleID, "err", err)
		}
	}
}

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
		b.federateSaved(ctx, a, false)
	}
	return nil
}

// activityStamp makes activity ids unique per send: peers and the delivery
// queue drop an id they have seen, and a post can be unpublished and
// republished, or edited twice in one second.
func activityStamp(t time.Time) string { return strconv.FormatInt(t.UnixNano(), 36) }
