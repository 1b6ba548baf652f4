package mastodon

import (
	"context"
	"errors"
	"strings"

	"roost/federation/vocab"
	"roost/feed"
)

// FeedRemote is Remote over the feed room: its timeline index, stored
// posts, reactions, marks and notifications, turned into the API's Post by
// the converters below, the only place a stored post becomes a status.
func FeedRemote(f *feed.Feed) Remote { return feedRemote{f: f} }

type feedRemote struct{ f *feed.Feed }

func (a feedRemote) Timeline(ctx context.Context, p Page) ([]Post, error) {
	var entries []feed.Entry
	var err error
	if p.MinID > 0 {
		entries, err = a.f.TimelineAbove(ctx, p.Limit, max(p.MinID, p.SinceID), p.MaxID)
	} else {
		entries, err = a.f.Timeline(ctx, p.Limit, p.MaxID, p.SinceID)
	}
	if err != nil {
		return nil, err
	}
	out := make([]Post, 0, len(entries))
	for _, e := range entries {
		out = append(out, a.entry(e))
	}
	return out, nil
}

func (a feedRemote) OwnPosts(ctx context.Context, p Page) ([]Post, error) {
	entries, err := a.f.OwnNotes(ctx, p.Limit, p.MaxID, max(p.SinceID, p.MinID), p.MinID > 0)
	if err != nil {
		return nil, err
	}
	out := make([]Post, 0, len(entries))
	for _, e := range entries {
		out = append(out, a.entry(e))
	}
	return out, nil
}

func (a feedRemote) entry(e feed.Entry) Post {
	post := a.post(e.Post)
	if e.BoostedBy == nil {
		return post
	}
	return Post{ID: e.ID, ObjectID: post.ObjectID, Author: a.actor(*e.BoostedBy),
		Created: post.Created, Visibility: feed.VisibilityPublic, Reblog: &post, pollChecked: true}
}

func (a feedRemote) post(p feed.Post) Post {
	out := Post{
		ID: p.ID, ObjectID: p.ObjectID, URL: p.URL, ContentHTML: p.HTML, Summary: p.Summary,
		Sensitive: p.Sensitive, Visibility: p.Visibility, InReplyTo: p.InReplyTo, Language: p.Language,
		Media: p.Media, Tags: p.Tags, Mentions: p.Mentions, Created: p.Published, Edited: p.Updated,
		Likes: p.Likes, Boosts: p.Boosts, Replies: p.Replies,
		Favourited: p.Liked, Reblogged: p.Boosted, Bookmarked: p.Bookmarked,
		poll: p.Poll, pollChecked: p.PollChecked, QuoteOf: p.QuoteOf,
		QuotePolicy: p.QuotePolicy, QuoteState: p.QuoteState, QuoteAuthorization: p.QuoteAuthorization,
	}
	if !p.Local {
		out.Author = a.actor(p.Author)
	}
	if p.Name != "" && (p.Type == vocab.TypeArticle || p.Type == vocab.TypePage) {
		// Apps show an Article's title and summary with a link, as Mastodon does.
		out.ContentHTML = articleStatusHTML(p.Name, p.Summary, p.URL, true)
		out.Summary = ""
	}
	return out
}

func (a feedRemote) actor(au feed.Author) *vocab.Actor {
	handle := strings.TrimPrefix(au.Handle, "@")
	user := ""
	if i := strings.LastIndexByte(handle, '@'); i > 0 {
		user = handle[:i]
	}
	typ := au.Type
	if !vocab.IsActorType(typ) {
		typ = vocab.TypePerson
	}
	return &vocab.Actor{ID: au.ActorID, Name: au.Name, PreferredUsername: user, Webfinger: handle,
		IconURL: au.AvatarURL, URL: au.ProfileURL, Type: typ}
}

func (a feedRemote) Post(ctx context.Context, id int64) (Post, error) {
	p, err := a.f.Post(ctx, id)
	if err != nil {
		return Post{}, err
	}
	return a.post(p), nil
}

func (a feedRemote) PostByObjectID(ctx context.Context, objectID string) (Post, error) {
	p, err := a.f.PostByObjectID(ctx, objectID)
	if err != nil {
		return Post{}, err
	}
	return a.post(p), nil
}

func (a feedRemote) Store(ctx context.Context, obj *vocab.Object, author *vocab.Actor) (Post, error) {
	p, err := a.f.StorePost(ctx, obj, author)
	if err != nil {
		return Post{}, err
	}
	return a.post(p), nil
}

func (a feedRemote) Replies(ctx context.Context, objectID string) ([]Post, error) {
	list, err := a.f.Replies(ctx, objectID)
	if err != nil {
		return nil, err
	}
	out := make([]Post, len(list))
	for i, p := range list {
		out[i] = a.post(p)
	}
	return out, nil
}

func (a feedRemote) Like(ctx context.Context, id string) error    { return a.f.Like(ctx, id) }
func (a feedRemote) Unlike(ctx context.Context, id string) error  { return a.f.Unlike(ctx, id) }
func (a feedRemote) Boost(ctx context.Context, id string) error   { return a.f.Boost(ctx, id) }
func (a feedRemote) Unboost(ctx context.Context, id string) error { return a.f.Unboost(ctx, id) }

// apiNotificationTypes maps the feed room's kinds to Mastodon's: a reply is
// a mention to apps, and a report is the admin-only "admin.report".
var apiNotificationTypes = map[string]string{
	feed.NotifyReply: "mention", feed.NotifyReport: "admin.report", feed.NotifyMove: "move",
}

