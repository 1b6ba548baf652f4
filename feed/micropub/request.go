package micropub

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"mime"
	"mime/multipart"
	"net/http"
	"net/url"
	"slices"
	"strings"
)

// Request syntaxes the endpoint reads (Micropub, "Create").
const (
	typeForm      = "application/x-www-form-urlencoded"
	typeMultipart = "multipart/form-data"
	typeJSON      = "application/json"
)

// Actions other than create (Micropub, "Update" and "Delete").
const (
	actionUpdate   = "update"
	actionDelete   = "delete"
	actionUndelete = "undelete"
)

const (
	// maxBody bounds form and JSON bodies: a post's text never comes near.
	maxBody = 1 << 20
	// maxPhotoUploads bounds the files one multipart create may carry,
	// the same number of attachments Mastodon allows on a post.
	maxPhotoUploads = 4
	// formMemory is how much of a multipart body is held in memory; the
	// rest of the files wait in temporary files until they are saved.
	formMemory = 1 << 20
)

// request is a POST to the Micropub endpoint, whatever syntax it came in.
type request struct {
	action  string     // "" for create
	url     string     // the post an action applies to
	props   properties // create: the new entry's properties
	ops     updateOps  // update: the changes
	uploads []*multipart.FileHeader
}

func mediaType(r *http.Request) string {
	mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if err != nil {
		return ""
	}
	return mt
}

// parseForm reads a form-encoded or multipart body, bounded by limit.
func parseForm(w http.ResponseWriter, r *http.Request, mt string, limit int64) error {
	// A declared length over the limit is refused before anything is read.
	if r.ContentLength > limit {
		return &http.MaxBytesError{Limit: limit}
	}
	r.Body = http.MaxBytesReader(w, r.Body, limit)
	var err error
	if mt == typeMultipart {
		err = r.ParseMultipartForm(formMemory)
	} else {
		err = r.ParseForm()
	}
	if err == nil {
		return nil
	}
	var mbe *http.MaxBytesError
	if errors.As(err, &mbe) {
		return err
	}
	return invalidRequest("the %s body could not be read", mt)
}

// formRequest reads a form-encoded or multipart request. Form syntax writes
// multi-valued properties as name[] (and some clients as repeated name);
// both are read. content[html] carries HTML content, as Quill sends it.
func formRequest(form url.Values, files map[string][]*multipart.FileHeader) (request, error) {
	req := request{action: strings.ToLower(strings.TrimSpace(form.Get("action"))), url: strings.TrimSpace(form.Get("url"))}
	if req.action != "" {
		if req.action == actionUpdate {
			return req, invalidRequest("updates must be sent as JSON")
		}
		return req, nil
	}
	// Micropub, "Create": without h, the type is h-entry.
	if hv := form.Get("h"); hv != "" && hv != "entry" {
		return req, invalidRequest("h=%s is not supported: this endpoint creates h=entry posts", hv)
	}
	req.props = properties{}
	// In key order, so that "photo" and "photo[]" given together keep one
	// order from request to request.
	for _, key := range slices.Sorted(maps.Keys(form)) {
		values := form[key]
		name, html, ok := formPropertyName(key)
		if !ok {
			continue
		}
		for _, v := range values {
			if html {
				req.props.add(name, map[string]any{"html": v})
			} else {
				req.props.add(name, v)
			}
		}
	}
	for key, fhs := range files {
		name, _, _ := formPropertyName(key)
		if name != propPhoto {
			return req, invalidRequest("%s uploads are not supported: upload images as photo", key)
		}
		req.uploads = append(req.uploads, fhs...)
	}
	if len(req.uploads) > maxPhotoUploads {
		return req, invalidRequest("at most %d photos can be uploaded with one post", maxPhotoUploads)
	}
	return req, nil
}

