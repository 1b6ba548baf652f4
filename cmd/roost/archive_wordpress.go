package main

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"regexp"
	"strconv"
	"strings"
	"time"

	"roost/blog"
	"roost/cmd/roost/archive"
	"roost/federation/vocab"
)

// wordpress imports a WordPress export (WXR): posts and pages with their
// dates, slugs, tags and categories, drafts as drafts, images downloaded
// into the site's media, approved comments, and redirects from the old
// permalinks. It reads the file twice: first for the attachments (a
// featured image may be listed after its post), then for the posts.
func (imp *importer) wordpress(ctx context.Context, f *os.File) error {
	attachments := map[int64]string{}
	err := archive.ReadWXR(f, func(it archive.WPItem) error {
		if it.Type == "attachment" && it.URL != "" {
			attachments[it.PostID] = it.URL
		}
		return nil
	})
	if err != nil {
		return err
	}
	if _, err := f.Seek(0, io.SeekStart); err != nil {
		return err
	}
	return archive.ReadWXR(f, func(it archive.WPItem) error {
		imp.progress.Add(1, 0)
		if err := imp.wordpressItem(ctx, it, attachments); err != nil {
			imp.report.failed(fmt.Sprintf("%q (%s)", it.Title, it.Link), err)
		}
		return ctx.Err()
	})
}

func (imp *importer) wordpressItem(ctx context.Context, it archive.WPItem, attachments map[int64]string) error {
	if it.Type != "post" && it.Type != "page" {
		if it.Type != "attachment" {
			imp.report.skipped("WordPress items of type " + it.Type)
		}
		return nil
	}
	if it.Status == "trash" || it.Status == "auto-draft" || it.Status == "inherit" {
		imp.report.skipped("trashed and automatic drafts")
		return nil
	}
	source := "wordpress:" + firstNonEmpty(strings.TrimSpace(it.GUID), it.Link)
	if local, done := imp.store.Imported(ctx, source); done {
		imp.report.skipped("posts imported before")
		return imp.wordpressRedirects(ctx, it, local)
	}
	content := imp.wordpressImages(ctx, it.Content)
	if id, err := strconv.ParseInt(it.MetaValue("_thumbnail_id"), 10, 64); err == nil && attachments[id] != "" {
		if u, err := imp.download(ctx, attachments[id], it.Title); err == nil {
			content = `<p><img src="` + u + `" alt=""></p>` + content
		}
	}
	body, err := archive.MarkdownFromHTML(content)
	if err != nil {
		return err
	}
	in := blog.ArticleInput{Title: strings.TrimSpace(it.Title), Body: body, Summary: vocab.PlainText(it.Excerpt),
		Slug: it.Name, Tags: it.Tags(), Page: it.Type == "page", PublishedAt: it.Published(), Quiet: imp.quiet}
	switch it.Status {
	case "publish", "future":
	default: // draft, pending, private
		in.Draft = true
	}
	if in.Title == "" {
		in.Title = "Untitled"
	}
	if in.Body == "" {
		in.Body = in.Title
	}
	a, err := imp.s.blog.Create(ctx, in)
	if err != nil {
		return err
	}
	kind := "blog posts"
	if in.Page {
		kind = "pages"
	}
	if in.Draft {
		kind += " (drafts)"
	}
	imp.report.imported(kind)
	if err := imp.store.MarkImported(ctx, source, a.URL, time.Now()); err != nil {
		return err
	}
	imp.wordpressComments(ctx, it, a)
	return imp.wordpressRedirects(ctx, it, a.URL)
}

// wordpressRedirects sends the old permalink and /?p=ID to the new page.
func (imp *importer) wordpressRedirects(ctx context.Context, it archive.WPItem, target string) error {
	u, err := url.Parse(target)
	if err != nil {
		return err
	}
	if old, err := url.Parse(strings.TrimSpace(it.Link)); err == nil && old.Path != "" && old.Path != "/" {
		if err := imp.store.AddRedirect(ctx, old.Path, u.Path); err != nil {
			return err
		}
	}
	if it.PostID > 0 {
		return imp.store.AddRedirect(ctx, "/?p="+strconv.FormatInt(it.PostID, 10), u.Path)
	}
	return nil
}

// wordpressComments adds the post's approved comments, threaded as they were.
func (imp *importer) wordpressComments(ctx context.Context, it archive.WPItem, a blog.Article) {
	ids := map[int64]string{}
	for _, c := range it.Comments {
		if c.Approved != "1" || c.Type != "" && c.Type != "comment" {
			imp.report.skipped("comments not approved, pingbacks and trackbacks")
			continue
		}
		object := strings.TrimRight(it.Link, "/") + "/#comment-" + strconv.FormatInt(c.ID, 10)
		author := strings.TrimSpace(c.AuthorURL)
		if !strings.HasPrefix(author, "http://") && !strings.HasPrefix(author, "https://") {
			author = ""
		}
		cm := blog.Comment{ArticleID: a.ID, ObjectID: object, AuthorID: firstNonEmpty(author, object+"-author"),
			AuthorName: firstNonEmpty(strings.TrimSpace(c.Author), "Anonymous"), AuthorURL: author,
			ContentHTML: vocab.SanitizeHTML(paragraphs(c.Content)), Published: c.Published(), Quiet: true}
		if parent, ok := ids[c.Parent]; ok && c.Parent != 0 {
			cm.ArticleID, cm.InReplyTo = 0, parent
		}
		if _, err := imp.s.blog.AddComment(ctx, cm); err != nil {
			imp.report.failed("a comment by "+cm.AuthorName, err)
			continue
		}
		ids[c.ID] = object
		imp.report.imported("comments")
	}
}

// paragraphs gives plain comment text its paragraphs, as WordPress shows it.
func paragraphs(s string) string {
	if strings.Contains(s, "<p") {
		return s
	}
	var b strings.Builder
	for _, p := range strings.Split(strings.ReplaceAll(s, "\r\n", "\n"), "\n\n") {
		if p = strings.TrimSpace(p); p != "" {
			b.WriteString("<p>" + strings.ReplaceAll(p, "\n", "<br>") + "</p>")
		}
	}
	return b.String()
}

var imgSrc = regexp.MustCompile(`(<img\b[^>]*?\bsrc=["'])(https?://[^"']+)(["'])`)

// wordpressImages downloads the images a post shows into the site's media
// and points the post at them; an image that cannot be fetched keeps its
// old address.
func (imp *importer) wordpressImages(ctx context.Context, html string) string {
	return imgSrc.ReplaceAllStringFunc(html, func(tag string) string {
		m := imgSrc.FindStringSubmatch(tag)
		u, err := imp.download(ctx, m[2], "")
		if err != nil {
			imp.report.skipped("images that could not be downloaded")
			return tag
		}
		return m[1] + u + m[3]
	})
}

// download fetches an image through the site's guarded client (no private
// addresses unless allowed, timeouts, size cap) and stores it.
func (imp *importer) download(ctx context.Context, rawURL, alt string) (string, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, rawURL, nil)
	if err != nil {
		return "", err
	}
	resp, err := imp.s.fed.Client().Do(req)
	if err != nil {
		return "", err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return "", fmt.Errorf("%s answered %d", rawURL, resp.StatusCode)
	}
	limit := int64(imp.s.cfg.MaxUploadMB) << 20
	u, err := imp.s.saveBlogImage(ctx, io.LimitReader(resp.Body, limit+1), alt)
	imp.progress.Add(0, resp.ContentLength)
	return u, err
}

func firstNonEmpty(s ...string) string {
	for _, x := range s {
		if x != "" {
			return x
		}
	}
	return ""
}
