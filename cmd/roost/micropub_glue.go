package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"

	"roost/blog"
	"roost/feed"
	"roost/feed/media"
	"roost/feed/micropub"
)

// micropubPublisher turns Micropub entries into blog articles (with a name)
// and notes (without).
type micropubPublisher struct{ s *site }

func (p micropubPublisher) CreateArticle(ctx context.Context, e micropub.Entry) (string, error) {
	a, err := p.s.blog.Create(ctx, articleInput(e))
	if err != nil {
		return "", micropubError(err)
	}
	return a.URL, nil
}

func (p micropubPublisher) CreateNote(ctx context.Context, e micropub.Entry) (string, error) {
	in, err := p.noteInput(ctx, e)
	if err != nil {
		return "", err
	}
	n, err := p.s.feed.Create(ctx, in)
	if err != nil {
		return "", micropubError(err)
	}
	return n.URL, nil
}

func (p micropubPublisher) Source(ctx context.Context, url string) (micropub.Entry, string, error) {
	if a, err := p.s.blog.ByURL(ctx, url); err == nil {
		return micropub.Entry{Name: a.Title, Content: a.Body, Summary: a.Summary, Slug: a.Slug,
			Categories: a.Tags, Draft: a.Draft, Published: a.PublishedAt}, micropub.KindArticle, nil
	}
	n, err := p.s.feed.ByURL(ctx, url)
	if err != nil {
		return micropub.Entry{}, "", micropub.ErrNotFound
	}
	e := micropub.Entry{Content: n.Text, Categories: n.Tags, Published: n.Created, InReplyTo: n.InReplyTo,
		ContentWarning: n.ContentWarning, Visibility: micropubVisibility(n.Visibility)}
	for _, m := range n.Media {
		e.Photos = append(e.Photos, micropub.Photo{URL: m.URL, Alt: m.Alt})
	}
	return e, micropub.KindNote, nil
}

func (p micropubPublisher) Update(ctx context.Context, url string, e micropub.Entry) error {
	if a, err := p.s.blog.ByURL(ctx, url); err == nil {
		in := articleInput(e)
		if in.PublishedAt.IsZero() {
			in.PublishedAt = a.PublishedAt // an update that drops published keeps the date
		}
		_, err := p.s.blog.Update(ctx, a.ID, in)
		return micropubError(err)
	}
	n, err := p.s.feed.ByURL(ctx, url)
	if err != nil {
		return micropub.ErrNotFound
	}
	in, err := p.noteInput(ctx, e)
	if err != nil {
		return err
	}
	in.Created = n.Created
	_, err = p.s.feed.Update(ctx, n.ID, in)
	return micropubError(err)
}

func (p micropubPublisher) Delete(ctx context.Context, url string) error {
	if a, err := p.s.blog.ByURL(ctx, url); err == nil {
		return p.s.blog.Delete(ctx, a.ID)
	}
	n, err := p.s.feed.ByURL(ctx, url)
	if err != nil {
		return micropub.ErrNotFound
	}
	return p.s.feed.Delete(ctx, n.ID)
}

func articleInput(e micropub.Entry) blog.ArticleInput {
	body := e.Content
	for _, ph := range e.Photos {
		body += fmt.Sprintf("\n\n![%s](%s)", strings.NewReplacer("[", "", "]", "").Replace(ph.Alt), ph.URL)
	}
	return blog.ArticleInput{Title: e.Name, Body: body, Summary: e.Summary, Slug: e.Slug, Tags: e.Categories,
		Draft: e.Draft, PublishedAt: e.Published}
}

