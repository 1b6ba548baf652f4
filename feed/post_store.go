package feed

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"roost/federation"
	"roost/federation/vocab"
)

// The feed is what federation hands arriving posts, reactions and outbox
// requests to.
var (
	_ federation.PostHandler     = (*Feed)(nil)
	_ federation.ReactionHandler = (*Feed)(nil)
	_ federation.OutboxSource    = (*Feed)(nil)
)

// execer is what both *sql.DB and *sql.Tx offer; helpers that write inside
// or outside a transaction take it.
type execer interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
}

// Kinds of home timeline rows.
const (
	homeNote  = "note"
	homePost  = "post"
	homeBoost = "boost"
)

// PostCreated keeps a post that arrived when the owner follows its author,
// when it mentions the owner, or when it replies to one of the owner's
// notes; anything else is dropped without a word, as the inbox receives
// much that nobody here asked for. A post already stored is left alone.
func (f *Feed) PostCreated(ctx context.Context, obj *vocab.Object, author *vocab.Actor) error {
	// The site's own objects come back now and then (a relay, a peer
	// forwarding a thread); they are not someone else's posts.
	if obj == nil || obj.ID == "" || !vocab.IsPost(obj) || f.isOwnObject(obj.ID) {
		return nil
	}
	if author == nil {
		author = &vocab.Actor{ID: obj.AttributedTo}
	}
	if isVote(obj) {
		if counted, err := f.countVote(ctx, obj, author.ID); counted || err != nil {
			return err
		}
	}
	followed := f.follows(ctx, author.ID)
	mentioned := f.mentionsOwner(obj)
	replyToOwner := f.repliesToOwner(ctx, obj.InReplyTo)
	quotesOwner := obj.QuoteOf != "" && f.repliesToOwner(ctx, obj.QuoteOf)
	// A reply to a post the site keeps belongs to that thread, whoever
	// wrote it (it usually arrives forwarded by the parent's server); it
	// is shown there, not in the home timeline.
	inThread := !followed && !mentioned && !replyToOwner && f.keepsPost(ctx, obj.InReplyTo)
	if !followed && !mentioned && !replyToOwner && !quotesOwner && !inThread {
		return nil
	}
	// The notification is written in the post's transaction: after a crash
	// the activity is processed again, finds the post and adds nothing, so
	// the two must land together.
	var note struct {
		id    int64
		added bool
	}
	notifyToo := func(tx *sql.Tx, p Post) (err error) {
		n := Notification{Actor: AuthorOf(author), ObjectID: p.ObjectID, ObjectURL: p.URL, Text: excerpt(p.HTML, p.Summary)}
		switch {
		case replyToOwner:
			n.Type = NotifyReply
		case quotesOwner && f.quoteAllowed(ctx, obj.QuoteOf, author.ID):
			n.Type = NotifyQuote
		case mentioned:
			n.Type = NotifyMention
		default:
			return nil
		}
		note.id, note.added, err = f.notifyIn(ctx, tx, n)
		return err
	}
	p, created, err := f.storePost(ctx, obj, author, followed || mentioned, notifyToo)
	if err != nil {
		return fmt.Errorf("post created %s: %w", obj.ID, err)
	}
	if !created {
		return nil
	}
	f.fetchQuoted(ctx, p)
	if followed || mentioned {
		f.events.StatusCreated(ctx, p.ID)
	}
	if note.added {
		f.events.NotificationCreated(ctx, note.id)
	}
	return nil
}

func (f *Feed) follows(ctx context.Context, actorID string) bool {
	return f.cfg.Follows != nil && actorID != "" && f.cfg.Follows(ctx, actorID)
}

// mentionsOwner reports whether a post names the owner: a Mention tag (some
// servers point it at the profile page rather than the actor) or the
// owner's actor among the addressees.
func (f *Feed) mentionsOwner(obj *vocab.Object) bool {
	for _, t := range obj.Tags {
		if t.Type == vocab.TypeMention && (t.Href == f.cfg.ActorID || t.Href == f.base+"/" || t.Href == f.base) {
			return true
		}
	}
	for _, a := range append(append([]string{}, obj.To...), obj.Cc...) {
		if a == f.cfg.ActorID {
			return true
		}
	}
	return false
}

