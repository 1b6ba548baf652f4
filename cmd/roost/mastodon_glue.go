package main

import (
	"context"
	"errors"

	"roost/blog"
	"roost/contacts"
	"roost/federation/vocab"
	"roost/feed/mastodon"
)

// socialAdapter gives the Mastodon API the contacts room.
type socialAdapter struct{ c *contacts.Contacts }

func (a socialAdapter) Follow(ctx context.Context, input string) (string, error) {
	ct, err := a.c.Follow(ctx, input)
	if err != nil {
		return "", err
	}
	return ct.ActorID, nil
}

func (a socialAdapter) Unfollow(ctx context.Context, id string) error { return a.c.Unfollow(ctx, id) }
func (a socialAdapter) Block(ctx context.Context, id string) error    { return a.c.Block(ctx, id) }
func (a socialAdapter) Unblock(ctx context.Context, id string) error  { return a.c.Unblock(ctx, id) }
func (a socialAdapter) Approve(ctx context.Context, id string) error  { return a.c.Approve(ctx, id) }
func (a socialAdapter) Reject(ctx context.Context, id string) error   { return a.c.Reject(ctx, id) }
func (a socialAdapter) SetNote(ctx context.Context, id, note string) error {
	return a.c.SetNote(ctx, id, note)
}

func (a socialAdapter) BlockDomain(ctx context.Context, domain string) error {
	_, err := a.c.BlockDomain(ctx, domain)
	return err
}

func (a socialAdapter) UnblockDomain(ctx context.Context, domain string) error {
	return a.c.UnblockDomain(ctx, domain)
}

func (a socialAdapter) DomainBlocks(ctx context.Context) ([]string, error) {
	list, err := a.c.DomainBlocks(ctx)
	out := make([]string, 0, len(list))
	for _, d := range list {
		out = append(out, d.Domain)
	}
	return out, err
}

func (a socialAdapter) Relationship(ctx context.Context, id string) (mastodon.Relationship, error) {
	ct, err := a.c.Get(ctx, id)
	if errors.Is(err, contacts.ErrNotFound) {
		return mastodon.Relationship{}, nil
	}
	if err != nil {
		return mastodon.Relationship{}, err
	}
	return mastodon.Relationship{
		Following: ct.Following == "accepted", Requested: ct.Following == "pending",
		FollowedBy: ct.Follower == "accepted", RequestedBy: ct.Follower == "pending",
		Blocking: ct.Blocked, BlockedBy: ct.BlocksOwner, DomainBlocking: ct.DomainBlocked, Note: ct.Note,
		Muting: ct.Muted, MutingNotifications: ct.Muted,
	}, nil
}

func (a socialAdapter) Actor(ctx context.Context, id string) (*vocab.Actor, error) {
	ct, err := a.c.Get(ctx, id)
	if errors.Is(err, contacts.ErrNotFound) {
		return nil, mastodon.ErrNotFound
	}
	if err != nil {
		return nil, err
	}
	return contactActor(ct), nil
}

func (a socialAdapter) Following(ctx context.Context) ([]*vocab.Actor, error) {
	return actors(a.c.Following(ctx))
}
func (a socialAdapter) Followers(ctx context.Context) ([]*vocab.Actor, error) {
	return actors(a.c.Followers(ctx))
}
func (a socialAdapter) Requests(ctx context.Context) ([]*vocab.Actor, error) {
	return actors(a.c.Requests(ctx))
}
func (a socialAdapter) Blocks(ctx context.Context) ([]*vocab.Actor, error) {
	return actors(a.c.Blocks(ctx))
}

func actors(list []contacts.Contact, err error) ([]*vocab.Actor, error) {
	if err != nil {
		return nil, err
	}
	out := make([]*vocab.Actor, 0, len(list))
	for _, ct := range list {
		if ct.ActorID != "" {
			out = append(out, contactActor(ct))
		}
	}
	return out, nil
}

// contactActor turns the book's snapshot back into the actor it was taken from.
func contactActor(ct contacts.Contact) *vocab.Actor {
	a := &vocab.Actor{
		ID: ct.ActorID, Type: ct.Type, Name: ct.Name, SummaryHTML: ct.SummaryHTML, URL: ct.URL,
		Inbox: ct.Inbox, SharedInbox: ct.SharedInbox, IconURL: ct.AvatarURL, ImageURL: ct.HeaderURL,
		ManuallyApprovesFollowers: ct.Locked, Bot: ct.Bot, MovedTo: ct.MovedTo, Published: ct.Created,
	}
	if user, _, ok := cutHandle(ct.Handle); ok {
		a.PreferredUsername = user
	}
	a.Webfinger = ct.Handle
	for _, f := range ct.Fields {
		a.Fields = append(a.Fields, vocab.Field{Name: f.Name, ValueHTML: f.ValueHTML})
	}
	return a
}

