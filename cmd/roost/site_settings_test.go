package main

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"roost/feed"
)

// apiCall sends one Mastodon API request with a bearer token to a site.
func apiCall(t *testing.T, ts *testSite, token, method, path string, form url.Values) (int, map[string]any) {
	t.Helper()
	req := httptest.NewRequest(method, path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Authorization", "Bearer "+token)
	rec := httptest.NewRecorder()
	ts.handler.ServeHTTP(rec, req)
	var out map[string]any
	json.Unmarshal(rec.Body.Bytes(), &out)
	return rec.Code, out
}

// TestSiteSettings: what the owner sets under /settings/site is what the
// site does — the title and tagline head every page, the pages speak the
// chosen language, dates read in the chosen time zone, new notes (from
// the composer and from apps) get the default visibility, and follows wait
// for approval. A setting the site cannot use is refused and changes nothing.
func TestSiteSettings(t *testing.T) {
	tn := newTestNet()
	alice := startTestSite(t, tn, "alice.test", "")
	save := func(form url.Values) (int, string) {
		t.Helper()
		resp, err := alice.Owner.PostForm(alice.Base+"/settings/site", form)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, err := io.ReadAll(resp.Body)
		if err != nil {
			t.Fatal(err)
		}
		return resp.StatusCode, string(b)
	}
	good := url.Values{"title": {"Alice in Tokyo"}, "tagline": {"Notes from the other side of the glass"},
		"language": {"de"}, "time_zone": {"Asia/Tokyo"}, "default_visibility": {"unlisted"}, "manually_approves": {"1"}}
	if code, body := save(good); code != http.StatusSeeOther {
		t.Fatalf("saving the site settings: %d\n%s", code, body)
	}
	body, _ := page(t, alice.Owner, alice.Base+"/settings/site?saved=1")
	for _, want := range []string{"Saved.", `value="Alice in Tokyo"`, `value="Asia/Tokyo"`, `value="de"`, `<option value="unlisted" selected>`, `name="manually_approves" value="1" checked`} {
		if !strings.Contains(body, want) {
			t.Errorf("the settings page does not show %q", want)
		}
	}

	for _, bad := range []struct{ field, value, says string }{
		{"time_zone", "Mars/Olympus_Mons", "is not a time zone name"},
		{"language", "not a language!", "is not a language code"},
		{"default_visibility", "everyone", "is not one of the visibilities"},
	} {
		form := url.Values{}
		for k, v := range good {
			form[k] = v
		}
		form.Set(bad.field, bad.value)
		form.Set("title", "Should not stick")
		if code, body := save(form); code != http.StatusUnprocessableEntity || !strings.Contains(body, bad.says) {
			t.Errorf("%s=%q: %d, want 422 saying %q", bad.field, bad.value, code, bad.says)
		}
	}
	if got := alice.settings.Get().Title; got != "Alice in Tokyo" {
		t.Errorf("a refused save changed the title to %q", got)
	}

	// 2026-07-01 12:30 UTC is 21:30 in Tokyo.
	n, err := alice.feed.Create(context.Background(), feed.NoteInput{Text: "summer evening", Visibility: feed.VisibilityPublic,
		Created: time.Date(2026, 7, 1, 12, 30, 0, 0, time.UTC)})
	if err != nil {
		t.Fatal(err)
	}
	visitor := alice.client(tn)
	body, _ = page(t, visitor, n.URL)
	for _, want := range []string{`<html lang="de">`, "<title>", "Alice in Tokyo</title>", "Notes from the other side of the glass",
		`<meta name="description" content="`, "1 Jul 2026 21:30"} {
		if !strings.Contains(body, want) {
			t.Errorf("the note page lacks %q", want)
		}
	}

	body, _ = page(t, alice.Owner, alice.Base+"/write")
	if !strings.Contains(body, `<option value="unlisted" selected>`) {
		t.Error("the composer does not start with the default visibility")
	}
	token := passwordGrant(t, alice.site, testPassword)
	code, st := apiCall(t, alice, token, http.MethodPost, "/api/v1/statuses", url.Values{"status": {"from an app"}})
	if code != http.StatusOK || st["visibility"] != "unlisted" || st["language"] != "de" {
		t.Errorf("an app's status without a visibility: %d visibility %v language %v", code, st["visibility"], st["language"])
	}
	_, prefs := apiCall(t, alice, token, http.MethodGet, "/api/v1/preferences", nil)
	if prefs["posting:default:visibility"] != "unlisted" || prefs["posting:default:language"] != "de" {
		t.Errorf("preferences: %v", prefs)
	}
	code, acct := apiCall(t, alice, token, http.MethodPatch, "/api/v1/accounts/update_credentials", url.Values{"source[privacy]": {"private"}})
	if src, _ := acct["source"].(map[string]any); code != http.StatusOK || src["privacy"] != "private" {
		t.Errorf("an app setting source[privacy]: %d %v", code, acct["source"])
	}
	if got := alice.settings.Get().DefaultVisibility; got != feed.VisibilityFollowers {
		t.Errorf("after source[privacy]=private the site default is %q", got)
	}
	if !alice.manuallyApproves(context.Background()) {
		t.Error("follows do not wait for approval after the setting")
	}
}

// TestSchedulerTakesLocalTime: the blog editor reads and shows a publish
// time in the site's time zone.
func TestSchedulerTakesLocalTime(t *testing.T) {
	tn := newTestNet()
	alice := startTestSite(t, tn, "alice.test", "")
	v := alice.settings.Get()
	v.TimeZone = "America/New_York"
	if err := alice.settings.Save(context.Background(), v); err != nil {
		t.Fatal(err)
	}
	body, _ := page(t, alice.Owner, alice.Base+"/blog/new")
	if !strings.Contains(body, "Publish time (America/New_York)") {
		t.Error("the editor does not say which zone the publish time is in")
	}
	form := url.Values{"title": {"New Year"}, "body": {"Happy new year."}, "status": {"published"}, "kind": {"post"},
		"published": {"2031-01-01T00:00"}}
	if code := postForm(t, alice.Owner, alice.Base+"/blog/new", form); code != http.StatusSeeOther {
		t.Fatalf("scheduling a post: %d", code)
	}
	a, err := alice.blog.BySlug(context.Background(), "new-year")
	if err != nil {
		t.Fatal(err)
	}
	// Midnight in New York on 1 January is 05:00 UTC.
	if want := time.Date(2031, 1, 1, 5, 0, 0, 0, time.UTC); !a.PublishedAt.Equal(want) {
		t.Errorf("scheduled for %v, want %v", a.PublishedAt.UTC(), want)
	}
	body, _ = page(t, alice.Owner, alice.Base+"/blog/new-year/edit")
	if !strings.Contains(body, `value="2031-01-01T00:00"`) {
		t.Error("the editor does not show the publish time in local time")
	}
}
