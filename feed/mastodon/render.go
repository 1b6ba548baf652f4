package mastodon

import (
	"context"
	"html"
	"net/url"
	"strings"

	"roost/federation/vocab"
	"roost/feed"
	"roost/feed/cards"
)

// noteToPost turns one of the owner's notes into the shape every status is
// rendered from.
func noteToPost(n feed.Note) Post {
	return Post{ID: n.ID, ObjectID: n.URL, URL: n.URL, ContentHTML: n.HTML, Summary: n.ContentWarning,
		Sensitive: n.ContentWarning != "", Visibility: n.Visibility, InReplyTo: n.InReplyTo, Language: n.Language,
		Media: n.Media, Tags: n.Tags, Mentions: n.Mentions, Created: n.Created, Edited: n.Updated,
		Likes: n.Likes, Boosts: n.Boosts, Replies: n.Replies, marks: marksFeed, QuoteOf: n.QuoteOf,
		QuotePolicy: ownQuotePolicy(n.QuotePolicy), QuoteState: n.QuoteState}
}

// articleToPost shows a blog article as Mastodon shows a remote Article:
// the title in bold, the summary, then the link. Apps have no title field,
// and some render only paragraphs and links.
func articleToPost(ar Article) Post {
	return Post{ID: ar.ID, ObjectID: ar.ObjectID, URL: ar.URL, Visibility: feed.VisibilityPublic,
		ContentHTML: articleStatusHTML(ar.Title, ar.Summary, ar.URL, false), Media: ar.Images, Tags: ar.Tags,
		Created: ar.Published, Edited: ar.Updated, Likes: ar.Likes, Boosts: ar.Boosts, Replies: ar.Replies, marks: marksTable, pollChecked: true, QuotePolicy: vocab.QuotePolicyPublic}
}

// articleStatusHTML is the content of a status showing an article (a blog
// post of the owner's or a remote Article): the title in bold, the
// summary, then the link, which for a remote article opens apart.
func articleStatusHTML(title, summary, url string, remote bool) string {
	var b strings.Builder
	b.WriteString("<p><strong>" + html.EscapeString(title) + "</strong></p>")
	if summary != "" {
		b.WriteString("<p>" + html.EscapeString(summary) + "</p>")
	}
	u := html.EscapeString(url)
	attrs := ""
	if remote {
		attrs = ` rel="nofollow noopener noreferrer" target="_blank"`
	}
	b.WriteString(`<p><a href="` + u + `"` + attrs + `>` + u + `</a></p>`)
	return b.String()
}

// renderer turns posts into statuses for one request, loading accounts,
// marks and media ids in batches so a page costs a fixed number of queries.
type renderer struct {
	a        *API
	ctx      context.Context
	owner    *Account
	ids      map[string]int64
	marks    map[int64]markSet
	polls    map[int64]feed.Poll
	noteBase string
	// filters are the owner's filters of the context rendered in; nil for
	// none (a single status out of any context, or no filters at all).
	filters *filterSet
	// cardLinks and cards are the page's link preview cards: the link of
	// each post that has one, and the cards known for them.
	cardLinks map[int64]string
	cards     map[string]cards.Card
	// quoteCounts are the page's quotes_count, by object id; quoted marks
	// a renderer of quoted posts, which shows no quote of its own.
	quoteCounts map[string]int
	quoted      bool
}

func (a *API) newRenderer(ctx context.Context) *renderer {
	return &renderer{a: a, ctx: ctx, noteBase: a.cfg.Feed.NoteURL(0)[:len(a.cfg.Feed.NoteURL(0))-1]}
}

// filtering sets the filters statuses are matched against.
func (r *renderer) filtering(fs *filterSet) *renderer {
	r.filters = fs
	return r
}

