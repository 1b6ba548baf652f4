package syndication

import (
	"encoding/json"
	"io"
)

// jsonFeedVersion is the version URL JSON Feed 1.1 readers check.
const jsonFeedVersion = "https://jsonfeed.org/version/1.1"

type jsonFeed struct {
	Version     string       `json:"version"`
	Title       string       `json:"title"`
	HomePageURL string       `json:"home_page_url,omitempty"`
	FeedURL     string       `json:"feed_url,omitempty"`
	Description string       `json:"description,omitempty"`
	Icon        string       `json:"icon,omitempty"`
	Authors     []jsonAuthor `json:"authors,omitempty"`
	Language    string       `json:"language,omitempty"`
	// Items is required, even when empty: it must encode as [], not null.
	Items []jsonItem `json:"items"`
}

type jsonAuthor struct {
	Name string `json:"name,omitempty"`
	URL  string `json:"url,omitempty"`
}

type jsonItem struct {
	ID            string   `json:"id"`
	URL           string   `json:"url,omitempty"`
	Title         string   `json:"title,omitempty"`
	ContentHTML   string   `json:"content_html"`
	Summary       string   `json:"summary,omitempty"`
	Image         string   `json:"image,omitempty"`
	DatePublished string   `json:"date_published,omitempty"`
	DateModified  string   `json:"date_modified,omitempty"`
	Tags          []string `json:"tags,omitempty"`
}

func writeJSONFeed(w io.Writer, feed Feed, selfURL string) error {
	doc := jsonFeed{
		Version:     jsonFeedVersion,
		Title:       feed.Title,
		HomePageURL: feed.SiteURL,
		FeedURL:     selfURL,
		Description: feed.Description,
		Icon:        feed.IconURL,
		Language:    feed.Language,
		Items:       make([]jsonItem, 0, len(feed.Entries)),
	}
	if feed.AuthorName != "" || feed.AuthorURL != "" {
		doc.Authors = []jsonAuthor{{Name: feed.AuthorName, URL: feed.AuthorURL}}
	}
	for _, e := range feed.Entries {
		doc.Items = append(doc.Items, jsonItem{
			ID:            entryID(e),
			URL:           entryLink(e),
			Title:         e.Title,
			ContentHTML:   e.ContentHTML,
			Summary:       e.Summary,
			Image:         e.Image,
			DatePublished: rfc3339(entryPublished(e)),
			DateModified:  rfc3339(entryUpdated(e)),
			Tags:          e.Tags,
		})
	}
	enc := json.NewEncoder(w)
	// The document is served as JSON, never inlined into HTML, so "<" can
	// stay readable instead of becoming \u003c.
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	return enc.Encode(doc)
}
