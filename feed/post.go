package feed

import (
	"cmp"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"roost/federation/vocab"
)

// Post is a status as timelines show it: one of the owner's notes (Local)
// or a post by someone else that arrived from the fediverse. Both share one
// snowflake id space.
type Post struct {
	ID       int64
	ObjectID string // the ActivityStreams id
	Type     string // Note, Article, Page or Question
	Local    bool   // one of the owner's notes
	Author   Author
	// HTML is the content: rendered by roost for the owner's notes,
	// sanitized by vocab when it arrived for everyone else's.
	HTML string
	// Summary is a note's content warning or an article's summary (plain text).
	Summary   string
	Sensitive bool
	Name      string // an article's title
	URL       string // the page to open; the object id when the author's server names none
	InReplyTo string
	// Conversation is the object id of the thread's first post, as far as
	// roost knows it.
	Conversation string
	Visibility   string
	Text         string // the owner's source text (local notes only)
	Language     string // local notes only
	Published    time.Time
	Updated      time.Time // zero when never edited
	Media        []Media
	Tags         []string // hashtags, without '#'
	Mentions     []Mention
	Emojis       []Emoji
	Likes        int
	Boosts       int
	Replies      int
	// Liked and Boosted say what the owner did with the post; Bookmarked
	// that they kept it on their private Bookmarks page.
	Liked, Boosted, Bookmarked bool
	// FromFeed marks an item of a followed web feed (RSS, Atom, JSON Feed):
	// not an ActivityPub object, so it cannot be answered, and likes and
	// boosts of it reach nobody.
	FromFeed bool
	// RepliesCollection is the replies collection a remote post names on
	// its own server, when it arrives; it is kept apart from the post
	// (post_replies_crawl) and not read back with it.
	RepliesCollection string
	// Poll is set when the post is a poll (a Question).
	Poll *Poll
	// PollChecked says the polls were read with the post, so a nil Poll
	// means it has none and a renderer need not ask again.
	PollChecked bool
	// QuoteOf is the object id of the post this one quotes.
	QuoteOf string
	// QuotePolicy is who its author lets quote a remote post
	// (vocab.QuotePolicyUnknown when it says nothing); QuoteAuthorization
	// the stamp it carries for its own quote. QuoteState is where that
	// quote stands, as quoteStates works it out (the owner's notes carry
	// theirs).
	QuotePolicy, QuoteAuthorization, QuoteState string
}

// Author is who wrote a post (or reacted, or caused a notification), as
// last seen: a snapshot kept beside the posts so timelines need no remote
// fetch.
type Author struct {
	ActorID    string
	Name       string
	Handle     string // "@user@host"
	AvatarURL  string
	ProfileURL string
	// Type is the actor type (Person, Service, Group...), empty when not
	// known.
	Type string
}

// Emoji is a custom emoji used in a remote post.
type Emoji struct {
	Shortcode string // without colons
	URL       string
}

// Entry is one item of the home timeline: a post, or a boost of a post.
type Entry struct {
	// ID orders the timeline: the post's own id, or the boost's id.
	ID   int64
	Post Post
	// BoostedBy is set when the entry is a boost.
	BoostedBy *Author
}

// isArticle reports whether a post reads as an article (title, summary and
// a link) rather than in full.
func (p Post) isArticle() bool { return p.Type == vocab.TypeArticle || p.Type == vocab.TypePage }

// postColumns are read by scanPost, in this order; the author snapshot
// comes from a LEFT JOIN so a page of posts is one query.
const postColumns = `p.id, p.object_id, p.type, p.author, p.html, p.summary, p.sensitive, p.name, p.url,
	p.in_reply_to, p.conversation, p.visibility, p.published, p.updated, p.deleted_at,
	p.likes, p.boosts, p.replies, p.source, p.quote, p.quote_policy, p.quote_authorization,
	COALESCE(a.name, ''), COALESCE(a.handle, ''), COALESCE(a.avatar_url, ''), COALESCE(a.profile_url, ''), COALESCE(a.actor_type, '')`

const postFrom = ` FROM posts p LEFT JOIN authors a ON a.actor_id = p.author`

// scanPost reads one posts row; deleted reports a removed post.
func scanPost(s scanner) (p Post, deleted bool, err error) {
	var published int64
	var updated, deletedAt sql.NullInt64
	var sensitive int
	var source string
	err = s.Scan(&p.ID, &p.ObjectID, &p.Type, &p.Author.ActorID, &p.HTML, &p.Summary, &sensitive, &p.Name, &p.URL,
		&p.InReplyTo, &p.Conversation, &p.Visibility, &published, &updated, &deletedAt,
		&p.Likes, &p.Boosts, &p.Replies, &source, &p.QuoteOf, &p.QuotePolicy, &p.QuoteAuthorization,
		&p.Author.Name, &p.Author.Handle, &p.Author.AvatarURL, &p.Author.ProfileURL, &p.Author.Type)
	if err != nil {
		return Post{}, false, err
	}
	p.Sensitive = sensitive != 0
	p.FromFeed = source == sourceFeed
	p.Published = time.Unix(published, 0).UTC()
	if updated.Valid {
		p.Updated = time.Unix(updated.Int64, 0).UTC()
	}
	if p.URL == "" {
		p.URL = p.ObjectID
	}
	if p.Author.ProfileURL == "" {
		p.Author.ProfileURL = p.Author.ActorID
	}
	return p, deletedAt.Valid, nil
}

