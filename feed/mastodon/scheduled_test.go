package mastodon

import (
	"bytes"
	"context"
	"image"
	"image/png"
	"net/url"
	"strings"
	"testing"
	"time"
)

// uploadPNG stores a small image and returns its media id.
func (ta *testAPI) uploadPNG(t *testing.T) string {
	t.Helper()
	var buf bytes.Buffer
	if err := png.Encode(&buf, image.NewRGBA(image.Rect(0, 0, 4, 3))); err != nil {
		t.Fatal(err)
	}
	m, err := ta.api.cfg.Media.Save(context.Background(), &buf, "a square")
	if err != nil {
		t.Fatal(err)
	}
	return idString(m.ID)
}

func TestScheduledStatuses(t *testing.T) {
	ta := newTestAPI(t, false)
	now := time.Date(2024, 5, 1, 12, 0, 0, 0, time.UTC)
	ta.api.cfg.Now = func() time.Time { return now }
	at := func(d time.Duration) string { return now.Add(d).Format(time.RFC3339) }
	mediaID := ta.uploadPNG(t)
	parent := ta.post(t, "parent")

	ta.do(t, "POST", "/api/v1/statuses", ta.token, map[string]any{"status": "soon", "scheduled_at": at(4 * time.Minute)}, 422, nil)
	ta.do(t, "POST", "/api/v1/statuses", ta.token, map[string]any{"status": "", "scheduled_at": at(time.Hour)}, 422, nil)
	ta.do(t, "POST", "/api/v1/statuses", ta.token, map[string]any{"status": "x", "scheduled_at": "tomorrow"}, 422, nil)

	var s map[string]any
	ta.do(t, "POST", "/api/v1/statuses", ta.token, url.Values{"status": {"later #plans"}, "scheduled_at": {at(time.Hour)},
		"visibility": {"unlisted"}, "spoiler_text": {"cw"}, "media_ids[]": {mediaID}, "language": {"en"},
		"in_reply_to_id": {parent["id"].(string)}}, 200, &s)
	params, _ := s["params"].(map[string]any)
	if s["scheduled_at"] != "2024-05-01T13:00:00.000Z" || params["text"] != "later #plans" || params["visibility"] != "unlisted" ||
		params["spoiler_text"] != "cw" || len(s["media_attachments"].([]any)) != 1 || params["in_reply_to_id"] == nil {
		t.Fatalf("scheduled status %v", s)
	}
	id := s["id"].(string)
	var other map[string]any
	now = now.Add(time.Second) // ids follow the time they were made
	ta.do(t, "POST", "/api/v1/statuses", ta.token, map[string]any{"status": "never", "scheduled_at": at(2 * time.Hour)}, 200, &other)

	var list []map[string]any
	resp := ta.do(t, "GET", "/api/v1/scheduled_statuses?limit=1", ta.token, nil, 200, &list)
	if len(list) != 1 || list[0]["id"] != other["id"] || !strings.Contains(resp.Header.Get("Link"), "max_id="+other["id"].(string)) {
		t.Errorf("list %v, Link %q", list, resp.Header.Get("Link"))
	}
	ta.do(t, "PUT", "/api/v1/scheduled_statuses/"+id, ta.token, map[string]any{"scheduled_at": at(time.Minute)}, 422, nil)
	ta.do(t, "PUT", "/api/v1/scheduled_statuses/"+id, ta.token, map[string]any{"scheduled_at": at(90 * time.Minute)}, 200, &s)
	if s["scheduled_at"] != "2024-05-01T13:30:01.000Z" {
		t.Errorf("rescheduled to %v", s["scheduled_at"])
	}
	ta.do(t, "DELETE", "/api/v1/scheduled_statuses/"+other["id"].(string), ta.token, nil, 200, nil)
	ta.do(t, "GET", "/api/v1/scheduled_statuses/"+other["id"].(string), ta.token, nil, 404, nil)

	// Nothing is due yet.
	before := len(ta.pub.types())
	if err := ta.api.PublishDue(context.Background()); err != nil {
		t.Fatal(err)
	}
	if len(ta.pub.types()) != before {
		t.Fatal("posted before its time")
	}
	now = now.Add(2 * time.Hour)
	if err := ta.api.PublishDue(context.Background()); err != nil {
		t.Fatal(err)
	}
	if got := ta.pub.types(); len(got) != before+1 || got[len(got)-1] != "Create" {
		t.Fatalf("published %v", got)
	}
	var home []map[string]any
	ta.do(t, "GET", "/api/v1/timelines/home?limit=1", ta.token, nil, 200, &home)
	if len(home) != 1 || !strings.Contains(home[0]["content"].(string), "later") || home[0]["spoiler_text"] != "cw" ||
		home[0]["visibility"] != "unlisted" || home[0]["in_reply_to_id"] != parent["id"] || len(home[0]["media_attachments"].([]any)) != 1 {
		t.Errorf("posted %v", home)
	}
	ta.do(t, "GET", "/api/v1/scheduled_statuses/"+id, ta.token, nil, 404, nil)

	// A date already past posts at once, as Mastodon does.
	ta.do(t, "POST", "/api/v1/statuses", ta.token, map[string]any{"status": "now", "scheduled_at": at(-time.Minute)}, 200, &s)
	if s["content"] == nil || s["account"] == nil {
		t.Errorf("past date: %v", s)
	}
}

func TestScheduledStatusWithAProblemWaits(t *testing.T) {
	ta := newTestAPI(t, false)
	now := time.Date(2024, 5, 1, 12, 0, 0, 0, time.UTC)
	ta.api.cfg.Now = func() time.Time { return now }
	parent := ta.post(t, "parent")
	var s map[string]any
	ta.do(t, "POST", "/api/v1/statuses", ta.token, map[string]any{"status": "reply", "in_reply_to_id": parent["id"],
		"scheduled_at": now.Add(time.Hour).Format(time.RFC3339)}, 200, &s)
	ta.do(t, "DELETE", "/api/v1/statuses/"+parent["id"].(string), ta.token, nil, 200, nil)
	now = now.Add(2 * time.Hour)
	before := len(ta.pub.types())
	for i := 0; i < 2; i++ {
		if err := ta.api.PublishDue(context.Background()); err != nil {
			t.Fatal(err)
		}
	}
	if len(ta.pub.types()) != before {
		t.Errorf("a reply to a deleted status was posted: %v", ta.pub.types())
	}
	ta.do(t, "GET", "/api/v1/scheduled_statuses/"+s["id"].(string), ta.token, nil, 200, nil)
}
