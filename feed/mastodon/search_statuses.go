package mastodon

import (
	"cmp"
	"context"
	"slices"
	"strings"

	"roost/feed"
)

// statusQuery is a full-text status search of /api/v2/search.
type statusQuery struct {
	text          string
	limit, offset int
	maxID, minID  int64
	accountID     string
	// owner is set for the owner's token: without it only the owner's
	// public notes are searched, never what the owner reads here.
	owner bool
}

func statusQueryOf(p *params, t *token) statusQuery {
	q := statusQuery{
		text: strings.TrimSpace(p.get("q")), limit: p.integer("limit", 20), offset: p.integer("offset", 0),
		accountID: p.get("account_id"), owner: t != nil && t.owner,
	}
	q.limit = min(max(q.limit, 1), 40)
	q.offset = min(max(q.offset, 0), maxSearchOffset)
	q.maxID, _ = parseID(p.get("max_id"))
	q.minID, _ = parseID(p.get("min_id"))
	return q
}

// findStatuses searches the full-text index of the feed room: the owner's
// notes and, for the owner, the posts kept for the home timeline, the
// bookmarks and the items of followed web feeds. Posts by hidden accounts
// are left out.
func (a *API) findStatuses(ctx context.Context, q statusQuery) ([]Status, error) {
	// Each store ranks its first offset+limit matches; the page is cut
	// from the two lists merged.
	fq := feed.SearchQuery{Text: q.text, MaxID: q.maxID, MinID: q.minID, Limit: q.offset + q.limit}
	if !q.owner {
		fq.OwnOnly, fq.PublicOnly = true, true
	}
	switch q.accountID {
	case "":
	case ownerAccountID:
		fq.OwnOnly = true
	default:
		actorID, err := a.actorOf(ctx, q.accountID)
		if isNotFound(err) {
			return []Status{}, nil
		}
		if err != nil {
			return nil, err
		}
		fq.AuthorID = actorID
	}
	if fq.OwnOnly && fq.AuthorID != "" {
		return []Status{}, nil
	}
	hits, err := a.cfg.Feed.Search(ctx, fq)
	if err != nil {
		return nil, err
	}
	ranked := make([]rankedStatus, 0, len(hits))
	for _, h := range hits {
		ranked = append(ranked, rankedStatus{h.ID, h.Rank})
	}
	if as, ok := a.cfg.Articles.(ArticleSearch); ok && fq.AuthorID == "" {
		arts, err := as.SearchArticles(ctx, feed.MatchExpression(q.text), fq.Limit, q.maxID, q.minID)
		if err != nil {
			return nil, err
		}
		for _, m := range arts {
			ranked = append(ranked, rankedStatus{m.ID, m.Rank})
		}
		slices.SortStableFunc(ranked, func(x, y rankedStatus) int {
			return cmp.Or(cmp.Compare(x.rank, y.rank), cmp.Compare(y.id, x.id))
		})
	}
	ranked = ranked[min(q.offset, len(ranked)):]
	ranked = ranked[:min(q.limit, len(ranked))]
	hider := a.newHider(ctx)
	posts := make([]Post, 0, len(ranked))
	for _, h := range ranked {
		post, _, err := a.findPost(ctx, h.id)
		if isNotFound(err) {
			continue
		}
		if err != nil {
			return nil, err
		}
		if !visible(post, q.owner) || hider.post(post) {
			continue
		}
		posts = append(posts, post)
	}
	return a.newRenderer(ctx).statuses(posts)
}

// maxSearchOffset bounds how deep apps page into search results: each
// page ranks every match above it.
const maxSearchOffset = 1000

// ArticleSearch is what Articles offers when the blog's articles can be
// searched too: the published articles matching an FTS5 expression (as
// feed.MatchExpression makes it), best first.
type ArticleSearch interface {
	SearchArticles(ctx context.Context, match string, limit int, maxID, minID int64) ([]ArticleMatch, error)
}

// ArticleMatch is an article found by ArticleSearch, with its bm25 score
// (lower is better), which the merge compares with the feed room's.
type ArticleMatch struct {
	ID   int64
	Rank float64
}

// rankedStatus is a match of either store, before it is read.
type rankedStatus struct {
	id   int64
	rank float64
}

// findTags lists the known hashtags starting with q, and q itself first
// when it is written as a hashtag (#name), so that an app can open a tag
// nobody used here yet.
func (a *API) findTags(ctx context.Context, q string, limit, offset int) ([]Tag, error) {
	m := hashtagName.FindStringSubmatch(q)
	if m == nil {
		return []Tag{}, nil
	}
	names, err := a.cfg.Feed.KnownTags(ctx, m[1], offset+limit)
	if err != nil {
		return nil, err
	}
	typed := strings.ToLower(m[1])
	if strings.HasPrefix(q, "#") && !containsString(names, typed) {
		names = append([]string{typed}, names...)
	}
	names = names[min(offset, len(names)):]
	out := []Tag{}
	for _, name := range names[:min(len(names), limit)] {
		out = append(out, Tag{ID: name, Name: name, URL: a.cfg.Feed.TagURL(name), History: []any{}})
	}
	return out, nil
}

func containsString(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}