// keepsPost reports whether a remote post is stored (and not deleted).
func (f *Feed) keepsPost(ctx context.Context, objectID string) bool {
	if objectID == "" {
		return false
	}
	var one int
	err := f.db.QueryRowContext(ctx, `SELECT 1 FROM posts WHERE object_id = ? AND deleted_at IS NULL`, objectID).Scan(&one)
	return err == nil
}

// repliesToOwner reports whether a post answers one of the owner's notes
// that still exists.
func (f *Feed) repliesToOwner(ctx context.Context, inReplyTo string) bool {
	if !f.isLocalNote(inReplyTo) {
		return false
	}
	_, err := f.ByURL(ctx, inReplyTo)
	return err == nil
}

// visibilityOf reads a remote post's visibility from its addressing, the
// way Mastodon does: Public in to is public, Public in cc is unlisted, the
// author's followers make it followers-only, and a post addressed only to
// the people it mentions (the owner among them) is direct.
func (f *Feed) visibilityOf(obj *vocab.Object, author *vocab.Actor) string {
	for _, a := range obj.To {
		if vocab.IsPublic(a) {
			return VisibilityPublic
		}
	}
	for _, a := range obj.Cc {
		if vocab.IsPublic(a) {
			return VisibilityUnlisted
		}
	}
	recipients := append(append([]string{}, obj.To...), obj.Cc...)
	personal := map[string]bool{f.cfg.ActorID: true}
	for _, t := range obj.Tags {
		if t.Type == vocab.TypeMention {
			personal[t.Href] = true
		}
	}
	direct := len(recipients) > 0
	for _, r := range recipients {
		if author.Followers != "" && r == author.Followers {
			return VisibilityFollowers
		}
		direct = direct && personal[r]
	}
	if direct {
		return VisibilityDirect
	}
	return VisibilityFollowers
}

// storePost writes a remote post (unless its object id is already stored)
// and, when onHome, puts it on the home timeline. A reply also counts on
// its parent, the owner's note or a stored post.
// storePost keeps a remote post unless it is stored (or was deleted)
// already. alongside, when not nil, writes more in the post's transaction.
func (f *Feed) storePost(ctx context.Context, obj *vocab.Object, author *vocab.Actor, onHome bool, alongside func(*sql.Tx, Post) error) (Post, bool, error) {
	if old, err := f.storedPost(ctx, `p.object_id = ?`, obj.ID); err == nil || errors.Is(err, ErrGone) {
		return old, false, nil
	}
	return f.keepPost(ctx, f.postFromObject(ctx, obj, author), onHome, alongside)
}

// keepPost inserts a mapped post under a fresh id.
func (f *Feed) keepPost(ctx context.Context, p Post, onHome bool, alongside func(*sql.Tx, Post) error) (Post, bool, error) {
	p.ID = f.nextID()
	err := f.insertPost(ctx, p, onHome, alongside)
	if err == nil {
		return p, true, nil
	}
	if old, lerr := f.storedPost(ctx, `p.object_id = ?`, p.ObjectID); lerr == nil {
		return old, false, nil // stored meanwhile by a concurrent delivery
	}
	return Post{}, false, fmt.Errorf("store post: %w", err)
}

