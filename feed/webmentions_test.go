package feed

import (
	"context"
	"database/sql"
	"slices"
	"testing"
)

// queuedMentions records what the feed asks the Webmention queue.
type queuedMentions struct {
	calls []queuedCall
}

type queuedCall struct {
	source, html string
	skip         []string
}

func (q *queuedMentions) QueueWebmentions(_ context.Context, _ *sql.Tx, source, html string, skip []string) error {
	q.calls = append(q.calls, queuedCall{source, html, skip})
	return nil
}

// A public note's links are queued when it is posted, edited and deleted,
// without the accounts it mentions or the post it answers; other
// visibilities are queued empty, which tells only pages told before.
func TestNotesQueueWebmentions(t *testing.T) {
	q := &queuedMentions{}
	s := newTestSite(t, func(c *Config) { c.Webmentions = q })
	ctx := context.Background()
	n, err := s.feed.Create(ctx, NoteInput{Text: "Hi @bob@example.com, see https://web.example/page", Visibility: VisibilityPublic,
		InReplyTo: "https://example.com/users/bob/statuses/1"})
	if err != nil {
		t.Fatal(err)
	}
	if len(q.calls) != 1 || q.calls[0].source != n.URL || q.calls[0].html != n.HTML {
		t.Fatalf("posting queued %+v", q.calls)
	}
	for _, want := range []string{"https://example.com/users/bob", "https://example.com/@bob", "https://example.com/users/bob/statuses/1"} {
		if !slices.Contains(q.calls[0].skip, want) {
			t.Errorf("skip %v lacks %s", q.calls[0].skip, want)
		}
	}
	if _, err := s.feed.Update(ctx, n.ID, NoteInput{Text: "Edited, see https://web.example/other"}); err != nil {
		t.Fatal(err)
	}
	if err := s.feed.Delete(ctx, n.ID); err != nil {
		t.Fatal(err)
	}
	if len(q.calls) != 3 || q.calls[1].html == "" || q.calls[2].html != "" {
		t.Fatalf("edit and delete queued %+v", q.calls[1:])
	}
	private, err := s.feed.Create(ctx, NoteInput{Text: "Quiet https://web.example/page", Visibility: VisibilityFollowers})
	if err != nil {
		t.Fatal(err)
	}
	if last := q.calls[len(q.calls)-1]; last.source != private.URL || last.html != "" {
		t.Errorf("a followers-only note queued %+v", last)
	}
}
