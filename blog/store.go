package blog

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"roost/templates/markdown"
)

const (
	statusDraft     = "draft"
	statusPublished = "published"
	kindPost        = "post"
	kindPage        = "page"
)

// articleColumns is the column list every article query reads, in the order
// scanArticle expects.
const articleColumns = `a.id, a.slug, a.object_id, a.title, a.body, a.html, a.summary, a.status, a.kind,
	a.published_at, a.created, a.updated, a.likes, a.boosts, a.deleted_at`

// visibleToAll selects posts anyone may see: live, published, due, not pages.
// The one parameter is the current time.
const visibleToAll = `a.deleted_at IS NULL AND a.status = 'published' AND a.kind = 'post' AND a.published_at <= ?`

// newID makes a time-ordered id: unix milliseconds shifted left 16 bits,
// with 16 random bits below so ids made in the same millisecond by
// different processes rarely meet. Within this process ids only grow, so two
// saves in one millisecond never collide.
func (b *Blog) newID() int64 {
	if b.nextID != nil {
		return b.nextID()
	}
	var r [2]byte
	_, _ = rand.Read(r[:])
	id := b.clock().UnixMilli()<<16 | int64(binary.BigEndian.Uint16(r[:]))
	b.idMu.Lock()
	defer b.idMu.Unlock()
	if id <= b.lastID {
		id = b.lastID + 1
	}
	b.lastID = id
	return id
}

type rowScanner interface{ Scan(dest ...any) error }

func (b *Blog) scanArticle(s rowScanner) (Article, *time.Time, error) {
	var a Article
	var status, kind string
	var published, created, updated int64
	var deleted sql.NullInt64
	if err := s.Scan(&a.ID, &a.Slug, &a.ObjectID, &a.Title, &a.Body, &a.HTML, &a.Summary, &status, &kind,
		&published, &created, &updated, &a.Likes, &a.Boosts, &deleted); err != nil {
		return Article{}, nil, err
	}
	a.Draft, a.Page = status == statusDraft, kind == kindPage
	a.PublishedAt, a.Created, a.Updated = time.Unix(published, 0).UTC(), time.Unix(created, 0).UTC(), time.Unix(updated, 0).UTC()
	a.URL = b.articleURL(a.Slug)
	if deleted.Valid {
		t := time.Unix(deleted.Int64, 0).UTC()
		return a, &t, nil
	}
	return a, nil, nil
}

func (b *Blog) articleURL(slug string) string { return b.baseURL + "/blog/" + slug }

// one reads a single article by a WHERE clause. Deleted rows give ErrGone.
func (b *Blog) one(ctx context.Context, op, where string, args ...any) (Article, error) {
	row := b.stmts.QueryRow(ctx, `SELECT `+articleColumns+` FROM articles a WHERE `+where, args...)
	a, deleted, err := b.scanArticle(row)
	if errors.Is(err, sql.ErrNoRows) {
		return Article{}, fmt.Errorf("%s: %w", op, ErrNotFound)
	}
	if err != nil {
		return Article{}, fmt.Errorf("%s: %w", op, err)
	}
	if deleted != nil {
		return a, &GoneError{Deleted: *deleted, ObjectID: a.ObjectID}
	}
	if a.Tags, err = b.tagsOf(ctx, a.ID); err != nil {
		return Article{}, fmt.Errorf("%s: %w", op, err)
	}
	return a, nil
}

// GoneError is returned for a deleted article; errors.Is(err, ErrGone) and
// errors.Is(err, ErrNotFound) both hold.
type GoneError struct {
	Deleted  time.Time
	ObjectID string
}

func (e *GoneError) Error() string        { return "blog: article deleted" }
func (e *GoneError) Is(target error) bool { return target == ErrGone || target == ErrNotFound }

// Get reads an article by id, drafts and scheduled ones included.
func (b *Blog) Get(ctx context.Context, id int64) (Article, error) {
	return b.one(ctx, "get article "+strconv.FormatInt(id, 10), `a.id = ?`, id)
}

// BySlug reads an article by its current slug, drafts and scheduled ones
// included: callers decide who may see them.
func (b *Blog) BySlug(ctx context.Context, slug string) (Article, error) {
	return b.one(ctx, "article by slug", `a.slug = ?`, slug)
}

// ByURL reads an article by its ActivityStreams id or its page URL (a reply
// names one of them in inReplyTo).
func (b *Blog) ByURL(ctx context.Context, u string) (Article, error) {
	if i := strings.IndexAny(u, "?#"); i >= 0 {
		u = u[:i]
	}
	slug, ok := strings.CutPrefix(u, b.baseURL+"/blog/")
	if !ok || slug == "" || strings.Contains(slug, "/") {
		slug = "/" // matches no slug, as no slug holds a slash (PostgreSQL text cannot hold NUL)
	}
	return b.one(ctx, "article by url", `a.object_id = ? OR a.slug = ? ORDER BY a.object_id = ? DESC LIMIT 1`, u, slug, u)
}

// Published lists due, published posts (not pages), newest first. beforeID,
// when not zero, continues a listing after that article; the order is by
// publication time, so the cursor compares (published_at, id).
func (b *Blog) Published(ctx context.Context, limit int, beforeID int64) ([]Article, error) {
	return b.list(ctx, "published articles", "", nil, limit, beforeID)
}

