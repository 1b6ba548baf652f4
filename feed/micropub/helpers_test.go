package micropub

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
)

const (
	testBase     = "https://example.com"
	testMaxMedia = 1 << 20
	// pngMagic starts every file the fake media saver accepts.
	pngMagic = "\x89PNG\r\n\x1a\n"
)

// Tokens the fake checker knows, by what they may do.
const (
	tokenAll    = "all-token"    // create update delete media
	tokenPost   = "post-token"   // the old IndieAuth scope
	tokenRead   = "read-token"   // valid, may do nothing here
	tokenCreate = "create-token" // scopes returned as one space-separated string
)

func checkToken(_ context.Context, bearer string) ([]string, error) {
	switch bearer {
	case tokenAll:
		return []string{ScopeCreate, ScopeUpdate, ScopeDelete, ScopeMedia}, nil
	case tokenPost:
		return []string{"post"}, nil
	case tokenRead:
		return []string{"read"}, nil
	case tokenCreate:
		return []string{"create read"}, nil
	}
	return nil, errors.New("unknown token")
}

type storedPost struct {
	entry Entry
	kind  string
}

type createCall struct {
	kind  string
	entry Entry
}

type updateCall struct {
	url   string
	entry Entry
}

// fakePublisher records every call and serves Source from posts.
type fakePublisher struct {
	mu        sync.Mutex
	posts     map[string]storedPost
	created   []createCall
	updated   []updateCall
	deleted   []string
	createErr error
}

func newFakePublisher() *fakePublisher {
	return &fakePublisher{posts: map[string]storedPost{}}
}

func (p *fakePublisher) create(kind string, e Entry) (string, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.createErr != nil {
		return "", p.createErr
	}
	p.created = append(p.created, createCall{kind, e})
	// Articles come back absolute, notes as a path, so that tests see the
	// handler make Location absolute either way.
	if kind == KindArticle {
		return fmt.Sprintf("%s/blog/post-%d", testBase, len(p.created)), nil
	}
	return fmt.Sprintf("/notes/%d", len(p.created)), nil
}

func (p *fakePublisher) CreateArticle(_ context.Context, e Entry) (string, error) {
	return p.create(KindArticle, e)
}

func (p *fakePublisher) CreateNote(_ context.Context, e Entry) (string, error) {
	return p.create(KindNote, e)
}

func (p *fakePublisher) Source(_ context.Context, u string) (Entry, string, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	s, ok := p.posts[u]
	if !ok {
		return Entry{}, "", fmt.Errorf("source %s: %w", u, ErrNotFound)
	}
	return s.entry, s.kind, nil
}

func (p *fakePublisher) Update(_ context.Context, u string, e Entry) error {
	p.mu.Lock()
	defer p.mu.Unlock()
	if _, ok := p.posts[u]; !ok {
		return ErrNotFound
	}
	p.updated = append(p.updated, updateCall{u, e})
	return nil
}

func (p *fakePublisher) Delete(_ context.Context, u string) error {
	p.mu.Lock()
	defer p.mu.Unlock()
	if _, ok := p.posts[u]; !ok {
		return fmt.Errorf("delete: %w", ErrNotFound)
	}
	p.deleted = append(p.deleted, u)
	return nil
}

// fakeMedia accepts files that start with the PNG signature and are no
// larger than testMaxMedia.
type fakeMedia struct {
	mu    sync.Mutex
	saved []string // alt texts of saved files
}

func (m *fakeMedia) save(_ context.Context, r io.Reader, alt string) (string, error) {
	data, err := io.ReadAll(io.LimitReader(r, testMaxMedia+1))
	if err != nil {
		return "", err
	}
	if len(data) > testMaxMedia {
		return "", fmt.Errorf("save: %w", ErrTooLarge)
	}
	if !bytes.HasPrefix(data, []byte(pngMagic)) {
		return "", fmt.Errorf("save: %w", ErrNotImage)
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	m.saved = append(m.saved, alt)
	return fmt.Sprintf("/media/%d.png", len(m.saved)), nil
}

func (m *fakeMedia) count() int {
	m.mu.Lock()
	defer m.mu.Unlock()
	return len(m.saved)
}

type fixture struct {
	pub   *fakePublisher
	media *fakeMedia
	mux   *http.ServeMux
}

func newFixture() *fixture {
	f := &fixture{pub: newFakePublisher(), media: &fakeMedia{}, mux: http.NewServeMux()}
	h := &Handler{Publisher: f.pub, SaveMedia: f.media.save, CheckToken: checkToken, BaseURL: testBase, MaxMedia: testMaxMedia}
	h.Routes(f.mux)
	return f
}

func (f *fixture) do(r *http.Request) *httptest.ResponseRecorder {
	w := httptest.NewRecorder()
	f.mux.ServeHTTP(w, r)
	return w
}

func postForm(token string, form url.Values) *http.Request {
	r := httptest.NewRequest(http.MethodPost, "/micropub", strings.NewReader(form.Encode()))
	r.Header.Set("Content-Type", typeForm)
	setToken(r, token)
	return r
}

func postJSON(token, body string) *http.Request {
	r := httptest.NewRequest(http.MethodPost, "/micropub", strings.NewReader(body))
	r.Header.Set("Content-Type", "application/json; charset=utf-8")
	setToken(r, token)
	return r
}

func setToken(r *http.Request, token string) {
	if token != "" {
		r.Header.Set("Authorization", "Bearer "+token)
	}
}

// upload is one file part of a multipart body.
type upload struct {
	field, name, data string
}

func multipartBody(t *testing.T, fields url.Values, files ...upload) (io.Reader, string) {
	t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	for k, vs := range fields {
		for _, v := range vs {
			if err := mw.WriteField(k, v); err != nil {
				t.Fatal(err)
			}
		}
	}
	for _, f := range files {
		fw, err := mw.CreateFormFile(f.field, f.name)
		if err != nil {
			t.Fatal(err)
		}
		io.WriteString(fw, f.data)
	}
	if err := mw.Close(); err != nil {
		t.Fatal(err)
	}
	return &buf, mw.FormDataContentType()
}

func postMultipart(t *testing.T, path, token string, fields url.Values, files ...upload) *http.Request {
	t.Helper()
	body, ct := multipartBody(t, fields, files...)
	r := httptest.NewRequest(http.MethodPost, path, body)
	r.Header.Set("Content-Type", ct)
	setToken(r, token)
	return r
}

// errorBody is a Micropub error response.
type errorBody struct {
	Error       string `json:"error"`
	Description string `json:"error_description"`
	Scope       string `json:"scope"`
}

// wantError checks the status and the JSON error code of a response.
func wantError(t *testing.T, w *httptest.ResponseRecorder, status int, code string) errorBody {
	t.Helper()
	if w.Code != status {
		t.Fatalf("status %d, want %d; body %s", w.Code, status, w.Body)
	}
	var e errorBody
	if err := json.Unmarshal(w.Body.Bytes(), &e); err != nil {
		t.Fatalf("error body %q is not JSON: %v", w.Body, err)
	}
	if e.Error != code || e.Description == "" {
		t.Fatalf("error body %+v, want code %q with a description", e, code)
	}
	return e
}
