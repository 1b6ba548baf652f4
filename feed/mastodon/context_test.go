package mastodon

import (
	"testing"
)

// TestContextOfAReplyCycle: two remote posts that answer each other are
// each listed once in the thread, not once per path around the cycle.
func TestContextOfAReplyCycle(t *testing.T) {
	ta := newTestAPI(t, true)
	first := ta.bobPost(snowflake(1_700_000_000_000), "<p>one</p>", "public", func(p *Post) {
		p.InReplyTo = "https://bob.test/notes/" + idString(snowflake(1_700_000_001_000))
	})
	ta.bobPost(snowflake(1_700_000_001_000), "<p>two</p>", "public", func(p *Post) { p.InReplyTo = first.ObjectID })
	var ctx map[string][]map[string]any
	ta.do(t, "GET", "/api/v1/statuses/"+idString(first.ID)+"/context", ta.token, nil, 200, &ctx)
	if len(ctx["ancestors"]) != 1 || len(ctx["descendants"]) != 0 {
		t.Errorf("ancestors %d, descendants %d, want 1 and 0", len(ctx["ancestors"]), len(ctx["descendants"]))
	}
}