// ByArrival lists due, published posts by id, newest first, below beforeID
// and above afterID when they are not zero. Ids come from the site's arrival-ordered sequence
// that notes share, so the apps page articles and notes together by id,
// one range of the primary key.
func (b *Blog) ByArrival(ctx context.Context, limit int, beforeID, afterID int64) ([]Article, error) {
	if limit <= 0 {
		limit = b.pageSize
	}
	if beforeID <= 0 {
		beforeID = math.MaxInt64
	}
	// The apps show a title, a summary and a link: the Markdown source is
	// not read, and excerpts come from the cache.
	list, err := b.query(ctx, "articles by arrival", `SELECT `+listingColumns+` FROM articles a WHERE a.id < ? AND a.id > ? AND `+visibleToAll+`
		ORDER BY a.id DESC LIMIT ?`, beforeID, afterID, b.now().Unix(), limit)
	for i := range list {
		list[i].excerpt = b.excerpts.of(list[i])
	}
	return list, err
}

// ArrivalIDs lists the ids ByArrival would return, from the primary key
// alone: a caller merging articles with notes learns where the page ends
// before it reads either in full.
func (b *Blog) ArrivalIDs(ctx context.Context, limit int, beforeID, afterID int64) ([]int64, error) {
	if beforeID <= 0 {
		beforeID = math.MaxInt64
	}
	rows, err := b.stmts.Query(ctx, `SELECT a.id FROM articles a WHERE a.id < ? AND a.id > ? AND `+visibleToAll+`
		ORDER BY a.id DESC LIMIT ?`, beforeID, afterID, b.now().Unix(), limit)
	if err != nil {
		return nil, fmt.Errorf("article ids by arrival: %w", err)
	}
	defer rows.Close()
	var ids []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, fmt.Errorf("article ids by arrival: %w", err)
		}
		ids = append(ids, id)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("article ids by arrival: %w", err)
	}
	return ids, nil
}

// listingColumns are articleColumns without the Markdown source.
var listingColumns = strings.Replace(articleColumns, "a.body", "''", 1)

// Tagged is Published restricted to one tag.
func (b *Blog) Tagged(ctx context.Context, tag string, limit int, beforeID int64) ([]Article, error) {
	return b.list(ctx, "tagged articles", `AND EXISTS (SELECT 1 FROM article_tags t WHERE t.article_id = a.id AND t.tag = ?)`,
		[]any{TagKey(tag)}, limit, beforeID)
}

func (b *Blog) list(ctx context.Context, op, extra string, extraArgs []any, limit int, beforeID int64) ([]Article, error) {
	if limit <= 0 {
		limit = b.pageSize
	}
	q := `SELECT ` + articleColumns + ` FROM articles a WHERE ` + visibleToAll + ` ` + extra
	args := append([]any{b.now().Unix()}, extraArgs...)
	if beforeID != 0 {
		q += ` AND (a.published_at < (SELECT published_at FROM articles WHERE id = ?)
			OR (a.published_at = (SELECT published_at FROM articles WHERE id = ?) AND a.id < ?))`
		args = append(args, beforeID, beforeID, beforeID)
	}
	q += ` ORDER BY a.published_at DESC, a.id DESC LIMIT ?`
	args = append(args, limit)
	return b.query(ctx, op, q, args...)
}

// All lists every live article and page for the owner's overview, drafts
// and scheduled ones included, newest first.
func (b *Blog) All(ctx context.Context) ([]Article, error) {
	return b.query(ctx, "all articles", `SELECT `+articleColumns+` FROM articles a WHERE a.deleted_at IS NULL
		ORDER BY a.published_at DESC, a.id DESC`)
}

// Count counts the posts anyone can see.
func (b *Blog) Count(ctx context.Context) (int, error) {
	var n int
	err := b.db.QueryRowContext(ctx, `SELECT COUNT(*) FROM articles a WHERE `+visibleToAll, b.now().Unix()).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("count articles: %w", err)
	}
	return n, nil
}

func (b *Blog) query(ctx context.Context, op, q string, args ...any) ([]Article, error) {
	rows, err := b.stmts.Query(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", op, err)
	}
	defer rows.Close()
	var out []Article
	for rows.Next() {
		a, _, err := b.scanArticle(rows)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", op, err)
		}
		out = append(out, a)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("%s: %w", op, err)
	}
	if err := b.fillTags(ctx, out); err != nil {
		return nil, fmt.Errorf("%s: %w", op, err)
	}
	return out, nil
}

func (b *Blog) tagsOf(ctx context.Context, id int64) ([]string, error) {
	one := []Article{{ID: id}}
	if err := b.fillTags(ctx, one); err != nil {
		return nil, err
	}
	return one[0].Tags, nil
}

// fillTags loads the tags of a page of articles in one query.
// tagLabel is a tag as its author wrote it; tags stored before labels
// were kept have only their key.
const tagLabel = `COALESCE(NULLIF(label, ''), tag)`

func (b *Blog) fillTags(ctx context.Context, list []Article) error {
	if len(list) == 0 {
		return nil
	}
	index := make(map[int64]int, len(list))
	args := make([]any, len(list))
	for i, a := range list {
		index[a.ID], args[i] = i, a.ID
	}
	rows, err := b.stmts.Query(ctx, `SELECT article_id, `+tagLabel+` FROM article_tags WHERE article_id IN (?`+
		strings.Repeat(",?", len(list)-1)+`) ORDER BY article_id, position, tag`, args...)
	if err != nil {
		return fmt.Errorf("read tags: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var tag string
		if err := rows.Scan(&id, &tag); err != nil {
			return fmt.Errorf("read tags: %w", err)
		}
		list[index[id]].Tags = append(list[index[id]].Tags, tag)
	}
	return rows.Err()
}

func render(body string) (string, error) {
	html, err := markdown.Render(body)
	if err != nil {
		return "", fmt.Errorf("render article: %w", err)
	}
	return html, nil
}