// formPropertyName maps a form key to a property name. Keys that are part
// of the protocol rather than the entry, and nested keys other than
// content[html], are not properties.
func formPropertyName(key string) (name string, html bool, ok bool) {
	switch key {
	case "access_token", "h", "action", "url":
		return "", false, false
	case "content[html]":
		return propContent, true, true
	}
	name = strings.TrimSuffix(key, "[]")
	if name == "" || strings.ContainsAny(name, "[]") {
		return "", false, false
	}
	return name, false, true
}

// jsonRequest is the JSON syntax of every request: a create names a type
// and properties, an update or delete names an action and a URL.
type jsonRequest struct {
	Type       json.RawMessage            `json:"type"`
	Properties map[string]json.RawMessage `json:"properties"`
	Action     string                     `json:"action"`
	URL        string                     `json:"url"`
	Replace    map[string]json.RawMessage `json:"replace"`
	Add        map[string]json.RawMessage `json:"add"`
	Delete     json.RawMessage            `json:"delete"`
}

// readJSON reads a JSON request (Micropub, "JSON Syntax").
func readJSON(w http.ResponseWriter, r *http.Request) (request, error) {
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxBody))
	if err != nil {
		return request{}, fmt.Errorf("read json body: %w", err)
	}
	var jr jsonRequest
	dec := json.NewDecoder(bytes.NewReader(body))
	if err := dec.Decode(&jr); err != nil {
		return request{}, jsonError(err)
	}
	if dec.More() {
		return request{}, invalidRequest("the body holds more than one JSON value")
	}
	req := request{action: strings.ToLower(strings.TrimSpace(jr.Action)), url: strings.TrimSpace(jr.URL)}
	switch req.action {
	case "":
	case actionUpdate:
		req.ops, err = parseUpdate(jr)
		return req, err
	default:
		return req, nil
	}
	if err := checkEntryType(jr.Type); err != nil {
		return req, err
	}
	if jr.Properties == nil {
		return req, invalidRequest(`a JSON create needs "properties"`)
	}
	req.props, err = decodeProperties("properties", jr.Properties)
	return req, err
}

// checkEntryType accepts ["h-entry"] and, leniently, "h-entry".
func checkEntryType(raw json.RawMessage) error {
	if len(raw) == 0 || string(raw) == "null" {
		return invalidRequest(`the JSON body needs a "type", such as ["h-entry"], or an "action"`)
	}
	var types []string
	if err := json.Unmarshal(raw, &types); err != nil {
		var one string
		if json.Unmarshal(raw, &one) != nil {
			return invalidRequest(`"type" must be an array of strings, such as ["h-entry"]`)
		}
		types = []string{one}
	}
	if len(types) != 1 || types[0] != "h-entry" {
		return invalidRequest(`type %q is not supported: this endpoint creates h-entry posts`, strings.Join(types, ","))
	}
	return nil
}

// decodeProperties checks that every property value is an array, as
// microformats2 JSON requires, and decodes it.
func decodeProperties(field string, raw map[string]json.RawMessage) (properties, error) {
	p := make(properties, len(raw))
	for name, v := range raw {
		var values []any
		if err := json.Unmarshal(v, &values); err != nil || values == nil {
			return nil, invalidRequest("%s.%s must be an array of values", field, name)
		}
		p[name] = values
	}
	return p, nil
}

// jsonError describes a decoding failure without Go's type names.
func jsonError(err error) error {
	var syntax *json.SyntaxError
	var typ *json.UnmarshalTypeError
	var mbe *http.MaxBytesError
	switch {
	case errors.As(err, &mbe):
		return err
	case errors.As(err, &syntax):
		return invalidRequest("the body is not valid JSON (error at byte %d)", syntax.Offset)
	case errors.As(err, &typ) && typ.Field != "":
		return invalidRequest("the JSON field %q has the wrong type", typ.Field)
	case errors.As(err, &typ):
		return invalidRequest("the JSON body must be an object")
	case errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF):
		return invalidRequest("the JSON body is empty or cut short")
	}
	return invalidRequest("the body is not valid JSON")
}