// postFromObject maps an arriving object; only web URLs survive for links
// and media, so nothing a peer sends turns into a script link.
func (f *Feed) postFromObject(ctx context.Context, obj *vocab.Object, author *vocab.Actor) Post {
	p := Post{
		ObjectID: obj.ID, Type: obj.Type, Author: AuthorOf(author),
		HTML: obj.ContentHTML, Summary: strings.TrimSpace(obj.SummaryText), Sensitive: obj.Sensitive,
		Name: strings.TrimSpace(obj.Name), InReplyTo: obj.InReplyTo, QuoteOf: obj.QuoteOf,
		QuotePolicy: obj.QuotePolicy, QuoteAuthorization: onlyWebURL(obj.QuoteAuthorization),
		Visibility: f.visibilityOf(obj, author), Published: obj.Published.UTC(), Updated: obj.Updated.UTC(),
	}
	if isWebURL(obj.URL) {
		p.URL = obj.URL
	}
	if p.Published.IsZero() || p.Published.After(f.now().Add(time.Hour)) {
		// A post from the future would stick to the top of the timeline.
		p.Published = f.now().UTC()
	}
	p.Published = p.Published.Truncate(time.Second)
	p.Conversation = f.conversationOf(ctx, obj)
	f.partsFromObject(&p, obj)
	p.Poll = pollFromObject(obj)
	if federation.SameOrigin(obj.RepliesID, obj.ID) && isWebURL(obj.RepliesID) {
		// A collection elsewhere speaks for nobody's thread.
		p.RepliesCollection = obj.RepliesID
	}
	if vocab.IsConvertedType(p.Type) {
		// A video, track, event or book review reads as Mastodon shows
		// it: the name as a title, the text, a link to the original.
		p.HTML = vocab.ConvertedHTML(p.Name, p.HTML, firstNonEmpty(p.URL, p.ObjectID))
	}
	if p.Type == vocab.TypeQuestion && p.Name != "" && !strings.Contains(vocab.PlainText(p.HTML), p.Name) {
		// Smithereen asks its poll's question in name, beside the text.
		p.HTML = vocab.ConvertedHTML(p.Name, p.HTML, "")
	}
	return p
}

// partsFromObject copies attachments and tags.
func (f *Feed) partsFromObject(p *Post, obj *vocab.Object) {
	p.Media, p.Tags, p.Mentions, p.Emojis = nil, nil, nil, nil
	for _, a := range obj.Attachments {
		if !isWebURL(a.URL) {
			continue
		}
		p.Media = append(p.Media, Media{URL: a.URL, MediaType: a.MediaType, Alt: a.Name, Blurhash: a.Blurhash, Width: a.Width, Height: a.Height})
	}
	for _, t := range obj.Tags {
		switch t.Type {
		case vocab.TypeHashtag:
			if name := strings.TrimPrefix(t.Name, "#"); name != "" {
				p.Tags = append(p.Tags, name)
			}
		case vocab.TypeMention:
			if t.Href != "" {
				p.Mentions = append(p.Mentions, Mention{ActorID: t.Href, Handle: t.Name, Href: t.Href})
			}
		case vocab.TypeEmoji:
			if isWebURL(t.IconURL) {
				p.Emojis = append(p.Emojis, Emoji{Shortcode: strings.Trim(t.Name, ":"), URL: t.IconURL})
			}
		}
	}
}

// conversationOf names the first post of the thread as far as roost knows
// it: the parent's conversation when the parent is stored, else the parent
// itself, else the post.
func (f *Feed) conversationOf(ctx context.Context, obj *vocab.Object) string {
	if obj.InReplyTo == "" {
		return obj.ID
	}
	var conv string
	err := f.db.QueryRowContext(ctx, `SELECT conversation FROM posts WHERE object_id = ?`, obj.InReplyTo).Scan(&conv)
	if err == nil && conv != "" {
		return conv
	}
	return obj.InReplyTo
}

