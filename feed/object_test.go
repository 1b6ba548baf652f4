package feed

import (
	"context"
	"encoding/json"
	"net/http"
	"reflect"
	"strings"
	"testing"

	"roost/federation/vocab"
)

func getObject(t *testing.T, s *testSite, path string) (int, map[string]any) {
	t.Helper()
	rec := s.do(t, "GET", path, nil, false, "Accept", `application/ld+json; profile="https://www.w3.org/ns/activitystreams"`)
	if ct := rec.Header().Get("Content-Type"); rec.Code < 400 && ct != vocab.ContentTypeActivity {
		t.Errorf("content type %q", ct)
	}
	var m map[string]any
	if rec.Code == http.StatusOK || rec.Code == http.StatusGone {
		if err := json.Unmarshal(rec.Body.Bytes(), &m); err != nil {
			t.Fatalf("%s: %v", rec.Body.String(), err)
		}
	}
	return rec.Code, m
}

func TestNoteObject(t *testing.T) {
	s := newTestSite(t)
	n := s.mustCreate(t, NoteInput{
		Text: "Hi @bob@example.com #Tea", ContentWarning: "drinks", InReplyTo: "https://example.com/notes/3",
		Media: []Media{{URL: testBase + "/m/a.png", MediaType: "image/png", Alt: "cup", Blurhash: "LKO2", Width: 640, Height: 480}},
	})
	code, obj := getObject(t, s, "/notes/"+formatID(n.ID))
	if code != http.StatusOK {
		t.Fatalf("status %d", code)
	}
	want := map[string]any{
		"id": n.URL, "type": "Note", "url": n.URL, "attributedTo": testActor, "content": n.HTML,
		"summary": "drinks", "sensitive": true, "inReplyTo": "https://example.com/notes/3",
		"published": n.Created.Format("2006-01-02T15:04:05Z"),
	}
	for k, v := range want {
		if !reflect.DeepEqual(obj[k], v) {
			t.Errorf("%s = %v, want %v", k, obj[k], v)
		}
	}
	// The replies collection is embedded with its first page, as
	// GoToSocial needs to crawl the thread.
	replies, _ := obj["replies"].(map[string]any)
	first, _ := replies["first"].(map[string]any)
	if replies["id"] != n.URL+"/replies" || replies["type"] != "Collection" || first["type"] != "CollectionPage" ||
		first["partOf"] != n.URL+"/replies" {
		t.Errorf("replies = %v, want the embedded collection %s/replies", obj["replies"], n.URL)
	}
	if _, ok := obj["updated"]; ok {
		t.Error("updated on a note never edited")
	}
	if !reflect.DeepEqual(obj["to"], []any{vocab.Public}) || !reflect.DeepEqual(obj["cc"], []any{testFollowers, "https://example.com/users/bob"}) {
		t.Errorf("to %v cc %v", obj["to"], obj["cc"])
	}
	tags, _ := obj["tag"].([]any)
	wantTags := []any{
		map[string]any{"type": "Hashtag", "name": "#tea", "href": testBase + "/tags/tea"},
		map[string]any{"type": "Mention", "name": "@bob@example.com", "href": "https://example.com/users/bob"},
	}
	if !reflect.DeepEqual(tags, wantTags) {
		t.Errorf("tags %v", tags)
	}
	att := obj["attachment"].([]any)[0].(map[string]any)
	wantAtt := map[string]any{"type": "Document", "mediaType": "image/png", "url": testBase + "/m/a.png", "name": "cup",
		"blurhash": "LKO2", "width": float64(640), "height": float64(480)}
	if !reflect.DeepEqual(att, wantAtt) {
		t.Errorf("attachment %v", att)
	}
}

