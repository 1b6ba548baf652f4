package mastodon

import (
	"encoding/json"
	"net/url"
	"testing"
	"time"
)

// TestFiltersMatchSchema validates filtered statuses, filter results,
// filtered statuses and both filter views against the schema.
func TestFiltersMatchSchema(t *testing.T) {
	c := loadSchemas(t)
	ta := newTestAPI(t, true)
	p := ta.bobPost(snowflake(time.Now().UnixMilli()), "<p>the finale</p>", "public", nil)
	ta.remote.home = []Post{p}
	id := ta.makeFilter(t, "Spoilers", "warn", []string{"home", "thread"}, "3600", "finale")
	var fst json.RawMessage
	ta.do(t, "POST", "/api/v2/filters/"+id+"/statuses", ta.token, url.Values{"status_id": {idString(p.ID)}}, 200, &fst)
	validate(t, c, "FilterStatus", fst)

	var home []json.RawMessage
	ta.do(t, "GET", "/api/v1/timelines/home", ta.token, nil, 200, &home)
	var one json.RawMessage
	ta.do(t, "GET", "/api/v1/statuses/"+idString(p.ID), ta.token, nil, 200, &one)
	for _, raw := range append(home, one) {
		validate(t, c, "Status", raw)
		var s struct{ Filtered []json.RawMessage }
		if err := json.Unmarshal(raw, &s); err != nil || len(s.Filtered) != 1 {
			t.Fatalf("want one filter result: %s", raw)
		}
		validate(t, c, "FilterResult", s.Filtered[0])
	}
	for _, tc := range []struct{ path, schema string }{
		{"/api/v2/filters", "Filter"},
		{"/api/v2/filters/" + id + "/statuses", "FilterStatus"},
		{"/api/v2/filters/" + id + "/keywords", "FilterKeyword"},
		{"/api/v1/filters", "V1Filter"},
	} {
		var items []json.RawMessage
		ta.do(t, "GET", tc.path, ta.token, nil, 200, &items)
		if len(items) == 0 {
			t.Fatalf("%s: empty", tc.path)
		}
		for _, it := range items {
			validate(t, c, tc.schema, it)
		}
	}
}