// notePost presents one of the owner's notes as a Post.
func (f *Feed) notePost(n Note) Post {
	p := Post{
		ID: n.ID, ObjectID: n.URL, Type: vocab.TypeNote, Local: true,
		Author: Author{ActorID: f.cfg.ActorID, ProfileURL: f.base + "/"},
		HTML:   n.HTML, Summary: n.ContentWarning, Sensitive: n.ContentWarning != "",
		URL: n.URL, InReplyTo: n.InReplyTo, Visibility: n.Visibility, Text: n.Text, Language: n.Language,
		Published: n.Created, Updated: n.Updated, Media: n.Media, Tags: n.Tags, Mentions: n.Mentions,
		Likes: n.Likes, Boosts: n.Boosts, Replies: n.Replies, Poll: n.Poll, QuoteOf: n.QuoteOf,
		QuotePolicy: orPublic(n.QuotePolicy), QuoteState: n.QuoteState, QuoteAuthorization: n.QuoteAuthorization,
	}
	if n.Poll != nil {
		p.Type = vocab.TypeQuestion
	}
	return p
}

// Post reads a status by id: a remote post or one of the owner's notes.
// Deleted ones are ErrGone.
func (f *Feed) Post(ctx context.Context, id int64) (Post, error) {
	p, err := f.storedPost(ctx, `p.id = ?`, id)
	if errors.Is(err, ErrNotFound) {
		var n Note
		if n, err = f.note(ctx, id, true); err == nil {
			p = f.notePost(n)
		}
	}
	if err == nil {
		err = f.markOwnReactions(ctx, []*Post{&p})
	}
	if err == nil {
		err = f.attachPolls(ctx, []*Post{&p})
	}
	if err != nil {
		return Post{}, fmt.Errorf("post %d: %w", id, err)
	}
	return p, nil
}

// PostByObjectID reads a status by its ActivityStreams id: the owner's note
// when the id is one of the site's note URLs, a stored remote post
// otherwise.
func (f *Feed) PostByObjectID(ctx context.Context, objectID string) (Post, error) {
	var p Post
	var err error
	if f.isLocalNote(objectID) {
		var n Note
		if n, err = f.ByURL(ctx, objectID); err == nil {
			p = f.notePost(n)
		}
	} else {
		p, err = f.storedPost(ctx, `p.object_id = ?`, objectID)
	}
	if err == nil {
		err = f.markOwnReactions(ctx, []*Post{&p})
	}
	if err == nil {
		err = f.attachPolls(ctx, []*Post{&p})
	}
	if err != nil {
		return Post{}, fmt.Errorf("post %q: %w", objectID, err)
	}
	return p, nil
}

// isLocalNote reports whether an object id is one of the site's note URLs.
func (f *Feed) isLocalNote(objectID string) bool {
	return strings.HasPrefix(objectID, f.base+"/notes/")
}

// storedPost reads one remote post with its media and tags.
func (f *Feed) storedPost(ctx context.Context, where string, arg any) (Post, error) {
	row := f.db.QueryRowContext(ctx, `SELECT `+postColumns+postFrom+` WHERE `+where, arg)
	p, deleted, err := scanPost(row)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return Post{}, ErrNotFound
	case err != nil:
		return Post{}, err
	case deleted:
		return Post{}, ErrGone
	}
	posts := []Post{p}
	if err := f.attachPostParts(ctx, posts); err != nil {
		return Post{}, err
	}
	return posts[0], nil
}

// StorePost keeps a post the owner looked up (a search that resolves a
// URL, say) whoever wrote it, without putting it on the home timeline. A
// post already stored is returned as it is.
func (f *Feed) StorePost(ctx context.Context, obj *vocab.Object, author *vocab.Actor) (Post, error) {
	if obj == nil || obj.ID == "" || !vocab.IsPost(obj) {
		return Post{}, fmt.Errorf("store post: %w", ErrNotFound)
	}
	if f.isOwnObject(obj.ID) {
		return f.PostByObjectID(ctx, obj.ID)
	}
	if author == nil {
		author = &vocab.Actor{ID: obj.AttributedTo}
	}
	if _, _, err := f.storePost(ctx, obj, author, false, nil); err != nil {
		return Post{}, fmt.Errorf("store post %s: %w", obj.ID, err)
	}
	return f.PostByObjectID(ctx, obj.ID)
}

// Replies lists the stored direct replies to an object (remote posts and
// the owner's notes, of every visibility), oldest first.
func (f *Feed) Replies(ctx context.Context, objectID string) ([]Post, error) {
	posts, err := f.repliesTo(ctx, []string{objectID}, allVisibilities)
	if err != nil {
		return nil, fmt.Errorf("replies to %s: %w", objectID, err)
	}
	// A conversation reads in the order it was written, not the order its
	// parts reached the site.
	slices.SortFunc(posts, func(a, b Post) int {
		return cmp.Or(a.Published.Compare(b.Published), cmp.Compare(a.ID, b.ID))
	})
	ptrs := make([]*Post, len(posts))
	for i := range posts {
		ptrs[i] = &posts[i]
	}
	if err := f.markOwnReactions(ctx, ptrs); err != nil {
		return nil, fmt.Errorf("replies to %s: %w", objectID, err)
	}
	if err := f.attachPolls(ctx, ptrs); err != nil {
		return nil, fmt.Errorf("replies to %s: %w", objectID, err)
	}
	return posts, nil
}
