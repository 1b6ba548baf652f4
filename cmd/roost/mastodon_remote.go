package main

import (
	"context"
	"errors"
	"strings"

	"roost/federation/vocab"
	"roost/feed"
	"roost/feed/mastodon"
)

// remoteAdapter gives the Mastodon API the feed room's timeline, posts,
// reactions and notifications.
type remoteAdapter struct {
	f       *feed.Feed
	actorID string
}

func (a remoteAdapter) Timeline(ctx context.Context, p mastodon.Page) ([]mastodon.Post, error) {
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
	out := make([]mastodon.Post, 0, len(entries))
	for _, e := range entries {
		out = append(out, a.entry(e))
	}
	return out, nil
}

func (a remoteAdapter) OwnPosts(ctx context.Context, p mastodon.Page) ([]mastodon.Post, error) {
	entries, err := a.f.OwnNotes(ctx, p.Limit, p.MaxID, max(p.SinceID, p.MinID), p.MinID > 0)
	if err != nil {
		return nil, err
	}
	out := make([]mastodon.Post, 0, len(entries))
	for _, e := range entries {
		out = append(out, a.entry(e))
	}
	return out, nil
}

func (a remoteAdapter) entry(e feed.Entry) mastodon.Post {
	post := a.post(e.Post)
	if e.BoostedBy == nil {
		return post
	}
	return mastodon.Post{ID: e.ID, ObjectID: post.ObjectID, Author: a.actor(*e.BoostedBy),
		Created: post.Created, Visibility: feed.VisibilityPublic, Reblog: &post}
}

func (a remoteAdapter) post(p feed.Post) mastodon.Post {
	out := mastodon.Post{
		ID: p.ID, ObjectID: p.ObjectID, URL: p.URL, ContentHTML: p.HTML, Summary: p.Summary,
		Sensitive: p.Sensitive, Visibility: p.Visibility, InReplyTo: p.InReplyTo, Language: p.Language,
		Media: p.Media, Tags: p.Tags, Mentions: p.Mentions, Created: p.Published, Edited: p.Updated,
		Likes: p.Likes, Boosts: p.Boosts, Replies: p.Replies,
		Favourited: p.Liked, Reblogged: p.Boosted, Bookmarked: p.Bookmarked,
	}
	if !p.Local {
		out.Author = a.actor(p.Author)
	}
	if p.Name != "" && p.Type != vocab.TypeNote {
		// Apps show an Article's title and summary with a link, as Mastodon does.
		out.ContentHTML = articleStatusHTML(p.Name, p.Summary, p.URL)
		out.Summary = ""
	}
	return out
}

func articleStatusHTML(title, summary, url string) string {
	var b strings.Builder
	b.WriteString("<p><strong>" + htmlEscape(title) + "</strong></p>")
	if summary != "" {
		b.WriteString("<p>" + htmlEscape(summary) + "</p>")
	}
	b.WriteString(`<p><a href="` + htmlEscape(url) + `" rel="nofollow noopener noreferrer" target="_blank">` + htmlEscape(url) + "</a></p>")
	return b.String()
}

var htmlEscape = strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", `"`, "&#34;", "'", "&#39;").Replace

func (a remoteAdapter) actor(au feed.Author) *vocab.Actor {
	handle := strings.TrimPrefix(au.Handle, "@")
	user, _, _ := cutHandle(handle)
	return &vocab.Actor{ID: au.ActorID, Name: au.Name, PreferredUsername: user, Webfinger: handle,
		IconURL: au.AvatarURL, URL: au.ProfileURL, Type: vocab.TypePerson}
}

func (a remoteAdapter) Post(ctx context.Context, id int64) (mastodon.Post, error) {
	p, err := a.f.Post(ctx, id)
	if err != nil {
		return mastodon.Post{}, err
	}
	return a.post(p), nil
}

func (a remoteAdapter) PostByObjectID(ctx context.Context, objectID string) (mastodon.Post, error) {
	p, err := a.f.PostByObjectID(ctx, objectID)
	if err != nil {
		return mastodon.Post{}, err
	}
	return a.post(p), nil
}

func (a remoteAdapter) Store(ctx context.Context, obj *vocab.Object, author *vocab.Actor) (mastodon.Post, error) {
	p, err := a.f.StorePost(ctx, obj, author)
	if err != nil {
		return mastodon.Post{}, err
	}
	return a.post(p), nil
}

func (a remoteAdapter) Replies(ctx context.Context, objectID string) ([]mastodon.Post, error) {
	list, err := a.f.Replies(ctx, objectID)
	if err != nil {
		return nil, err
	}
	out := make([]mastodon.Post, len(list))
	for i, p := range list {
		out[i] = a.post(p)
	}
	return out, nil
}

func (a remoteAdapter) Like(ctx context.Context, id string) error    { return a.f.Like(ctx, id) }
func (a remoteAdapter) Unlike(ctx context.Context, id string) error  { return a.f.Unlike(ctx, id) }
func (a remoteAdapter) Boost(ctx context.Context, id string) error   { return a.f.Boost(ctx, id) }
func (a remoteAdapter) Unboost(ctx context.Context, id string) error { return a.f.Unboost(ctx, id) }

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

func (a remoteAdapter) Notifications(ctx context.Context, p mastodon.Page, types []string) ([]mastodon.Notification, error) {
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
	out := make([]mastodon.Notification, 0, len(list))
	for _, n := range list {
		out = append(out, a.notification(ctx, n))
	}
	return out, nil
}

func (a remoteAdapter) notification(ctx context.Context, n feed.Notification) mastodon.Notification {
	out := mastodon.Notification{ID: n.ID, Type: apiType(n.Type), Actor: a.actor(n.Actor), Created: n.Created}
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

func (a remoteAdapter) Notification(ctx context.Context, id int64) (mastodon.Notification, error) {
	n, err := a.f.Notification(ctx, id)
	if err != nil {
		return mastodon.Notification{}, err
	}
	return a.notification(ctx, n), nil
}

func (a remoteAdapter) DismissNotification(ctx context.Context, id int64) error {
	err := a.f.DismissNotification(ctx, id)
	if errors.Is(err, feed.ErrNotFound) {
		return mastodon.ErrNotFound
	}
	return err
}

func (a remoteAdapter) ClearNotifications(ctx context.Context) error {
	return a.f.ClearNotifications(ctx)
}
