package mastodon

import (
	"context"
	"errors"
	"time"

	"roost/federation/vocab"
	"roost/feed"
)

// ErrNotFound is what the interfaces below return for an unknown id.
var ErrNotFound = feed.ErrNotFound

// Post is a status that is not one of the owner's notes: a post by someone
// else kept for the home timeline, or a boost. The feed room supplies them
// through Remote.
type Post struct {
	// ID is a snowflake id (milliseconds << 16 | random), so that posts sort
	// by the time they arrived; a boost has its own id.
	ID       int64
	ObjectID string
	URL      string
	// Author is nil for the owner's own posts.
	Author      *vocab.Actor
	ContentHTML string // sanitized when it arrived
	Summary     string // content warning
	Sensitive   bool
	Visibility  string
	InReplyTo   string // object id of the parent
	Language    string
	Media       []feed.Media
	Tags        []string
	Mentions    []feed.Mention
	Created     time.Time
	Edited      time.Time
	Likes       int
	Boosts      int
	Replies     int
	// Reblog is the boosted post when this post is a boost (its own fields
	// other than ID, Author and Created are then ignored).
	Reblog *Post
	// OwnNoteID is set when the boosted post is one of the owner's notes.
	OwnNoteID int64
	// Favourited, Reblogged and Bookmarked say what the owner did with the
	// post, as the feed room records it for the web too.
	Favourited, Reblogged, Bookmarked bool
	// marks says where the three flags above come from when Remote did not
	// fill them.
	marks markSource
	// poll is the post's poll as its store read it; pollChecked says it was
	// read, so that nil means none and the renderer does not ask again.
	poll        *feed.Poll
	pollChecked bool
	// QuoteOf is the object id of the quoted post.
	QuoteOf string
	// QuotePolicy is who may quote this post (vocab.QuotePolicyPublic...;
	// unknown for a remote post that says nothing); QuoteState where the
	// owner's own quote stands and QuoteAuthorization the stamp a remote
	// post's quote carries, which feed.QuoteState weighs.
	QuotePolicy, QuoteState, QuoteAuthorization string
}

// markSource is where the owner's favourite, reblog and bookmark of a post
// are kept.
type markSource uint8

const (
	marksGiven markSource = iota // in the flags, filled by Remote
	marksFeed                    // an owner's note read as a feed.Note: ask the feed room
	marksTable                   // a blog article, which the feed room does not hold: mastodon_marks
)

// Page selects a page of a timeline the way Mastodon pages: ids below MaxID,
// above SinceID, or the ones immediately above MinID; newest first.
type Page struct {
	MaxID, SinceID, MinID int64
	Limit                 int
}

// Notification is something that happened to the owner.
type Notification struct {
	ID      int64
	Type    string // mention, status, reblog, favourite, follow, follow_request, update, poll
	Actor   *vocab.Actor
	Status  *Post // the post concerned, when one is
	NoteID  int64 // the owner's note concerned (favourite, reblog of it)
	Created time.Time
}

// Remote is what the API needs from the feed room about posts and the
// owner's reactions to them, in four views; FeedRemote is the one over the
// feed room. Each write federates as the web does.
type Remote interface {
	Timelines
	Posts
	Reactions
	NotificationBox
}

// Timelines pages the timeline index, newest first, the way Mastodon pages.
type Timelines interface {
	// Timeline is the home timeline: the owner's notes, followed accounts'
	// posts and boosts.
	Timeline(ctx context.Context, p Page) ([]Post, error)
	// OwnPosts pages the owner's notes, every visibility, as Timeline does.
	OwnPosts(ctx context.Context, p Page) ([]Post, error)
	// PostsBy pages the stored posts of one account. Boosts by the account
	// may be included with Reblog set.
	PostsBy(ctx context.Context, actorID string, p Page) ([]Post, error)
}

// Posts reads and keeps single posts and what hangs off them.
type Posts interface {
	// Post and PostByObjectID read one post; ErrNotFound when unknown.
	Post(ctx context.Context, id int64) (Post, error)
	PostByObjectID(ctx context.Context, objectID string) (Post, error)
	// Store keeps a fetched post (search with resolve=true) and returns it.
	Store(ctx context.Context, obj *vocab.Object, author *vocab.Actor) (Post, error)
	// Replies lists known direct replies to an object, oldest first.
	Replies(ctx context.Context, objectID string) ([]Post, error)
	// Edits lists the earlier versions of a stored post, oldest first; the
	// current version is the post itself. None for a post never edited.
	Edits(ctx context.Context, id int64) ([]Edit, error)
}

// Reactions are the owner's likes, boosts and bookmarks, and everyone's
// likes and boosts of a post.
type Reactions interface {
	Like(ctx context.Context, objectID string) error
	Unlike(ctx context.Context, objectID string) error
	Boost(ctx context.Context, objectID string) error
	Unboost(ctx context.Context, objectID string) error
	// Bookmark and Unbookmark keep a post on the owner's private bookmarks
	// or take it off.
	Bookmark(ctx context.Context, objectID string) error
	Unbookmark(ctx context.Context, objectID string) error
	// Bookmarked and Favourites page the owner's bookmarks and likes, most
	// recent first. cursors[i] is the mark's position of posts[i] (shaped
	// like a snowflake of the mark's time); Page.MaxID is a cursor.
	Bookmarked(ctx context.Context, p Page) (posts []Post, cursors []int64, err error)
	Favourites(ctx context.Context, p Page) (posts []Post, cursors []int64, err error)
	// ReactedBy lists who liked (kind "like") or boosted (kind "boost") an
	// object, the owner included, most recent first.
	ReactedBy(ctx context.Context, objectID, kind string) ([]*vocab.Actor, error)
}

