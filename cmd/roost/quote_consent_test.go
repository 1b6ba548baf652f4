package main

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// fetchJSON GETs an ActivityStreams document; a status other than 200
// fails the test.
func fetchJSON(t *testing.T, c *http.Client, u string) map[string]any {
	t.Helper()
	doc, code := fetchJSONStatus(t, c, u)
	if code != http.StatusOK {
		t.Fatalf("GET %s: %d", u, code)
	}
	return doc
}

func fetchJSONStatus(t *testing.T, c *http.Client, u string) (map[string]any, int) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, u, nil)
	req.Header.Set("Accept", "application/activity+json")
	resp, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var doc map[string]any
	json.NewDecoder(resp.Body).Decode(&doc)
	return doc, resp.StatusCode
}

// postAndReceive has alice post a note through the API (with extra
// fields) and waits until bob's home timeline holds it; it returns
// alice's status and bob's id for it.
func postAndReceive(t *testing.T, alice, bob *testSite, aliceToken, bobToken, text string, extra url.Values) (map[string]any, string) {
	t.Helper()
	form := url.Values{"status": {text}}
	for k, v := range extra {
		form[k] = v
	}
	code, st := apiCall(t, alice, aliceToken, http.MethodPost, "/api/v1/statuses", form)
	if code != http.StatusOK {
		t.Fatalf("alice posts: %d %v", code, st)
	}
	var id string
	eventually(t, federationWait, "alice's note reaches bob", func() bool {
		for _, s := range apiStatuses(t, bob, bobToken, "/api/v1/timelines/home?limit=40") {
			if c, _ := s["content"].(string); strings.Contains(c, text) {
				id, _ = s["id"].(string)
				return true
			}
		}
		return false
	})
	return st, id
}

// quoteState reads the state of a status's quote, "" without one.
func quoteState(t *testing.T, ts *testSite, token, id string) (string, map[string]any) {
	t.Helper()
	_, s := apiCall(t, ts, token, http.MethodGet, "/api/v1/statuses/"+id, nil)
	quote, _ := s["quote"].(map[string]any)
	state, _ := quote["state"].(string)
	return state, quote
}

