package feed

import (
	"context"
	"testing"
)

func TestOwnLikesNewestFirstWithPaging(t *testing.T) {
	ctx := context.Background()
	s := newRemoteSite(t, bobID)
	first := publicNote("https://remote.test/notes/1", bobID, "<p>first</p>", 1)
	second := publicNote("https://remote.test/notes/2", bobID, "<p>second</p>", 2)
	unliked := publicNote("https://remote.test/notes/3", bobID, "<p>third</p>", 3)
	mustCreated(t, s, first, actor(bobID, "Bob"))
	mustCreated(t, s, second, actor(bobID, "Bob"))
	mustCreated(t, s, unliked, actor(bobID, "Bob"))
	own := s.mustCreate(t, NoteInput{Text: "my own note", Visibility: VisibilityPublic})

	// A peer's like of the owner's note is not the owner's.
	if err := s.feed.Liked(ctx, "https://remote.test/likes/1", own.URL, actor(bobID, "Bob")); err != nil {
		t.Fatal(err)
	}
	for _, id := range []string{second.ID, own.URL, first.ID, unliked.ID} {
		if err := s.feed.Like(ctx, id); err != nil {
			t.Fatalf("like %s: %v", id, err)
		}
	}
	if err := s.feed.Unlike(ctx, unliked.ID); err != nil {
		t.Fatal(err)
	}
	if err := s.feed.Bookmark(ctx, first.ID); err != nil {
		t.Fatal(err)
	}

	all, err := s.feed.OwnLikes(ctx, 10, 0)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{first.ID, own.URL, second.ID}
	if len(all) != len(want) {
		t.Fatalf("got %d likes, want %d", len(all), len(want))
	}
	for i, e := range all {
		if e.Post.ObjectID != want[i] || !e.Post.Liked {
			t.Errorf("like %d: %s liked=%v, want %s", i, e.Post.ObjectID, e.Post.Liked, want[i])
		}
	}
	if !all[0].Post.Bookmarked || !all[1].Post.Local {
		t.Errorf("flags: bookmarked=%v local=%v", all[0].Post.Bookmarked, all[1].Post.Local)
	}

	tests := []struct {
		limit  int
		before int64
		want   []string
	}{
		{2, 0, want[:2]},
		{2, all[1].ID, want[2:]},
		{5, all[2].ID, nil},
	}
	for _, tc := range tests {
		page, err := s.feed.OwnLikes(ctx, tc.limit, tc.before)
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, e := range page {
			got = append(got, e.Post.ObjectID)
		}
		if len(got) != len(tc.want) || (len(got) > 0 && got[0] != tc.want[0]) {
			t.Errorf("limit %d before %d: %v, want %v", tc.limit, tc.before, got, tc.want)
		}
	}

	// A deleted post drops off the list.
	if err := s.feed.PostDeleted(ctx, second.ID, bobID); err != nil {
		t.Fatal(err)
	}
	if after, _ := s.feed.OwnLikes(ctx, 10, 0); len(after) != 2 {
		t.Errorf("after a delete: %d likes, want 2", len(after))
	}
}
