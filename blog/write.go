package blog

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
)

// Create validates and stores a new article, then federates it when it is a
// published, due post.
func (b *Blog) Create(ctx context.Context, in ArticleInput) (Article, error) {
	in, err := validate(in)
	if err != nil {
		return Article{}, err
	}
	html, err := render(in.Body)
	if err != nil {
		return Article{}, err
	}
	now := b.now()
	if in.PublishedAt.IsZero() {
		in.PublishedAt = now
	}
	id := b.newID()
	tx, err := b.db.BeginTx(ctx, nil)
	if err != nil {
		return Article{}, fmt.Errorf("create article: %w", err)
	}
	defer tx.Rollback()
	want := in.Slug
	if want == "" {
		want = in.Title
	}
	slug, err := b.freeSlug(ctx, tx, want, id, in.ExactSlug && in.Slug != "")
	if errors.Is(err, ErrSlugTaken) {
		return Article{}, err
	}
	if err != nil {
		return Article{}, fmt.Errorf("create article: %w", err)
	}
	_, err = tx.ExecContext(ctx, `INSERT INTO articles (id, slug, object_id, title, body, html, summary, status, kind,
		published_at, created, updated) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		id, slug, b.articleURL(slug), in.Title, in.Body, html, in.Summary, status(in.Draft), kind(in.Page),
		in.PublishedAt.Unix(), now.Unix(), now.Unix())
	if err != nil {
		return Article{}, fmt.Errorf("create article: %w", err)
	}
	if err := setTags(ctx, tx, id, in.Tags); err != nil {
		return Article{}, fmt.Errorf("create article: %w", err)
	}
	a, err := b.articleIn(ctx, tx, id)
	if err != nil {
		return Article{}, fmt.Errorf("create article: %w", err)
	}
	if !in.Quiet {
		if err := b.federateSaved(ctx, tx, a, false); err != nil {
			return Article{}, fmt.Errorf("create article: %w", err)
		}
	}
	if err := tx.Commit(); err != nil {
		return Article{}, fmt.Errorf("create article: %w", err)
	}
	return a, nil
}

// Update replaces an article's fields. An empty Slug keeps the current one,
// so fixing a typo in the title does not move the page.
func (b *Blog) Update(ctx context.Context, id int64, in ArticleInput) (Article, error) {
	in, err := validate(in)
	if err != nil {
		return Article{}, err
	}
	html, err := render(in.Body)
	if err != nil {
		return Article{}, err
	}
	op := "update article " + strconv.FormatInt(id, 10)
	now := b.now()
	if in.PublishedAt.IsZero() {
		in.PublishedAt = now
	}
	tx, err := b.db.BeginTx(ctx, nil)
	if err != nil {
		return Article{}, fmt.Errorf("%s: %w", op, err)
	}
	defer tx.Rollback()
	var slug string
	var federated sql.NullInt64
	err = tx.QueryRowContext(ctx, `SELECT slug, federated_at FROM articles WHERE id = ? AND deleted_at IS NULL`, id).Scan(&slug, &federated)
	if errors.Is(err, sql.ErrNoRows) {
		return Article{}, fmt.Errorf("%s: %w", op, ErrNotFound)
	}
	if err != nil {
		return Article{}, fmt.Errorf("%s: %w", op, err)
	}
	oldSlug := slug
	if in.Slug != "" && Slugify(in.Slug) != slug {
		slug, err = b.freeSlug(ctx, tx, in.Slug, id, in.ExactSlug)
		if errors.Is(err, ErrSlugTaken) {
			return Article{}, err
		}
		if err != nil {
			return Article{}, fmt.Errorf("%s: %w", op, err)
		}
	}
	_, err = tx.ExecContext(ctx, `UPDATE articles SET slug = ?, title = ?, body = ?, html = ?, summary = ?, status = ?,
		kind = ?, published_at = ?, updated = ? WHERE id = ?`,
		slug, in.Title, in.Body, html, in.Summary, status(in.Draft), kind(in.Page), in.PublishedAt.Unix(), now.Unix(), id)
	if err != nil {
		return Article{}, fmt.Errorf("%s: %w", op, err)
	}
	if err := setTags(ctx, tx, id, in.Tags); err != nil {
		return Article{}, fmt.Errorf("%s: %w", op, err)
	}
	a, err := b.articleIn(ctx, tx, id)
	if err != nil {
		return Article{}, fmt.Errorf("%s: %w", op, err)
	}
	if oldSlug != slug {
		// The pages the post linked to from its old address check that
		// address again and drop what it said; the new address tells them anew.
		if err := b.QueueWebmentions(ctx, tx, b.articleURL(oldSlug), "", nil); err != nil {
			return Article{}, fmt.Errorf("%s: %w", op, err)
		}
	}
	if err := b.federateSaved(ctx, tx, a, federated.Valid); err != nil {
		return Article{}, fmt.Errorf("%s: %w", op, err)
	}
	if err := tx.Commit(); err != nil {
		return Article{}, fmt.Errorf("%s: %w", op, err)
	}
	return a, nil
}

// Delete marks an article deleted; its URL answers 410 from then on, and
// followers who received it get a Delete.
func (b *Blog) Delete(ctx context.Context, id int64) error {
	op := "delete article " + strconv.FormatInt(id, 10)
	var objectID, slug string
	var federated sql.NullInt64
	err := b.db.QueryRowContext(ctx, `SELECT object_id, slug, federated_at FROM articles WHERE id = ? AND deleted_at IS NULL`, id).
		Scan(&objectID, &slug, &federated)
	if errors.Is(err, sql.ErrNoRows) {
		return fmt.Errorf("%s: %w", op, ErrNotFound)
	}
	if err != nil {
		return fmt.Errorf("%s: %w", op, err)
	}
	now := b.now()
	tx, err := b.db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("%s: %w", op, err)
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, `UPDATE articles SET deleted_at = ?, federated_at = NULL WHERE id = ?`, now.Unix(), id); err != nil {
		return fmt.Errorf("%s: %w", op, err)
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM article_tags WHERE article_id = ?`, id); err != nil {
		return fmt.Errorf("%s: %w", op, err)
	}
	if federated.Valid {
		if err := b.federateDelete(ctx, tx, objectID, now); err != nil {
			return fmt.Errorf("%s: %w", op, err)
		}
	}
	// The pages it linked to fetch it again, find it gone (410) and take
	// down the mention.
	if err := b.QueueWebmentions(ctx, tx, b.articleURL(slug), "", nil); err != nil {
		return fmt.Errorf("%s: %w", op, err)
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("%s: %w", op, err)
	}
	return nil
}