func apiType(t string) string {
	if m, ok := apiNotificationTypes[t]; ok {
		return m
	}
	return t
}

func (a feedRemote) Notifications(ctx context.Context, p Page, types []string) ([]Notification, error) {
	var want []string
	for _, t := range types {
		want = append(want, t)
		if t == "mention" {
			want = append(want, feed.NotifyReply)
		}
	}
	q := feed.NotificationQuery{Limit: p.Limit, Before: p.MaxID, After: max(p.SinceID, p.MinID), Oldest: p.MinID > 0, Types: want}
	list, err := a.f.NotificationsPage(ctx, q)
	if err != nil {
		return nil, err
	}
	out := make([]Notification, 0, len(list))
	for _, n := range list {
		out = append(out, a.notification(ctx, n))
	}
	return out, nil
}

func (a feedRemote) notification(ctx context.Context, n feed.Notification) Notification {
	out := Notification{ID: n.ID, Type: apiType(n.Type), Actor: a.actor(n.Actor), Created: n.Created}
	if n.ObjectID == "" || n.Type == feed.NotifyFollow || n.Type == feed.NotifyFollowRequest || n.Type == feed.NotifyMove {
		return out
	}
	if p, err := a.f.PostByObjectID(ctx, n.ObjectID); err == nil {
		post := a.post(p)
		out.Status = &post
		if p.Local {
			out.NoteID = p.ID
		}
	}
	return out
}

func (a feedRemote) Notification(ctx context.Context, id int64) (Notification, error) {
	n, err := a.f.Notification(ctx, id)
	if err != nil {
		return Notification{}, err
	}
	return a.notification(ctx, n), nil
}

func (a feedRemote) DismissNotification(ctx context.Context, id int64) error {
	err := a.f.DismissNotification(ctx, id)
	if errors.Is(err, feed.ErrNotFound) {
		return ErrNotFound
	}
	return err
}

func (a feedRemote) ClearNotifications(ctx context.Context) error {
	return a.f.ClearNotifications(ctx)
}

func (a feedRemote) Bookmark(ctx context.Context, id string) error { return a.f.Bookmark(ctx, id) }
func (a feedRemote) Unbookmark(ctx context.Context, id string) error {
	return a.f.Unbookmark(ctx, id)
}

func (a feedRemote) Bookmarked(ctx context.Context, p Page) ([]Post, []int64, error) {
	return a.marked(a.f.Bookmarked(ctx, p.Limit, p.MaxID))
}

func (a feedRemote) Favourites(ctx context.Context, p Page) ([]Post, []int64, error) {
	return a.marked(a.f.OwnLikes(ctx, p.Limit, p.MaxID))
}

// marked turns a page of marked posts into statuses and the marks' cursors.
func (a feedRemote) marked(list []feed.Entry, err error) ([]Post, []int64, error) {
	if err != nil {
		return nil, nil, err
	}
	posts, cursors := make([]Post, len(list)), make([]int64, len(list))
	for i, e := range list {
		posts[i], cursors[i] = a.post(e.Post), e.ID
	}
	return posts, cursors, nil
}

func (a feedRemote) ReactedBy(ctx context.Context, objectID, kind string) ([]*vocab.Actor, error) {
	list, err := a.f.ReactedBy(ctx, objectID, kind)
	if err != nil {
		return nil, err
	}
	out := make([]*vocab.Actor, len(list))
	for i, au := range list {
		out[i] = a.actor(au)
	}
	return out, nil
}

func (a feedRemote) Edits(ctx context.Context, id int64) ([]Edit, error) {
	list, err := a.f.PostEdits(ctx, id)
	if err != nil {
		return nil, err
	}
	p, err := a.f.Post(ctx, id)
	if err != nil {
		return nil, err
	}
	out := make([]Edit, len(list))
	for i, e := range list {
		out[i] = Edit{ContentHTML: e.HTML, Summary: e.Summary, Sensitive: e.Sensitive, Created: e.Created}
		if e.Name != "" && p.Type != vocab.TypeNote {
			out[i].ContentHTML, out[i].Summary = articleStatusHTML(e.Name, e.Summary, p.URL, true), ""
		}
	}
	return out, nil
}

func (a feedRemote) PostsBy(ctx context.Context, actorID string, p Page) ([]Post, error) {
	list, err := a.f.PostsBy(ctx, actorID, p.Limit, p.MaxID, max(p.SinceID, p.MinID))
	if err != nil {
		return nil, err
	}
	out := make([]Post, len(list))
	for i, x := range list {
		out[i] = a.post(x)
	}
	return out, nil
}

func (a feedRemote) DirectPosts(ctx context.Context, limit int, beforeID int64) ([]DirectPost, error) {
	list, err := a.f.DirectPosts(ctx, limit, beforeID)
	if err != nil {
		return nil, err
	}
	out := make([]DirectPost, len(list))
	for i, d := range list {
		out[i] = DirectPost{Post: a.entry(d.Entry), Thread: d.Thread}
	}
	return out, nil
}

func (a feedRemote) PublicPosts(ctx context.Context, tag string, onlyMedia bool, p Page) ([]Post, error) {
	list, err := a.f.PublicPosts(ctx, feed.PublicQuery{Tag: tag, OnlyMedia: onlyMedia, Limit: p.Limit,
		Before: p.MaxID, After: max(p.SinceID, p.MinID), Oldest: p.MinID > 0})
	if err != nil {
		return nil, err
	}
	out := make([]Post, len(list))
	for i, e := range list {
		out[i] = a.entry(e)
	}
	return out, nil
}
