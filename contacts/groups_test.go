package contacts

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"testing"

	"github.com/PuerkitoBio/goquery"
)

func TestGroups(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	f.following(t, "@bob@example.social")
	f.following(t, "@carol@example.social")

	family, err := f.c.CreateGroup(ctx, " Family ")
	if err != nil || family.Title != "Family" || family.RepliesPolicy != RepliesList {
		t.Fatalf("create = %+v, %v", family, err)
	}
	if _, err := f.c.CreateGroup(ctx, "family"); !errors.Is(err, ErrGroupTitle) {
		t.Errorf("duplicate title: %v", err)
	}
	if _, err := f.c.CreateGroup(ctx, "  "); !errors.Is(err, ErrGroupTitle) {
		t.Errorf("empty title: %v", err)
	}
	work, _ := f.c.CreateGroup(ctx, "Work")

	for _, m := range []struct {
		g  int64
		id string
	}{{family.ID, bob}, {family.ID, carol}, {work.ID, bob}, {family.ID, bob}} {
		if err := f.c.AddToGroup(ctx, m.g, m.id); err != nil {
			t.Fatalf("add %s: %v", m.id, err)
		}
	}
	// A stranger is fetched when added.
	if err := f.c.AddToGroup(ctx, work.ID, frank); err != nil {
		t.Fatal(err)
	}
	members, err := f.c.GroupMembers(ctx, family.ID)
	if err != nil || !slices.Equal(members, []string{bob, carol}) {
		t.Errorf("family = %v, %v", members, err)
	}
	byName, err := f.c.MembersOfGroupNamed(ctx, "WORK")
	if err != nil || !slices.Equal(byName, []string{bob, frank}) {
		t.Errorf("work by name = %v, %v", byName, err)
	}
	of, _ := f.c.GroupsOf(ctx, bob)
	if len(of) != 2 || of[0].Title != "Family" || of[1].Title != "Work" {
		t.Errorf("groups of bob = %+v", of)
	}
	if err := f.c.RemoveFromGroup(ctx, family.ID, bob); err != nil {
		t.Fatal(err)
	}
	if err := f.c.RemoveFromGroup(ctx, family.ID, bob); !errors.Is(err, ErrNotFound) {
		t.Errorf("second removal: %v", err)
	}
	if err := f.c.RenameGroup(ctx, work.ID, "Family"); !errors.Is(err, ErrGroupTitle) {
		t.Errorf("rename onto a taken title: %v", err)
	}
	if err := f.c.RenameGroup(ctx, work.ID, "Colleagues"); err != nil {
		t.Fatal(err)
	}
	if g, err := f.c.GroupByTitle(ctx, "colleagues"); err != nil || g.ID != work.ID || g.Members != 2 {
		t.Errorf("renamed group = %+v, %v", g, err)
	}
	if err := f.c.DeleteGroup(ctx, family.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := f.c.MembersOfGroupNamed(ctx, "Family"); !errors.Is(err, ErrNotFound) {
		t.Errorf("deleted group: %v", err)
	}
	if _, err := f.c.Get(ctx, carol); err != nil {
		t.Error("deleting a group deleted its contact")
	}
	if err := f.c.AddToGroup(ctx, 999, bob); !errors.Is(err, ErrNotFound) {
		t.Errorf("add to a missing group: %v", err)
	}
}

func TestGroupPages(t *testing.T) {
	f := newFixture(t)
	f.following(t, "@bob@example.social")
	rec := f.post(t, "/contacts/groups", url.Values{"title": {"Family"}})
	if rec.Code != http.StatusSeeOther {
		t.Fatalf("create = %d", rec.Code)
	}
	if rec := f.post(t, "/contacts/groups", url.Values{"title": {"family"}}); rec.Code != http.StatusUnprocessableEntity {
		t.Errorf("duplicate = %d", rec.Code)
	}
	doc := f.get(t, "/contacts/groups", http.StatusOK)
	row := doc.Find(`[data-testid=group][data-group=Family]`)
	if row.Length() != 1 || row.Find(`a`).AttrOr("href", "") != "/home?group=Family" {
		t.Fatalf("group row: %d", row.Length())
	}
	id := row.Find(`form[action="/contacts/groups/rename"] input[name=id]`).AttrOr("value", "")

	// Assigning from the contact page, with a new group on the way.
	view := "/contacts/view?actor=" + url.QueryEscape(bob)
	doc = f.get(t, view, http.StatusOK)
	if doc.Find(`[data-testid=groups-form] input[name=group][value="`+id+`"]`).Length() != 1 {
		t.Fatal("no checkbox for the group")
	}
	rec = f.post(t, "/contacts/groups/assign", url.Values{"actor": {bob}, "group": {id}, "new_group": {"Garden"}})
	if rec.Code != http.StatusSeeOther {
		t.Fatalf("assign = %d", rec.Code)
	}
	doc = f.get(t, rec.Header().Get("Location"), http.StatusOK)
	if n := doc.Find(`[data-testid=groups-form] input[name=group][checked]`).Length(); n != 2 {
		t.Errorf("%d groups checked, want 2", n)
	}
	gid, _ := strconv.ParseInt(id, 10, 64)
	if rec := f.post(t, "/contacts/groups/rename", url.Values{"id": {id}, "title": {"Kin"}}); rec.Code != http.StatusSeeOther {
		t.Errorf("rename = %d", rec.Code)
	}
	if g, _ := f.c.Group(context.Background(), gid); g.Title != "Kin" || g.Members != 1 {
		t.Errorf("after rename: %+v", g)
	}
	if rec := f.post(t, "/contacts/groups/delete", url.Values{"id": {id}}); rec.Code != http.StatusSeeOther {
		t.Errorf("delete = %d", rec.Code)
	}
	if doc := f.get(t, "/contacts/groups", http.StatusOK); doc.Find(`[data-testid=group]`).Length() != 1 {
		t.Error("the deleted group is listed")
	}
}

func TestMuteHides(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	f.following(t, "@bob@example.social")
	if f.c.Hidden(ctx, bob) {
		t.Fatal("hidden before muting")
	}
	rec := f.post(t, "/contacts/mute", url.Values{"actor": {bob}, "back": {"/contacts/view?actor=" + url.QueryEscape(bob)}})
	if rec.Code != http.StatusSeeOther {
		t.Fatalf("mute = %d", rec.Code)
	}
	if !f.c.IsMuted(ctx, bob) || !f.c.Hidden(ctx, bob) {
		t.Error("not muted")
	}
	if !f.c.IsFollowing(ctx, bob) || len(f.net.published) != 1 {
		t.Error("muting changed the follow or told someone")
	}
	doc := f.get(t, "/contacts?show=muted", http.StatusOK)
	if doc.Find(`[data-testid=contact][data-actor="`+bob+`"] form[action="/contacts/unmute"]`).Length() != 1 {
		t.Error("no unmute button on the muted list")
	}
	if err := f.c.Unmute(ctx, bob); err != nil || f.c.Hidden(ctx, bob) {
		t.Errorf("unmute: %v", err)
	}
	// Blocks and domain blocks hide too.
	if err := f.c.Block(ctx, carol); err != nil || !f.c.Hidden(ctx, carol) {
		t.Errorf("blocked is not hidden: %v", err)
	}
	if _, err := f.c.BlockDomain(ctx, "other.example"); err != nil || !f.c.Hidden(ctx, dave) {
		t.Errorf("domain-blocked is not hidden: %v", err)
	}
}

func TestSearchAndFilter(t *testing.T) {
	f := newFixture(t)
	site := newFeedSite(t)
	ctx := context.Background()
	f.following(t, "@bob@example.social")
	f.followMe(t, bob)
	f.following(t, "@carol@example.social")
	f.followMe(t, dave)
	if _, err := f.c.SubscribeFeed(ctx, site.url("/rss.xml")); err != nil {
		t.Fatal(err)
	}
	if err := f.c.Mute(ctx, carol, true); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		query string
		want  []string
	}{
		{"/contacts?show=following", []string{site.url("/rss.xml"), carol, bob}},
		{"/contacts?show=followers", []string{dave, bob}},
		{"/contacts?show=mutuals", []string{bob}},
		{"/contacts?show=feeds", []string{site.url("/rss.xml")}},
		{"/contacts?show=muted", []string{carol}},
		{"/contacts?show=following&q=CAR", []string{carol}},
		{"/contacts?q=frank", []string{site.url("/rss.xml")}},        // name of the feed
		{"/contacts?q=%40dave%40other", []string{dave}},              // handle
		{"/contacts?show=followers&q=example.social", []string{bob}}, // site
		{"/contacts?q=nobody", nil},
	}
	for _, tt := range tests {
		t.Run(tt.query, func(t *testing.T) {
			doc := f.get(t, tt.query, http.StatusOK)
			var got []string
			doc.Find(`[data-testid=contact-list] [data-testid=contact]`).Each(func(_ int, s *goquery.Selection) {
				got = append(got, s.AttrOr("data-actor", ""))
			})
			if !slices.Equal(got, tt.want) {
				t.Errorf("got %v, want %v", got, tt.want)
			}
			if u, _ := url.Parse(tt.query); u.Query().Get("q") != "" {
				if v := doc.Find(`[data-testid=search] input[name=q]`).AttrOr("value", "?"); v != u.Query().Get("q") {
					t.Errorf("search box shows %q", v)
				}
			}
		})
	}
	doc := f.get(t, "/contacts", http.StatusOK)
	for tab, n := range map[string]string{"following": "3", "followers": "2", "mutuals": "1", "feeds": "1", "muted": "1"} {
		if got := doc.Find(`[data-testid=tab-` + tab + `] .count`).Text(); got != n {
			t.Errorf("%s count = %s, want %s", tab, got, n)
		}
	}
}

func TestApprovalSetting(t *testing.T) {
	f := newFixture(t)
	var saved []bool
	f.c.setApproves = func(_ context.Context, v bool) error { saved = append(saved, v); f.manual = v; return nil }
	doc := f.get(t, "/contacts", http.StatusOK)
	if doc.Find(`[data-testid=settings] input[name=manually_approves][checked]`).Length() != 0 {
		t.Error("checked before it was set")
	}
	if rec := f.post(t, "/contacts/settings", url.Values{"manually_approves": {"on"}}); rec.Code != http.StatusSeeOther {
		t.Fatalf("save = %d", rec.Code)
	}
	f.post(t, "/contacts/settings", url.Values{})
	if !slices.Equal(saved, []bool{true, false}) {
		t.Errorf("saved %v", saved)
	}
	f.manual = true
	doc = f.get(t, "/contacts", http.StatusOK)
	if doc.Find(`[data-testid=settings] input[name=manually_approves][checked]`).Length() != 1 {
		t.Error("the setting is not shown checked")
	}
}
