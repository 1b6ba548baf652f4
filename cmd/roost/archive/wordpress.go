package archive

import (
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"
)

// A WordPress export (WXR, Tools → Export in WordPress) is RSS 2.0 with
// the wp: namespace: one <item> per post, page and attachment, with the
// comments inside their post.

// nsWP starts the wp: namespace of every WXR version (1.0 to 1.2).
const nsWP = "http://wordpress.org/export/"

// WPItem is one <item> of a WXR file.
type WPItem struct {
	Title    string       `xml:"title"`
	Link     string       `xml:"link"`
	PubDate  string       `xml:"pubDate"`
	GUID     string       `xml:"guid"`
	Content  string       `xml:"http://purl.org/rss/1.0/modules/content/ encoded"`
	Excerpt  string       `xml:"http://wordpress.org/export/1.2/excerpt/ encoded"`
	PostID   int64        `xml:"post_id"`
	DateGMT  string       `xml:"post_date_gmt"`
	Date     string       `xml:"post_date"`
	Name     string       `xml:"post_name"`
	Status   string       `xml:"status"`
	Type     string       `xml:"post_type"`
	Parent   int64        `xml:"post_parent"`
	URL      string       `xml:"attachment_url"`
	Category []WPCategory `xml:"category"`
	Meta     []WPMeta     `xml:"postmeta"`
	Comments []WPComment  `xml:"comment"`
}

// WPCategory is a category or tag of a post.
type WPCategory struct {
	Domain   string `xml:"domain,attr"`
	Nicename string `xml:"nicename,attr"`
	Name     string `xml:",chardata"`
}

// WPMeta is one custom field; _thumbnail_id names the featured image.
type WPMeta struct {
	Key   string `xml:"meta_key"`
	Value string `xml:"meta_value"`
}

// WPComment is one comment on a post.
type WPComment struct {
	ID          int64  `xml:"comment_id"`
	Author      string `xml:"comment_author"`
	AuthorEmail string `xml:"comment_author_email"`
	AuthorURL   string `xml:"comment_author_url"`
	DateGMT     string `xml:"comment_date_gmt"`
	Content     string `xml:"comment_content"`
	Approved    string `xml:"comment_approved"`
	Type        string `xml:"comment_type"`
	Parent      int64  `xml:"comment_parent"`
}

// Published is when the item went out, in UTC.
func (it WPItem) Published() time.Time {
	for _, s := range []string{it.DateGMT, it.Date} {
		if t, err := time.Parse("2006-01-02 15:04:05", strings.TrimSpace(s)); err == nil && t.Year() > 1 {
			return t
		}
	}
	if t, err := time.Parse(time.RFC1123Z, strings.TrimSpace(it.PubDate)); err == nil {
		return t.UTC()
	}
	return time.Time{}
}

// Tags are the item's tags and categories (WordPress's default category,
// "Uncategorized", is left out).
func (it WPItem) Tags() []string {
	var out []string
	seen := map[string]bool{}
	for _, c := range it.Category {
		name := strings.TrimSpace(c.Name)
		if name == "" || c.Domain != "post_tag" && c.Domain != "category" || c.Nicename == "uncategorized" {
			continue
		}
		if k := strings.ToLower(name); !seen[k] {
			seen[k] = true
			out = append(out, name)
		}
	}
	return out
}

// MetaValue is the value of a custom field, or "".
func (it WPItem) MetaValue(key string) string {
	for _, m := range it.Meta {
		if m.Key == key {
			return m.Value
		}
	}
	return ""
}

// Published is when the comment was written, in UTC.
func (c WPComment) Published() time.Time {
	t, _ := time.Parse("2006-01-02 15:04:05", strings.TrimSpace(c.DateGMT))
	return t
}

// IsWXR tells a WordPress export from other XML by its namespace.
func IsWXR(head []byte) bool {
	s := string(head)
	return strings.Contains(s, "<rss") && strings.Contains(s, nsWP)
}

// ReadWXR calls fn for each item of a WordPress export, one at a time.
func ReadWXR(r io.Reader, fn func(WPItem) error) error {
	dec := xml.NewDecoder(r)
	dec.Strict = false
	items := 0
	for {
		tok, err := dec.Token()
		if errors.Is(err, io.EOF) {
			if items == 0 {
				return errors.New("WordPress export: no items")
			}
			return nil
		}
		if err != nil {
			return fmt.Errorf("WordPress export: %w", err)
		}
		start, ok := tok.(xml.StartElement)
		if !ok || start.Name.Local != "item" {
			continue
		}
		var it WPItem
		if err := dec.DecodeElement(&it, &start); err != nil {
			return fmt.Errorf("WordPress export item %d: %w", items+1, err)
		}
		items++
		if err := fn(it); err != nil {
			return err
		}
	}
}
