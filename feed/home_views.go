package feed

import (
	"net/url"
	"strings"

	"roost/federation/vocab"
	"roost/templates"
)

// articleExcerptLength is how much of an article without a summary the
// timeline shows, in characters.
const articleExcerptLength = 280

// postView prepares a post for the templates. The owner's notes and boosts
// carry no author snapshot: the page frame names the owner.
func (f *Feed) postView(p Post, site templates.Site, actions bool, back string) templates.TimelinePostView {
	v := templates.TimelinePostView{
		ID: formatID(p.ID), ObjectID: p.ObjectID, URL: p.URL, Type: p.Type, Visibility: p.Visibility,
		HTML: p.HTML, Summary: p.Summary, Title: p.Name, Sensitive: p.Sensitive, Article: p.isArticle(),
		InReplyTo: p.InReplyTo, Published: p.Published, Updated: p.Updated,
		Likes: p.Likes, Boosts: p.Boosts, Replies: p.Replies, Liked: p.Liked, Boosted: p.Boosted,
		Bookmarked: p.Bookmarked,
		Actions:    actions,
		CanBoost:   p.Visibility == VisibilityPublic || p.Visibility == VisibilityUnlisted,
		Back:       back,
	}
	a := f.authorView(p.Author, site)
	v.AuthorName, v.AuthorHandle, v.AuthorAvatar, v.AuthorURL = a.Name, a.Handle, a.AvatarURL, a.ProfileURL
	if p.FromFeed {
		v.FromFeed, v.SiteURL, v.SiteHost = true, a.ProfileURL, siteHost(a.ProfileURL)
	} else if !p.Local && a.ActorID != f.cfg.ActorID {
		v.AuthorID = a.ActorID // someone on the fediverse the owner might follow
		if actions {
			// The owner reads about people in their own contacts book
			// (notes, groups, block), which links on to the remote profile.
			v.AuthorURL = templates.ContactViewURL(a.ActorID)
		}
	}
	if actions && !p.FromFeed {
		v.ThreadURL = "/home/thread?object=" + url.QueryEscape(p.ObjectID)
	}
	if v.Article {
		if v.Title == "" {
			v.Title = "Untitled"
		}
		if v.Summary == "" {
			v.Summary = shorten(strings.Join(strings.Fields(vocab.PlainText(p.HTML)), " "), articleExcerptLength)
		}
	}
	v.Poll = pollView(p.Poll, p.ID, f.now(), actions, back)
	for _, m := range p.Media {
		preview := m.PreviewURL
		if preview == "" {
			preview = m.URL
		}
		v.Media = append(v.Media, templates.TimelineMediaView{
			URL: m.URL, PreviewURL: preview, Alt: m.Alt, Blurhash: m.Blurhash, MediaType: m.MediaType,
			Width: m.Width, Height: m.Height, Image: isImage(m),
		})
	}
	return v
}

// authorView fills in the owner's name for their own posts and a name for
// actors known only by their id.
func (f *Feed) authorView(a Author, site templates.Site) Author {
	if a.ActorID == f.cfg.ActorID || a.ActorID == "" {
		return Author{ActorID: f.cfg.ActorID, Name: site.Name, Handle: site.Handle, AvatarURL: site.AvatarURL, ProfileURL: "/"}
	}
	if a.Name == "" {
		a.Name = strings.TrimPrefix(a.Handle, "@")
	}
	if a.Name == "" {
		if u, err := url.Parse(a.ActorID); err == nil && u.Host != "" {
			a.Name = u.Host + u.Path
		} else {
			a.Name = a.ActorID
		}
	}
	if a.ProfileURL == "" {
		a.ProfileURL = a.ActorID
	}
	return a
}

func (f *Feed) entryViews(entries []Entry, site templates.Site, back string) []templates.TimelineEntryView {
	out := make([]templates.TimelineEntryView, 0, len(entries))
	for _, e := range entries {
		v := templates.TimelineEntryView{ID: formatID(e.ID), Post: f.postView(e.Post, site, true, back)}
		if e.BoostedBy != nil {
			a := f.authorView(*e.BoostedBy, site)
			v.BoostedByName, v.BoostedByURL = a.Name, f.personURL(a)
		}
		out = append(out, v)
	}
	return out
}

// siteHost names a web feed's site by its host, as "example.com".
func siteHost(siteURL string) string {
	u, err := url.Parse(siteURL)
	if err != nil || u.Host == "" {
		return siteURL
	}
	return strings.TrimPrefix(u.Hostname(), "www.")
}

// isImage tells whether an attachment can go in an <img>. Mastodon's
// "Document" attachments are mostly images, so the media type decides,
// and an attachment without one is tried as an image.
func isImage(m Media) bool {
	return m.MediaType == "" || strings.HasPrefix(m.MediaType, "image/")
}

func shorten(s string, n int) string {
	if runes := []rune(s); len(runes) > n {
		return string(runes[:n]) + "…"
	}
	return s
}

// notificationVerbs say what each type of notification means.
var notificationVerbs = map[string]string{
	NotifyMention:       "mentioned you",
	NotifyReply:         "replied to your note",
	NotifyFavourite:     "liked your post",
	NotifyReblog:        "boosted your post",
	NotifyFollow:        "followed you",
	NotifyFollowRequest: "asked to follow you",
	NotifyMove:          "moved to a new account",
	NotifyUpdate:        "edited a post you reacted to",
	NotifyReport:        "sent a report",
	NotifyStatus:        "posted",
	NotifyPoll:          "— your poll has ended",
	NotifyQuote:         "quoted your post",
}

func (f *Feed) notificationView(n Notification, site templates.Site) templates.NotificationView {
	v := templates.NotificationView{
		ID: formatID(n.ID), Type: n.Type, Verb: notificationVerbs[n.Type], Text: n.Text,
		Created: n.Created, Unread: !n.Seen,
	}
	if n.Actor.ActorID != "" {
		a := f.authorView(n.Actor, site)
		v.ActorName, v.ActorHandle, v.ActorAvatar, v.ActorURL = a.Name, a.Handle, a.AvatarURL, f.personURL(a)
	}
	if isWebURL(n.ObjectURL) {
		v.ObjectURL = n.ObjectURL
	}
	return v
}

// personURL is where a name on the owner's pages leads: the owner's own
// profile for themselves, else the person's page in the contacts book
// (notes, groups, block), which links on to their remote profile.
func (f *Feed) personURL(a Author) string {
	if a.ActorID == f.cfg.ActorID || a.ActorID == "" {
		return a.ProfileURL
	}
	return templates.ContactViewURL(a.ActorID)
}
