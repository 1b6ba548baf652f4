package main

import (
	"context"
	"errors"
	"log/slog"
	"net/url"
	"strings"
	"time"

	"roost/blog"
	"roost/contacts"
	"roost/federation"
	"roost/federation/vocab"
	"roost/feed"
)

// postRouter hands arriving posts to the rooms: replies to a blog article
// (or to a comment under it) become comments there; everything goes to the
// feed room too, which keeps what the owner cares about for the timeline.
type postRouter struct{ s *site }

func (p postRouter) PostCreated(ctx context.Context, obj *vocab.Object, author *vocab.Actor) error {
	if obj.InReplyTo != "" && p.isOwn(obj.InReplyTo) || obj.InReplyTo != "" && p.s.blog.IsComment(ctx, obj.InReplyTo) {
		_, err := p.s.blog.AddComment(ctx, comment(obj, author))
		if err != nil && !errors.Is(err, blog.ErrNotFound) && !errors.Is(err, blog.ErrGone) {
			return err
		}
	}
	return p.s.feed.PostCreated(ctx, obj, author)
}

func (p postRouter) PostUpdated(ctx context.Context, obj *vocab.Object, author *vocab.Actor) error {
	if err := p.s.blog.UpdateComment(ctx, comment(obj, author)); err != nil && !errors.Is(err, blog.ErrNotFound) {
		return err
	}
	return p.s.feed.PostUpdated(ctx, obj, author)
}

func (p postRouter) PostDeleted(ctx context.Context, objectID, actorID string) error {
	if err := p.s.blog.DeleteComment(ctx, objectID, actorID); err != nil && !errors.Is(err, blog.ErrNotFound) {
		return err
	}
	return p.s.feed.PostDeleted(ctx, objectID, actorID)
}

// isOwn tells whether an object id is on this site.
func (p postRouter) isOwn(id string) bool {
	return strings.HasPrefix(id, p.s.cfg.BaseURL+"/")
}

// commentAdded tells the owner of a new comment under an article; the blog
// calls it once per comment, not for a redelivery. The feed room, which
// also keeps the reply when it mentions the owner, notifies of the same
// event at most once.
func (s *site) commentAdded(ctx context.Context, c blog.Comment) {
	author := &vocab.Actor{ID: c.AuthorID, Name: c.AuthorName, URL: c.AuthorURL, IconURL: c.AuthorAvatar}
	// The author of a fediverse reply was fetched (and cached) to verify the
	// reply a moment ago; the author of a Webmention is a web page, which
	// the source's h-card already described.
	if c.Webmention == "" {
		if actor, err := s.fed.FetchActor(ctx, c.AuthorID, false); err == nil {
			author = actor
		}
	}
	n := feed.Notification{Type: feed.NotifyReply, Actor: feed.AuthorOf(author), ObjectID: c.ObjectID,
		ObjectURL: c.URL, Text: vocab.PlainText(c.ContentHTML)}
	if err := s.feed.Notify(ctx, n); err != nil {
		slog.Error("notify comment", "err", err)
	}
}

func comment(obj *vocab.Object, author *vocab.Actor) blog.Comment {
	url := obj.URL
	if url == "" {
		url = obj.ID
	}
	name := author.Name
	if name == "" {
		name = author.PreferredUsername
	}
	profile := author.URL
	if profile == "" {
		profile = author.ID
	}
	return blog.Comment{ObjectID: obj.ID, InReplyTo: obj.InReplyTo, AuthorID: author.ID, AuthorName: name,
		AuthorHandle: author.Handle(), AuthorURL: profile, AuthorAvatar: author.IconURL,
		ContentHTML: obj.ContentHTML, URL: url, Published: obj.Published}
}

// reactionRouter counts likes and boosts in the feed room, and copies the
// counts of the owner's articles to the blog, which shows them on the page.
type reactionRouter struct{ s *site }

func (r reactionRouter) Liked(ctx context.Context, activityID, objectID string, from *vocab.Actor) error {
	if err := r.s.feed.Liked(ctx, activityID, objectID, from); err != nil {
		return err
	}
	return r.syncArticle(ctx, objectID)
}

func (r reactionRouter) Unliked(ctx context.Context, activityID, objectID, actorID string) error {
	if err := r.s.feed.Unliked(ctx, activityID, objectID, actorID); err != nil {
		return err
	}
	return r.syncArticle(ctx, objectID)
}

func (r reactionRouter) Announced(ctx context.Context, activityID, objectID string, obj *vocab.Object, from *vocab.Actor) error {
	if err := r.s.feed.Announced(ctx, activityID, objectID, obj, from); err != nil {
		return err
	}
	return r.syncArticle(ctx, objectID)
}

