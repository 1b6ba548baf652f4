package blog

import (
	"context"

	"roost/federation/vocab"
)

// Outbox lists the Create activities of published posts, newest first, for
// the owner's ActivityPub outbox. total counts every published post, also
// when limit is 0 (NodeInfo asks only for the count).
func (b *Blog) Outbox(ctx context.Context, offset, limit int) ([]map[string]any, int, error) {
	total, err := b.Count(ctx)
	if err != nil || limit <= 0 {
		return nil, total, err
	}
	list, err := b.query(ctx, "blog outbox", `SELECT `+articleColumns+` FROM articles a WHERE `+visibleToAll+`
		ORDER BY a.published_at DESC, a.id DESC LIMIT ? OFFSET ?`, b.now().Unix(), limit, offset)
	if err != nil {
		return nil, 0, err
	}
	items := make([]map[string]any, 0, len(list))
	for _, a := range list {
		items = append(items, b.CreateActivity(a))
	}
	return items, total, nil
}

// CreateActivity is the Create an article's followers received (or will,
// when it is due): what an export's outbox.json carries.
func (b *Blog) CreateActivity(a Article) map[string]any {
	return map[string]any{
		"id": a.ObjectID + "#create", "type": vocab.TypeCreate, "actor": b.actorID,
		"published": a.PublishedAt.UTC().Format("2006-01-02T15:04:05Z"),
		"to":        []string{vocab.Public}, "cc": []string{b.followersURL},
		"object": vocab.ObjectMap(b.articleObject(a)),
	}
}
