package feed

import (
	"github.com/PuerkitoBio/goquery"

	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"roost/federation/vocab"
)

func TestHomeRendersEntries(t *testing.T) {
	s := newRemoteSite(t, bobID)
	own := s.mustCreate(t, NoteInput{Text: "only for followers", Visibility: VisibilityFollowers})

	article := publicNote("https://remote.test/articles/1", bobID, "<p>Long text…</p>", 1)
	article.Type, article.Name, article.SummaryText = vocab.TypeArticle, "On gardens", "Why I dig."
	article.URL = "https://remote.test/@bob/on-gardens"
	cw := publicNote("https://remote.test/notes/cw", bobID, "<p>spoilers here</p>", 2)
	cw.SummaryText, cw.Sensitive = "film spoilers", true
	pic := publicNote("https://remote.test/notes/pic", bobID, "<p>my cat</p>", 3)
	pic.Attachments = []vocab.Attachment{{URL: "https://remote.test/cat.jpg", MediaType: "image/jpeg", Name: "a grey cat", Blurhash: "LEHV6n"}}
	reply := publicNote("https://remote.test/notes/re", bobID, "<p>agreed</p>", 4)
	reply.InReplyTo = "https://else.test/notes/77"
	answer := publicNote("https://remote.test/notes/answer", bobID, "<p>and the cat</p>", 5)
	answer.InReplyTo = pic.ID
	for _, o := range []*vocab.Object{article, cw, pic, reply, answer} {
		mustCreated(t, s, o, actor(bobID, "Bob"))
	}

	if rec := s.do(t, "GET", "/home", nil, false); rec.Code != http.StatusUnauthorized {
		t.Fatalf("visitor got %d", rec.Code)
	}
	doc := parseHTML(t, s.do(t, "GET", "/home", nil, true))
	posts := doc.Find(`[data-testid="post"]`)
	if posts.Length() != 6 {
		t.Fatalf("%d posts on /home", posts.Length())
	}
	// The timeline is in arrival order, whatever the published dates say:
	// the owner's note was written before Bob's posts arrived, so it is last.
	first := posts.Eq(5)
	if first.AttrOr("data-object", "") != own.URL || first.Find(`[data-testid="author"]`).Text() != "Alice" ||
		first.Find(`[data-testid="visibility"]`).Text() != VisibilityFollowers {
		t.Errorf("owner's note: %q", first.Text())
	}
	byObject := func(id string) string { return `[data-testid="post"][data-object="` + id + `"]` }
	a := doc.Find(byObject(article.ID))
	if a.Find(`[data-testid="article-title"] a`).Text() != "On gardens" || a.Find(`[data-testid="article-summary"]`).Text() != "Why I dig." ||
		a.Find(`[data-testid="read-more"]`).AttrOr("href", "") != article.URL || a.Find(".content").Length() != 0 {
		t.Errorf("article: %q", a.Text())
	}
	c := doc.Find(byObject(cw.ID))
	if c.Find(`details[data-testid="cw"] > summary`).Text() != "film spoilers" ||
		!strings.Contains(c.Find(`details[data-testid="cw"] .content`).Text(), "spoilers here") {
		t.Errorf("content warning: %q", c.Text())
	}
	img := doc.Find(byObject(pic.ID) + ` [data-testid="media"] img`)
	if img.AttrOr("alt", "") != "a grey cat" || img.AttrOr("src", "") != "https://remote.test/cat.jpg" || img.AttrOr("data-blurhash", "") != "LEHV6n" {
		t.Errorf("image: %v", img.Nodes)
	}
	r := doc.Find(byObject(reply.ID))
	if r.Find(`[data-testid="reply-to"] a`).AttrOr("href", "") != reply.InReplyTo ||
		strings.TrimSpace(r.Find(`[data-testid="reply-to"] a`).Text()) != "a post on else.test" {
		t.Errorf("reply line of a parent never seen: %q", r.Find(`[data-testid="reply-to"]`).Text())
	}
	if got := strings.TrimSpace(doc.Find(byObject(answer.ID) + ` [data-testid="reply-to"] a`).Text()); got != "@Bob" {
		t.Errorf("reply line of a stored parent names %q, want its author @Bob", got)
	}
	p := doc.Find(byObject(pic.ID))
	if p.Find(`[data-testid="author"]`).AttrOr("href", "") != "/contacts/view?actor="+url.QueryEscape(bobID) {
		t.Errorf("the author's name links to %q, want their contact page", p.Find(`[data-testid="author"]`).AttrOr("href", ""))
	}
	if p.Find(`[data-testid="author"]`).Text() != "Bob" || p.Find(`[data-testid="handle"]`).Text() != "@Bob@remote.test" ||
		p.Find(`[data-testid="permalink"]`).AttrOr("href", "") != pic.ID || p.Find("header img").AttrOr("src", "") != bobID+"/avatar.png" {
		t.Errorf("author block: %q", p.Find("header").Text())
	}
	wantReply := "/write?reply_to=" + url.QueryEscape(pic.ID)
	if p.Find(`[data-testid="reply"]`).AttrOr("href", "") != wantReply || p.Find(`form[data-testid="like"]`).Length() != 1 ||
		p.Find(`form[data-testid="boost"]`).Length() != 1 {
		t.Errorf("actions: %q", p.Find("footer").Text())
	}
	if first.Find(`form[data-testid="boost"]`).Length() != 0 {
		t.Error("a followers-only note offers a boost")
	}
}

