package mastodon

import (
	"net/url"
	"testing"

	"roost/federation/vocab"
)

// Apps choose who may quote a status (quote_approval_policy) and read it
// back as quote_approval; the owner's quote of their own status needs no
// answer and is listed among its quotes; only the owner's statuses have
// quotes to list, and only others' quotes can be revoked.
func TestQuoteApprovalPolicyAPI(t *testing.T) {
	ta := newTestAPI(t, true)
	approval := func(s map[string]any) (auto []any, current string) {
		qa, _ := s["quote_approval"].(map[string]any)
		auto, _ = qa["automatic"].([]any)
		current, _ = qa["current_user"].(string)
		return auto, current
	}
	open := ta.post(t, "anyone may quote this")
	if auto, current := approval(open); len(auto) != 1 || auto[0] != "public" || current != "automatic" {
		t.Errorf("a status by default: %v", open["quote_approval"])
	}
	var friends map[string]any
	ta.do(t, "POST", "/api/v1/statuses", ta.token, url.Values{"status": {"followers may"}, "quote_approval_policy": {"followers"}}, 200, &friends)
	if auto, _ := approval(friends); len(auto) != 1 || auto[0] != "followers" {
		t.Errorf("a followers-only quotable status: %v", friends["quote_approval"])
	}
	ta.do(t, "POST", "/api/v1/statuses", ta.token, url.Values{"status": {"x"}, "quote_approval_policy": {"everyone"}}, 422, nil)

	var closed map[string]any
	ta.do(t, "PUT", "/api/v1/statuses/"+open["id"].(string)+"/interaction_policy", ta.token, url.Values{"quote_approval_policy": {"nobody"}}, 200, &closed)
	if auto, current := approval(closed); len(auto) != 0 || current != "automatic" {
		t.Errorf("after closing: %v", closed["quote_approval"])
	}
	ta.do(t, "PUT", "/api/v1/statuses/"+open["id"].(string)+"/interaction_policy", ta.token, url.Values{"quote_approval_policy": {"maybe"}}, 422, nil)
	var edited map[string]any
	ta.do(t, "PUT", "/api/v1/statuses/"+friends["id"].(string), ta.token, url.Values{"status": {"followers may, edited"}, "quote_approval_policy": {"public"}}, 200, &edited)
	if auto, _ := approval(edited); len(auto) != 1 || auto[0] != "public" {
		t.Errorf("after an edit with a policy: %v", edited["quote_approval"])
	}

	var self map[string]any
	ta.do(t, "POST", "/api/v1/statuses", ta.token, url.Values{"status": {"quoting myself"}, "quoted_status_id": {friends["id"].(string)}}, 200, &self)
	if quote, _ := self["quote"].(map[string]any); quote["state"] != "accepted" {
		t.Errorf("a quote of the owner's own status: %v", self["quote"])
	}
	var quotes []map[string]any
	ta.do(t, "GET", "/api/v1/statuses/"+friends["id"].(string)+"/quotes", ta.token, nil, 200, &quotes)
	if len(quotes) != 1 || quotes[0]["id"] != self["id"] {
		t.Errorf("the quotes of the status: %v", quotes)
	}
	// The owner's own quote is not theirs to revoke from the quoted side.
	ta.do(t, "POST", "/api/v1/statuses/"+friends["id"].(string)+"/quotes/"+self["id"].(string)+"/revoke", ta.token, nil, 404, nil)

	// A remote status whose author lets nobody quote it.
	ta.remote.stored = append(ta.remote.stored, Post{ID: 4242, ObjectID: "https://bob.test/notes/7", URL: "https://bob.test/notes/7",
		Author: &vocab.Actor{ID: "https://bob.test/users/bob", PreferredUsername: "bob"}, ContentHTML: "<p>bob's</p>",
		Visibility: "public", QuotePolicy: vocab.QuotePolicyNobody, pollChecked: true})
	id := "4242"
	var bobs map[string]any
	ta.do(t, "GET", "/api/v1/statuses/"+id, ta.token, nil, 200, &bobs)
	if auto, current := approval(bobs); len(auto) != 0 || current != "denied" {
		t.Errorf("a remote status nobody may quote: %v", bobs["quote_approval"])
	}
	ta.do(t, "GET", "/api/v1/statuses/"+id+"/quotes", ta.token, nil, 403, nil)
}
