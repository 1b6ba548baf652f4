package mastodon

import (
	"fmt"
	"testing"

	"roost/feed"
)

func TestKeywordMatching(t *testing.T) {
	post := func(html, cw string, alts ...string) Post {
		p := Post{ID: 1, ContentHTML: html, Summary: cw}
		for _, a := range alts {
			p.Media = append(p.Media, feed.Media{URL: "https://x.test/a.png", Alt: a})
		}
		return p
	}
	for _, tc := range []struct {
		name    string
		keyword string
		whole   bool
		post    Post
		want    bool
	}{
		{"whole word, case folded", "finale", true, post("<p>The FINALE!</p>", ""), true},
		{"whole word inside a longer word", "finale", true, post("<p>finales</p>", ""), false},
		{"substring inside a longer word", "finale", false, post("<p>semifinales</p>", ""), true},
		{"whole word at the very start and end", "cat", true, post("cat", ""), true},
		{"unicode letters are word characters", "café", true, post("<p>cafés</p>", ""), false},
		{"unicode whole word", "café", true, post("<p>Un CAFÉ, s'il vous plaît</p>", ""), true},
		{"digits are word characters", "v2", true, post("<p>v23</p>", ""), false},
		{"a phrase", "bad word", true, post("<p>a Bad Word here</p>", ""), true},
		{"no boundary needed before punctuation", "#tag", true, post("<p>x#tag now</p>", ""), true},
		{"but one after a final letter", "#tag", true, post("<p>#tags</p>", ""), false},
		{"markup is not text", "strong", false, post("<p><strong>bold</strong></p>", ""), false},
		{"entities are decoded", "r&d", true, post("<p>R&amp;D team</p>", ""), true},
		{"paragraphs do not run together", "endstart", false, post("<p>end</p><p>start</p>", ""), false},
		{"content warning", "spoiler", true, post("<p>x</p>", "Spoiler ahead"), true},
		{"media description", "spider", true, post("<p>x</p>", "", "a big Spider"), true},
		{"no match", "finale", false, post("<p>nothing</p>", "cw", "alt"), false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := compileFilter(FilterEntity{FilterHead: FilterHead{ID: "1", Context: []string{"home"}, FilterAction: "warn"},
				Keywords: []FilterKeyword{{ID: "1", Keyword: tc.keyword, WholeWord: tc.whole}}})
			fs := &filterSet{filters: []*compiledFilter{f}, keywords: true}
			got := fs.results(tc.post)
			if (len(got) == 1) != tc.want {
				t.Fatalf("matched %v, want %v", got, tc.want)
			}
			if tc.want && fmt.Sprint(got[0].KeywordMatches) != "["+tc.keyword+"]" {
				t.Errorf("keyword_matches %v", got[0].KeywordMatches)
			}
		})
	}
}

func TestStatusFilterMatchesBoostAndBoosted(t *testing.T) {
	f := compileFilter(FilterEntity{FilterHead: FilterHead{ID: "1", FilterAction: "hide"},
		Statuses: []FilterStatus{{ID: "1", StatusID: "42"}}})
	fs := &filterSet{filters: []*compiledFilter{f}}
	for _, tc := range []struct {
		name string
		post Post
		want bool
	}{
		{"the status", Post{ID: 42}, true},
		{"a boost of it", Post{ID: 50, Reblog: &Post{ID: 42}}, true},
		{"another status", Post{ID: 43}, false},
	} {
		if got := fs.hides(tc.post); got != tc.want {
			t.Errorf("%s: hides %v, want %v", tc.name, got, tc.want)
		}
	}
	var none *filterSet
	if none.hides(Post{ID: 42}) || len(none.results(Post{ID: 42})) != 0 || none.results(Post{}) == nil {
		t.Error("a nil filter set must match nothing and give an empty, non-null list")
	}
}
