package mastodon

import (
	"encoding/json"
	"net/http"
	"strconv"
	"sync"
	"unicode/utf8"
)

// Timelines are the API's hottest answers and most of their encoding is
// the same few structs, so pages of statuses are written by hand here
// rather than through encoding/json's reflection; anything unusual (poll,
// card, attachment meta) still goes through encoding/json. The output is
// checked against encoding/json's in json_fast_test.go.

// statusBuffers recycles the buffers pages are written into (a page of 20
// is some 40 KB).
var statusBuffers = sync.Pool{New: func() any { return new([]byte) }}

// writeStatuses answers a page of statuses.
func writeStatuses(w http.ResponseWriter, list []Status) {
	buf := statusBuffers.Get().(*[]byte)
	defer statusBuffers.Put(buf)
	b := appendArray((*buf)[:0], list, appendStatus)
	b = append(b, '\n')
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(b)
	if cap(b) <= 1<<20 {
		*buf = b
	}
}

func appendStatus(b []byte, s *Status) []byte {
	b = appendKey(b, '{', "id")
	b = appendString(b, s.ID)
	b = appendKey(b, ',', "uri")
	b = appendString(b, s.URI)
	b = appendKey(b, ',', "url")
	b = appendString(b, s.URL)
	b = appendKey(b, ',', "created_at")
	b = appendString(b, s.CreatedAt)
	b = appendKey(b, ',', "edited_at")
	b = appendOptString(b, s.EditedAt)
	b = appendKey(b, ',', "account")
	b = appendAccount(b, &s.Account)
	b = appendKey(b, ',', "content")
	b = appendString(b, s.Content)
	if s.Text != nil {
		b = appendKey(b, ',', "text")
		b = appendString(b, *s.Text)
	}
	b = appendKey(b, ',', "visibility")
	b = appendString(b, s.Visibility)
	b = appendKey(b, ',', "sensitive")
	b = strconv.AppendBool(b, s.Sensitive)
	b = appendKey(b, ',', "spoiler_text")
	b = appendString(b, s.SpoilerText)
	b = appendKey(b, ',', "media_attachments")
	b = appendArray(b, s.MediaAttachments, appendAttachment)
	if s.Application != nil {
		b = appendKey(b, ',', "application")
		b = appendAny(b, s.Application)
	}
	b = appendKey(b, ',', "mentions")
	b = appendArray(b, s.Mentions, appendMention)
	b = appendKey(b, ',', "tags")
	b = appendArray(b, s.Tags, appendTag)
	b = appendKey(b, ',', "emojis")
	b = appendAny(b, s.Emojis)
	b = appendKey(b, ',', "reblogs_count")
	b = strconv.AppendInt(b, int64(s.ReblogsCount), 10)
	b = appendKey(b, ',', "favourites_count")
	b = strconv.AppendInt(b, int64(s.FavouritesCount), 10)
	b = appendKey(b, ',', "replies_count")
	b = strconv.AppendInt(b, int64(s.RepliesCount), 10)
	b = appendKey(b, ',', "in_reply_to_id")
	b = appendOptString(b, s.InReplyToID)
	b = appendKey(b, ',', "in_reply_to_account_id")
	b = appendOptString(b, s.InReplyToAccountID)
	b = appendKey(b, ',', "reblog")
	if s.Reblog != nil {
		b = appendStatus(b, s.Reblog)
	} else {
		b = append(b, "null"...)
	}
	b = appendKey(b, ',', "poll")
	b = appendAny(b, s.Poll)
	b = appendKey(b, ',', "card")
	b = appendAny(b, s.Card)
	b = appendKey(b, ',', "language")
	b = appendOptString(b, s.Language)
	for _, f := range []struct {
		key string
		v   bool
	}{{"favourited", s.Favourited}, {"reblogged", s.Reblogged}, {"muted", s.Muted}, {"bookmarked", s.Bookmarked}, {"pinned", s.Pinned}} {
		b = appendKey(b, ',', f.key)
		b = strconv.AppendBool(b, f.v)
	}
	b = appendKey(b, ',', "filtered")
	if s.Filtered != nil && len(s.Filtered) == 0 {
		b = append(b, "[]"...) // the usual case, without reflection
	} else {
		b = appendAny(b, s.Filtered)
	}
	return append(b, '}')
}