func TestHomePagination(t *testing.T) {
	s := newRemoteSite(t, bobID)
	for i := range 25 {
		mustCreated(t, s, publicNote(fmt.Sprintf("https://remote.test/notes/%d", i), bobID, fmt.Sprintf("<p>post %d</p>", i), i), actor(bobID, "bob"))
	}
	doc := parseHTML(t, s.do(t, "GET", "/home", nil, true))
	posts := doc.Find(`[data-testid="post"]`)
	if posts.Length() != 20 || posts.First().AttrOr("data-object", "") != "https://remote.test/notes/24" {
		t.Fatalf("first page: %d posts, first %q", posts.Length(), posts.First().AttrOr("data-object", ""))
	}
	older := doc.Find(`[data-testid="older"]`).AttrOr("href", "")
	if !strings.HasPrefix(older, "/home?before=") {
		t.Fatalf("older link %q", older)
	}
	doc = parseHTML(t, s.do(t, "GET", older, nil, true))
	posts = doc.Find(`[data-testid="post"]`)
	if posts.Length() != 5 || posts.Last().AttrOr("data-object", "") != "https://remote.test/notes/0" || doc.Find(`[data-testid="older"]`).Length() != 0 {
		t.Errorf("second page: %d posts", posts.Length())
	}
}

func TestHomeGroup(t *testing.T) {
	set := &followSet{ids: map[string]bool{bobID: true, carolID: true}}
	s := newTestSite(t, func(c *Config) {
		c.Follows = set.follows
		c.GroupMembers = func(_ context.Context, group string) ([]string, error) {
			switch group {
			case "friends":
				return []string{carolID}, nil
			case "both":
				return []string{bobID, carolID}, nil
			}
			return nil, nil
		}
	})
	mustCreated(t, s, publicNote("https://remote.test/notes/1", bobID, "<p>bob</p>", 1), actor(bobID, "bob"))
	mustCreated(t, s, publicNote("https://other.test/notes/1", carolID, "<p>carol</p>", 2), actor(carolID, "carol"))
	doc := parseHTML(t, s.do(t, "GET", "/home?group=friends", nil, true))
	posts := doc.Find(`[data-testid="post"]`)
	if posts.Length() != 1 || posts.AttrOr("data-object", "") != "https://other.test/notes/1" {
		t.Errorf("group page lists %d posts", posts.Length())
	}
	// The owner's own notes are on the whole home timeline, never on a
	// group's, whatever its size.
	s.mustCreate(t, NoteInput{Text: "my own note", Visibility: VisibilityPublic})
	if n := parseHTML(t, s.do(t, "GET", "/home", nil, true)).Find(`[data-testid="post"]`).Length(); n != 3 {
		t.Errorf("whole home lists %d posts, want 3", n)
	}
	for _, group := range []string{"friends", "both"} {
		body := s.do(t, "GET", "/home?group="+group, nil, true)
		if strings.Contains(body.Body.String(), "my own note") {
			t.Errorf("the %s group's timeline shows the owner's own note", group)
		}
	}
	if n := parseHTML(t, s.do(t, "GET", "/home?group=both", nil, true)).Find(`[data-testid="post"]`).Length(); n != 2 {
		t.Errorf("the group of two lists %d posts, want 2", n)
	}
}