func TestNoteObjectVisibilityAndTombstone(t *testing.T) {
	s := newTestSite(t)
	ctx := context.Background()
	unlisted := s.mustCreate(t, NoteInput{Text: "u", Visibility: VisibilityUnlisted})
	followers := s.mustCreate(t, NoteInput{Text: "f", Visibility: VisibilityFollowers})
	direct := s.mustCreate(t, NoteInput{Text: "d", Visibility: VisibilityDirect})
	if code, obj := getObject(t, s, "/notes/"+formatID(unlisted.ID)); code != 200 || !reflect.DeepEqual(obj["cc"], []any{vocab.Public}) {
		t.Errorf("unlisted: %d %v", code, obj["cc"])
	}
	for _, n := range []Note{followers, direct} {
		if code, _ := getObject(t, s, "/notes/"+formatID(n.ID)); code != http.StatusNotFound {
			t.Errorf("%s: %d", n.Visibility, code)
		}
	}
	if err := s.feed.Delete(ctx, unlisted.ID); err != nil {
		t.Fatal(err)
	}
	code, obj := getObject(t, s, "/notes/"+formatID(unlisted.ID))
	if code != http.StatusGone || obj["type"] != "Tombstone" || obj["id"] != unlisted.URL {
		t.Errorf("tombstone: %d %v", code, obj)
	}
}

func TestPublishedActivities(t *testing.T) {
	s := newTestSite(t)
	ctx := context.Background()
	bob := "https://example.com/users/bob"
	tests := []struct {
		visibility string
		to, cc     []string
		followers  bool
	}{
		{VisibilityPublic, []string{vocab.Public}, []string{testFollowers, bob}, true},
		{VisibilityUnlisted, []string{testFollowers}, []string{vocab.Public, bob}, true},
		{VisibilityFollowers, []string{testFollowers}, []string{bob}, true},
		{VisibilityDirect, []string{bob}, nil, false},
	}
	for _, tt := range tests {
		t.Run(tt.visibility, func(t *testing.T) {
			before := len(s.pub.all())
			n := s.mustCreate(t, NoteInput{Text: "hey @bob@example.com", Visibility: tt.visibility})
			if _, err := s.feed.Update(ctx, n.ID, NoteInput{Text: "hey again @bob@example.com"}); err != nil {
				t.Fatal(err)
			}
			if err := s.feed.Delete(ctx, n.ID); err != nil {
				t.Fatal(err)
			}
			got := s.pub.all()[before:]
			if len(got) != 3 {
				t.Fatalf("published %d activities", len(got))
			}
			for i, typ := range []string{vocab.TypeCreate, vocab.TypeUpdate, vocab.TypeDelete} {
				a, aud := got[i].activity, got[i].audience
				if a.Type != typ || a.Actor != testActor || !strings.HasPrefix(a.ID, n.URL+"#"+strings.ToLower(typ)) {
					t.Errorf("%s: type %s id %s", typ, a.Type, a.ID)
				}
				if !reflect.DeepEqual(a.To, tt.to) || !reflect.DeepEqual(a.Cc, tt.cc) {
					t.Errorf("%s: to %v cc %v", typ, a.To, a.Cc)
				}
				if aud.Followers != tt.followers || !reflect.DeepEqual(aud.Actors, []string{bob}) {
					t.Errorf("%s: audience %+v", typ, aud)
				}
				obj, _ := a.Object.(map[string]any)
				if obj["id"] != n.URL {
					t.Errorf("%s: object %v", typ, a.Object)
				}
				if typ == vocab.TypeDelete && obj["type"] != vocab.TypeTombstone {
					t.Errorf("delete object %v", obj)
				}
				if typ == vocab.TypeUpdate && !strings.Contains(obj["content"].(string), "hey again") {
					t.Errorf("update content %v", obj["content"])
				}
			}
		})
	}
	before := len(s.pub.all())
	s.mustCreate(t, NoteInput{Text: "a direct note to nobody", Visibility: VisibilityDirect})
	if len(s.pub.all()) != before {
		t.Error("direct note without recipients was published")
	}
}