// NotificationBox is the owner's notifications.
type NotificationBox interface {
	Notifications(ctx context.Context, p Page, types []string) ([]Notification, error)
	Notification(ctx context.Context, id int64) (Notification, error)
	DismissNotification(ctx context.Context, id int64) error
	ClearNotifications(ctx context.Context) error
}

// Reaction kinds for Remote.ReactedBy.
const (
	ReactionLike  = "like"
	ReactionBoost = "boost"
)

// Edit is an earlier version of a post by someone else.
type Edit struct {
	ContentHTML string
	Summary     string // content warning
	Sensitive   bool
	// Created is when this version was written.
	Created time.Time
}

// Relationship is the owner's standing with a remote account.
type Relationship struct {
	Following, Requested, FollowedBy, RequestedBy bool
	Blocking, BlockedBy, DomainBlocking           bool
	// Muting hides the account from the timelines; MutingNotifications
	// hides its notifications as well.
	Muting, MutingNotifications bool
	Note                        string
}

// Social is what the API needs from the contacts room. Actor ids identify
// accounts throughout.
type Social interface {
	// Follow resolves input (an actor id, @user@host, @domain or URL) and
	// sends a Follow; it returns the actor id.
	Follow(ctx context.Context, input string) (actorID string, err error)
	Unfollow(ctx context.Context, actorID string) error
	Block(ctx context.Context, actorID string) error
	Unblock(ctx context.Context, actorID string) error
	BlockDomain(ctx context.Context, domain string) error
	UnblockDomain(ctx context.Context, domain string) error
	DomainBlocks(ctx context.Context) ([]string, error)
	SetNote(ctx context.Context, actorID, note string) error
	Approve(ctx context.Context, actorID string) error
	Reject(ctx context.Context, actorID string) error
	Relationship(ctx context.Context, actorID string) (Relationship, error)
	// Actor is the stored snapshot of an account; ErrNotFound when unknown.
	Actor(ctx context.Context, actorID string) (*vocab.Actor, error)
	// Following, Followers, Requests and Blocks list accounts, newest first.
	Following(ctx context.Context) ([]*vocab.Actor, error)
	Followers(ctx context.Context) ([]*vocab.Actor, error)
	Requests(ctx context.Context) ([]*vocab.Actor, error)
	Blocks(ctx context.Context) ([]*vocab.Actor, error)

	// Hidden tells whether an account's posts are left out of the
	// timelines: blocked, on a blocked domain, or muted.
	Hidden(ctx context.Context, actorID string) bool
	// Mute hides an account without telling it; hideNotifications hides its
	// notifications too. The web's mutes and the apps' are the same.
	Mute(ctx context.Context, actorID string, hideNotifications bool) error
	Unmute(ctx context.Context, actorID string) error
	// Mutes lists the muted accounts, newest first.
	Mutes(ctx context.Context) ([]*vocab.Actor, error)
}

// List is one of the owner's groups of contacts, which apps show as lists.
type List struct {
	ID            int64
	Title         string
	RepliesPolicy string // followed, list or none
	Exclusive     bool
}

// Lists is what the API needs from the contacts room's groups. Members are
// actor ids.
type Lists interface {
	Lists(ctx context.Context) ([]List, error)
	// List reads one; ErrNotFound when unknown.
	List(ctx context.Context, id int64) (List, error)
	CreateList(ctx context.Context, l List) (List, error)
	UpdateList(ctx context.Context, l List) error
	DeleteList(ctx context.Context, id int64) error
	ListMembers(ctx context.Context, id int64) ([]string, error)
	AddToList(ctx context.Context, id int64, actorID string) error
	RemoveFromList(ctx context.Context, id int64, actorID string) error
}

// Article is one of the owner's published blog posts, shown to apps as a
// status.
type Article struct {
	// ID must be a snowflake id derived from the publication time, so that
	// articles sort among notes.
	ID                     int64
	ObjectID, URL          string
	Title, Summary, HTML   string
	Tags                   []string
	Images                 []feed.Media
	Published, Updated     time.Time
	Likes, Boosts, Replies int
}

// Articles is what the API needs from the blog room.
type Articles interface {
	// Articles lists published articles newest first, ids below beforeID
	// and above afterID when they are > 0.
	Articles(ctx context.Context, limit int, beforeID, afterID int64) ([]Article, error)
	// ArticleIDs lists the ids Articles would return, read from the index
	// alone.
	ArticleIDs(ctx context.Context, limit int, beforeID, afterID int64) ([]int64, error)
	// Article reads one; ErrNotFound when unknown.
	Article(ctx context.Context, id int64) (Article, error)
}

func isNotFound(err error) bool {
	return errors.Is(err, feed.ErrNotFound) || errors.Is(err, feed.ErrGone)
}