func TestHomeLikeAndBoostForms(t *testing.T) {
	s := newRemoteSite(t, bobID)
	obj := publicNote("https://remote.test/notes/1", bobID, "<p>like me</p>", 1)
	mustCreated(t, s, obj, actor(bobID, "bob"))
	private := publicNote("https://remote.test/notes/2", bobID, "<p>just followers</p>", 2)
	private.To, private.Cc = []string{bobID + "/followers"}, nil
	mustCreated(t, s, private, actor(bobID, "bob"))
	form := func(path, object string) int {
		t.Helper()
		body := url.Values{"object": {object}}.Encode()
		rec := s.do(t, "POST", path, strings.NewReader(body), true, "Content-Type", "application/x-www-form-urlencoded")
		if rec.Code == http.StatusSeeOther && rec.Header().Get("Location") != "/home" {
			t.Errorf("%s redirected to %q", path, rec.Header().Get("Location"))
		}
		return rec.Code
	}

	if code := form("/home/like", obj.ID); code != http.StatusSeeOther {
		t.Fatalf("like: %d", code)
	}
	form("/home/like", obj.ID) // a second press sends nothing more
	if code := form("/home/boost", obj.ID); code != http.StatusSeeOther {
		t.Fatalf("boost: %d", code)
	}
	if code := form("/home/boost", private.ID); code != http.StatusUnprocessableEntity {
		t.Errorf("boost of a followers-only post: %d", code)
	}
	doc := parseHTML(t, s.do(t, "GET", "/home", nil, true))
	post := doc.Find(`[data-testid="post"][data-object="` + obj.ID + `"]`).Last() // the post itself, below the boost
	if post.Find(`form[data-testid="unlike"] button`).Text() != "Liked" || post.Find(`form[data-testid="unboost"] button`).Text() != "Boosted" ||
		!strings.HasPrefix(post.Find(`[data-testid="likes"]`).Text(), "1 like") {
		t.Errorf("after like and boost: %q", post.Find("footer").Text())
	}
	// The owner's boost is on their home timeline too.
	if by := doc.Find(`[data-testid="boosted-by"]`); by.Length() != 1 || !strings.Contains(by.Text(), "Alice boosted") {
		t.Errorf("own boost entry: %d", by.Length())
	}
	form("/home/unlike", obj.ID)
	form("/home/unboost", obj.ID)
	if code := form("/home/like", "https://nowhere.test/notes/1"); code != http.StatusNotFound {
		t.Errorf("like of an unknown post: %d", code)
	}

	got := s.pub.all()
	if len(got) != 4 {
		t.Fatalf("%d activities published, want 4", len(got))
	}
	like, boost, unlike, unboost := got[0], got[1], got[2], got[3]
	if like.activity.Type != vocab.TypeLike || like.activity.Object != obj.ID || like.activity.Actor != testActor ||
		like.audience.Followers || len(like.audience.Actors) != 1 || like.audience.Actors[0] != bobID {
		t.Errorf("like: %+v", like)
	}
	if boost.activity.Type != vocab.TypeAnnounce || boost.activity.To[0] != vocab.Public ||
		strings.Join(boost.activity.Cc, " ") != testFollowers+" "+bobID || !boost.audience.Followers || boost.audience.Actors[0] != bobID {
		t.Errorf("boost: %+v", boost)
	}
	inner, ok := unlike.activity.Object.(vocab.OutActivity)
	if unlike.activity.Type != vocab.TypeUndo || !ok || inner.Type != vocab.TypeLike || inner.ID != like.activity.ID {
		t.Errorf("unlike: %+v", unlike)
	}
	inner, ok = unboost.activity.Object.(vocab.OutActivity)
	if unboost.activity.Type != vocab.TypeUndo || !ok || inner.ID != boost.activity.ID || !unboost.audience.Followers {
		t.Errorf("unboost: %+v", unboost)
	}
	if likes, boosts, _ := s.feed.ReactionCounts(context.Background(), obj.ID); likes != 0 || boosts != 0 {
		t.Errorf("counts after undo: %d/%d", likes, boosts)
	}
}