// statuses renders a page of posts.
func (r *renderer) statuses(posts []Post) ([]Status, error) {
	var actors []string
	var ids, pollIDs []int64
	for _, p := range posts {
		ids = append(ids, p.ID)
		for _, q := range []*Post{&p, p.Reblog} {
			if q == nil {
				continue
			}
			if !q.pollChecked {
				pollIDs = append(pollIDs, q.ID)
			}
			if q.Author != nil {
				actors = append(actors, q.Author.ID)
			}
			if q != &p {
				ids = append(ids, q.ID)
			}
			for _, m := range q.Mentions {
				actors = append(actors, m.ActorID)
			}
		}
	}
	var err error
	if r.ids, err = r.a.accountIDs(r.ctx, actors); err != nil {
		return nil, err
	}
	if r.marks, err = r.a.marksOf(r.ctx, ids); err != nil {
		return nil, err
	}
	if r.polls, err = r.a.cfg.Feed.Polls(r.ctx, pollIDs); err != nil {
		return nil, err
	}
	if posts, err = r.a.feedMarks(r.ctx, posts); err != nil {
		return nil, err
	}
	r.loadCards(posts)
	if err := r.loadQuoteCounts(posts); err != nil {
		return nil, err
	}
	out := make([]Status, 0, len(posts))
	for _, p := range posts {
		s, err := r.status(p)
		if err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	if err := r.attachQuotes(posts, out); err != nil {
		return nil, err
	}
	return out, nil
}

func (r *renderer) one(p Post) (Status, error) {
	list, err := r.statuses([]Post{p})
	if err != nil {
		return Status{}, err
	}
	return list[0], nil
}

func (r *renderer) account(p *Post) (Account, error) {
	if p.Author == nil || p.Author.ID == r.a.cfg.ActorID {
		if r.owner == nil {
			o, _, err := r.a.ownerAccount(r.ctx)
			if err != nil {
				return Account{}, err
			}
			r.owner = &o
		}
		return *r.owner, nil
	}
	acct := r.a.remoteAccount(r.ids[p.Author.ID], p.Author)
	if r.a.cfg.KnownCounts != nil {
		if c, ok := r.a.cfg.KnownCounts(p.Author.ID); ok {
			acct.Followers, acct.Following, acct.Statuses = c.Followers, c.Following, c.Statuses
		}
	}
	return acct, nil
}

// status renders one post. A boost is the boosted status wrapped in the
// booster's id, account and time, as Mastodon nests it under "reblog".
func (r *renderer) status(p Post) (Status, error) {
	acct, err := r.account(&p)
	if err != nil {
		return Status{}, err
	}
	if p.Reblog != nil {
		return r.boost(p, acct)
	}
	m := r.marks[p.ID]
	if p.marks == marksTable || r.a.cfg.Remote == nil {
		// Without Remote the feed room's reactions are out of reach, and
		// the table keeps every mark.
		p.Favourited, p.Reblogged, p.Bookmarked = m.has(markFavourite), m.has(markReblog), m.has(markBookmark)
	}
	s := Status{
		ID: idString(p.ID), URI: p.ObjectID, URL: p.URL, CreatedAt: timeJSON(p.Created), EditedAt: optTime(p.Edited),
		Account: acct, Content: p.ContentHTML, Visibility: visibilityOut(p.Visibility), Sensitive: p.Sensitive || p.Summary != "",
		SpoilerText: p.Summary, MediaAttachments: r.attachments(p), Mentions: r.mentions(p), Tags: r.tags(p),
		Emojis: []any{}, ReblogsCount: p.Boosts, FavouritesCount: p.Likes, RepliesCount: p.Replies,
		Language: strPtr(p.Language), Favourited: p.Favourited, Reblogged: p.Reblogged,
		Bookmarked: p.Bookmarked, Pinned: m.has(markPin), Filtered: r.filters.results(p),
		QuotesCount: r.quoteCounts[p.ObjectID], QuoteApproval: r.quoteApproval(p),
	}
	if s.URL == "" {
		s.URL = s.URI
	}
	if p.poll != nil {
		s.Poll = pollEntity(*p.poll, r.a.cfg.Now())
	} else if poll, ok := r.polls[p.ID]; ok {
		s.Poll = pollEntity(poll, r.a.cfg.Now())
	}
	if c := r.card(p); c != nil {
		s.Card = c
	}
	r.replyTo(&s, p)
	return s, nil
}

// feedMarks fills the flags of the owner's notes read as feed.Note from the
// feed room, in one query for the page. It copies posts before changing
// them: the slice may be a store's own.
func (a *API) feedMarks(ctx context.Context, posts []Post) ([]Post, error) {
	var want []*feed.Post
	var at []int
	for i, p := range posts {
		if p.marks == marksFeed && p.Reblog == nil {
			want, at = append(want, &feed.Post{ObjectID: p.ObjectID}), append(at, i)
		}
	}
	if len(want) == 0 || a.cfg.Remote == nil {
		return posts, nil
	}
	if err := a.cfg.Feed.MarkOwnReactions(ctx, want); err != nil {
		return nil, err
	}
	out := append([]Post(nil), posts...)
	for j, i := range at {
		out[i].Favourited, out[i].Reblogged, out[i].Bookmarked = want[j].Liked, want[j].Boosted, want[j].Bookmarked
	}
	return out, nil
}

// boost renders a boost of p.Reblog by acct.
func (r *renderer) boost(p Post, acct Account) (Status, error) {
	inner, err := r.status(*p.Reblog)
	if err != nil {
		return Status{}, err
	}
	// Mastodon marks both the boost and the boosted status as filtered.
	inner.Filtered = r.filters.results(p)
	s := inner
	s.ID, s.Account, s.CreatedAt, s.Reblog = idString(p.ID), acct, timeJSON(p.Created), &inner
	s.URI = p.ObjectID
	if s.URI == "" {
		s.URI = inner.URI
	}
	s.EditedAt, s.InReplyToID, s.InReplyToAccountID = nil, nil, nil
	return s, nil
}

// visibilityOut maps the feed room's visibility onto Mastodon's names.
func visibilityOut(v string) string {
	switch v {
	case feed.VisibilityFollowers:
		return "private"
	case "":
		return feed.VisibilityPublic
	}
	return v
}

// attachments renders a post's media. The owner's uploads keep their media
// store ids so that apps can edit them; remote media get stable hash ids.
func (r *renderer) attachments(p Post) []Attachment {
	out := make([]Attachment, 0, len(p.Media))
	remote := p.Author != nil
	for _, md := range p.Media {
		id := mediaHashID(md.URL)
		if !remote {
			id = r.a.mediaIDOf(r.ctx, md.URL)
		}
		at := attachmentOf(id, md, remote)
		if remote {
			// remote_url keeps the origin, as Mastodon's does; what apps
			// load goes through the proxy.
			at.URL, at.PreviewURL = r.a.proxied(at.URL), r.a.proxied(at.PreviewURL)
		}
		out = append(out, at)
	}
	return out
}

// mentions renders a post's mentions with the accounts' numeric ids.
func (r *renderer) mentions(p Post) []Mention {
	out := make([]Mention, 0, len(p.Mentions))
	for _, mn := range p.Mentions {
		user, host, _ := strings.Cut(strings.TrimPrefix(mn.Handle, "@"), "@")
		u := mn.Href
		if u == "" {
			u = mn.ActorID
		}
		if host == "" {
			// "@bob" names bob on the server of the account it links to.
			host = urlHost(u)
		}
		acct := user
		if host != "" {
			acct += "@" + host
		} else {
			acct += "@" + user // @domain.tld names domain.tld@domain.tld
		}
		out = append(out, Mention{ID: idString(r.ids[mn.ActorID]), Username: user, URL: u, Acct: acct})
	}
	return out
}

func (r *renderer) tags(p Post) []StatusTag {
	out := make([]StatusTag, 0, len(p.Tags))
	for _, t := range p.Tags {
		out = append(out, StatusTag{Name: t, URL: r.a.cfg.Feed.TagURL(t)})
	}
	return out
}

// replyTo fills in_reply_to_id: the owner's own notes are recognised by
// their URL, others are looked up among the stored posts.
func (r *renderer) replyTo(s *Status, p Post) {
	if p.InReplyTo == "" {
		return
	}
	if rest, ok := strings.CutPrefix(p.InReplyTo, r.noteBase); ok {
		if id, ok := parseID(rest); ok {
			s.InReplyToID, s.InReplyToAccountID = strPtr(idString(id)), strPtr(ownerAccountID)
			return
		}
	}
	if r.a.cfg.Remote == nil {
		return
	}
	parent, err := r.a.cfg.Remote.PostByObjectID(r.ctx, p.InReplyTo)
	if err != nil {
		return
	}
	s.InReplyToID = strPtr(idString(parent.ID))
	acct := ownerAccountID
	if parent.Author != nil {
		if id, err := r.a.accountID(r.ctx, parent.Author.ID); err == nil {
			acct = idString(id)
		}
	}
	s.InReplyToAccountID = &acct
}

// mediaIDOf finds the media store id of one of the owner's attachments,
// remembered after the first lookup.
func (a *API) mediaIDOf(ctx context.Context, u string) string {
	if v, ok := a.mediaIDs.Load(u); ok {
		return v.(string)
	}
	id := mediaHashID(u)
	if a.cfg.Media != nil {
		if m, err := a.cfg.Media.ByURL(ctx, u); err == nil {
			id = idString(m.ID)
		}
	}
	a.mediaIDs.Store(u, id)
	return id
}

// urlHost is the host of a URL, empty when it has none.
func urlHost(s string) string {
	u, err := url.Parse(s)
	if err != nil {
		return ""
	}
	return u.Hostname()
}
