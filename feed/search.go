package feed

import (
	"context"
	"fmt"
	"strings"
	"time"
	"unicode"
)

// SearchQuery asks the full-text index for the notes and posts matching
// Text, best first.
type SearchQuery struct {
	Text string
	// OwnOnly keeps to the owner's notes; AuthorID, when set, to the posts
	// of one other account.
	OwnOnly  bool
	AuthorID string
	// PublicOnly keeps to public posts: what a stranger may see.
	PublicOnly bool
	// MaxID and MinID, when > 0, keep to ids below and above them.
	MaxID, MinID  int64
	Limit, Offset int
}

// SearchHit is one match: the note's or post's id (one id space), whether
// it is one of the owner's notes, and the passage that matched.
type SearchHit struct {
	ID      int64
	Own     bool
	Snippet []SnippetPart
	// ObjectID, Author and Published say what the page shows beside the
	// passage; Author is empty for the owner's notes.
	ObjectID  string
	Author    Author
	Published time.Time
	// Rank is the bm25 score: lower is better.
	Rank float64
}

// SnippetPart is a piece of a matching passage; Match marks the words the
// query found, for the page to highlight.
type SnippetPart struct {
	Text  string
	Match bool
}

// Markers FTS5 puts around matched words in a snippet: control characters,
// which neither notes nor plain text taken from HTML contain.
const (
	matchOpen  = "\x02"
	matchClose = "\x03"
)

// Search finds notes and posts whose text, title or content warning holds
// every word of q.Text (the last one as a prefix, for search as you type),
// ranked by bm25 with titles weighing most and warnings least. It ranks
// first and makes snippets for the page's rows only: a snippet costs far
// more than a rank, and a common word matches thousands of posts.
func (f *Feed) Search(ctx context.Context, q SearchQuery) ([]SearchHit, error) {
	match := MatchExpression(q.Text)
	if match == "" {
		return nil, nil
	}
	ranked, err := f.rankMatches(ctx, match, q)
	if err != nil || len(ranked) == 0 {
		return nil, err
	}
	return f.searchHits(ctx, match, ranked)
}

// rankedID is a match before its snippet is made.
type rankedID struct {
	id   int64
	rank float64
}

// rankMatches lists the page of matches, best first.
func (f *Feed) rankMatches(ctx context.Context, match string, q SearchQuery) ([]rankedID, error) {
	if q.Limit <= 0 {
		q.Limit = 20
	}
	sq := f.searchSQL()
	where := []string{sq.match}
	args := []any{f.searchArg(match)}
	// The joins are there for the filters: every indexed row is a live
	// note or post, since deleting one unindexes it.
	joins := ""
	if q.OwnOnly || q.AuthorID != "" || q.PublicOnly {
		joins = `LEFT JOIN notes n ON n.id = s.rowid AND n.author = '' AND n.deleted_at IS NULL
			LEFT JOIN posts p ON p.id = s.rowid AND p.deleted_at IS NULL`
		where = append(where, `(n.id IS NOT NULL OR p.id IS NOT NULL)`)
	}
	if q.OwnOnly {
		where = append(where, `n.id IS NOT NULL`)
	}
	if q.AuthorID != "" {
		where = append(where, `p.author = ?`)
		args = append(args, q.AuthorID)
	}
	if q.PublicOnly {
		where = append(where, `COALESCE(n.visibility, p.visibility) = ?`)
		args = append(args, VisibilityPublic)
	}
	if q.MaxID > 0 {
		where = append(where, `s.rowid < ?`)
		args = append(args, q.MaxID)
	}
	if q.MinID > 0 {
		where = append(where, `s.rowid > ?`)
		args = append(args, q.MinID)
	}
	args = append(args, q.Limit, q.Offset)
	rows, err := f.db.QueryContext(ctx, `SELECT s.rowid, `+sq.score+` AS score FROM `+sq.from+` `+joins+`
		WHERE `+strings.Join(where, ` AND `)+`
		ORDER BY score, s.rowid DESC
		LIMIT ? OFFSET ?`, args...)
	if err != nil {
		return nil, fmt.Errorf("search: %w", err)
	}
	defer rows.Close()
	var out []rankedID
	for rows.Next() {
		var r rankedID
		if err := rows.Scan(&r.id, &r.rank); err != nil {
			return nil, fmt.Errorf("search: %w", err)
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// searchHits reads what a page shows of the ranked matches, in their order.
func (f *Feed) searchHits(ctx context.Context, match string, ranked []rankedID) ([]SearchHit, error) {
	sq := f.searchSQL()
	args := []any{f.searchArg(match)}
	for _, r := range ranked {
		args = append(args, r.id)
	}
	rows, err := f.db.QueryContext(ctx, `SELECT s.rowid, n.id IS NOT NULL,
		`+sq.snippet+`,
		COALESCE(p.object_id, ''), COALESCE(n.created, p.published, 0),
		COALESCE(a.actor_id, ''), COALESCE(a.name, ''), COALESCE(a.handle, ''), COALESCE(a.avatar_url, ''), COALESCE(a.profile_url, '')
		FROM `+sq.from+`
		LEFT JOIN notes n ON n.id = s.rowid AND n.author = ''
		LEFT JOIN posts p ON p.id = s.rowid
		LEFT JOIN authors a ON a.actor_id = p.author
		WHERE `+sq.match+` AND s.rowid IN (?`+strings.Repeat(`, ?`, len(ranked)-1)+`)`, args...)
	if err != nil {
		return nil, fmt.Errorf("search: %w", err)
	}
	defer rows.Close()
	byID := map[int64]SearchHit{}
	for rows.Next() {
		var h SearchHit
		var snippet string
		var published int64
		if err := rows.Scan(&h.ID, &h.Own, &snippet, &h.ObjectID, &published,
			&h.Author.ActorID, &h.Author.Name, &h.Author.Handle, &h.Author.AvatarURL, &h.Author.ProfileURL); err != nil {
			return nil, fmt.Errorf("search: %w", err)
		}
		h.Snippet = SplitSnippet(snippet)
		h.Published = time.Unix(published, 0)
		byID[h.ID] = h
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("search: %w", err)
	}
	out := make([]SearchHit, 0, len(ranked))
	for _, r := range ranked {
		if h, ok := byID[r.id]; ok {
			h.Rank = r.rank
			out = append(out, h)
		}
	}
	return out, nil
}

// MatchExpression turns what someone typed into an FTS5 query: its words
// (as the unicode61 tokenizer splits them), each quoted so that no FTS5
// syntax reaches the index, all required, the last one a prefix. It is ""
// when there is no word to look for.
func MatchExpression(text string) string {
	words := strings.FieldsFunc(text, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsNumber(r) })
	if len(words) > 16 {
		words = words[:16]
	}
	for i, w := range words {
		words[i] = `"` + w + `"`
	}
	if len(words) == 0 {
		return ""
	}
	words[len(words)-1] += "*"
	return strings.Join(words, " ")
}

// SplitSnippet cuts an FTS5 snippet at its match markers.
func SplitSnippet(s string) []SnippetPart {
	var out []SnippetPart
	for s != "" {
		i := strings.Index(s, matchOpen)
		if i < 0 {
			out = append(out, SnippetPart{Text: s})
			break
		}
		if i > 0 {
			out = append(out, SnippetPart{Text: s[:i]})
		}
		s = s[i+len(matchOpen):]
		j := strings.Index(s, matchClose)
		if j < 0 {
			j = len(s)
		}
		out = append(out, SnippetPart{Text: s[:j], Match: true})
		s = strings.TrimPrefix(s[j:], matchClose)
	}
	return out
}