func TestThreads(t *testing.T) {
	s := newRemoteSite(t, bobID)
	n := s.mustCreate(t, NoteInput{Text: "start of a thread"})
	r1 := publicNote("https://other.test/notes/r1", carolID, "<p>first reply</p>", 1)
	r1.InReplyTo = n.URL
	r2 := publicNote("https://remote.test/notes/r2", bobID, "<p>reply to the reply</p>", 2)
	r2.InReplyTo = r1.ID
	hidden := publicNote("https://else.test/notes/dm", daveID, "<p>private word</p>", 3)
	hidden.InReplyTo, hidden.To, hidden.Cc = n.URL, []string{testActor}, nil
	mustCreated(t, s, r1, actor(carolID, "Carol"))
	mustCreated(t, s, r2, actor(bobID, "Bob"))
	mustCreated(t, s, hidden, actor(daveID, "Dave"))

	doc := parseHTML(t, s.do(t, "GET", "/notes/"+formatID(n.ID), nil, false))
	replies := doc.Find(`[data-testid="note-replies"]`)
	top := replies.ChildrenFiltered(`ol`).ChildrenFiltered(`li[data-testid="reply"]`)
	if top.Length() != 1 || top.AttrOr("data-object", "") != r1.ID {
		t.Fatalf("top-level replies: %d", top.Length())
	}
	nested := top.Find(`ol li[data-testid="reply"]`)
	if nested.Length() != 1 || nested.AttrOr("data-object", "") != r2.ID ||
		nested.Find(`[data-testid="author"]`).Text() != "Bob" || nested.Find(`[data-testid="permalink"]`).AttrOr("href", "") != r2.ID {
		t.Errorf("nested reply: %q", nested.Text())
	}
	if strings.Contains(doc.Text(), "private word") || replies.Find("form").Length() != 0 {
		t.Error("a visitor sees a direct reply or the owner's controls")
	}
	if !strings.Contains(parseHTML(t, s.do(t, "GET", "/notes/"+formatID(n.ID), nil, true)).Text(), "private word") {
		t.Error("the owner does not see the direct reply")
	}

	rec := s.do(t, "GET", "/notes/"+formatID(n.ID)+"/replies", nil, false, "Accept", vocab.ContentTypeActivity)
	var coll struct {
		Type       string `json:"type"`
		TotalItems int    `json:"totalItems"`
		First      struct {
			Type  string   `json:"type"`
			Items []string `json:"items"`
		} `json:"first"`
	}
	if err := json.Unmarshal(rec.Body.Bytes(), &coll); err != nil || rec.Header().Get("Content-Type") != vocab.ContentTypeActivity {
		t.Fatalf("replies collection: %v %q", err, rec.Body.String())
	}
	// The direct reply is not listed: only public and unlisted ones are.
	if coll.Type != vocab.TypeCollection || coll.TotalItems != 1 || coll.First.Type != vocab.TypeCollectionPage ||
		len(coll.First.Items) != 1 || coll.First.Items[0] != r1.ID {
		t.Errorf("replies collection %+v", coll)
	}

	doc = parseHTML(t, s.do(t, "GET", "/home/thread?object="+url.QueryEscape(r1.ID), nil, true))
	if doc.Find(`[data-testid="ancestors"] [data-testid="post"]`).AttrOr("data-object", "") != n.URL ||
		doc.Find(`[data-testid="focus"] [data-testid="post"]`).AttrOr("data-object", "") != r1.ID ||
		doc.Find(`[data-testid="thread"] li[data-testid="reply"]`).AttrOr("data-object", "") != r2.ID {
		t.Errorf("thread page: %q", doc.Find(`[data-testid="thread"]`).Text())
	}
	if back := doc.Find(`[data-testid="focus"] form[data-testid="like"] input[name="back"]`).AttrOr("value", ""); !strings.HasPrefix(back, "/home/thread?") {
		t.Errorf("like form returns to %q", back)
	}
	if rec := s.do(t, "GET", "/home/thread?object="+url.QueryEscape("https://nowhere.test/x"), nil, true); rec.Code != http.StatusNotFound {
		t.Errorf("unknown thread: %d", rec.Code)
	}
}

func TestOutbox(t *testing.T) {
	ctx := context.Background()
	s := newTestSite(t)
	a := s.mustCreate(t, NoteInput{Text: "first public"})
	s.mustCreate(t, NoteInput{Text: "unlisted", Visibility: VisibilityUnlisted})
	b := s.mustCreate(t, NoteInput{Text: "second public #tea"})
	items, total, err := s.feed.Outbox(ctx, 0, 10)
	if err != nil {
		t.Fatal(err)
	}
	if total != 2 || len(items) != 2 {
		t.Fatalf("total %d, %d items", total, len(items))
	}
	first := items[0]
	obj, _ := first["object"].(map[string]any)
	if first["id"] != b.URL+"#create" || first["type"] != vocab.TypeCreate || first["actor"] != testActor || obj["id"] != b.URL {
		t.Errorf("first item %v", first)
	}
	if to, _ := first["to"].([]string); len(to) != 1 || to[0] != vocab.Public {
		t.Errorf("to %v", first["to"])
	}
	page, total, _ := s.feed.Outbox(ctx, 1, 10)
	if total != 2 || len(page) != 1 || page[0]["id"] != a.URL+"#create" {
		t.Errorf("offset page %v", page)
	}
}

