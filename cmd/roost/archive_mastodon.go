package main

import (
	"archive/zip"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"roost/cmd/roost/archive"
	"roost/federation/vocab"
	"roost/feed"
)

// importer brings posts from elsewhere into a site, once each.
type importer struct {
	s        *site
	store    *archive.Store
	report   *importReport
	progress *archive.Progress
	// quiet keeps imported posts from being sent to anyone (the default:
	// followers do not want years of old posts at once).
	quiet bool
}

// mastodon imports a Mastodon archive: the profile where the site has
// none yet, then every public and unlisted post with its date, content
// warning, media and thread, and boosts as links.
func (imp *importer) mastodon(ctx context.Context, z *zip.Reader) error {
	if err := imp.mastodonProfile(ctx, z); err != nil {
		imp.report.failed("actor.json", err)
	}
	f := archive.ZipFile(z, "outbox.json")
	r, err := f.Open()
	if err != nil {
		return fmt.Errorf("outbox.json: %w", err)
	}
	defer r.Close()
	err = archive.ReadOutbox(r, func(it archive.OutboxItem) error {
		imp.progress.Add(1, 0)
		if err := imp.mastodonItem(ctx, z, it); err != nil {
			imp.report.failed(it.ID, err)
		}
		return ctx.Err()
	})
	if err != nil {
		return err
	}
	if f := archive.ZipFile(z, "bookmarks.json"); f != nil {
		imp.mastodonBookmarks(ctx, f)
	}
	return nil
}

// mastodonProfile takes the old account's name, bio, avatar and header for
// a profile still as roost made it, and lists the old account as one of
// the owner's (alsoKnownAs), so that it can move its followers here.
func (imp *importer) mastodonProfile(ctx context.Context, z *zip.Reader) error {
	var actor struct {
		ID      string `json:"id"`
		Name    string `json:"name"`
		Summary string `json:"summary"`
		Icon    struct {
			URL string `json:"url"`
		} `json:"icon"`
		Image struct {
			URL string `json:"url"`
		} `json:"image"`
	}
	if err := readZipJSON(z, "actor.json", &actor); err != nil {
		return err
	}
	pr, err := imp.s.profiles.Get(ctx)
	if err != nil {
		return err
	}
	fresh := pr.Name == "" || pr.Name == imp.s.cfg.domain()
	if fresh && actor.Name != "" {
		pr.Name = actor.Name
	}
	if pr.Bio == "" && actor.Summary != "" {
		pr.Bio = vocab.PlainText(actor.Summary)
	}
	for _, img := range []struct {
		from string
		to   *string
	}{{actor.Icon.URL, &pr.AvatarURL}, {actor.Image.URL, &pr.HeaderURL}} {
		if *img.to != "" || img.from == "" {
			continue
		}
		if m, err := imp.zipImage(ctx, z, img.from, ""); err == nil {
			*img.to = m.URL
		}
	}
	if strings.HasPrefix(actor.ID, "https://") || strings.HasPrefix(actor.ID, "http://") {
		known := false
		for _, a := range pr.AlsoKnownAs {
			known = known || a == actor.ID
		}
		if !known {
			pr.AlsoKnownAs = append(pr.AlsoKnownAs, actor.ID)
		}
	}
	return imp.s.saveProfile(ctx, pr)
}