// TestQuotePolicyNobody: a note alice lets nobody quote (by the site's
// setting, or chosen for one status) goes out with a policy that says so;
// bob's request to quote it is rejected, and his quote shows as not
// allowed, on both sites.
func TestQuotePolicyNobody(t *testing.T) {
	tn := newTestNet()
	alice := startTestSite(t, tn, "alice.test", "")
	bob := startTestSite(t, tn, "bob.test", "")
	follow(t, bob, alice)
	aliceToken := passwordGrant(t, alice.site, testPassword)
	bobToken := passwordGrant(t, bob.site, testPassword)

	// The site's default, from /settings/site.
	settingsPage, _ := page(t, alice.Owner, alice.Base+"/settings/site")
	if !strings.Contains(settingsPage, `name="quote_policy"`) {
		t.Fatal("the site settings offer no quote policy")
	}
	form := url.Values{"title": {"Alice"}, "language": {"en"}, "time_zone": {"UTC"}, "default_visibility": {"public"}, "quote_policy": {"nobody"}}
	if code := postForm(t, alice.Owner, alice.Base+"/settings/site", form); code != http.StatusSeeOther {
		t.Fatalf("saving the quote policy: %d", code)
	}
	form.Set("quote_policy", "everyone")
	if code := postForm(t, alice.Owner, alice.Base+"/settings/site", form); code != http.StatusUnprocessableEntity {
		t.Errorf("an unknown quote policy was saved: %d", code)
	}
	closed, bobsID := postAndReceive(t, alice, bob, aliceToken, bobToken, "alice keeps this to herself", nil)
	if approval, _ := closed["quote_approval"].(map[string]any); approval["current_user"] != "automatic" || len(approval["automatic"].([]any)) != 0 {
		t.Errorf("alice's closed note's quote_approval = %v", closed["quote_approval"])
	}
	note := fetchJSON(t, bob.Owner, closed["uri"].(string))
	canQuote := note["interactionPolicy"].(map[string]any)["canQuote"].(map[string]any)
	if auto := canQuote["automaticApproval"].([]any); len(auto) != 1 || auto[0] != alice.Base+"/actor" {
		t.Errorf("a note nobody may quote says automaticApproval %v", auto)
	}
	_, onBob := apiCall(t, bob, bobToken, http.MethodGet, "/api/v1/statuses/"+bobsID, nil)
	if approval, _ := onBob["quote_approval"].(map[string]any); approval["current_user"] != "denied" {
		t.Errorf("bob is told he may quote alice's closed note: %v", onBob["quote_approval"])
	}

	code, q := apiCall(t, bob, bobToken, http.MethodPost, "/api/v1/statuses", url.Values{"status": {"bob quotes anyway"}, "quoted_status_id": {bobsID}})
	if code != http.StatusOK {
		t.Fatalf("bob quotes: %d %v", code, q)
	}
	eventually(t, federationWait, "alice rejects bob's quote", func() bool {
		state, _ := quoteState(t, bob, bobToken, q["id"].(string))
		return state == "rejected"
	})
	if _, quote := quoteState(t, bob, bobToken, q["id"].(string)); quote["quoted_status"] != nil {
		t.Errorf("a rejected quote still shows the quoted status: %v", quote)
	}
	body, _ := page(t, bob.Owner, q["url"].(string))
	if !strings.Contains(body, `data-testid="quote-refused"`) || strings.Contains(body, "alice keeps this to herself") {
		t.Errorf("bob's page shows the refused quote, or no refusal")
	}
	if note := fetchJSON(t, alice.Owner, q["uri"].(string)); note["quoteAuthorization"] != nil {
		t.Errorf("bob's rejected quote carries a stamp: %v", note["quoteAuthorization"])
	}
	// On alice's side the quote is refused too: her note's page lists it
	// as not allowed, with nothing to remove, and she is not notified of a
	// quote she does not allow.
	eventually(t, federationWait, "alice's note page lists bob's refused quote", func() bool {
		body, _ := page(t, alice.Owner, closed["url"].(string))
		return strings.Contains(body, "bob quotes anyway") && strings.Contains(body, `data-testid="quote-not-allowed"`) &&
			!strings.Contains(body, `data-testid="revoke-quote"`)
	})
	for _, n := range apiStatuses(t, alice, aliceToken, "/api/v1/notifications?limit=20") {
		if st, _ := n["status"].(map[string]any); st != nil && strings.Contains(st["content"].(string), "bob quotes anyway") {
			t.Errorf("alice was notified of a quote she does not allow: %v", n["type"])
		}
	}

	// One status may say otherwise than the site: this one is open.
	open, bobsOpen := postAndReceive(t, alice, bob, aliceToken, bobToken, "but this one anyone may quote",
		url.Values{"quote_approval_policy": {"public"}})
	if approval, _ := open["quote_approval"].(map[string]any); approval["automatic"].([]any)[0] != "public" {
		t.Errorf("the open note's quote_approval = %v", open["quote_approval"])
	}
	_, q2 := apiCall(t, bob, bobToken, http.MethodPost, "/api/v1/statuses", url.Values{"status": {"bob quotes the open one"}, "quoted_status_id": {bobsOpen}})
	eventually(t, federationWait, "alice accepts the quote of her open note", func() bool {
		state, _ := quoteState(t, bob, bobToken, q2["id"].(string))
		return state == "accepted"
	})
	if code, _ := apiCall(t, alice, aliceToken, http.MethodPost, "/api/v1/statuses", url.Values{"status": {"x"}, "quote_approval_policy": {"friends"}}); code != http.StatusUnprocessableEntity {
		t.Errorf("an unknown quote_approval_policy: %d, want 422", code)
	}
	// Closing it later (Mastodon's interaction_policy) turns the next
	// request down.
	code, changed := apiCall(t, alice, aliceToken, http.MethodPut, "/api/v1/statuses/"+open["id"].(string)+"/interaction_policy",
		url.Values{"quote_approval_policy": {"followers"}})
	if approval, _ := changed["quote_approval"].(map[string]any); code != http.StatusOK || approval["automatic"].([]any)[0] != "followers" {
		t.Errorf("changing the policy: %d %v", code, changed["quote_approval"])
	}
}

