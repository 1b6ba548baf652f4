package archive

import (
	"archive/zip"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"path"
	"slices"
	"strings"
	"time"
)

// A Mastodon archive ("Request your archive" in Mastodon's settings) is a
// zip with actor.json, outbox.json (every post as a Create, every boost as
// an Announce), likes.json, bookmarks.json and the media under
// media_attachments/. roost's own export has the same files beside roost/.

// Strings reads an ActivityStreams property that may be one string or a list.
type Strings []string

func (s *Strings) UnmarshalJSON(b []byte) error {
	var one string
	if json.Unmarshal(b, &one) == nil {
		*s = Strings{one}
		return nil
	}
	var many []json.RawMessage
	if err := json.Unmarshal(b, &many); err != nil {
		return nil // an object or a number: not addresses this reader knows
	}
	*s = nil
	for _, m := range many {
		var x string
		if json.Unmarshal(m, &x) == nil {
			*s = append(*s, x)
		}
	}
	return nil
}

// OutboxItem is one activity of an outbox.json.
type OutboxItem struct {
	ID        string          `json:"id"`
	Type      string          `json:"type"`
	Published time.Time       `json:"published"`
	To        Strings         `json:"to"`
	Cc        Strings         `json:"cc"`
	Object    json.RawMessage `json:"object"`
}

// Post is the object of a Create in an outbox: a Note, an Article or a
// Question.
type Post struct {
	ID         string       `json:"id"`
	Type       string       `json:"type"`
	URL        Strings      `json:"url"`
	Published  time.Time    `json:"published"`
	Updated    time.Time    `json:"updated"`
	Name       string       `json:"name"`
	Summary    string       `json:"summary"`
	Content    string       `json:"content"`
	Sensitive  bool         `json:"sensitive"`
	InReplyTo  string       `json:"inReplyTo"`
	To         Strings      `json:"to"`
	Cc         Strings      `json:"cc"`
	Attachment []Attachment `json:"attachment"`
	Tag        []Tag        `json:"tag"`
	OneOf      []PollChoice `json:"oneOf"`
	AnyOf      []PollChoice `json:"anyOf"`
	EndTime    time.Time    `json:"endTime"`
	// ContentMap's one key is the post's language.
	ContentMap map[string]string `json:"contentMap"`
}

// Attachment is a media file of a post; URL is a path inside the archive
// (Mastodon writes "/media_attachments/files/…") or a full URL.
type Attachment struct {
	Type      string `json:"type"`
	MediaType string `json:"mediaType"`
	URL       string `json:"url"`
	Name      string `json:"name"` // the alt text
	Blurhash  string `json:"blurhash"`
}

// Tag is a hashtag or mention of a post.
type Tag struct {
	Type string `json:"type"`
	Name string `json:"name"`
	Href string `json:"href"`
}

// PollChoice is one answer of a Question.
type PollChoice struct {
	Name string `json:"name"`
}

// Public is the ActivityStreams address of everyone.
const Public = "https://www.w3.org/ns/activitystreams#Public"

// Visibility reads Mastodon's four visibilities from the addressing:
// public (Public in to), unlisted (Public in cc), followers (the followers
// collection only) or direct.
func Visibility(to, cc Strings) string {
	all := append(append(Strings{}, to...), cc...)
	for _, pub := range []string{Public, "as:Public", "Public"} {
		if slices.Contains(to, pub) {
			return "public"
		}
		if slices.Contains(all, pub) {
			return "unlisted"
		}
	}
	for _, a := range all {
		if strings.HasSuffix(a, "/followers") {
			return "followers"
		}
	}
	return "direct"
}

// ReadOutbox calls fn for each activity of an outbox.json, reading one at a
// time so that an archive of any size takes the memory of one post.
func ReadOutbox(r io.Reader, fn func(OutboxItem) error) error {
	dec := json.NewDecoder(r)
	if err := findArray(dec, "orderedItems"); err != nil {
		return fmt.Errorf("outbox.json: %w", err)
	}
	for dec.More() {
		var it OutboxItem
		if err := dec.Decode(&it); err != nil {
			return fmt.Errorf("outbox.json: %w", err)
		}
		if err := fn(it); err != nil {
			return err
		}
	}
	return nil
}

// ReadIDs lists the orderedItems of likes.json or bookmarks.json: object
// ids, given as strings or as objects with an id.
func ReadIDs(r io.Reader) ([]string, error) {
	dec := json.NewDecoder(r)
	if err := findArray(dec, "orderedItems"); err != nil {
		return nil, err
	}
	var out []string
	for dec.More() {
		var raw json.RawMessage
		if err := dec.Decode(&raw); err != nil {
			return out, err
		}
		var id string
		if json.Unmarshal(raw, &id) != nil {
			var obj struct {
				ID     string `json:"id"`
				Object string `json:"object"`
			}
			json.Unmarshal(raw, &obj)
			id = obj.ID
			if obj.Object != "" {
				id = obj.Object
			}
		}
		if id != "" {
			out = append(out, id)
		}
	}
	return out, nil
}

// findArray moves the decoder into the array value of a top-level key.
func findArray(dec *json.Decoder, key string) error {
	tok, err := dec.Token()
	if err != nil {
		return err
	}
	if d, ok := tok.(json.Delim); !ok || d != '{' {
		return errors.New("not a JSON object")
	}
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return err
		}
		if tok == key {
			tok, err := dec.Token()
			if err != nil {
				return err
			}
			if d, ok := tok.(json.Delim); !ok || d != '[' {
				return fmt.Errorf("%s is not a list", key)
			}
			return nil
		}
		var skip json.RawMessage
		if err := dec.Decode(&skip); err != nil {
			return err
		}
	}
	return fmt.Errorf("no %s", key)
}

// ZipFile finds a file of the archive by its path; Mastodon's attachment
// URLs start with a slash, and some archives put everything in one folder.
func ZipFile(z *zip.Reader, name string) *zip.File {
	name = strings.TrimPrefix(path.Clean("/"+name), "/")
	for _, f := range z.File {
		if f.Name == name {
			return f
		}
	}
	for _, f := range z.File {
		if strings.HasSuffix(f.Name, "/"+name) {
			return f
		}
	}
	return nil
}
