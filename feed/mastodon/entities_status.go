package mastodon

import (
	"roost/feed"
)

// Status is Mastodon's Status entity.
type Status struct {
	ID                 string         `json:"id"`
	URI                string         `json:"uri"`
	URL                string         `json:"url"`
	CreatedAt          string         `json:"created_at"`
	EditedAt           *string        `json:"edited_at"`
	Account            Account        `json:"account"`
	Content            string         `json:"content"`
	Text               *string        `json:"text,omitempty"`
	Visibility         string         `json:"visibility"`
	Sensitive          bool           `json:"sensitive"`
	SpoilerText        string         `json:"spoiler_text"`
	MediaAttachments   []Attachment   `json:"media_attachments"`
	Application        *appRef        `json:"application,omitempty"`
	Mentions           []Mention      `json:"mentions"`
	Tags               []StatusTag    `json:"tags"`
	Emojis             []any          `json:"emojis"`
	ReblogsCount       int            `json:"reblogs_count"`
	FavouritesCount    int            `json:"favourites_count"`
	RepliesCount       int            `json:"replies_count"`
	InReplyToID        *string        `json:"in_reply_to_id"`
	InReplyToAccountID *string        `json:"in_reply_to_account_id"`
	Reblog             *Status        `json:"reblog"`
	Poll               any            `json:"poll"`
	Card               any            `json:"card"`
	Language           *string        `json:"language"`
	Favourited         bool           `json:"favourited"`
	Reblogged          bool           `json:"reblogged"`
	Muted              bool           `json:"muted"`
	Bookmarked         bool           `json:"bookmarked"`
	Pinned             bool           `json:"pinned"`
	Filtered           []FilterResult `json:"filtered"`
	// Quote and QuotesCount are Mastodon 4.5's quote posts: the quoted
	// status (null when none) and how many posts quote this one.
	Quote       *Quote `json:"quote"`
	QuotesCount int    `json:"quotes_count"`
	// QuoteApproval says who may quote the status and whether the owner
	// may (Mastodon 4.5).
	QuoteApproval QuoteApproval `json:"quote_approval"`
}

type appRef struct {
	Name    string  `json:"name"`
	Website *string `json:"website"`
}

// Attachment is Mastodon's MediaAttachment entity.
type Attachment struct {
	ID          string  `json:"id"`
	Type        string  `json:"type"`
	URL         string  `json:"url"`
	PreviewURL  string  `json:"preview_url"`
	RemoteURL   *string `json:"remote_url"`
	TextURL     *string `json:"text_url"`
	Meta        any     `json:"meta"`
	Description *string `json:"description"`
	Blurhash    *string `json:"blurhash"`
}

// Mention is Mastodon's StatusMention.
type Mention struct {
	ID       string `json:"id"`
	Username string `json:"username"`
	URL      string `json:"url"`
	Acct     string `json:"acct"`
}

// StatusTag is a hashtag of a status.
type StatusTag struct {
	Name string `json:"name"`
	URL  string `json:"url"`
}

type metaSize struct {
	Width  int     `json:"width"`
	Height int     `json:"height"`
	Size   string  `json:"size"`
	Aspect float64 `json:"aspect"`
}

func sizeMeta(w, h int) *metaSize {
	if w <= 0 || h <= 0 {
		return nil
	}
	return &metaSize{Width: w, Height: h, Size: idString(int64(w)) + "x" + idString(int64(h)), Aspect: float64(w) / float64(h)}
}

func attachmentType(mediaType string) string {
	switch {
	case len(mediaType) >= 6 && mediaType[:6] == "image/":
		if mediaType == "image/gif" {
			return "gifv"
		}
		return "image"
	case len(mediaType) >= 6 && mediaType[:6] == "video/":
		return "video"
	case len(mediaType) >= 6 && mediaType[:6] == "audio/":
		return "audio"
	}
	return "image"
}

func strPtr(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

// attachmentOf renders an attached image. id is the media store's id for
// the owner's uploads, a hash of the URL for remote files.
func attachmentOf(id string, m feed.Media, remote bool) Attachment {
	at := Attachment{ID: id, Type: attachmentType(m.MediaType), URL: m.URL, PreviewURL: m.PreviewURL,
		Description: strPtr(m.Alt), Blurhash: strPtr(m.Blurhash)}
	if at.Type == "gifv" {
		at.Type = "image"
	}
	if at.PreviewURL == "" {
		at.PreviewURL = m.URL
	}
	if remote {
		at.RemoteURL = strPtr(m.URL)
	}
	meta := map[string]any{}
	if o := sizeMeta(m.Width, m.Height); o != nil {
		meta["original"] = o
	}
	at.Meta = meta
	return at
}
