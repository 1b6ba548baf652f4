package feed

import (
	"time"

	"roost/templates"
)

// noteView prepares a note for the templates; the author is the owner as
// the page frame names them.
func noteView(n Note, site templates.Site) templates.NoteView {
	v := templates.NoteView{
		ID: formatID(n.ID), URL: n.URL, HTML: n.HTML, ContentWarning: n.ContentWarning,
		Visibility: n.Visibility, InReplyTo: n.InReplyTo, Created: n.Created, Updated: n.Updated,
		Likes: n.Likes, Boosts: n.Boosts, Replies: n.Replies,
		AuthorName: site.Name, AuthorHandle: site.Handle, AuthorAvatar: site.AvatarURL,
		AuthorURL: "/", Owner: site.IsOwner,
	}
	for _, m := range n.Media {
		v.Media = append(v.Media, mediaView(m))
	}
	// The owner's own polls show results only: nobody votes on them here.
	v.Poll = pollView(n.Poll, n.ID, time.Now(), false, "")
	return v
}

func mediaView(m Media) templates.NoteMediaView {
	preview := m.PreviewURL
	if preview == "" {
		preview = m.URL
	}
	return templates.NoteMediaView{URL: m.URL, PreviewURL: preview, Alt: m.Alt, Width: m.Width, Height: m.Height}
}

func noteViews(notes []Note, site templates.Site) []templates.NoteView {
	out := make([]templates.NoteView, 0, len(notes))
	for _, n := range notes {
		out = append(out, noteView(n, site))
	}
	return out
}

// visibleTo reports whether a visitor may see a note: followers-only and
// direct notes are the owner's business on the web (their recipients read
// them on their own servers).
func visibleTo(n Note, owner bool) bool {
	return owner || n.Visibility == VisibilityPublic || n.Visibility == VisibilityUnlisted
}
