package cards

import "time"

// Card types, as Mastodon names them (oEmbed's types, "link" otherwise).
const (
	TypeLink  = "link"
	TypePhoto = "photo"
	TypeVideo = "video"
	TypeRich  = "rich"
)

// Card is what a linked page says about itself. Image is the remote URL;
// whoever shows it sends it through the site's media proxy. HTML is empty
// or one iframe that this package built from an oEmbed answer.
type Card struct {
	URL              string    `json:"url"`
	Title            string    `json:"title"`
	Description      string    `json:"description"`
	Type             string    `json:"type"`
	AuthorName       string    `json:"author_name,omitempty"`
	AuthorURL        string    `json:"author_url,omitempty"`
	ProviderName     string    `json:"provider_name,omitempty"`
	ProviderURL      string    `json:"provider_url,omitempty"`
	HTML             string    `json:"html,omitempty"`
	Width            int       `json:"width,omitempty"`
	Height           int       `json:"height,omitempty"`
	Image            string    `json:"image,omitempty"`
	ImageDescription string    `json:"image_description,omitempty"`
	Blurhash         string    `json:"blurhash,omitempty"`
	EmbedURL         string    `json:"embed_url,omitempty"`
	Language         string    `json:"language,omitempty"`
	PublishedAt      time.Time `json:"published_at,omitzero"`
}

// usable reports whether a card has enough to show: Mastodon drops cards
// without a title (a page with no meta at all gives nothing to show).
func (c Card) usable() bool { return c.Title != "" }
