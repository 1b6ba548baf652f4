package main

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// TestQuotePostBetweenSites: bob quotes alice's note from an app; the
// app reads the quote back with alice's note inside, bob's Note carries
// the quote under FEP-044f's name and the older ones, alice is told
// (Mastodon's "quote" notification) and her note counts the quote. A post
// that is not there or not public cannot be quoted.
func TestQuotePostBetweenSites(t *testing.T) {
	tn := newTestNet()
	alice := startTestSite(t, tn, "alice.test", "")
	bob := startTestSite(t, tn, "bob.test", "")
	follow(t, bob, alice)
	aliceToken := passwordGrant(t, alice.site, testPassword)
	bobToken := passwordGrant(t, bob.site, testPassword)

	code, original := apiCall(t, alice, aliceToken, http.MethodPost, "/api/v1/statuses", url.Values{"status": {"quotable words from alice"}})
	if code != http.StatusOK {
		t.Fatalf("alice posts: %d %v", code, original)
	}
	var quotedID string
	eventually(t, federationWait, "alice's note reaches bob", func() bool {
		for _, s := range apiStatuses(t, bob, bobToken, "/api/v1/timelines/home?limit=20") {
			if c, _ := s["content"].(string); strings.Contains(c, "quotable words") {
				quotedID, _ = s["id"].(string)
				return true
			}
		}
		return false
	})

	code, q := apiCall(t, bob, bobToken, http.MethodPost, "/api/v1/statuses",
		url.Values{"status": {"look at this, says bob"}, "quoted_status_id": {quotedID}})
	if code != http.StatusOK {
		t.Fatalf("bob quotes: %d %v", code, q)
	}
	// Alice's note says anyone may quote it, so bob's server asks her
	// (FEP-044f); bob sees what he quoted while the answer is on its way.
	quote, _ := q["quote"].(map[string]any)
	inner, _ := quote["quoted_status"].(map[string]any)
	if quote["state"] != "pending" || !strings.Contains(inner["content"].(string), "quotable words from alice") {
		t.Fatalf("the quote post's quote = %v", q["quote"])
	}
	if approval, _ := inner["quote_approval"].(map[string]any); approval["current_user"] != "automatic" {
		t.Errorf("alice's note's quote_approval on bob's side = %v", inner["quote_approval"])
	}
	eventually(t, federationWait, "alice accepts bob's quote", func() bool {
		_, s := apiCall(t, bob, bobToken, http.MethodGet, "/api/v1/statuses/"+q["id"].(string), nil)
		quote, _ := s["quote"].(map[string]any)
		return quote["state"] == "accepted"
	})
	if acct, _ := inner["account"].(map[string]any); acct["acct"] != "alice.test@alice.test" && !strings.Contains(acct["url"].(string), "alice.test") {
		t.Errorf("the quoted status's account = %v", inner["account"])
	}

	// The pages show alice's note inside bob's: his note page, his home.
	for _, u := range []string{q["url"].(string), bob.Base + "/home"} {
		body, _ := page(t, bob.Owner, u)
		i := strings.Index(body, `data-testid="quoted-post"`)
		if i < 0 || !strings.Contains(body[i:], "quotable words from alice") {
			t.Errorf("%s does not show the quoted note inside bob's", u)
		}
	}

	// What bob's server publishes names the quoted note three ways.
	req, _ := http.NewRequest(http.MethodGet, q["uri"].(string), nil)
	req.Header.Set("Accept", "application/activity+json")
	resp, err := bob.Owner.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	var note map[string]any
	json.NewDecoder(resp.Body).Decode(&note)
	resp.Body.Close()
	aliceNote := original["uri"].(string)
	for _, k := range []string{"quote", "quoteUri", "_misskey_quote"} {
		if note[k] != aliceNote {
			t.Errorf("bob's Note %s = %v, want %s", k, note[k], aliceNote)
		}
	}
	// ... and the stamp alice gave it, which alice serves.
	stamp, _ := note["quoteAuthorization"].(string)
	if !strings.HasPrefix(stamp, alice.Base+"/quote-authorizations/") {
		t.Fatalf("bob's Note quoteAuthorization = %v", note["quoteAuthorization"])
	}
	auth := fetchJSON(t, bob.Owner, stamp)
	if auth["type"] != "QuoteAuthorization" || auth["attributedTo"] != alice.Base+"/actor" ||
		auth["interactingObject"] != q["uri"] || auth["interactionTarget"] != aliceNote {
		t.Errorf("the stamp alice serves = %v", auth)
	}

	var told map[string]any
	eventually(t, federationWait, "alice is told of the quote", func() bool {
		for _, n := range apiStatuses(t, alice, aliceToken, "/api/v1/notifications?limit=20") {
			st, _ := n["status"].(map[string]any)
			if c, _ := st["content"].(string); n["type"] == "quote" && strings.Contains(c, "look at this, says bob") {
				told = st
				return true
			}
		}
		return false
	})
	// Alice's copy of bob's post shows her note inside it.
	if quote, _ := told["quote"].(map[string]any); quote == nil || quote["quoted_status"].(map[string]any)["uri"] != original["uri"] {
		t.Errorf("the notified status's quote = %v", told["quote"])
	}
	_, mine := apiCall(t, alice, aliceToken, http.MethodGet, "/api/v1/statuses/"+original["id"].(string), nil)
	if mine["quotes_count"] != float64(1) {
		t.Errorf("alice's note quotes_count = %v, want 1", mine["quotes_count"])
	}

	// From the web: the Quote action on bob's home opens the composer with
	// alice's note attached, and the posted note shows it inside.
	home, _ := page(t, bob.Owner, bob.Base+"/home")
	action := "/write?quote=" + url.QueryEscape(aliceNote)
	if !strings.Contains(home, `href="`+strings.ReplaceAll(action, "&", "&amp;")+`"`) {
		t.Errorf("bob's home offers no Quote action for alice's note")
	}
	composer, _ := page(t, bob.Owner, bob.Base+action)
	if !strings.Contains(composer, `name="quote_of" value="`+aliceNote+`"`) || !strings.Contains(composer, "quotable words from alice") {
		t.Errorf("the composer does not carry alice's note as the quote")
	}
	resp, err = bob.Owner.PostForm(bob.Base+"/notes", url.Values{"text": {"quoted from the web by bob"}, "quote_of": {aliceNote}, "visibility": {"public"}})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("posting the web quote: %d", resp.StatusCode)
	}
	notePage, _ := page(t, bob.Owner, bob.Base+resp.Header.Get("Location"))
	if i := strings.Index(notePage, `data-testid="quoted-post"`); i < 0 || !strings.Contains(notePage[i:], "quotable words from alice") {
		t.Errorf("the web quote's page does not show alice's note inside")
	}

	// Nothing to quote, and a post only a few may read, are refused.
	if code, _ := apiCall(t, bob, bobToken, http.MethodPost, "/api/v1/statuses",
		url.Values{"status": {"quoting air"}, "quoted_status_id": {"12345"}}); code != http.StatusUnprocessableEntity {
		t.Errorf("quoting a status that does not exist: %d, want 422", code)
	}
	_, secret := apiCall(t, bob, bobToken, http.MethodPost, "/api/v1/statuses", url.Values{"status": {"just for me"}, "visibility": {"direct"}})
	if code, _ := apiCall(t, bob, bobToken, http.MethodPost, "/api/v1/statuses",
		url.Values{"status": {"quoting a secret"}, "quoted_status_id": {secret["id"].(string)}}); code != http.StatusUnprocessableEntity {
		t.Errorf("quoting a direct status: %d, want 422", code)
	}
}