func (f *Feed) insertPost(ctx context.Context, p Post, onHome bool, alongside func(*sql.Tx, Post) error) error {
	tx, err := f.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if err := f.saveAuthor(ctx, tx, p.Author); err != nil {
		return err
	}
	var updated any
	if !p.Updated.IsZero() {
		updated = p.Updated.Unix()
	}
	source := sourceActivityPub
	if p.FromFeed {
		source = sourceFeed
	}
	_, err = tx.ExecContext(ctx, `INSERT INTO posts(id, object_id, type, author, html, summary, sensitive, name, url,
		in_reply_to, conversation, visibility, published, updated, source, quote, quote_policy, quote_authorization)
		VALUES(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		p.ID, p.ObjectID, p.Type, p.Author.ActorID, p.HTML, p.Summary, boolInt(p.Sensitive), p.Name, p.URL,
		p.InReplyTo, p.Conversation, p.Visibility, p.Published.Unix(), updated, source, p.QuoteOf, p.QuotePolicy, p.QuoteAuthorization)
	if err != nil {
		return err
	}
	if err := insertPostParts(ctx, tx, p); err != nil {
		return err
	}
	if err := indexPost(ctx, tx, p.ID, p.Name, p.HTML, p.Summary); err != nil {
		return err
	}
	if err := savePostPoll(ctx, tx, p.ID, p.Poll); err != nil {
		return err
	}
	if err := saveRepliesCollection(ctx, tx, p); err != nil {
		return err
	}
	if onHome {
		if _, err := tx.ExecContext(ctx, `INSERT INTO home(id, kind, item, actor_id) VALUES(?, ?, ?, ?)`,
			p.ID, homePost, p.ID, p.Author.ActorID); err != nil {
			return fmt.Errorf("home: %w", err)
		}
	}
	if err := f.countReply(ctx, tx, p.InReplyTo, 1); err != nil {
		return err
	}
	if alongside != nil {
		if err := alongside(tx, p); err != nil {
			return err
		}
	}
	return tx.Commit()
}

// replyBump adds a delta to a replies count without going below zero
// (portable SQL: two-argument MAX is SQLite's own).
const replyBump = `replies = CASE WHEN replies + ? < 0 THEN 0 ELSE replies + ? END`

// countReply adds delta to the replies count of a post's parent.
func (f *Feed) countReply(ctx context.Context, tx execer, parent string, delta int) error {
	if parent == "" {
		return nil
	}
	var err error
	if f.isLocalNote(parent) {
		id, ok := parseID(strings.TrimPrefix(parent, f.base+"/notes/"))
		if !ok {
			return nil
		}
		_, err = tx.ExecContext(ctx, `UPDATE notes SET `+replyBump+` WHERE id = ? AND author = ''`, delta, delta, id)
	} else {
		_, err = tx.ExecContext(ctx, `UPDATE posts SET `+replyBump+` WHERE object_id = ?`, delta, delta, parent)
	}
	if err != nil {
		return fmt.Errorf("count reply: %w", err)
	}
	return nil
}

// insertPostParts writes a post's media and tags.
func insertPostParts(ctx context.Context, tx execer, p Post) error {
	for i, m := range p.Media {
		_, err := tx.ExecContext(ctx, `INSERT INTO post_media(post_id, position, url, media_type, width, height, blurhash, alt)
			VALUES(?, ?, ?, ?, ?, ?, ?, ?)`, p.ID, i, m.URL, m.MediaType, m.Width, m.Height, m.Blurhash, m.Alt)
		if err != nil {
			return fmt.Errorf("post media: %w", err)
		}
	}
	pos := 0
	add := func(kind, name, href string) error {
		pos++
		_, err := tx.ExecContext(ctx, `INSERT INTO post_tags(post_id, position, kind, name, href) VALUES(?, ?, ?, ?, ?)`,
			p.ID, pos, kind, name, href)
		if err != nil {
			return fmt.Errorf("post tag: %w", err)
		}
		return nil
	}
	for _, t := range p.Tags {
		if err := add(tagHashtag, t, ""); err != nil {
			return err
		}
	}
	for _, m := range p.Mentions {
		if err := add(tagMention, m.Handle, m.ActorID); err != nil {
			return err
		}
	}
	for _, e := range p.Emojis {
		if err := add(tagEmoji, e.Shortcode, e.URL); err != nil {
			return err
		}
	}
	return nil
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

// excerpt is a short plain-text line for a notification.
func excerpt(html, summary string) string {
	if summary != "" {
		return summary
	}
	text := strings.Join(strings.Fields(vocab.PlainText(html)), " ")
	if runes := []rune(text); len(runes) > 140 {
		return string(runes[:140]) + "…"
	}
	return text
}

func firstNonEmpty(s ...string) string {
	for _, v := range s {
		if v != "" {
			return v
		}
	}
	return ""
}
