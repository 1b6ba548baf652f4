package vocab

import (
	"strings"
	"testing"
)

// TestFixtureObjectTypesArePosts reads the PeerTube video and the
// Mobilizon event of the shared fixtures and checks each is a post with
// its title, text and media.
func TestFixtureObjectTypesArePosts(t *testing.T) {
	video, err := ParseObject(readFixture(t, "activitypub/peertube/video.json"))
	if err != nil {
		t.Fatal(err)
	}
	if !IsPost(video) || video.Type != TypeVideo {
		t.Fatalf("video: IsPost = false, type %q", video.Type)
	}
	if !strings.Contains(video.Name, "Mesa, Wayland") || !strings.Contains(video.ContentHTML, "squarespace.com") {
		t.Errorf("video name %q, content %.80q", video.Name, video.ContentHTML)
	}
	if len(video.Attachments) != 1 || video.Attachments[0].Type != TypeVideo ||
		!strings.HasPrefix(video.Attachments[0].MediaType, "video/") {
		t.Fatalf("video attachments = %+v", video.Attachments)
	}
	if !strings.HasPrefix(video.URL, "https://tilvids.com/videos/watch/") {
		t.Errorf("video URL = %q", video.URL)
	}

	event, err := ParseObject(readFixture(t, "activitypub/mobilizon/event.json"))
	if err != nil {
		t.Fatal(err)
	}
	if !IsPost(event) || event.Name != "Caledonian scottish dance class" || !strings.Contains(event.ContentHTML, "posh ceilidh") {
		t.Errorf("event: IsPost %v, name %q, content %.60q", IsPost(event), event.Name, event.ContentHTML)
	}
	if len(event.Attachments) != 1 || event.Attachments[0].Name != "Banner" {
		t.Errorf("event attachments = %+v", event.Attachments)
	}
}

// funkwhaleAudio is a track as Funkwhale publishes it: the file and the
// web page as url Links with mimeType, the tags as the summary.
const funkwhaleAudio = `{
  "@context": ["https://www.w3.org/ns/activitystreams", {"Hashtag": "as:Hashtag"}],
  "type": "Audio", "id": "https://tanukitunes.com/federation/music/uploads/5c3c",
  "name": "Comfortable Chaos - Night Drive",
  "summary": "#electronic #synthwave",
  "attributedTo": "https://tanukitunes.com/federation/actors/comfy",
  "published": "2024-01-05T10:00:00Z",
  "to": "https://www.w3.org/ns/activitystreams#Public",
  "url": [
    {"type": "Link", "mimeType": "audio/ogg", "href": "https://tanukitunes.com/api/v1/listen/5c3c/?upload=1"},
    {"type": "Link", "mimeType": "text/html", "href": "https://tanukitunes.com/library/tracks/42"}
  ],
  "tag": [{"type": "Hashtag", "name": "#electronic"}, {"type": "Hashtag", "name": "#Electronic"}, {"type": "Hashtag", "name": "#synthwave"}]
}`

func TestFunkwhaleAudio(t *testing.T) {
	o, err := ParseObject([]byte(funkwhaleAudio))
	if err != nil {
		t.Fatal(err)
	}
	if !IsPost(o) {
		t.Fatal("an Audio is not a post")
	}
	if o.SummaryText != "" {
		t.Errorf("hashtag summary kept as a content warning: %q", o.SummaryText)
	}
	if o.URL != "https://tanukitunes.com/library/tracks/42" {
		t.Errorf("URL = %q, want the text/html link", o.URL)
	}
	if len(o.Attachments) != 1 || o.Attachments[0].Type != TypeAudio || o.Attachments[0].MediaType != "audio/ogg" ||
		o.Attachments[0].URL != "https://tanukitunes.com/api/v1/listen/5c3c/?upload=1" {
		t.Errorf("attachments = %+v", o.Attachments)
	}
	if len(o.Tags) != 2 {
		t.Errorf("tags = %+v, want the duplicate dropped", o.Tags)
	}
}

// bookwyrmQuotation is a BookWyrm quote: the passage as HTML text in
// "quote", the reader's comment as content.
const bookwyrmQuotation = `{
  "@context": "https://www.w3.org/ns/activitystreams",
  "type": "Quotation", "id": "https://bookwyrm.social/user/reader/quotation/1",
  "attributedTo": "https://bookwyrm.social/user/reader",
  "content": "<p>So true.</p>",
  "quote": "<p>It was the best of times, it was the worst of times.</p>",
  "inReplyToBook": "https://bookwyrm.social/book/1",
  "to": ["https://www.w3.org/ns/activitystreams#Public"],
  "published": "2024-02-01T12:00:00Z"
}`

