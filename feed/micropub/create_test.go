package micropub

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"reflect"
	"strings"
	"testing"
	"time"
)

func TestCreate(t *testing.T) {
	published := time.Date(2024, 5, 1, 9, 30, 0, 0, time.FixedZone("", 2*3600))
	tests := []struct {
		name     string
		req      func(t *testing.T) *http.Request
		kind     string
		entry    Entry
		location string
	}{
		{
			name: "form note",
			req: func(*testing.T) *http.Request {
				return postForm(tokenAll, url.Values{"h": {"entry"}, "content": {"Hello world"}})
			},
			kind:     KindNote,
			entry:    Entry{Content: "Hello world"},
			location: testBase + "/notes/1",
		},
		{
			name: "form article with repeated category",
			req: func(*testing.T) *http.Request {
				return postForm(tokenAll, url.Values{"h": {"entry"}, "name": {"A title"}, "content": {"Some **bold** text"}, "category": {"go", "web"}})
			},
			kind:     KindArticle,
			entry:    Entry{Name: "A title", Content: "Some **bold** text", Categories: []string{"go", "web"}},
			location: testBase + "/blog/post-1",
		},
		{
			name: "form category[] without h",
			req: func(*testing.T) *http.Request {
				return postForm(tokenAll, url.Values{"content": {"tagged"}, "category[]": {"one", "#two", "one"}})
			},
			kind:     KindNote,
			entry:    Entry{Content: "tagged", Categories: []string{"one", "two"}},
			location: testBase + "/notes/1",
		},
		{
			name: "form draft with slug, summary and published",
			req: func(*testing.T) *http.Request {
				return postForm(tokenAll, url.Values{
					"h": {"entry"}, "name": {"Draft"}, "content": {"Later"}, "summary": {"In short"},
					"post-status": {"draft"}, "mp-slug": {"my-draft"}, "published": {"2024-05-01T09:30:00+02:00"},
				})
			},
			kind:     KindArticle,
			entry:    Entry{Name: "Draft", Content: "Later", Summary: "In short", Draft: true, Slug: "my-draft", Published: published},
			location: testBase + "/blog/post-1",
		},
		{
			name: "form photo URLs, reply and visibility",
			req: func(*testing.T) *http.Request {
				return postForm(tokenAll, url.Values{
					"photo": {"https://cdn.example/a.jpg"}, "photo[]": {"https://cdn.example/b.jpg"},
					"in-reply-to": {"https://other.example/notes/9"}, "visibility": {"Unlisted"},
				})
			},
			kind: KindNote,
			entry: Entry{
				Photos:    []Photo{{URL: "https://cdn.example/a.jpg"}, {URL: "https://cdn.example/b.jpg"}},
				InReplyTo: "https://other.example/notes/9", Visibility: VisibilityUnlisted,
			},
			location: testBase + "/notes/1",
		},
		{
			name: "form mp-visibility, content warning and access_token in the body",
			req: func(*testing.T) *http.Request {
				return postForm("", url.Values{"content": {"psst"}, "mp-visibility": {"private"}, "content-warning": {"spoilers"}, "access_token": {tokenPost}})
			},
			kind:     KindNote,
			entry:    Entry{Content: "psst", Visibility: VisibilityPrivate, ContentWarning: "spoilers"},
			location: testBase + "/notes/1",
		},
		{
			name: "form content[html] for an article",
			req: func(*testing.T) *http.Request {
				return postForm(tokenAll, url.Values{"name": {"Rich"}, "content[html]": {"<p>Hi <em>there</em></p>"}})
			},
			kind:     KindArticle,
			entry:    Entry{Name: "Rich", Content: "Hi *there*"},
			location: testBase + "/blog/post-1",
		},
		{
			name: "JSON note",
			req: func(*testing.T) *http.Request {
				return postJSON(tokenCreate, `{"type":["h-entry"],"properties":{"content":["Hello JSON"],"category":["a","b"]}}`)
			},
			kind:     KindNote,
			entry:    Entry{Content: "Hello JSON", Categories: []string{"a", "b"}},
			location: testBase + "/notes/1",
		},
		{
			name: "JSON article with HTML content becomes Markdown",
			req: func(*testing.T) *http.Request {
				return postJSON(tokenAll, `{"type":["h-entry"],"properties":{"name":["Title"],"content":[{"html":"<p>Hello <b>world</b></p><ul><li>one</li><li>two</li></ul>"}],"mp-slug":["hello"],"post-status":["draft"]}}`)
			},
			kind:     KindArticle,
			entry:    Entry{Name: "Title", Content: "Hello **world**\n\n- one\n- two", Slug: "hello", Draft: true},
			location: testBase + "/blog/post-1",
		},
		{
			name: "JSON note with HTML content becomes text",
			req: func(*testing.T) *http.Request {
				return postJSON(tokenAll, `{"type":["h-entry"],"properties":{"content":[{"html":"<p>Hello <b>world</b></p><p>see <a href=\"https://x.example/\">this</a></p>"}]}}`)
			},
			kind:     KindNote,
			entry:    Entry{Content: "Hello world\n\nsee this (https://x.example/)"},
			location: testBase + "/notes/1",
		},
		{
			name: "JSON Markdown content, photos with alt, published",
			req: func(*testing.T) *http.Request {
				return postJSON(tokenAll, `{"type":["h-entry"],"properties":{"name":["Pics"],"content":[{"markdown":"# Hi"}],`+
					`"photo":["https://cdn.example/1.jpg",{"value":"https://cdn.example/2.jpg","alt":"A cat"}],"published":["2024-05-01T07:30:00Z"]}}`)
			},
			kind: KindArticle,
			entry: Entry{
				Name: "Pics", Content: "# Hi", Published: published,
				Photos: []Photo{{URL: "https://cdn.example/1.jpg"}, {URL: "https://cdn.example/2.jpg", Alt: "A cat"}},
			},
			location: testBase + "/blog/post-1",
		},
		{
			name: "multipart with an uploaded photo",
			req: func(t *testing.T) *http.Request {
				return postMultipart(t, "/micropub", tokenAll, url.Values{"h": {"entry"}, "content": {"Look"}, "photo[]": {"https://cdn.example/x.jpg"}},
					upload{"photo", "cat.png", pngMagic + "pixels"})
			},
			kind: KindNote,
			entry: Entry{Content: "Look", Photos: []Photo{
				{URL: "https://cdn.example/x.jpg"}, {URL: testBase + "/media/1.png"},
			}},
			location: testBase + "/notes/1",
		},
		{
			name: "multipart photo alone, token in the body",
			req: func(t *testing.T) *http.Request {
				return postMultipart(t, "/micropub", "", url.Values{"access_token": {tokenAll}}, upload{"photo[]", "cat.png", pngMagic})
			},
			kind:     KindNote,
			entry:    Entry{Photos: []Photo{{URL: testBase + "/media/1.png"}}},
			location: testBase + "/notes/1",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture()
			w := f.do(tt.req(t))
			if w.Code != http.StatusCreated {
				t.Fatalf("status %d, want 201; body %s", w.Code, w.Body)
			}
			if got := w.Header().Get("Location"); got != tt.location {
				t.Errorf("Location %q, want %q", got, tt.location)
			}
			if len(f.pub.created) != 1 {
				t.Fatalf("%d creates, want 1", len(f.pub.created))
			}
			got := f.pub.created[0]
			if got.kind != tt.kind {
				t.Errorf("created a %s, want a %s", got.kind, tt.kind)
			}
			if !got.entry.Published.Equal(tt.entry.Published) {
				t.Errorf("published %v, want %v", got.entry.Published, tt.entry.Published)
			}
			got.entry.Published, tt.entry.Published = time.Time{}, time.Time{}
			if !reflect.DeepEqual(got.entry, tt.entry) {
				t.Errorf("entry\n got %+v\nwant %+v", got.entry, tt.entry)
			}
		})
	}
}

