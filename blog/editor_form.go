package blog

import (
	"errors"
	"net/http"
	"net/url"
	"strings"
	"time"

	"roost/templates"
)

const (
	// maxFormBytes caps the editor's form: the largest article plus room
	// for the other fields.
	maxFormBytes = 1 << 20
	// maxUploadBytes caps an image upload request; SaveImage applies the
	// image's own limit, this one only stops unbounded bodies.
	maxUploadBytes = 12 << 20
	// publishLayout is what <input type="datetime-local"> sends and shows.
	publishLayout = "2006-01-02T15:04"
	// actionSchedule is the editor's Schedule button: publish at the time
	// given, which must then be there.
	actionSchedule = "schedule"
)

// errBadForm is a form the editor never sends (an unknown status, say).
var errBadForm = errors.New("malformed form")

// parseForm reads a urlencoded or multipart body of at most limit bytes.
// It answers 413 or 400 itself and reports whether the handler may go on.
func (b *Blog) parseForm(w http.ResponseWriter, r *http.Request, limit int64) bool {
	return b.parseFormOr(w, r, limit, "What you sent is too large.")
}

// parseFormOr is parseForm saying tooLarge when the body is over the limit.
func (b *Blog) parseFormOr(w http.ResponseWriter, r *http.Request, limit int64, tooLarge string) bool {
	r.Body = http.MaxBytesReader(w, r.Body, limit)
	var err error
	if strings.HasPrefix(r.Header.Get("Content-Type"), "multipart/form-data") {
		err = r.ParseMultipartForm(1 << 20)
	} else {
		err = r.ParseForm()
	}
	if err == nil {
		return true
	}
	var overLimit *http.MaxBytesError
	if errors.As(err, &overLimit) || strings.Contains(err.Error(), "request body too large") {
		b.badRequest(w, r, http.StatusRequestEntityTooLarge, tooLarge)
		return false
	}
	b.badRequest(w, r, http.StatusBadRequest, "The form could not be read.")
	return false
}

// readInput turns the editor's fields into an ArticleInput, and also into
// the editor view that shows them again exactly as typed.
func readInput(r *http.Request, loc *time.Location) (ArticleInput, templates.BlogEditor, error) {
	f := r.PostForm
	v := templates.BlogEditor{
		Original:  Slugify(f.Get("original")),
		Title:     f.Get("title"),
		Body:      strings.ReplaceAll(f.Get("body"), "\r\n", "\n"),
		Slug:      f.Get("slug"),
		Tags:      f.Get("tags"),
		Summary:   f.Get("summary"),
		PublishAt: strings.TrimSpace(f.Get("published")),
	}
	in := ArticleInput{Title: v.Title, Body: v.Body, Summary: v.Summary, Slug: v.Slug, Tags: SplitTags(v.Tags), ExactSlug: true}
	// The buttons of a new post say what to do; the status radios of a
	// saved one are the fallback.
	status := f.Get("status")
	if a := f.Get("action"); a != "" {
		status = a
	}
	if status == actionSchedule {
		if v.PublishAt == "" {
			return in, v, &ValidationError{"published", "Choose the publish time to schedule the post."}
		}
		status = statusPublished
	}
	switch status {
	case "", statusPublished:
	case statusDraft:
		in.Draft = true
	default:
		return in, v, errBadForm
	}
	switch f.Get("kind") {
	case "", kindPost:
	case kindPage:
		in.Page = true
	default:
		return in, v, errBadForm
	}
	v.Draft, v.Page = in.Draft, in.Page
	if v.PublishAt != "" {
		t, err := parsePublishTime(v.PublishAt, loc)
		if err != nil {
			return in, v, &ValidationError{"published", "The publish time is not a valid date and time."}
		}
		in.PublishedAt = t
	}
	return in, v, nil
}

// parsePublishTime reads datetime-local, with or without seconds, as a
// time in the site's zone (the label names it: the server cannot know the
// browser's zone without script); RFC 3339 carries its own offset.
func parsePublishTime(s string, loc *time.Location) (time.Time, error) {
	for _, layout := range []string{publishLayout, publishLayout + ":05", time.RFC3339} {
		if t, err := time.ParseInLocation(layout, s, loc); err == nil {
			return t.UTC(), nil
		}
	}
	return time.Time{}, errBadForm
}

// editorFor fills the editor with a saved article.
func editorFor(a Article, loc *time.Location) templates.BlogEditor {
	return templates.BlogEditor{
		Heading:   "Edit “" + a.Title + "”",
		Action:    "/blog/" + a.Slug + "/edit",
		Original:  a.Slug,
		Title:     a.Title,
		Body:      a.Body,
		Slug:      a.Slug,
		Tags:      strings.Join(a.Tags, ", "),
		Summary:   a.Summary,
		PublishAt: a.PublishedAt.In(loc).Format(publishLayout),
		Draft:     a.Draft,
		Page:      a.Page,
		DeleteURL: "/blog/" + a.Slug + "/delete",
	}
}

// editPath is the editor of the article with this slug.
func editPath(slug string) string { return "/blog/" + url.PathEscape(slug) + "/edit" }

// target sets where the editor saves: the article being edited, or a new one.
func target(v *templates.BlogEditor) {
	if v.Original == "" {
		v.Heading, v.Action = "New post", "/blog/new"
		return
	}
	v.Heading = "Edit post"
	v.Action = editPath(v.Original)
	v.DeleteURL = "/blog/" + url.PathEscape(v.Original) + "/delete"
}

// imageMarkdown is the Markdown that shows an uploaded image. Brackets in
// the alt text are escaped, and the URL goes in angle brackets so spaces or
// parentheses in it cannot end the link early.
func imageMarkdown(alt, u string) string {
	r := strings.NewReplacer(`\`, `\\`, `[`, `\[`, `]`, `\]`, "\n", " ", "\r", " ")
	u = strings.NewReplacer("<", "%3C", ">", "%3E", "\n", "", "\r", "").Replace(u)
	return "![" + r.Replace(alt) + "](<" + u + ">)"
}