func cutHandle(h string) (user, host string, ok bool) {
	for i := len(h) - 1; i >= 0; i-- {
		if h[i] == '@' {
			return h[:i], h[i+1:], i > 0
		}
	}
	return "", "", false
}

// articlesAdapter gives the Mastodon API the blog's published articles.
type articlesAdapter struct{ b *blog.Blog }

func (a articlesAdapter) Articles(ctx context.Context, limit int, beforeID, afterID int64) ([]mastodon.Article, error) {
	list, err := a.b.ByArrival(ctx, limit, beforeID, afterID)
	if err != nil {
		return nil, err
	}
	out := make([]mastodon.Article, len(list))
	for i, art := range list {
		out[i] = apiArticle(art)
	}
	return out, nil
}

func (a articlesAdapter) ArticleIDs(ctx context.Context, limit int, beforeID, afterID int64) ([]int64, error) {
	return a.b.ArrivalIDs(ctx, limit, beforeID, afterID)
}

func (a articlesAdapter) Article(ctx context.Context, id int64) (mastodon.Article, error) {
	art, err := a.b.Get(ctx, id)
	if errors.Is(err, blog.ErrNotFound) || err == nil && (art.Draft || art.Page) {
		return mastodon.Article{}, mastodon.ErrNotFound
	}
	if err != nil {
		return mastodon.Article{}, err
	}
	return apiArticle(art), nil
}

func (a articlesAdapter) SearchArticles(ctx context.Context, match string, limit int, maxID, minID int64) ([]mastodon.ArticleMatch, error) {
	list, err := a.b.SearchArticles(ctx, match, limit, maxID, minID)
	out := make([]mastodon.ArticleMatch, len(list))
	for i, m := range list {
		out[i] = mastodon.ArticleMatch{ID: m.ID, Rank: m.Rank}
	}
	return out, err
}

func apiArticle(art blog.Article) mastodon.Article {
	return mastodon.Article{ID: art.ID, ObjectID: art.ObjectID, URL: art.URL, Title: art.Title,
		Summary: art.Description(), HTML: art.HTML, Tags: art.Tags, Published: art.PublishedAt,
		Updated: art.Updated, Likes: art.Likes, Boosts: art.Boosts}
}

// listsAdapter shows the contacts room's groups to apps as lists.
type listsAdapter struct{ c *contacts.Contacts }

func apiList(g contacts.Group) mastodon.List {
	return mastodon.List{ID: g.ID, Title: g.Title, RepliesPolicy: g.RepliesPolicy, Exclusive: g.Exclusive}
}

func (a listsAdapter) Lists(ctx context.Context) ([]mastodon.List, error) {
	groups, err := a.c.Groups(ctx)
	if err != nil {
		return nil, err
	}
	out := make([]mastodon.List, len(groups))
	for i, g := range groups {
		out[i] = apiList(g)
	}
	return out, nil
}

func (a listsAdapter) List(ctx context.Context, id int64) (mastodon.List, error) {
	g, err := a.c.Group(ctx, id)
	if errors.Is(err, contacts.ErrNotFound) {
		return mastodon.List{}, mastodon.ErrNotFound
	}
	return apiList(g), err
}

func (a listsAdapter) CreateList(ctx context.Context, l mastodon.List) (mastodon.List, error) {
	g, err := a.c.CreateList(ctx, l.Title)
	if err != nil {
		return mastodon.List{}, err
	}
	if err := a.c.SetGroupOptions(ctx, g.ID, l.RepliesPolicy, l.Exclusive); err != nil {
		return mastodon.List{}, err
	}
	return a.List(ctx, g.ID)
}

func (a listsAdapter) UpdateList(ctx context.Context, l mastodon.List) error {
	if err := a.c.RetitleList(ctx, l.ID, l.Title); err != nil {
		return err
	}
	return a.c.SetGroupOptions(ctx, l.ID, l.RepliesPolicy, l.Exclusive)
}

func (a listsAdapter) DeleteList(ctx context.Context, id int64) error {
	return a.c.DeleteGroup(ctx, id)
}
func (a listsAdapter) ListMembers(ctx context.Context, id int64) ([]string, error) {
	return a.c.GroupMembers(ctx, id)
}
func (a listsAdapter) AddToList(ctx context.Context, id int64, actorID string) error {
	return a.c.AddToGroup(ctx, id, actorID)
}
func (a listsAdapter) RemoveFromList(ctx context.Context, id int64, actorID string) error {
	return a.c.RemoveFromGroup(ctx, id, actorID)
}