func TestCreateRejects(t *testing.T) {
	tests := []struct {
		name   string
		req    func(t *testing.T) *http.Request
		status int
		desc   string // part of the error description
	}{
		{"unknown h", func(*testing.T) *http.Request {
			return postForm(tokenAll, url.Values{"h": {"event"}, "content": {"x"}})
		}, 400, "h=event"},
		{"empty content and no photo", func(*testing.T) *http.Request {
			return postForm(tokenAll, url.Values{"h": {"entry"}, "content": {"  "}})
		}, 400, "content or a photo"},
		{"bad published", func(*testing.T) *http.Request {
			return postForm(tokenAll, url.Values{"content": {"x"}, "published": {"yesterday"}})
		}, 400, "RFC 3339"},
		{"bad visibility", func(*testing.T) *http.Request {
			return postForm(tokenAll, url.Values{"content": {"x"}, "visibility": {"secret"}})
		}, 400, "visibility"},
		{"bad post-status", func(*testing.T) *http.Request {
			return postForm(tokenAll, url.Values{"content": {"x"}, "post-status": {"maybe"}})
		}, 400, "post-status"},
		{"photo not a web URL", func(*testing.T) *http.Request {
			return postForm(tokenAll, url.Values{"photo": {"javascript:alert(1)"}})
		}, 400, "photo"},
		{"form update", func(*testing.T) *http.Request {
			return postForm(tokenAll, url.Values{"action": {"update"}, "url": {"https://example.com/notes/1"}})
		}, 400, "JSON"},
		{"JSON without type", func(*testing.T) *http.Request {
			return postJSON(tokenAll, `{"properties":{"content":["x"]}}`)
		}, 400, "type"},
		{"JSON of another type", func(*testing.T) *http.Request {
			return postJSON(tokenAll, `{"type":["h-event"],"properties":{"name":["x"]}}`)
		}, 400, "h-event"},
		{"JSON without properties", func(*testing.T) *http.Request {
			return postJSON(tokenAll, `{"type":["h-entry"]}`)
		}, 400, "properties"},
		{"JSON property not an array", func(*testing.T) *http.Request {
			return postJSON(tokenAll, `{"type":["h-entry"],"properties":{"content":"x"}}`)
		}, 400, "properties.content"},
		{"JSON content of the wrong shape", func(*testing.T) *http.Request {
			return postJSON(tokenAll, `{"type":["h-entry"],"properties":{"content":[42]}}`)
		}, 400, "content"},
		{"broken JSON", func(*testing.T) *http.Request {
			return postJSON(tokenAll, `{"type":["h-entry"],`)
		}, 400, "JSON"},
		{"JSON field of the wrong type", func(*testing.T) *http.Request {
			return postJSON(tokenAll, `{"action":5}`)
		}, 400, "action"},
		{"JSON array body", func(*testing.T) *http.Request {
			return postJSON(tokenAll, `["h-entry"]`)
		}, 400, "object"},
		{"two JSON values", func(*testing.T) *http.Request {
			return postJSON(tokenAll, `{"type":["h-entry"],"properties":{"content":["x"]}} {}`)
		}, 400, "more than one"},
		{"unsupported content type", func(*testing.T) *http.Request {
			r := postJSON(tokenAll, "content=x")
			r.Header.Set("Content-Type", "text/plain")
			return r
		}, 400, "Content-Type"},
		{"JSON body over 1 MiB", func(*testing.T) *http.Request {
			return postJSON(tokenAll, `{"type":["h-entry"],"properties":{"content":["`+strings.Repeat("a", maxBody)+`"]}}`)
		}, 413, "larger than 1 MB"},
		{"form body over 1 MiB", func(*testing.T) *http.Request {
			return postForm(tokenAll, url.Values{"content": {strings.Repeat("a", maxBody)}})
		}, 413, "larger than 1 MB"},
		{"uploaded file not an image", func(t *testing.T) *http.Request {
			return postMultipart(t, "/micropub", tokenAll, url.Values{"content": {"x"}}, upload{"photo", "a.txt", "hello"})
		}, 400, "not an image"},
		{"uploaded photo too large", func(t *testing.T) *http.Request {
			return postMultipart(t, "/micropub", tokenAll, nil, upload{"photo", "big.png", pngMagic + strings.Repeat("x", testMaxMedia)})
		}, 413, "larger than 1 MB"},
		{"multipart body over the cap, chunked", func(t *testing.T) *http.Request {
			r := postMultipart(t, "/micropub", tokenAll, nil, upload{"photo", "big.png", pngMagic + strings.Repeat("x", maxBody+maxPhotoUploads*testMaxMedia)})
			r.ContentLength = -1
			return r
		}, 413, "larger than 5 MB"},
		{"malformed multipart", func(*testing.T) *http.Request {
			r := postJSON(tokenAll, "not multipart at all")
			r.Header.Set("Content-Type", "multipart/form-data; boundary=xyz")
			return r
		}, 400, "could not be read"},
		{"uploaded video", func(t *testing.T) *http.Request {
			return postMultipart(t, "/micropub", tokenAll, url.Values{"content": {"x"}}, upload{"video", "a.mp4", "data"})
		}, 400, "video"},
		{"too many uploads", func(t *testing.T) *http.Request {
			p := upload{"photo[]", "a.png", pngMagic}
			return postMultipart(t, "/micropub", tokenAll, nil, p, p, p, p, p)
		}, 400, "at most 4"},
		{"undelete", func(*testing.T) *http.Request {
			return postForm(tokenAll, url.Values{"action": {"undelete"}, "url": {testBase + "/notes/1"}})
		}, 400, "undelete"},
		{"unknown action", func(*testing.T) *http.Request {
			return postJSON(tokenAll, `{"action":"like","url":"https://example.com/notes/1"}`)
		}, 400, "like"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture()
			e := wantError(t, f.do(tt.req(t)), tt.status, codeInvalidRequest)
			if !strings.Contains(e.Description, tt.desc) {
				t.Errorf("description %q does not mention %q", e.Description, tt.desc)
			}
			if len(f.pub.created) != 0 {
				t.Errorf("rejected request created %+v", f.pub.created)
			}
		})
	}
}

