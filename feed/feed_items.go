package feed

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"unicode/utf8"

	"roost/federation/vocab"
)

// Values of posts.source.
const (
	sourceActivityPub = "activitypub"
	sourceFeed        = "feed"
)

// feedItemPrefix starts the object id of every web-feed item. A feed's
// guid is whatever its author wrote, and may well be the id of a post on
// another server; stored under that id, the item would take the place of
// the real post, which would then be refused, and its Delete ignored. So
// an item is known by feedItemPrefix + feed URL + " " + guid: no
// ActivityPub object id (always an http(s) URL) starts so, and the feed
// URL (which has no spaces) keeps the items of two feeds apart.
const feedItemPrefix = "feed-item:"

// FeedItemID is the object id under which a web-feed item is stored.
func FeedItemID(feedURL, guid string) string { return feedItemPrefix + feedURL + " " + guid }

// StoreFeedItem keeps an item of a followed web feed (RSS, Atom or JSON
// Feed) on the home timeline, as a post by the feed's site: site is the
// feed as an actor, its id the feed URL; obj.ID is the item's guid, and
// the post's id is FeedItemID of the two. Items of feeds the owner does
// not follow (any more) are dropped, and an item already stored is left
// alone. Unlike PostCreated, the post is marked as a feed item, so the
// reader offers no reply, keeps likes local and shares it as a link note.
func (f *Feed) StoreFeedItem(ctx context.Context, obj *vocab.Object, site *vocab.Actor) error {
	if obj == nil || obj.ID == "" || !vocab.IsPost(obj) {
		return nil
	}
	if site == nil {
		site = &vocab.Actor{ID: obj.AttributedTo, Type: vocab.TypeService}
	}
	if !f.follows(ctx, site.ID) {
		return nil
	}
	item := *obj
	item.ID = FeedItemID(site.ID, obj.ID)
	obj = &item
	if _, err := f.storedPost(ctx, `p.object_id = ?`, obj.ID); err == nil || errors.Is(err, ErrGone) {
		return nil
	}
	p := f.postFromObject(ctx, obj, site)
	// A web feed has no threads and no audience but the world.
	p.FromFeed, p.Visibility, p.InReplyTo, p.Conversation = true, VisibilityPublic, "", obj.ID
	p, created, err := f.keepPost(ctx, p, true, nil)
	if err != nil {
		return fmt.Errorf("store feed item %s: %w", obj.ID, err)
	}
	if created {
		f.events.StatusCreated(ctx, p.ID)
	}
	return nil
}

// shareFeedItem is the owner's boost of a web-feed item. An Announce of it
// would name an object no server can fetch, so the owner posts a public
// note with the item's title and link instead. The note's URL is kept as
// the boost's activity id: the button shows the item as boosted, and
// unboosting deletes the note.
func (f *Feed) shareFeedItem(ctx context.Context, p Post) error {
	if p.Boosted {
		return nil
	}
	link := p.URL
	if !isWebURL(link) {
		return fmt.Errorf("share %s: %w", p.ObjectID, ErrCannotBoost)
	}
	title := p.Name
	if title == "" {
		title = vocab.PlainText(p.HTML)
	}
	n, err := f.Create(ctx, NoteInput{Text: shareText(title, link, f.cfg.NoteLimit), Visibility: VisibilityPublic})
	if err != nil {
		return fmt.Errorf("share %s: %w", p.ObjectID, err)
	}
	r := reaction{activityID: n.URL, kind: reactionBoost, objectID: p.ObjectID, actor: Author{ActorID: f.cfg.ActorID}}
	added, err := f.addReaction(ctx, r, nil)
	if err == nil && added {
		return nil
	}
	// Shared twice at once (a double click), or not recorded: the extra
	// note goes again.
	if derr := f.Delete(ctx, n.ID); derr != nil {
		slog.ErrorContext(ctx, "delete extra share note", "note", n.URL, "err", derr)
	}
	if err != nil {
		return fmt.Errorf("share %s: %w", p.ObjectID, err)
	}
	return nil
}

// shareText is "Title\n\nlink", the title shortened so the note stays
// within the length limit; the note renderer turns the link into an anchor.
func shareText(title, link string, limit int) string {
	title = strings.Join(strings.Fields(title), " ")
	room := limit - utf8.RuneCountInString(link) - 2
	if title == "" || room < 2 {
		return link
	}
	return shorten(title, room-1) + "\n\n" + link
}

// unshareFeedItem takes back the owner's share of a web-feed item by
// deleting the note that shared it (which publishes a Delete).
func (f *Feed) unshareFeedItem(ctx context.Context, p Post) error {
	var activityID string
	err := f.db.QueryRowContext(ctx, `SELECT activity_id FROM reactions WHERE object_id = ? AND kind = ? AND actor_id = ?`,
		p.ObjectID, reactionBoost, f.cfg.ActorID).Scan(&activityID)
	if errors.Is(err, sql.ErrNoRows) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("unshare %s: %w", p.ObjectID, err)
	}
	if err := f.removeReaction(ctx, reactionBoost, activityID, p.ObjectID, f.cfg.ActorID, nil); err != nil {
		return fmt.Errorf("unshare %s: %w", p.ObjectID, err)
	}
	rest, ok := strings.CutPrefix(activityID, f.base+"/notes/")
	id, valid := parseID(rest)
	if !ok || !valid {
		return nil
	}
	// The owner may have deleted the note by hand already.
	if err := f.Delete(ctx, id); err != nil && !errors.Is(err, ErrGone) && !errors.Is(err, ErrNotFound) {
		return fmt.Errorf("unshare %s: %w", p.ObjectID, err)
	}
	return nil
}

// forgetShare is told about every deleted note: when the note shared a
// web-feed item, the item no longer shows as boosted.
func (f *Feed) forgetShare(ctx context.Context, noteURL string) {
	if err := f.removeReaction(ctx, reactionBoost, noteURL, "", f.cfg.ActorID, nil); err != nil {
		slog.ErrorContext(ctx, "forget share", "note", noteURL, "err", err)
	}
}
