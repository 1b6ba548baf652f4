package feed

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"

	"roost/federation"
	"roost/federation/vocab"
)

// addressing returns the to and cc of a note, as Mastodon addresses each
// visibility: mentioned people are always addressed, so their servers
// accept the note and notify them.
func (f *Feed) addressing(n Note) (to, cc []string) {
	var mentioned []string
	for _, m := range n.Mentions {
		mentioned = append(mentioned, m.ActorID)
	}
	switch n.Visibility {
	case VisibilityPublic:
		return []string{vocab.Public}, append([]string{f.cfg.FollowersURL}, mentioned...)
	case VisibilityUnlisted:
		return []string{f.cfg.FollowersURL}, append([]string{vocab.Public}, mentioned...)
	case VisibilityFollowers:
		return []string{f.cfg.FollowersURL}, mentioned
	default:
		return mentioned, nil
	}
}

// object is the ActivityStreams Note of a note.
func (f *Feed) object(n Note) vocab.OutObject {
	to, cc := f.addressing(n)
	o := vocab.OutObject{
		ID:           n.URL,
		Type:         vocab.TypeNote,
		AttributedTo: f.cfg.ActorID,
		ContentHTML:  n.HTML,
		Summary:      n.ContentWarning,
		Sensitive:    n.ContentWarning != "",
		URL:          n.URL,
		InReplyTo:    n.InReplyTo,
		Published:    n.Created,
		Updated:      n.Updated,
		To:           to,
		Cc:           cc,
		RepliesID:    n.URL + "/replies",
		QuoteOf:      n.QuoteOf,
		QuotePolicy:  orPublic(n.QuotePolicy),
		Followers:    f.cfg.FollowersURL,
		// A quote the quoted author turned down or took back goes out
		// without the stamp, which would no longer hold.
		QuoteAuthorization: n.QuoteAuthorizationIfHeld(),
	}
	if p := n.Poll; p != nil {
		o.Type, o.AnyOf, o.EndTime, o.VotersCount = vocab.TypeQuestion, p.Multiple, p.ExpiresAt, p.VotersCount
		if p.Expired(f.now()) {
			o.Closed = p.ExpiresAt
		}
		for _, opt := range p.Options {
			o.Options = append(o.Options, vocab.PollOption{Name: opt.Title, Votes: opt.Votes})
		}
	}
	for _, t := range n.Tags {
		o.Tags = append(o.Tags, vocab.Tag{Type: vocab.TypeHashtag, Name: "#" + t, Href: f.TagURL(t)})
	}
	for _, m := range n.Mentions {
		o.Tags = append(o.Tags, vocab.Tag{Type: vocab.TypeMention, Name: m.Handle, Href: m.ActorID})
	}
	for _, m := range n.Media {
		o.Attachments = append(o.Attachments, vocab.Attachment{
			Type: vocab.TypeDocument, URL: m.URL, MediaType: m.MediaType, Name: m.Alt,
			Blurhash: m.Blurhash, Width: m.Width, Height: m.Height,
		})
	}
	return o
}

// publish queues an activity about n in tx, the transaction that writes
// the change: the note and its federation commit together or not at all.
func (f *Feed) publish(ctx context.Context, tx *sql.Tx, activityType string, n Note) error {
	return f.publishTo(ctx, tx, activityType, n, nil)
}

// publishTo is publish with more actors to tell (the voters of a poll).
func (f *Feed) publishTo(ctx context.Context, tx *sql.Tx, activityType string, n Note, also []string) error {
	if f.cfg.Publisher == nil {
		return nil
	}
	to, cc := f.addressing(n)
	audience := federation.Audience{Followers: n.Visibility != VisibilityDirect, Actors: also}
	for _, m := range n.Mentions {
		audience.Actors = append(audience.Actors, m.ActorID)
	}
	if quoted := f.quotedAuthor(ctx, tx, n); quoted != "" {
		audience.Actors = append(audience.Actors, quoted)
	}
	if !audience.Followers && len(audience.Actors) == 0 {
		return nil // a direct note to nobody goes nowhere
	}
	a := vocab.OutActivity{Type: activityType, Actor: f.cfg.ActorID, To: to, Cc: cc}
	switch activityType {
	case vocab.TypeCreate:
		a.ID = n.URL + "#create-" + strconv.FormatInt(n.Created.Unix(), 10)
		o := f.object(n)
		// A new note has no replies yet, but its (empty) collection is
		// there to be crawled later.
		o.Replies = &vocab.OutReplies{ID: o.RepliesID}
		a.Object, a.Published = vocab.ObjectMap(o), n.Created
	case vocab.TypeUpdate:
		// Two edits within a second must not share an id: peers drop repeats.
		a.ID = n.URL + "#update-" + strconv.FormatInt(f.now().UnixNano(), 36)
		o, err := f.objectWithReplies(ctx, tx, n)
		if err != nil {
			return fmt.Errorf("publish %s of %s: %w", activityType, n.URL, err)
		}
		a.Object, a.Published = vocab.ObjectMap(o), n.Updated
	case vocab.TypeDelete:
		a.ID = n.URL + "#delete"
		a.Object, a.Published = map[string]any{"id": n.URL, "type": vocab.TypeTombstone}, f.now()
	}
	if err := f.cfg.Publisher.Publish(ctx, tx, a, audience); err != nil {
		return fmt.Errorf("publish %s of %s: %w", activityType, n.URL, err)
	}
	return nil
}

// publishAlone sends an activity about a note that changed no row (a
// poll's new counts).
func (f *Feed) publishAlone(ctx context.Context, activityType string, n Note) error {
	tx, err := f.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if err := f.publish(ctx, tx, activityType, n); err != nil {
		return err
	}
	return tx.Commit()
}