// A rejected post stores no uploads: the entry is checked first.
func TestCreateRejectedBeforeUploadsAreSaved(t *testing.T) {
	f := newFixture()
	r := postMultipart(t, "/micropub", tokenAll, url.Values{"visibility": {"nobody"}}, upload{"photo", "a.png", pngMagic})
	wantError(t, f.do(r), http.StatusBadRequest, codeInvalidRequest)
	if n := f.media.count(); n != 0 {
		t.Errorf("%d uploads saved for a rejected post", n)
	}
}

func TestCreatePublisherErrors(t *testing.T) {
	tests := []struct {
		name   string
		err    error
		status int
		code   string
		desc   string
	}{
		{"validation", fmt.Errorf("create article: %w: the slug is taken", ErrInvalid), 400, codeInvalidRequest, "the slug is taken"},
		{"internal", errors.New("database is locked"), 500, codeServerError, "could not complete"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture()
			f.pub.createErr = tt.err
			e := wantError(t, f.do(postForm(tokenAll, url.Values{"name": {"T"}, "content": {"x"}})), tt.status, tt.code)
			if !strings.Contains(e.Description, tt.desc) {
				t.Errorf("description %q does not mention %q", e.Description, tt.desc)
			}
			if strings.Contains(e.Description, "database") {
				t.Errorf("internal error leaked: %q", e.Description)
			}
		})
	}
}