// TestQuoteRevocation: alice lists the quotes of her note, takes one back
// from the note's page and one from an app; the stamps then answer 410,
// bob's server marks his quotes revoked, and his pages say the author
// removed them.
func TestQuoteRevocation(t *testing.T) {
	tn := newTestNet()
	alice := startTestSite(t, tn, "alice.test", "")
	bob := startTestSite(t, tn, "bob.test", "")
	follow(t, bob, alice)
	follow(t, alice, bob)
	aliceToken := passwordGrant(t, alice.site, testPassword)
	bobToken := passwordGrant(t, bob.site, testPassword)
	original, bobsID := postAndReceive(t, alice, bob, aliceToken, bobToken, "alice says something quotable", nil)

	var quotes []map[string]any
	for _, text := range []string{"first quote by bob", "second quote by bob"} {
		_, q := apiCall(t, bob, bobToken, http.MethodPost, "/api/v1/statuses", url.Values{"status": {text}, "quoted_status_id": {bobsID}})
		quotes = append(quotes, q)
	}
	var stamps []string
	for _, q := range quotes {
		eventually(t, federationWait, "alice accepts "+q["uri"].(string), func() bool {
			note, _ := fetchJSONStatus(t, alice.Owner, q["uri"].(string))
			stamp, _ := note["quoteAuthorization"].(string)
			if stamp == "" {
				return false
			}
			stamps = append(stamps, stamp)
			return true
		})
	}
	var listed []map[string]any
	eventually(t, federationWait, "alice's app lists both quotes", func() bool {
		listed = apiStatuses(t, alice, aliceToken, "/api/v1/statuses/"+original["id"].(string)+"/quotes")
		return len(listed) == 2
	})
	for _, s := range listed {
		if quote, _ := s["quote"].(map[string]any); quote["state"] != "accepted" {
			t.Errorf("a listed quote's state on alice's side = %v", quote)
		}
	}

	// From the web: the note's page lists the quotes with a button.
	notePage, _ := page(t, alice.Owner, original["url"].(string))
	if strings.Count(notePage, `data-testid="revoke-quote"`) != 2 {
		t.Fatalf("alice's note page does not offer to remove both quotes")
	}
	if code := postForm(t, alice.Owner, alice.Base+"/notes/"+original["id"].(string)+"/quotes/revoke",
		url.Values{"quoting": {quotes[0]["uri"].(string)}}); code != http.StatusSeeOther {
		t.Fatalf("revoking from the web: %d", code)
	}
	// From an app: Mastodon 4.5's revoke answers the quoting status.
	var secondOnAlice string
	for _, s := range listed {
		if s["uri"] == quotes[1]["uri"] {
			secondOnAlice = s["id"].(string)
		}
	}
	code, revoked := apiCall(t, alice, aliceToken, http.MethodPost,
		"/api/v1/statuses/"+original["id"].(string)+"/quotes/"+secondOnAlice+"/revoke", nil)
	if quote, _ := revoked["quote"].(map[string]any); code != http.StatusOK || quote["state"] != "revoked" {
		t.Errorf("revoking from an app: %d %v", code, revoked["quote"])
	}
	for _, stamp := range stamps {
		if _, code := fetchJSONStatus(t, bob.Owner, stamp); code != http.StatusGone {
			t.Errorf("a revoked stamp answers %d, want 410", code)
		}
	}
	if left := apiStatuses(t, alice, aliceToken, "/api/v1/statuses/"+original["id"].(string)+"/quotes"); len(left) != 0 {
		t.Errorf("revoked quotes are still listed: %d", len(left))
	}
	for _, q := range quotes {
		eventually(t, federationWait, "bob's server hears that "+q["uri"].(string)+" was revoked", func() bool {
			state, _ := quoteState(t, bob, bobToken, q["id"].(string))
			return state == "revoked"
		})
		body, _ := page(t, bob.Owner, q["url"].(string))
		if !strings.Contains(body, "removed by the author") || strings.Contains(body, "alice says something quotable") {
			t.Errorf("bob's page of a revoked quote does not say the author removed it")
		}
	}
	// Someone else's status has no quotes to list or revoke.
	if code, _ := apiCall(t, alice, aliceToken, http.MethodGet, "/api/v1/statuses/"+secondOnAlice+"/quotes", nil); code != http.StatusForbidden {
		t.Errorf("listing the quotes of bob's status: %d, want 403", code)
	}
}
