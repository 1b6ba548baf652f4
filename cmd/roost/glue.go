package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"sort"
	"time"

	"roost/blog"
	"roost/cmd/roost/access"
	"roost/federation"
	"roost/federation/vocab"
	"roost/feed"
	"roost/feed/media"
	"roost/templates"
	"roost/templates/markdown"
)

// This file adapts the rooms to each other: each room declares what it needs
// and the composition root hands over the behaviour of another room.

// page fills the frame every HTML page shares.
func (s *site) page(r *http.Request, title string) templates.Page {
	p := templates.Page{Title: title, Webmention: s.cfg.BaseURL + "/webmention"}
	pr, err := s.profiles.Get(r.Context())
	if err != nil {
		slog.Error("page frame", "err", err)
	}
	p.Site = templates.Site{
		Name: pr.Name, Handle: "@" + pr.Username + "@" + s.cfg.domain(), BaseURL: s.cfg.BaseURL,
		AvatarURL: pr.AvatarURL, IsOwner: s.access.IsOwner(r),
	}
	set := s.settings.Get()
	p.Site.Title, p.Site.Tagline, p.Site.Language = set.Title, set.Tagline, set.Language
	if p.Site.IsOwner {
		p.Site.Unread = s.feed.UnreadCount(r.Context())
		p.Site.Welcome = !s.access.Store.Flag(r.Context(), access.FlagWelcomeDismissed)
	}
	if p.Site.Name == "" {
		p.Site.Name = s.cfg.domain()
	}
	if p.Site.AvatarURL == "" {
		p.Site.AvatarURL = s.defaultAvatar()
	}
	return p
}

// owner is the profile as the front page shows it.
func (s *site) owner(ctx context.Context) (feed.Owner, error) {
	pr, err := s.profiles.Get(ctx)
	if err != nil {
		return feed.Owner{}, err
	}
	bio, err := markdown.Render(pr.Bio)
	if err != nil {
		return feed.Owner{}, fmt.Errorf("render bio: %w", err)
	}
	// Hashtags in the bio lead to the site's own tag pages, as Mastodon
	// links them on a profile.
	bio = markdown.LinkHashtags(bio, s.feed.TagURL)
	o := feed.Owner{Name: pr.Name, Handle: "@" + pr.Username + "@" + s.cfg.domain(), BioHTML: string(bio),
		AvatarURL: pr.AvatarURL, HeaderURL: pr.HeaderURL, MovedTo: pr.MovedTo}
	if o.AvatarURL == "" {
		o.AvatarURL = s.defaultAvatar()
	}
	for _, f := range pr.Fields {
		o.Fields = append(o.Fields, feed.Field{Name: f.Name, Value: f.Value})
	}
	return o, nil
}

// defaultAvatar stands in until the owner uploads a picture: apps and
// pages expect an image to be there.
func (s *site) defaultAvatar() string { return s.cfg.BaseURL + "/static/avatar.svg" }

func (s *site) manuallyApproves(ctx context.Context) bool {
	pr, err := s.profiles.Get(ctx)
	return err == nil && pr.ManuallyApproves
}

func (s *site) setManuallyApproves(ctx context.Context, on bool) error {
	pr, err := s.profiles.Get(ctx)
	if err != nil {
		return err
	}
	pr.ManuallyApproves = on
	if err := s.profiles.Save(ctx, pr); err != nil {
		return err
	}
	s.fed.ProfileChanged(ctx)
	return nil
}

// fetchJSON reads an ActivityStreams document with the signed client.
func (s *site) fetchJSON(ctx context.Context, url string) ([]byte, error) {
	body, _, err := s.fed.Get(ctx, url, "")
	return body, err
}

// follows tells the feed room whose posts belong on the home timeline:
// accounts and feeds the owner follows, unless muted.
func (s *site) follows(ctx context.Context, actorID string) bool {
	return s.contacts.FollowsAuthor(ctx, actorID) && !s.contacts.Hidden(ctx, actorID)
}

// ownPost tells the federation room whether an IRI is one of the owner's
// notes (not a direct message) or published articles: replies to those
// are forwarded to the owner's followers. The rooms are built after the
// federation room, hence the indirection.
func (s *site) ownPost(ctx context.Context, iri string) bool {
	if n, err := s.feed.ByURL(ctx, iri); err == nil {
		return n.Visibility != feed.VisibilityDirect
	}
	a, err := s.blog.ByURL(ctx, iri)
	return err == nil && !a.Draft
}

// hide takes what a blocked or muted account (or a blocked server) already
// sent off the home timeline; the contacts room calls it after the block.
// The feed room is built after the contacts room, hence the indirection.
func (s *site) hide(ctx context.Context, actorID, domain string) {
	var err error
	if domain != "" {
		err = s.feed.HideDomain(ctx, domain)
	} else {
		err = s.feed.HideAuthor(ctx, actorID)
	}
	if err != nil {
		slog.Error("hide from timeline", "actor", actorID, "domain", domain, "err", err)
	}
}

// resolveActor finds the fediverse account behind what someone typed.
func (s *site) resolveActor(ctx context.Context, input string) (*vocab.Actor, error) {
	res, err := s.fed.Resolve(ctx, input)
	if err != nil {
		return nil, err
	}
	if res.Actor == nil {
		return nil, fmt.Errorf("resolve %s: %w", input, federation.ErrUnresolvable)
	}
	return res.Actor, nil
}

// saveProfile stores a profile edited from an app and tells followers.
func (s *site) saveProfile(ctx context.Context, p federation.Profile) error {
	if err := s.profiles.Save(ctx, p); err != nil {
		return err
	}
	s.fed.ProfileChanged(ctx)
	return nil
}

