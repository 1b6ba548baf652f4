package mastodon

import (
	"context"
	"log/slog"
	"strings"
	"sync/atomic"
	"time"
	"unicode"
	"unicode/utf8"

	"roost/federation/vocab"
)

// Filter contexts: where a status is shown decides which filters apply.
const (
	filterHome          = "home" // the home timeline and lists
	filterNotifications = "notifications"
	filterPublic        = "public" // public and tag timelines
	filterThread        = "thread" // a status and its conversation
	filterAccount       = "account"
)

// FilterResult is Mastodon's FilterResult: a filter a status matched, and
// by which keywords or status ids. Unmatched kinds are null, as Mastodon
// sends them.
type FilterResult struct {
	Filter         FilterHead `json:"filter"`
	KeywordMatches []string   `json:"keyword_matches"`
	StatusMatches  []string   `json:"status_matches"`
}

// compiledFilter is a filter ready to match statuses.
type compiledFilter struct {
	head     FilterHead
	hide     bool
	expires  time.Time
	keywords []keywordMatcher
	statuses map[int64]bool
}

// keywordMatcher matches one keyword, lower-cased, against lower-cased text.
// Word boundaries are checked only at an end of the keyword that is a
// letter or digit, so that "#tag" still matches "#tag" after a space.
type keywordMatcher struct {
	keyword, lower       string
	wholeStart, wholeEnd bool
}

// filterSnapshot is the compiled filters as of one write generation.
type filterSnapshot struct {
	gen     uint64
	filters []*compiledFilter
}

// filterCache holds the compiled filters between requests. Every write
// bumps gen after it reached the database, so a snapshot read before a write
// is never taken for current.
type filterCache struct {
	gen atomic.Uint64
	cur atomic.Pointer[filterSnapshot]
}

func (a *API) forgetFilters() { a.filterCache.gen.Add(1) }

// compiledFilters returns the owner's filters, expired ones included.
func (a *API) compiledFilters(ctx context.Context) ([]*compiledFilter, error) {
	gen := a.filterCache.gen.Load()
	if s := a.filterCache.cur.Load(); s != nil && s.gen == gen {
		return s.filters, nil
	}
	list, err := a.readFilters(ctx, 0)
	if err != nil {
		return nil, err
	}
	compiled := make([]*compiledFilter, 0, len(list))
	for _, f := range list {
		compiled = append(compiled, compileFilter(f))
	}
	a.filterCache.cur.Store(&filterSnapshot{gen: gen, filters: compiled})
	return compiled, nil
}

func compileFilter(f FilterEntity) *compiledFilter {
	c := &compiledFilter{head: f.FilterHead, hide: f.FilterAction == "hide", expires: f.expires}
	for _, k := range f.Keywords {
		lower := strings.ToLower(strings.TrimSpace(k.Keyword))
		if lower == "" {
			continue
		}
		first, _ := utf8.DecodeRuneInString(lower)
		last, _ := utf8.DecodeLastRuneInString(lower)
		c.keywords = append(c.keywords, keywordMatcher{keyword: k.Keyword, lower: lower,
			wholeStart: k.WholeWord && isWordRune(first), wholeEnd: k.WholeWord && isWordRune(last)})
	}
	for _, s := range f.Statuses {
		if id, ok := parseID(s.StatusID); ok {
			if c.statuses == nil {
				c.statuses = map[int64]bool{}
			}
			c.statuses[id] = true
		}
	}
	return c
}

func isWordRune(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }

// matches reports whether the keyword occurs in text (both lower-cased).
func (k keywordMatcher) matches(text string) bool {
	for from := 0; from <= len(text); {
		i := strings.Index(text[from:], k.lower)
		if i < 0 {
			return false
		}
		start, end := from+i, from+i+len(k.lower)
		before, _ := utf8.DecodeLastRuneInString(text[:start])
		after, _ := utf8.DecodeRuneInString(text[end:])
		if (!k.wholeStart || start == 0 || !isWordRune(before)) && (!k.wholeEnd || end == len(text) || !isWordRune(after)) {
			return true
		}
		_, size := utf8.DecodeRuneInString(text[start:])
		from = start + size
	}
	return false
}

// filterSet is the owner's filters that apply in one context, for one
// request. A nil set filters nothing, which is the common case and costs
// nothing.
type filterSet struct {
	filters  []*compiledFilter
	keywords bool // some filter has keywords, so plain text is needed
	memo     map[int64][]FilterResult
}

// filtersIn returns the filters active in the context where, for a
// request made with t. Filters are the owner's: other tokens, and none,
// get nil.
func (a *API) filtersIn(ctx context.Context, t *token, where string) *filterSet {
	if t == nil || !t.owner {
		return nil
	}
	return a.ownerFiltersIn(ctx, where)
}

// ownerFiltersIn is filtersIn for work done on the owner's behalf (streams).
func (a *API) ownerFiltersIn(ctx context.Context, where string) *filterSet {
	all, err := a.compiledFilters(ctx)
	if err != nil {
		// Showing a status the owner filtered beats failing the timeline.
		slog.Warn("mastodon: load filters", "err", err)
		return nil
	}
	if len(all) == 0 {
		return nil
	}
	now := a.cfg.Now()
	var fs *filterSet
	for _, f := range all {
		if (!f.expires.IsZero() && !f.expires.After(now)) || !contains(f.head.Context, where) {
			continue
		}
		if fs == nil {
			fs = &filterSet{}
		}
		fs.filters = append(fs.filters, f)
		fs.keywords = fs.keywords || len(f.keywords) > 0
	}
	return fs
}

// results lists the filters p matches. A boost is judged by the boosted
// status, and by either id for filtered statuses.
func (fs *filterSet) results(p Post) []FilterResult {
	if fs == nil {
		return []FilterResult{}
	}
	if r, ok := fs.memo[p.ID]; ok {
		return r
	}
	target := p
	if p.Reblog != nil {
		target = *p.Reblog
	}
	var text string
	if fs.keywords {
		text = filterText(target)
	}
	out := []FilterResult{}
	for _, f := range fs.filters {
		var kw, ids []string
		for _, k := range f.keywords {
			if k.matches(text) {
				kw = append(kw, k.keyword)
			}
		}
		for _, id := range []int64{p.ID, target.ID} {
			if f.statuses[id] && !contains(ids, idString(id)) {
				ids = append(ids, idString(id))
			}
		}
		if kw != nil || ids != nil {
			out = append(out, FilterResult{Filter: f.head, KeywordMatches: kw, StatusMatches: ids})
		}
	}
	if fs.memo == nil {
		fs.memo = map[int64][]FilterResult{}
	}
	fs.memo[p.ID] = out
	return out
}

// hides tells whether a filter with the "hide" action matches p.
func (fs *filterSet) hides(p Post) bool {
	if fs == nil {
		return false
	}
	for _, r := range fs.results(p) {
		if r.Filter.FilterAction == "hide" {
			return true
		}
	}
	return false
}

// filterText is what keywords are matched against, lower-cased: the content
// without markup, the content warning and the media descriptions, as
// Mastodon matches them, separated so that words do not run together.
func filterText(p Post) string {
	var b strings.Builder
	b.WriteString(vocab.PlainText(p.ContentHTML))
	b.WriteString("\n\n")
	b.WriteString(p.Summary)
	for _, m := range p.Media {
		b.WriteString("\n\n")
		b.WriteString(m.Alt)
	}
	return strings.ToLower(b.String())
}
