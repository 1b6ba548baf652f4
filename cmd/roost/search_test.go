package main

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"roost/blog"
	"roost/feed"
)

// apiGet calls the Mastodon API of a site with a bearer token and decodes
// the answer into out.
func apiGet(t *testing.T, ts *testSite, token, path string, out any) int {
	t.Helper()
	rec := httptest.NewRecorder()
	req := httptest.NewRequest(http.MethodGet, path, nil)
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	ts.handler.ServeHTTP(rec, req)
	if rec.Code == http.StatusOK && out != nil {
		if err := json.Unmarshal(rec.Body.Bytes(), out); err != nil {
			t.Fatalf("GET %s: %v: %s", path, err, rec.Body)
		}
	}
	return rec.Code
}

type searchedAccount struct{ ID, Acct, DisplayName string }

func accts(list []searchedAccount) []string {
	out := make([]string, len(list))
	for i, a := range list {
		out[i] = a.Acct
	}
	return out
}

// TestAccountSearchFindsKnownAccounts checks what mention autocomplete and
// the search tab of every app ask: the accounts the site knows, by handle
// prefix, followed accounts first, with limit, offset and following.
func TestAccountSearchFindsKnownAccounts(t *testing.T) {
	tn := newTestNet()
	alice := startTestSite(t, tn, "alice.test", "")
	bob := startTestSite(t, tn, "bob.test", "")
	bobby := startTestSite(t, tn, "bobby.test", "")
	follow(t, alice, bob)
	follow(t, bobby, alice)
	eventually(t, federationWait, "alice knows bobby as a follower", func() bool {
		return alice.contacts.IsFollower(context.Background(), bobby.fed.ActorID())
	})
	token := passwordGrant(t, alice.site, testPassword)

	for _, q := range []string{"bob", "BOB", "@bob", "bob.test", "@bob.test@b", "bob.test@bob.test"} {
		var got []searchedAccount
		if code := apiGet(t, alice, token, "/api/v1/accounts/search?limit=5&q="+url.QueryEscape(q), &got); code != http.StatusOK {
			t.Fatalf("search %q: %d", q, code)
		}
		if len(got) == 0 || !strings.HasPrefix(got[0].Acct, "bob.test@") {
			t.Errorf("search %q: %v, want the followed bob.test first", q, accts(got))
		}
	}
	var got []searchedAccount
	apiGet(t, alice, token, "/api/v1/accounts/search?q=bob", &got)
	if a := accts(got); len(a) != 2 || a[0] != "bob.test@bob.test" || a[1] != "bobby.test@bobby.test" {
		t.Errorf("search bob: %v, want the followed bob.test, then the follower bobby.test", a)
	}
	got = nil
	apiGet(t, alice, token, "/api/v1/accounts/search?q=bob&limit=1&offset=1", &got)
	if a := accts(got); len(a) != 1 || a[0] != "bobby.test@bobby.test" {
		t.Errorf("search bob, second page of one: %v", a)
	}
	got = nil
	apiGet(t, alice, token, "/api/v1/accounts/search?q=bob&following=true", &got)
	if a := accts(got); len(a) != 1 || a[0] != "bob.test@bob.test" {
		t.Errorf("search bob among followed accounts: %v", a)
	}
	got = nil
	apiGet(t, alice, token, "/api/v1/accounts/search?q=zed", &got)
	if len(got) != 0 {
		t.Errorf("search zed: %v, want nothing", accts(got))
	}
	var res struct{ Accounts []searchedAccount }
	apiGet(t, alice, token, "/api/v2/search?type=accounts&q=bobb", &res)
	if a := accts(res.Accounts); len(a) != 1 || a[0] != "bobby.test@bobby.test" {
		t.Errorf("v2 search bobb: %v", a)
	}

	// Blocked accounts are not suggested.
	if err := alice.contacts.Block(context.Background(), bobby.fed.ActorID()); err != nil {
		t.Fatal(err)
	}
	got = nil
	apiGet(t, alice, token, "/api/v1/accounts/search?q=bobby", &got)
	if len(got) != 0 {
		t.Errorf("search finds the blocked bobby.test: %v", accts(got))
	}
}