// noteInput attaches photos: ones uploaded to the media endpoint are used as
// they are, others are fetched and processed like an upload.
func (p micropubPublisher) noteInput(ctx context.Context, e micropub.Entry) (feed.NoteInput, error) {
	text := e.Content
	if len(e.Categories) > 0 {
		text = strings.TrimSpace(text + "\n\n" + hashtags(e.Categories, text))
	}
	in := feed.NoteInput{Text: text, ContentWarning: e.ContentWarning, InReplyTo: e.InReplyTo,
		Visibility: feedVisibility(e.Visibility), Created: e.Published}
	for _, ph := range e.Photos {
		m, err := p.s.media.ByURL(ctx, ph.URL)
		if errors.Is(err, media.ErrNotFound) {
			m, err = p.fetchPhoto(ctx, ph)
		}
		if err != nil {
			return in, err
		}
		alt := ph.Alt
		if alt == "" {
			alt = m.Description
		}
		in.Media = append(in.Media, feed.Media{URL: m.URL, PreviewURL: m.PreviewURL, MediaType: m.MediaType,
			Alt: alt, Blurhash: m.Blurhash, Width: m.Width, Height: m.Height})
	}
	return in, nil
}

func (p micropubPublisher) fetchPhoto(ctx context.Context, ph micropub.Photo) (media.Media, error) {
	ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, ph.URL, nil)
	if err != nil {
		return media.Media{}, fmt.Errorf("%w: photo %q is not a URL", micropub.ErrInvalid, ph.URL)
	}
	resp, err := p.s.fed.Client().Do(req)
	if err != nil {
		return media.Media{}, fmt.Errorf("%w: could not fetch photo %s", micropub.ErrInvalid, ph.URL)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return media.Media{}, fmt.Errorf("%w: photo %s answered %d", micropub.ErrInvalid, ph.URL, resp.StatusCode)
	}
	return micropubImage(p.s.saveImage(ctx, resp.Body, ph.Alt, micropub.ErrTooLarge, micropub.ErrNotImage))
}

// micropubImage turns an image refused for its dimensions into an invalid
// request, whose message the client is shown: Micropub's own too-large
// answer speaks of megabytes only.
func micropubImage(m media.Media, err error) (media.Media, error) {
	var refused *uploadRefusal
	if errors.Is(err, media.ErrTooManyPixels) && errors.As(err, &refused) {
		return m, fmt.Errorf("%w: %s", micropub.ErrInvalid, refused.reason)
	}
	return m, err
}

// hashtags adds the categories that the text does not already carry as
// #tags, so that they become the note's tags.
func hashtags(categories []string, text string) string {
	var tags []string
	lower := strings.ToLower(text)
	for _, c := range categories {
		c = strings.Join(strings.Fields(c), "")
		if c != "" && !strings.Contains(lower, "#"+strings.ToLower(c)) {
			tags = append(tags, "#"+c)
		}
	}
	return strings.Join(tags, " ")
}

func feedVisibility(v string) string {
	switch v {
	case micropub.VisibilityUnlisted:
		return feed.VisibilityUnlisted
	case micropub.VisibilityPrivate:
		return feed.VisibilityFollowers
	}
	return feed.VisibilityPublic
}

func micropubVisibility(v string) string {
	switch v {
	case feed.VisibilityUnlisted:
		return micropub.VisibilityUnlisted
	case feed.VisibilityFollowers, feed.VisibilityDirect:
		return micropub.VisibilityPrivate
	}
	return micropub.VisibilityPublic
}

// micropubError marks the rooms' validation errors as the client's fault.
func micropubError(err error) error {
	var bv *blog.ValidationError
	var fv *feed.ValidationError
	if errors.As(err, &bv) || errors.As(err, &fv) {
		return fmt.Errorf("%w: %s", micropub.ErrInvalid, err.Error())
	}
	return err
}

func (s *site) saveMicropubMedia(ctx context.Context, r io.Reader, alt string) (string, error) {
	m, err := micropubImage(s.saveImage(ctx, r, alt, micropub.ErrTooLarge, micropub.ErrNotImage))
	return m.URL, err
}

// checkToken lets Micropub clients in with a token from `roost token create`.
func (s *site) checkToken(ctx context.Context, bearer string) ([]string, error) {
	t, err := s.access.Store.VerifyToken(ctx, bearer, time.Now())
	if err != nil {
		return nil, err
	}
	return strings.Fields(t.Scope), nil
}