func TestBookWyrmQuotationPassage(t *testing.T) {
	o, err := ParseObject([]byte(bookwyrmQuotation))
	if err != nil {
		t.Fatal(err)
	}
	if !IsPost(o) {
		t.Fatal("a Quotation is not a post")
	}
	if o.QuoteOf != "" {
		t.Errorf("text quote read as a quote post: %q", o.QuoteOf)
	}
	want := "<blockquote><p>It was the best of times, it was the worst of times.</p></blockquote><p>So true.</p>"
	if o.ContentHTML != want {
		t.Errorf("content = %q, want %q", o.ContentHTML, want)
	}
}

func TestReviewAndPixelfedImage(t *testing.T) {
	review, err := ParseObject([]byte(`{"type": "Review", "id": "https://bookwyrm.social/user/r/review/2",
		"attributedTo": "https://bookwyrm.social/user/r", "name": "Review of \"Dune\" (5 stars): Sand",
		"content": "<p>Loved it.</p>", "rating": 5}`))
	if err != nil {
		t.Fatal(err)
	}
	if !IsPost(review) || review.Name != `Review of "Dune" (5 stars): Sand` || review.ContentHTML != "<p>Loved it.</p>" {
		t.Errorf("review = %+v", review)
	}
	img, err := ParseObject([]byte(`{"type": "Image", "id": "https://pixelfed.example/p/a/1",
		"attributedTo": "https://pixelfed.example/users/a", "name": "Sunset",
		"url": "https://pixelfed.example/storage/sunset.jpg"}`))
	if err != nil {
		t.Fatal(err)
	}
	if !IsPost(img) || len(img.Attachments) != 1 || img.Attachments[0].URL != "https://pixelfed.example/storage/sunset.jpg" ||
		img.Attachments[0].Name != "Sunset" {
		t.Errorf("image attachments = %+v", img.Attachments)
	}
}

func TestVideoSummaryIsItsText(t *testing.T) {
	o, err := ParseObject([]byte(`{"type": "Video", "id": "https://video.example/v/1",
		"attributedTo": "https://video.example/a/1", "name": "Talk", "summary": "A talk about federation."}`))
	if err != nil {
		t.Fatal(err)
	}
	if o.ContentHTML != "<p>A talk about federation.</p>" || o.SummaryText != "" {
		t.Errorf("content %q, summary %q", o.ContentHTML, o.SummaryText)
	}
}

func TestAttachmentAltFromContent(t *testing.T) {
	o, err := ParseObject([]byte(`{"type": "Note", "id": "https://x.example/n/1", "content": "hi",
		"attachment": [{"type": "Document", "mediaType": "image/png", "url": "https://x.example/a.png", "content": "A cat"}]}`))
	if err != nil {
		t.Fatal(err)
	}
	if len(o.Attachments) != 1 || o.Attachments[0].Name != "A cat" {
		t.Errorf("attachments = %+v", o.Attachments)
	}
}

func TestUnknownTypesArePostsOnlyWithText(t *testing.T) {
	with, _ := ParseObject([]byte(`{"type": "Status", "id": "https://x.example/s/1", "content": "<p>words</p>"}`))
	without, _ := ParseObject([]byte(`{"type": "Ping", "id": "https://x.example/s/2"}`))
	story, _ := ParseObject([]byte(`{"type": "Story", "id": "https://x.example/s/3", "content": "gone tomorrow"}`))
	if !IsPost(with) || IsPost(without) || IsPost(story) {
		t.Errorf("IsPost: with text %v, without %v, story %v", IsPost(with), IsPost(without), IsPost(story))
	}
}

func TestConvertedHTML(t *testing.T) {
	got := ConvertedHTML("A <b>name</b>", "<p>text</p>", "https://x.example/v?a=1&b=2")
	want := `<p><strong>A &lt;b&gt;name&lt;/b&gt;</strong></p><p>text</p><p><a href="https://x.example/v?a=1&amp;b=2" rel="nofollow noopener" target="_blank">https://x.example/v?a=1&amp;b=2</a></p>`
	if got != want {
		t.Errorf("got %s", got)
	}
}