type searchedStatus struct {
	ID, Content, Visibility string
	Account                 searchedAccount
}

func statusTexts(list []searchedStatus) []string {
	out := make([]string, len(list))
	for i, s := range list {
		out[i] = s.Content
	}
	return out
}

// TestStatusSearchFindsWhatTheOwnerHas checks the full-text search of
// statuses: the owner's own status right after it is posted, the posts of
// followed accounts, edits and deletes kept in step, account_id, paging,
// hashtags, and that only the owner sees what is not public.
func TestStatusSearchFindsWhatTheOwnerHas(t *testing.T) {
	tn := newTestNet()
	alice := startTestSite(t, tn, "alice.test", "")
	bob := startTestSite(t, tn, "bob.test", "")
	follow(t, alice, bob)
	ctx := context.Background()
	token := passwordGrant(t, alice.site, testPassword)

	rec := httptest.NewRecorder()
	req := httptest.NewRequest(http.MethodPost, "/api/v1/statuses", strings.NewReader(url.Values{"status": {"zebracorn7 sighting #Wildlife"}}.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Authorization", "Bearer "+token)
	alice.handler.ServeHTTP(rec, req)
	if rec.Code != http.StatusOK {
		t.Fatalf("post a status: %d %s", rec.Code, rec.Body)
	}
	search := func(tok, query string) []searchedStatus {
		t.Helper()
		var res struct{ Statuses []searchedStatus }
		apiGet(t, alice, tok, "/api/v2/search?type=statuses&"+query, &res)
		return res.Statuses
	}
	if got := search(token, "q=zebracorn7"); len(got) != 1 || !strings.Contains(got[0].Content, "zebracorn7 sighting") {
		t.Fatalf("the owner's status right after posting: %v", statusTexts(got))
	}

	secret, err := alice.feed.Create(ctx, feed.NoteInput{Text: "a zebracorn7 only friends know of", Visibility: feed.VisibilityFollowers})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := bob.feed.Create(ctx, feed.NoteInput{Text: "Bob saw a <b>zebracorn7</b> too", Visibility: feed.VisibilityPublic}); err != nil {
		t.Fatal(err)
	}
	eventually(t, federationWait, "bob's post reaches alice", homeShows(t, alice, "Bob saw a"))

	got := search(token, "q=ZEBRACORN")
	if len(got) != 3 {
		t.Fatalf("search by prefix, any case: %v, want three statuses", statusTexts(got))
	}
	if got := search(token, "q=zebracorn7+bob"); len(got) != 1 || got[0].Account.Acct != "bob.test@bob.test" {
		t.Errorf("search for two words: %v, want bob's post only", statusTexts(got))
	}
	if got := search(token, "q=b"); len(got) != 0 {
		// "b" is a prefix of "bob" only; the <b> tag of bob's HTML is not text.
		for _, s := range got {
			if !strings.Contains(strings.ToLower(s.Content), "bob") {
				t.Errorf("search b matches markup: %v", s.Content)
			}
		}
	}
	if got := search(token, "q=zebracorn7&account_id=1"); len(got) != 2 {
		t.Errorf("search the owner's statuses: %v, want two", statusTexts(got))
	}
	first := search(token, "q=zebracorn7&limit=2")
	second := search(token, "q=zebracorn7&limit=2&offset=2")
	if len(first) != 2 || len(second) != 1 || second[0].ID == first[0].ID || second[0].ID == first[1].ID {
		t.Errorf("pages of two: %v then %v", statusTexts(first), statusTexts(second))
	}
	if got := search(token, "q=zebracorn7&max_id="+strconv.FormatInt(secret.ID, 10)); len(got) != 1 {
		t.Errorf("search below max_id: %v, want the status posted before", statusTexts(got))
	}

	// The owner's search page shows the same, with the matches marked.
	body, code := page(t, alice.Owner, alice.Base+"/search?q=zebracorn7")
	if code != http.StatusOK || strings.Count(body, `data-testid="result"`) != 3 || !strings.Contains(body, "<mark>zebracorn7</mark>") ||
		!strings.Contains(body, "Bob saw a") || strings.Contains(body, "<b>zebracorn7") {
		t.Errorf("search page: %d %s", code, body)
	}
	if !strings.Contains(body, `data-testid="search-box"`) {
		t.Error("the owner's header has no search box")
	}
	if body, _ := page(t, alice.Owner, alice.Base+"/search?q=bob"); !strings.Contains(body, `data-testid="accounts"`) || !strings.Contains(body, "bob.test@bob.test") {
		t.Errorf("search page for bob shows no account: %s", body)
	}
	stranger := alice.client(tn)
	if body, code := page(t, stranger, alice.Base+"/search?q=zebracorn7"); code == http.StatusOK || strings.Contains(body, "zebracorn7 only friends") {
		t.Errorf("a stranger gets the search page: %d", code)
	}

	// An app token that does not act for the owner never sees a
	// non-public status.
	appToken := clientCredentialsToken(t, alice)
	var res struct{ Statuses []searchedStatus }
	switch code := apiGet(t, alice, appToken, "/api/v2/search?type=statuses&q=zebracorn7", &res); code {
	case http.StatusOK:
		for _, s := range res.Statuses {
			if s.Visibility != "public" || s.Account.Acct != alice.cfg.domain() {
				t.Errorf("an app token without the owner finds %s %q", s.Visibility, s.Content)
			}
		}
	case http.StatusUnauthorized, http.StatusForbidden, http.StatusUnprocessableEntity:
		// Refused, as Mastodon refuses a token that acts for no user.
	default:
		t.Errorf("search with an app token: %d", code)
	}

	// Edits and deletes are searched as they stand.
	if _, err := alice.feed.Update(ctx, secret.ID, feed.NoteInput{Text: "a quaggacorn now", Visibility: feed.VisibilityFollowers}); err != nil {
		t.Fatal(err)
	}
	if got := search(token, "q=quaggacorn"); len(got) != 1 {
		t.Errorf("search after an edit: %v", statusTexts(got))
	}
	if err := alice.feed.Delete(ctx, secret.ID); err != nil {
		t.Fatal(err)
	}
	if got := search(token, "q=quaggacorn"); len(got) != 0 {
		t.Errorf("search finds a deleted note: %v", statusTexts(got))
	}

	// The owner's published articles are statuses too, for everyone.
	art, err := alice.blog.Create(ctx, blog.ArticleInput{Title: "Notes on the aardwolf", Body: "It eats *termites*."})
	if err != nil {
		t.Fatal(err)
	}
	if got := search(token, "q=aardwolf"); len(got) != 1 {
		t.Errorf("search for an article: %v", statusTexts(got))
	}
	if got := search(token, "q=termites&account_id=1"); len(got) != 1 {
		t.Errorf("search for an article's body among the owner's statuses: %v (%s)", statusTexts(got), art.URL)
	}

	var tags struct{ Hashtags []struct{ Name string } }
	apiGet(t, alice, token, "/api/v2/search?type=hashtags&q=wild", &tags)
	if len(tags.Hashtags) != 1 || tags.Hashtags[0].Name != "wildlife" {
		t.Errorf("hashtag search: %+v", tags.Hashtags)
	}
}

// clientCredentialsToken registers an app and takes a token for the app
// alone, which acts for no one.
func clientCredentialsToken(t *testing.T, ts *testSite) string {
	t.Helper()
	post := func(path string, form url.Values) map[string]any {
		rec := httptest.NewRecorder()
		req := httptest.NewRequest(http.MethodPost, path, strings.NewReader(form.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		ts.handler.ServeHTTP(rec, req)
		var out map[string]any
		if err := json.Unmarshal(rec.Body.Bytes(), &out); err != nil || rec.Code != http.StatusOK {
			t.Fatalf("POST %s: %d %s", path, rec.Code, rec.Body)
		}
		return out
	}
	app := post("/api/v1/apps", url.Values{"client_name": {"stranger"}, "redirect_uris": {"urn:ietf:wg:oauth:2.0:oob"}, "scopes": {"read"}})
	tok := post("/oauth/token", url.Values{"grant_type": {"client_credentials"},
		"client_id": {app["client_id"].(string)}, "client_secret": {app["client_secret"].(string)}, "scope": {"read"}})
	return tok["access_token"].(string)
}
