package feed

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"time"

	"roost/federation"
	"roost/federation/vocab"
)

// Replies from servers that deliver nothing to the site (a stranger
// answering a post the owner follows) reach a thread view through the
// replies collection the post names on its own server, as Mastodon and
// GoToSocial fetch a thread's replies. The crawl shares the thread view's
// budget of fetches and time, and is bounded further here.
const (
	// replyCrawlDepth is how many levels below the opened post are read.
	replyCrawlDepth = 3
	// replyCrawlPages is how many pages of one collection are read:
	// Mastodon's first page holds the author's own replies, the next the
	// others'.
	replyCrawlPages = 3
	// replyCrawlItems is how many replies of one post are looked at.
	replyCrawlItems = 20
	// replyCrawlAgain is how long a collection read is trusted before a
	// view reads it again.
	replyCrawlAgain = 10 * time.Minute
)

// saveRepliesCollection remembers the replies collection a new remote post
// names (” for none, so that a thread view does not ask its server).
func saveRepliesCollection(ctx context.Context, tx execer, p Post) error {
	if p.FromFeed {
		return nil
	}
	_, err := tx.ExecContext(ctx, `INSERT INTO post_replies_crawl(object_id, collection) VALUES(?, ?)
		ON CONFLICT(object_id) DO NOTHING`, p.ObjectID, p.RepliesCollection)
	if err != nil {
		return fmt.Errorf("replies collection: %w", err)
	}
	return nil
}

// fetchReplies reads the replies collections below root, level by level,
// and stores the replies found there that the site did not have, so that
// the reply tree read next shows them.
func (l *threadLoader) fetchReplies(ctx context.Context, root string) {
	if l.f.cfg.FetchCollection == nil || l.f.cfg.FetchObject == nil {
		return
	}
	level, seen := []string{root}, map[string]bool{root: true}
	for depth := 0; depth < replyCrawlDepth && len(level) > 0; depth++ {
		var next []string
		for _, parent := range level {
			for _, id := range l.replyIRIsOf(ctx, parent) {
				if seen[id] || ctx.Err() != nil {
					continue
				}
				seen[id] = true
				if err := l.reply(ctx, id, parent); err != nil {
					slog.DebugContext(ctx, "thread reply not loaded", "reply", id, "err", err)
					continue
				}
				next = append(next, id)
			}
		}
		level = next
	}
}

// replyIRIsOf lists the replies of one post: from its collection when it
// was not read lately and the budget allows, else the ones stored.
func (l *threadLoader) replyIRIsOf(ctx context.Context, objectID string) []string {
	stored := func() []string {
		ids, err := l.f.replyIRIs(ctx, l.f.db, objectID)
		if err != nil {
			return nil
		}
		return ids[:min(len(ids), replyCrawlItems)]
	}
	if l.f.isOwnObject(objectID) {
		return stored() // replies to the owner's posts are delivered here
	}
	var collection string
	var crawled int64
	err := l.f.db.QueryRowContext(ctx, `SELECT collection, crawled FROM post_replies_crawl WHERE object_id = ?`,
		objectID).Scan(&collection, &crawled)
	if errors.Is(err, sql.ErrNoRows) {
		collection, err = l.learnCollection(ctx, objectID)
	}
	now := l.f.now()
	if err != nil || collection == "" || now.Sub(time.Unix(crawled, 0)) < replyCrawlAgain || l.left <= 0 {
		return stored()
	}
	if _, err := l.f.db.ExecContext(ctx, `UPDATE post_replies_crawl SET crawled = ? WHERE object_id = ?`,
		now.Unix(), objectID); err != nil {
		return stored()
	}
	ids := l.collectionItems(ctx, collection)
	for _, id := range stored() {
		if len(ids) < replyCrawlItems && !slices.Contains(ids, id) {
			ids = append(ids, id)
		}
	}
	return ids
}

// learnCollection asks a post's server which replies collection it names,
// once, for a post stored before the site kept them.
func (l *threadLoader) learnCollection(ctx context.Context, objectID string) (string, error) {
	if l.left <= 0 || !isWebURL(objectID) {
		return "", errNotLoaded
	}
	l.left--
	obj, err := l.f.cfg.FetchObject(ctx, objectID)
	if err != nil {
		return "", err
	}
	collection := ""
	if obj.ID == objectID && federation.SameOrigin(obj.RepliesID, obj.ID) && isWebURL(obj.RepliesID) {
		collection = obj.RepliesID
	}
	_, err = l.f.db.ExecContext(ctx, `INSERT INTO post_replies_crawl(object_id, collection) VALUES(?, ?)
		ON CONFLICT(object_id) DO NOTHING`, objectID, collection)
	return collection, err
}

// collectionItems reads the item IRIs of a replies collection, following
// first and next for a few pages.
func (l *threadLoader) collectionItems(ctx context.Context, iri string) []string {
	var ids []string
	for page := 0; iri != "" && page <= replyCrawlPages && l.left > 0 && len(ids) < replyCrawlItems; page++ {
		l.left--
		c, err := l.f.cfg.FetchCollection(ctx, iri)
		if err != nil {
			slog.InfoContext(ctx, "replies collection not read", "collection", iri, "err", err)
			break
		}
		for _, id := range c.ItemIDs {
			if isWebURL(id) && len(ids) < replyCrawlItems {
				ids = append(ids, id)
			}
		}
		switch {
		case c.Next != "":
			iri = c.Next
		case len(c.Items) == 0 && c.First != "" && c.First != iri:
			iri = c.First // the first page given by IRI only
		default:
			iri = ""
		}
	}
	return ids
}

// reply loads a reply the site does not have from its server and keeps
// it, off the home timeline, when it does answer parent: a collection may
// list anything, and only what answers the post belongs in its thread.
func (l *threadLoader) reply(ctx context.Context, id, parent string) error {
	if _, err := l.f.PostByObjectID(ctx, id); err == nil || !errors.Is(err, ErrNotFound) {
		return err
	}
	if l.f.isOwnObject(id) || !isWebURL(id) {
		return fmt.Errorf("load %s: %w", id, errNotLoaded)
	}
	if l.left <= 0 {
		return fmt.Errorf("load %s: %w: fetch budget spent", id, errNotLoaded)
	}
	l.left--
	obj, err := l.f.cfg.FetchObject(ctx, id)
	if err != nil {
		return fmt.Errorf("load %s: %w: %w", id, errNotLoaded, err)
	}
	if !vocab.IsPost(obj) || obj.InReplyTo != parent {
		return fmt.Errorf("load %s: %w: not a reply to %s", id, errNotLoaded, parent)
	}
	if !federation.SameOrigin(obj.ID, obj.AttributedTo) {
		return fmt.Errorf("load %s: %w: author %q is on another server", id, errNotLoaded, obj.AttributedTo)
	}
	if _, err := l.f.StorePost(ctx, obj, l.actor(ctx, obj.AttributedTo)); err != nil {
		return fmt.Errorf("load %s: %w", id, err)
	}
	return nil
}
