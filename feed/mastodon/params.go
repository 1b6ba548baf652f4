package mastodon

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"strconv"
	"strings"
)

// maxBody caps JSON and form bodies; multipart bodies carry uploads and are
// capped by the upload limit plus uploadMargin instead.
const maxBody = 1 << 20

// uploadMargin is room in a multipart body for its boundaries, headers and
// the other fields sent next to the file (description, focus, status text).
const uploadMargin = 1 << 20

// maxFormBody caps the owner's small browser forms (authorize, settings).
const maxFormBody = 64 << 10

// errBodyTooLarge reports a body over its cap; the answer is 413.
var errBodyTooLarge = errors.New("request body too large")

// params are a request's parameters from the query string and the body,
// whatever its encoding. Apps send JSON, form-urlencoded or multipart, and
// arrays as "key[]=" fields, repeated "key=" fields or JSON arrays; all of
// them end up here under the name without brackets. Nested JSON objects are
// flattened Rails-style ("poll[options][]", "fields_attributes[0][name]").
type params struct {
	values map[string][]string
	form   *multipart.Form
}

// parseParams reads the query and the body. Every body is read through
// http.MaxBytesReader: maxBody for JSON and forms, maxMultipart for
// multipart, whose files ParseMultipartForm would otherwise spill to disk
// without any limit.
func parseParams(w http.ResponseWriter, r *http.Request, maxMultipart int64) (*params, error) {
	p := &params{values: map[string][]string{}}
	for k, vs := range r.URL.Query() {
		p.add(k, vs...)
	}
	if r.Body == nil || r.Method == http.MethodGet || r.Method == http.MethodHead {
		return p, nil
	}
	ct, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	switch ct {
	case "application/json":
		var doc any
		dec := json.NewDecoder(http.MaxBytesReader(w, r.Body, maxBody))
		dec.UseNumber()
		if err := dec.Decode(&doc); err != nil && err != io.EOF {
			return nil, fmt.Errorf("parse JSON body: %w", tooLarge(err))
		}
		if m, ok := doc.(map[string]any); ok {
			for k, v := range m {
				p.flatten(k, v)
			}
		}
	case "multipart/form-data":
		r.Body = http.MaxBytesReader(w, r.Body, maxMultipart)
		if err := r.ParseMultipartForm(maxMultipart); err != nil {
			return nil, fmt.Errorf("parse multipart body: %w", tooLarge(err))
		}
		p.form = r.MultipartForm
		for k, vs := range r.MultipartForm.Value {
			p.add(k, vs...)
		}
	default:
		r.Body = http.MaxBytesReader(w, r.Body, maxBody)
		if err := r.ParseForm(); err != nil {
			return nil, fmt.Errorf("parse form body: %w", tooLarge(err))
		}
		for k, vs := range r.PostForm {
			p.add(k, vs...)
		}
	}
	return p, nil
}

// tooLarge marks the error of a read past a MaxBytesReader with
// errBodyTooLarge, so that readParams can tell 413 from 422.
func tooLarge(err error) error {
	var mbe *http.MaxBytesError
	if errors.As(err, &mbe) {
		return fmt.Errorf("%w: %w", errBodyTooLarge, err)
	}
	return err
}

func (p *params) add(key string, vs ...string) {
	key = strings.TrimSuffix(key, "[]")
	p.values[key] = append(p.values[key], vs...)
}

func (p *params) flatten(key string, v any) {
	switch v := v.(type) {
	case map[string]any:
		for k, inner := range v {
			p.flatten(key+"["+k+"]", inner)
		}
	case []any:
		for i, inner := range v {
			if _, ok := inner.(map[string]any); ok {
				p.flatten(key+"["+strconv.Itoa(i)+"]", inner)
			} else {
				p.flatten(key, inner)
			}
		}
	case nil:
		p.add(key, "")
	case bool:
		p.add(key, strconv.FormatBool(v))
	case json.Number:
		p.add(key, v.String())
	case string:
		p.add(key, v)
	default:
		p.add(key, fmt.Sprint(v))
	}
}

func (p *params) get(key string) string {
	if vs := p.values[key]; len(vs) > 0 {
		return vs[0]
	}
	return ""
}

func (p *params) has(key string) bool {
	_, ok := p.values[key]
	return ok
}

func (p *params) list(key string) []string {
	var out []string
	for _, v := range p.values[key] {
		if v != "" {
			out = append(out, v)
		}
	}
	return out
}

// boolean reads a flag the many ways apps write one: true, True, 1, on.
func (p *params) boolean(key string, def bool) bool {
	if !p.has(key) {
		return def
	}
	return parseBool(p.get(key))
}

func parseBool(s string) bool {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "true", "1", "on", "yes", "t":
		return true
	}
	return false
}

func (p *params) integer(key string, def int) int {
	n, err := strconv.Atoi(p.get(key))
	if err != nil {
		return def
	}
	return n
}

// file returns an uploaded file of a multipart body.
func (p *params) file(key string) (multipart.File, *multipart.FileHeader, bool) {
	if p.form == nil || len(p.form.File[key]) == 0 {
		return nil, nil, false
	}
	fh := p.form.File[key][0]
	f, err := fh.Open()
	if err != nil {
		return nil, nil, false
	}
	return f, fh, true
}

func parseID(s string) (int64, bool) {
	id, err := strconv.ParseInt(s, 10, 64)
	return id, err == nil && id > 0
}

func idString(id int64) string { return strconv.FormatInt(id, 10) }

// readParams parses the request or answers 413 for a body over its cap and
// 422 for one that does not parse.
func (a *API) readParams(w http.ResponseWriter, r *http.Request) (*params, bool) {
	p, err := parseParams(w, r, a.cfg.MaxUploadBytes+uploadMargin)
	switch {
	case errors.Is(err, errBodyTooLarge):
		writeError(w, http.StatusRequestEntityTooLarge, "Request entity too large")
		return nil, false
	case err != nil:
		writeError(w, http.StatusUnprocessableEntity, "Could not read the request body")
		return nil, false
	}
	return p, true
}

// readForm parses a small urlencoded form of the owner's pages, capped at
// maxFormBody, answering 413 or 400 itself.
func readForm(w http.ResponseWriter, r *http.Request) bool {
	r.Body = http.MaxBytesReader(w, r.Body, maxFormBody)
	if err := r.ParseForm(); err != nil {
		if errors.Is(tooLarge(err), errBodyTooLarge) {
			http.Error(w, "form too large", http.StatusRequestEntityTooLarge)
			return false
		}
		http.Error(w, "bad form", http.StatusBadRequest)
		return false
	}
	return true
}