func appendAccount(b []byte, a *Account) []byte {
	if a.Source != nil {
		return appendAny(b, a) // verify_credentials only, never on timelines
	}
	for i, f := range []struct{ key, v string }{{"id", a.ID}, {"username", a.Username}, {"acct", a.Acct}, {"display_name", a.DisplayName}} {
		sep := byte(',')
		if i == 0 {
			sep = '{'
		}
		b = appendKey(b, sep, f.key)
		b = appendString(b, f.v)
	}
	for _, f := range []struct {
		key string
		v   bool
	}{{"locked", a.Locked}, {"bot", a.Bot}, {"discoverable", a.Discoverable}, {"indexable", a.Indexable}, {"group", a.Group}, {"hide_collections", a.HideCollection}} {
		b = appendKey(b, ',', f.key)
		b = strconv.AppendBool(b, f.v)
	}
	for _, f := range []struct{ key, v string }{{"created_at", a.CreatedAt}, {"note", a.Note}, {"url", a.URL}, {"uri", a.URI},
		{"avatar", a.Avatar}, {"avatar_static", a.AvatarStatic}, {"header", a.Header}, {"header_static", a.HeaderStatic}} {
		b = appendKey(b, ',', f.key)
		b = appendString(b, f.v)
	}
	b = appendKey(b, ',', "followers_count")
	b = strconv.AppendInt(b, int64(a.Followers), 10)
	b = appendKey(b, ',', "following_count")
	b = strconv.AppendInt(b, int64(a.Following), 10)
	b = appendKey(b, ',', "statuses_count")
	b = strconv.AppendInt(b, int64(a.Statuses), 10)
	b = appendKey(b, ',', "last_status_at")
	b = appendOptString(b, a.LastStatusAt)
	b = appendKey(b, ',', "emojis")
	b = appendAny(b, a.Emojis)
	b = appendKey(b, ',', "fields")
	if a.Fields == nil {
		b = append(b, "null"...)
	} else {
		b = appendArray(b, a.Fields, appendField)
	}
	b = appendKey(b, ',', "roles")
	b = appendAny(b, a.Roles)
	if a.Limited {
		b = appendKey(b, ',', "limited")
		b = append(b, "true"...)
	}
	return append(b, '}')
}

// appendArray writes list as a JSON array, each element by each.
func appendArray[T any](b []byte, list []T, each func([]byte, *T) []byte) []byte {
	b = append(b, '[')
	for i := range list {
		if i > 0 {
			b = append(b, ',')
		}
		b = each(b, &list[i])
	}
	return append(b, ']')
}

func appendMention(b []byte, m *Mention) []byte {
	b = appendKey(b, '{', "id")
	b = appendString(b, m.ID)
	b = appendKey(b, ',', "username")
	b = appendString(b, m.Username)
	b = appendKey(b, ',', "url")
	b = appendString(b, m.URL)
	b = appendKey(b, ',', "acct")
	b = appendString(b, m.Acct)
	return append(b, '}')
}

func appendTag(b []byte, t *StatusTag) []byte {
	b = appendKey(b, '{', "name")
	b = appendString(b, t.Name)
	b = appendKey(b, ',', "url")
	b = appendString(b, t.URL)
	return append(b, '}')
}

func appendField(b []byte, f *Field) []byte {
	b = appendKey(b, '{', "name")
	b = appendString(b, f.Name)
	b = appendKey(b, ',', "value")
	b = appendString(b, f.Value)
	b = appendKey(b, ',', "verified_at")
	b = appendOptString(b, f.VerifiedAt)
	return append(b, '}')
}

func appendAttachment(b []byte, at *Attachment) []byte {
	for i, f := range []struct{ key, v string }{{"id", at.ID}, {"type", at.Type}, {"url", at.URL}, {"preview_url", at.PreviewURL}} {
		sep := byte(',')
		if i == 0 {
			sep = '{'
		}
		b = appendKey(b, sep, f.key)
		b = appendString(b, f.v)
	}
	b = appendKey(b, ',', "remote_url")
	b = appendOptString(b, at.RemoteURL)
	b = appendKey(b, ',', "text_url")
	b = appendOptString(b, at.TextURL)
	b = appendKey(b, ',', "meta")
	b = appendAny(b, at.Meta)
	b = appendKey(b, ',', "description")
	b = appendOptString(b, at.Description)
	b = appendKey(b, ',', "blurhash")
	b = appendOptString(b, at.Blurhash)
	return append(b, '}')
}

// appendKey writes the separator and "key":.
func appendKey(b []byte, sep byte, key string) []byte {
	b = append(b, sep, '"')
	b = append(b, key...)
	return append(b, '"', ':')
}

func appendOptString(b []byte, s *string) []byte {
	if s == nil {
		return append(b, "null"...)
	}
	return appendString(b, *s)
}

// appendAny falls back to encoding/json, with empty slices written
// directly since they are most of what reaches here.
func appendAny(b []byte, v any) []byte {
	switch x := v.(type) {
	case nil:
		return append(b, "null"...)
	case []any:
		if x == nil {
			return append(b, "null"...)
		}
		if len(x) == 0 {
			return append(b, "[]"...)
		}
	}
	j, err := json.Marshal(v)
	if err != nil {
		return append(b, "null"...)
	}
	return append(b, j...)
}

const hexDigits = "0123456789abcdef"

// appendString writes s as a JSON string. Unlike encoding/json it leaves
// <, > and & alone (the answers are JSON, never inlined in HTML); invalid
// UTF-8 becomes U+FFFD and U+2028/U+2029 are escaped, as encoding/json does.
func appendString(b []byte, s string) []byte {
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if c >= 0x20 && c != '"' && c != '\\' {
				i++
				continue
			}
			b = append(b, s[start:i]...)
			switch c {
			case '"', '\\':
				b = append(b, '\\', c)
			case '\n':
				b = append(b, '\\', 'n')
			case '\r':
				b = append(b, '\\', 'r')
			case '\t':
				b = append(b, '\\', 't')
			default:
				b = append(b, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xf])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			b = append(b, s[start:i]...)
			b = append(b, `\ufffd`...)
			i += size
			start = i
			continue
		}
		if r == '\u2028' || r == '\u2029' {
			b = append(b, s[start:i]...)
			b = append(b, '\\', 'u', '2', '0', '2', hexDigits[r&0xf])
			i += size
			start = i
			continue
		}
		i += size
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}