// resolveMention turns a typed @handle into the actor it names.
func (s *site) resolveMention(ctx context.Context, handle string) (actorID, profileURL string, err error) {
	res, err := s.fed.Resolve(ctx, handle)
	if err != nil {
		return "", "", err
	}
	if res.Actor == nil {
		return "", "", fmt.Errorf("resolve %s: no fediverse account", handle)
	}
	profile := res.Actor.URL
	if profile == "" {
		profile = res.Actor.ID
	}
	return res.Actor.ID, profile, nil
}

// uploadRefusal is an image the media store would not keep. Kind is the
// calling room's own error (too large, not an image), which the room tests
// with errors.Is; Reason is the plain words the owner is shown, with the
// site's limits, which the room reads through its Reason method.
type uploadRefusal struct {
	kind, cause error
	reason      string
}

func (e *uploadRefusal) Error() string   { return e.kind.Error() + ": " + e.reason }
func (e *uploadRefusal) Unwrap() []error { return []error{e.kind, e.cause} }
func (e *uploadRefusal) Reason() string  { return e.reason }

// saveImage stores an upload and translates the media store's errors into
// the ones the calling room knows, each with a reason in plain words.
func (s *site) saveImage(ctx context.Context, r io.Reader, alt string, tooLarge, notImage error) (media.Media, error) {
	m, err := s.media.Save(ctx, r, alt)
	choose := fmt.Sprintf("choose a JPEG, PNG, GIF or WebP file under %d MB", s.cfg.MaxUploadMB)
	switch {
	case errors.Is(err, media.ErrTooManyPixels):
		return m, &uploadRefusal{tooLarge, err, fmt.Sprintf("it has too many pixels (at most %d megapixels and %d pixels a side); choose a smaller picture",
			media.MaxSourcePixels/1_000_000, media.MaxSourceSide)}
	case errors.Is(err, media.ErrTooLarge):
		return m, &uploadRefusal{tooLarge, err, fmt.Sprintf("it is larger than %d MB; %s", s.cfg.MaxUploadMB, choose)}
	case errors.Is(err, media.ErrNotImage):
		return m, &uploadRefusal{notImage, err, choose}
	case errors.Is(err, media.ErrDescriptionTooLong):
		return m, &uploadRefusal{notImage, err, "its description is too long; shorten it"}
	}
	return m, err
}

func (s *site) saveBlogImage(ctx context.Context, r io.Reader, alt string) (string, error) {
	m, err := s.saveImage(ctx, r, alt, blog.ErrImageTooLarge, blog.ErrNotAnImage)
	return m.URL, err
}

func (s *site) saveNoteImage(ctx context.Context, r io.Reader, alt string) (feed.Media, error) {
	m, err := s.saveImage(ctx, r, alt, feed.ErrImageTooLarge, feed.ErrNotAnImage)
	if err != nil {
		return feed.Media{}, err
	}
	return noteMedia(m), nil
}

// pendingNoteImage finds an image the composer stored for a note that was
// refused, by the URL its form carries back.
func (s *site) pendingNoteImage(ctx context.Context, u string) (feed.Media, error) {
	m, err := s.media.ByURL(ctx, u)
	if err != nil {
		return feed.Media{}, err
	}
	return noteMedia(m), nil
}

func noteMedia(m media.Media) feed.Media {
	return feed.Media{URL: m.URL, PreviewURL: m.PreviewURL, MediaType: m.MediaType, Alt: m.Description,
		Blurhash: m.Blurhash, Width: m.Width, Height: m.Height}
}

// articleSource shows the blog's latest articles on the front page and in
// the combined feeds.
type articleSource struct{ blog *blog.Blog }

func (a articleSource) LatestArticles(ctx context.Context, n int) ([]feed.ArticleSummary, error) {
	list, err := a.blog.Published(ctx, n, 0)
	if err != nil {
		return nil, err
	}
	out := make([]feed.ArticleSummary, len(list))
	for i, art := range list {
		out[i] = feed.ArticleSummary{ID: art.ObjectID, Title: art.Title, URL: art.URL, Summary: art.Description(),
			HTML: art.HTML, Tags: art.Tags, Published: art.PublishedAt, Updated: art.Updated}
	}
	return out, nil
}

// outboxSource lists the owner's public activities for the outbox. Notes
// and articles each come newest first; they are merged here by date.
type outboxSource struct{ s *site }

func (o outboxSource) Outbox(ctx context.Context, offset, limit int) ([]map[string]any, int, error) {
	notes, nTotal, err := o.s.feed.Outbox(ctx, 0, offset+limit)
	if err != nil {
		return nil, 0, err
	}
	articles, aTotal, err := o.s.blog.Outbox(ctx, 0, offset+limit)
	if err != nil {
		return nil, 0, err
	}
	all := append(notes, articles...)
	sort.SliceStable(all, func(i, j int) bool { return published(all[i]).After(published(all[j])) })
	if offset > len(all) {
		offset = len(all)
	}
	all = all[offset:]
	if len(all) > limit {
		all = all[:limit]
	}
	return all, nTotal + aTotal, nil
}

func published(item map[string]any) time.Time {
	switch v := item["published"].(type) {
	case time.Time:
		return v
	case string:
		t, _ := time.Parse(time.RFC3339, v)
		return t
	}
	return time.Time{}
}

// fetchPage fetches a Webmention's source page through the guarded client.
func (s *site) fetchPage(ctx context.Context, url string) ([]byte, error) {
	body, _, err := s.fed.Get(ctx, url, "text/html, application/xhtml+xml;q=0.9, */*;q=0.1")
	return body, err
}