func (r reactionRouter) Unannounced(ctx context.Context, activityID, actorID string) error {
	return r.s.feed.Unannounced(ctx, activityID, actorID)
}

func (r reactionRouter) Flagged(ctx context.Context, activityID, content string, objectIDs []string, from *vocab.Actor) error {
	return r.s.feed.Flagged(ctx, activityID, content, objectIDs, from)
}

func (r reactionRouter) syncArticle(ctx context.Context, objectID string) error {
	a, err := r.s.blog.ByURL(ctx, objectID)
	if err != nil {
		return nil // not an article of the owner's
	}
	likes, boosts, err := r.s.feed.ReactionCounts(ctx, objectID)
	if err != nil {
		return err
	}
	return r.s.blog.SetCounts(ctx, a.ID, likes, boosts)
}

// feedItemArrived puts a new item of a followed web feed on the home
// timeline, as a post by the feed's site.
func (s *site) feedItemArrived(ctx context.Context, it contacts.FeedItem) error {
	typ, content := vocab.TypeNote, it.ContentHTML
	if it.Title != "" {
		typ = vocab.TypeArticle
		if it.SummaryHTML != "" {
			content = it.SummaryHTML
		}
	}
	id := it.ID
	if id == "" {
		id = it.URL
	}
	// Many feeds date entries with "updated" only; that is when the item
	// appeared, not an edit.
	published, updated := it.Published, it.Updated
	if published.IsZero() {
		published, updated = updated, time.Time{}
	}
	if !updated.After(published) {
		updated = time.Time{}
	}
	obj := &vocab.Object{ID: id, Type: typ, AttributedTo: it.FeedURL, Name: it.Title, ContentHTML: content,
		SummaryText: vocab.PlainText(it.SummaryHTML), URL: it.URL, Published: published, Updated: updated,
		To: []string{vocab.Public}}
	if it.Image != "" {
		obj.Attachments = []vocab.Attachment{{URL: it.Image, Type: vocab.TypeImage, MediaType: "image/jpeg"}}
	}
	site := &vocab.Actor{ID: it.FeedURL, Type: vocab.TypeService, Name: it.SiteName, URL: it.SiteURL, IconURL: it.IconURL}
	return s.feed.StoreFeedItem(ctx, obj, site)
}

// followNotifier tells the owner about new followers, follow requests and
// moves: the contacts room records them, the feed room notifies.
type followNotifier struct {
	federation.FollowHandler
	s *site
}

func (f followNotifier) FollowRequested(ctx context.Context, follow *vocab.Activity, from *vocab.Actor) (bool, error) {
	accepted, err := f.FollowHandler.FollowRequested(ctx, follow, from)
	if err != nil {
		return accepted, err
	}
	kind := feed.NotifyFollow
	if !accepted {
		kind = feed.NotifyFollowRequest
	}
	f.notify(ctx, feed.Notification{Type: kind, Actor: feed.AuthorOf(from), ObjectURL: "/contacts/view?actor=" + url.QueryEscape(from.ID)})
	return accepted, nil
}

func (f followNotifier) Moved(ctx context.Context, actorID, target string) error {
	if err := f.FollowHandler.Moved(ctx, actorID, target); err != nil {
		return err
	}
	actor, err := f.s.fed.FetchActor(ctx, actorID, false)
	if err != nil {
		actor = &vocab.Actor{ID: actorID}
	}
	f.notify(ctx, feed.Notification{Type: feed.NotifyMove, Actor: feed.AuthorOf(actor), ObjectID: target, ObjectURL: target})
	return nil
}

func (f followNotifier) notify(ctx context.Context, n feed.Notification) {
	if err := f.s.feed.Notify(ctx, n); err != nil {
		slog.Error("notify", "type", n.Type, "err", err)
	}
}

// keepPost stores a post the owner opened from another server's "interact"
// link, so that the thread view can show it.
func (s *site) keepPost(ctx context.Context, obj *vocab.Object, author *vocab.Actor) error {
	_, err := s.feed.StorePost(ctx, obj, author)
	return err
}

// profileRouter hands a remote actor's new document to the rooms that keep
// a snapshot of it: the contacts book, whose inboxes deliveries go to, and
// the feed's authors, shown on the timelines.
type profileRouter struct{ s *site }

func (p profileRouter) ActorUpdated(ctx context.Context, a *vocab.Actor) error {
	if err := p.s.contacts.ActorUpdated(ctx, a); err != nil {
		return err
	}
	return p.s.feed.ActorUpdated(ctx, a)
}