func TestTimelineAPI(t *testing.T) {
	ctx := context.Background()
	s := newRemoteSite(t, bobID)
	var objects []string
	for i := range 5 {
		o := publicNote(fmt.Sprintf("https://remote.test/notes/%d", i), bobID, "<p>x</p>", i)
		mustCreated(t, s, o, actor(bobID, "bob"))
		objects = append(objects, o.ID)
	}
	own := s.mustCreate(t, NoteInput{Text: "mine"})
	all, err := s.feed.Timeline(ctx, 10, 0, 0)
	if err != nil || len(all) != 6 || all[0].Post.ObjectID != own.URL || !all[0].Post.Local {
		t.Fatalf("timeline: %d entries (%v)", len(all), err)
	}
	between, err := s.feed.Timeline(ctx, 10, all[1].ID, all[4].ID)
	if err != nil || len(between) != 2 || between[0].Post.ObjectID != objects[3] || between[1].Post.ObjectID != objects[2] {
		t.Errorf("between: %d entries (%v)", len(between), err)
	}
	p, err := s.feed.Post(ctx, own.ID)
	if err != nil || !p.Local || p.Text != "mine" || p.Author.ActorID != testActor {
		t.Errorf("Post(own note) = %+v, %v", p, err)
	}
	if err := s.feed.Like(ctx, objects[0]); err != nil {
		t.Fatal(err)
	}
	if p, _ := s.feed.PostByObjectID(ctx, objects[0]); !p.Liked || p.Likes != 1 {
		t.Errorf("after Like: liked %v, %d likes", p.Liked, p.Likes)
	}
}

func TestOwnReplyInThread(t *testing.T) {
	s := newRemoteSite(t)
	n := s.mustCreate(t, NoteInput{Text: "first thought"})
	s.mustCreate(t, NoteInput{Text: "second thought", InReplyTo: n.URL})
	got, err := s.feed.Get(context.Background(), n.ID)
	if err != nil || got.Replies != 1 {
		t.Fatalf("replies %d (%v)", got.Replies, err)
	}
	doc := parseHTML(t, s.do(t, "GET", "/notes/"+formatID(n.ID), nil, false))
	if r := doc.Find(`[data-testid="note-replies"] [data-testid="reply"]`); r.Length() != 1 || !strings.Contains(r.Text(), "second thought") {
		t.Errorf("own reply not threaded: %q", r.Text())
	}
}

// A like sent from the middle of /home comes back to that post (its
// #item-… anchor), not to the top of the page.
func TestActionsReturnToTheirItem(t *testing.T) {
	s := newRemoteSite(t, bobID)
	obj := publicNote("https://remote.test/notes/1", bobID, "<p>like me</p>", 1)
	mustCreated(t, s, obj, actor(bobID, "bob"))
	doc := parseHTML(t, s.do(t, "GET", "/home", nil, true))
	post := doc.Find(`[data-testid="post"][data-object="` + obj.ID + `"]`)
	anchor := post.AttrOr("id", "")
	if !strings.HasPrefix(anchor, "item-") || anchor == "item-" {
		t.Fatalf("the post has no anchor: %q", anchor)
	}
	like := post.Find(`form[data-testid="like"]`)
	fields := url.Values{}
	like.Find("input").Each(func(_ int, in *goquery.Selection) { fields.Set(in.AttrOr("name", ""), in.AttrOr("value", "")) })
	if fields.Get("item") != anchor {
		t.Errorf("the like form names item %q, want %q", fields.Get("item"), anchor)
	}
	fields.Set("back", "/home?max_id=99")
	rec := s.do(t, "POST", like.AttrOr("action", ""), strings.NewReader(fields.Encode()), true, "Content-Type", "application/x-www-form-urlencoded")
	if rec.Code != http.StatusSeeOther || rec.Header().Get("Location") != "/home?max_id=99#"+anchor {
		t.Errorf("like: %d to %q, want /home?max_id=99#%s", rec.Code, rec.Header().Get("Location"), anchor)
	}
	// A forged item cannot smuggle anything into the address.
	fields.Set("item", `x"><script>`)
	rec = s.do(t, "POST", "/home/unlike", strings.NewReader(fields.Encode()), true, "Content-Type", "application/x-www-form-urlencoded")
	if rec.Header().Get("Location") != "/home?max_id=99" {
		t.Errorf("forged item: redirected to %q", rec.Header().Get("Location"))
	}
}