// freeSlug is want as a slug when exact is set, ErrSlugTaken if another
// article has it, and otherwise the first free uniqueSlug.
func (b *Blog) freeSlug(ctx context.Context, tx *sql.Tx, want string, self int64, exact bool) (string, error) {
	if !exact {
		return b.uniqueSlug(ctx, tx, want, self)
	}
	slug := Slugify(want)
	if reservedSlugs[slug] {
		return "", ErrSlugTaken
	}
	taken, err := b.slugTaken(ctx, tx, slug, self)
	if err != nil {
		return "", err
	}
	if taken {
		return "", ErrSlugTaken
	}
	return slug, nil
}

func (b *Blog) slugTaken(ctx context.Context, tx *sql.Tx, slug string, self int64) (bool, error) {
	var taken int
	err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM articles WHERE (slug = ? OR object_id = ?) AND id <> ?`,
		slug, b.articleURL(slug), self).Scan(&taken)
	if err != nil {
		return false, fmt.Errorf("slug taken: %w", err)
	}
	return taken > 0, nil
}

// uniqueSlug turns want into a slug no other article uses, neither as its
// current slug nor as the address of its ActivityStreams id, adding -2, -3...
func (b *Blog) uniqueSlug(ctx context.Context, tx *sql.Tx, want string, self int64) (string, error) {
	base := Slugify(want)
	if base == "" {
		base = "post"
	}
	for n := 1; n < 10000; n++ {
		candidate := base
		if n > 1 {
			candidate = base + "-" + strconv.Itoa(n)
		}
		if reservedSlugs[candidate] {
			continue
		}
		taken, err := b.slugTaken(ctx, tx, candidate, self)
		if err != nil {
			return "", fmt.Errorf("unique slug: %w", err)
		}
		if !taken {
			return candidate, nil
		}
	}
	return "", fmt.Errorf("unique slug %q: too many articles share it", base)
}

func setTags(ctx context.Context, tx *sql.Tx, id int64, tags []string) error {
	if _, err := tx.ExecContext(ctx, `DELETE FROM article_tags WHERE article_id = ?`, id); err != nil {
		return fmt.Errorf("set tags: %w", err)
	}
	for i, t := range tags {
		if _, err := tx.ExecContext(ctx, `INSERT INTO article_tags (article_id, tag, label, position) VALUES (?, ?, ?, ?)`,
			id, TagKey(t), t, i); err != nil {
			return fmt.Errorf("set tags: %w", err)
		}
	}
	return nil
}

// SetCounts stores the like and boost counts federation keeps for an article.
func (b *Blog) SetCounts(ctx context.Context, articleID int64, likes, boosts int) error {
	if _, err := b.db.ExecContext(ctx, `UPDATE articles SET likes = ?, boosts = ? WHERE id = ?`, likes, boosts, articleID); err != nil {
		return fmt.Errorf("set counts of %d: %w", articleID, err)
	}
	return nil
}

func status(draft bool) string {
	if draft {
		return statusDraft
	}
	return statusPublished
}

func kind(page bool) string {
	if page {
		return kindPage
	}
	return kindPost
}