// A quote post that arrives quoting a post the site never saw brings the
// quoted post along: alice follows bob, who quotes carol, whom alice does
// not follow, and alice's app shows carol's words inside bob's post.
func TestArrivingQuoteFetchesTheQuotedPost(t *testing.T) {
	tn := newTestNet()
	alice := startTestSite(t, tn, "alice.test", "")
	bob := startTestSite(t, tn, "bob.test", "")
	carol := startTestSite(t, tn, "carol.test", "")
	follow(t, bob, carol)
	follow(t, alice, bob)
	aliceToken := passwordGrant(t, alice.site, testPassword)
	bobToken := passwordGrant(t, bob.site, testPassword)
	carolToken := passwordGrant(t, carol.site, testPassword)

	if code, out := apiCall(t, carol, carolToken, http.MethodPost, "/api/v1/statuses", url.Values{"status": {"carol says something worth quoting"}}); code != http.StatusOK {
		t.Fatalf("carol posts: %d %v", code, out)
	}
	var carolsID string
	eventually(t, federationWait, "carol's note reaches bob", func() bool {
		for _, s := range apiStatuses(t, bob, bobToken, "/api/v1/timelines/home?limit=20") {
			if c, _ := s["content"].(string); strings.Contains(c, "worth quoting") {
				carolsID, _ = s["id"].(string)
				return true
			}
		}
		return false
	})
	if code, out := apiCall(t, bob, bobToken, http.MethodPost, "/api/v1/statuses",
		url.Values{"status": {"bob agrees with carol"}, "quoted_status_id": {carolsID}}); code != http.StatusOK {
		t.Fatalf("bob quotes: %d %v", code, out)
	}
	eventually(t, federationWait, "bob's quote reaches alice with carol's note inside", func() bool {
		for _, s := range apiStatuses(t, alice, aliceToken, "/api/v1/timelines/home?limit=20") {
			quote, _ := s["quote"].(map[string]any)
			inner, _ := quote["quoted_status"].(map[string]any)
			if c, _ := inner["content"].(string); strings.Contains(c, "worth quoting") && quote["state"] == "accepted" {
				return true
			}
		}
		return false
	})
}