// mastodonItem imports one activity of the outbox.
func (imp *importer) mastodonItem(ctx context.Context, z *zip.Reader, it archive.OutboxItem) error {
	switch it.Type {
	case vocab.TypeCreate:
	case vocab.TypeAnnounce:
		return imp.mastodonBoost(ctx, it)
	default:
		imp.report.skipped(it.Type + " activities (only posts and boosts are imported)")
		return nil
	}
	var p archive.Post
	if err := json.Unmarshal(it.Object, &p); err != nil || p.ID == "" {
		imp.report.skipped("posts whose object is only a link")
		return nil
	}
	source := "mastodon:" + p.ID
	if _, done := imp.store.Imported(ctx, source); done {
		imp.report.skipped("posts imported before")
		return nil
	}
	vis := archive.Visibility(p.To, p.Cc)
	if vis != feed.VisibilityPublic && vis != feed.VisibilityUnlisted {
		imp.report.skipped(vis + " posts (only public and unlisted posts are imported)")
		return nil
	}
	in := feed.NoteInput{Text: vocab.PlainText(p.Content), ContentWarning: vocab.PlainText(p.Summary), Visibility: vis,
		Created: p.Published, Quiet: imp.quiet}
	if in.Created.IsZero() {
		in.Created = it.Published
	}
	if p.Name != "" && p.Type != "Question" {
		in.Text = strings.TrimSpace(p.Name + "\n\n" + in.Text)
	}
	for lang := range p.ContentMap {
		in.Language = lang
	}
	if p.InReplyTo != "" {
		// A reply in the same archive answers the note it became here; a
		// reply to someone else keeps the link to what it answered.
		in.InReplyTo = p.InReplyTo
		if local, ok := imp.store.Imported(ctx, "mastodon:"+p.InReplyTo); ok {
			in.InReplyTo = local
		}
	}
	for _, a := range p.Attachment {
		m, err := imp.zipImage(ctx, z, a.URL, a.Name)
		if err != nil {
			imp.report.skipped("attachments that are not images roost can store (" + a.MediaType + ")")
			continue
		}
		if len(in.Media) < feed.MaxMedia {
			in.Media = append(in.Media, m)
		}
	}
	if choices := append(p.OneOf, p.AnyOf...); len(choices) > 1 && len(in.Media) == 0 {
		poll := &feed.PollInput{Multiple: len(p.AnyOf) > 0}
		for _, c := range choices {
			poll.Options = append(poll.Options, c.Name)
		}
		if !p.EndTime.IsZero() && p.EndTime.After(in.Created) {
			poll.ExpiresIn = p.EndTime.Sub(in.Created)
		} else {
			poll.ExpiresIn = time.Minute
		}
		in.Poll = poll
	}
	if in.Text == "" && len(in.Media) == 0 {
		imp.report.skipped("posts with neither text nor images")
		return nil
	}
	n, err := imp.s.feed.Create(ctx, in)
	var bad *feed.ValidationError
	if errors.As(err, &bad) && in.Poll != nil {
		// A poll roost cannot hold (too many options, say) stays as text.
		for _, o := range in.Poll.Options {
			in.Text += "\n• " + o
		}
		in.Poll = nil
		n, err = imp.s.feed.Create(ctx, in)
	}
	if err != nil {
		return err
	}
	imp.report.imported("notes")
	return imp.store.MarkImported(ctx, source, n.URL, time.Now())
}

// mastodonBoost keeps a boost as a note linking to what was boosted.
func (imp *importer) mastodonBoost(ctx context.Context, it archive.OutboxItem) error {
	var object string
	if json.Unmarshal(it.Object, &object) != nil {
		var o struct {
			ID string `json:"id"`
		}
		json.Unmarshal(it.Object, &o)
		object = o.ID
	}
	vis := archive.Visibility(it.To, it.Cc)
	if object == "" || vis != feed.VisibilityPublic && vis != feed.VisibilityUnlisted {
		imp.report.skipped("boosts that are not public")
		return nil
	}
	source := "mastodon:" + it.ID
	if _, done := imp.store.Imported(ctx, source); done {
		imp.report.skipped("boosts imported before")
		return nil
	}
	n, err := imp.s.feed.Create(ctx, feed.NoteInput{Text: "Boosted " + object, Visibility: vis, Created: it.Published, Quiet: imp.quiet})
	if err != nil {
		return err
	}
	imp.report.imported("boosts (as links)")
	return imp.store.MarkImported(ctx, source, n.URL, time.Now())
}

// mastodonBookmarks keeps the bookmarks of posts the site knows.
func (imp *importer) mastodonBookmarks(ctx context.Context, f *zip.File) {
	r, err := f.Open()
	if err != nil {
		imp.report.failed("bookmarks.json", err)
		return
	}
	defer r.Close()
	ids, err := archive.ReadIDs(r)
	if err != nil {
		imp.report.failed("bookmarks.json", err)
	}
	for _, id := range ids {
		source := "mastodon-bookmark:" + id
		if _, done := imp.store.Imported(ctx, source); done {
			imp.report.skipped("bookmarks imported before")
			continue
		}
		if local, ok := imp.store.Imported(ctx, "mastodon:"+id); ok {
			id = local
		}
		if err := imp.s.feed.Bookmark(ctx, id); err != nil {
			imp.report.skipped("bookmarks of posts this site has not seen")
			continue
		}
		imp.report.imported("bookmarks")
		if err := imp.store.MarkImported(ctx, source, id, time.Now()); err != nil {
			imp.report.failed("bookmark "+id, err)
		}
	}
}

// zipImage stores an image of the archive as the site's media.
func (imp *importer) zipImage(ctx context.Context, z *zip.Reader, url, alt string) (feed.Media, error) {
	name := url
	if i := strings.Index(name, "/media_attachments/"); i >= 0 && strings.Contains(name, "://") {
		name = name[i:]
	}
	f := archive.ZipFile(z, name)
	if f == nil {
		return feed.Media{}, fmt.Errorf("%s is not in the archive", url)
	}
	r, err := f.Open()
	if err != nil {
		return feed.Media{}, err
	}
	defer r.Close()
	m, err := imp.s.saveNoteImage(ctx, r, alt)
	imp.progress.Add(0, int64(f.UncompressedSize64))
	return m, err
}
