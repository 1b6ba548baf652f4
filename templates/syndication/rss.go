package syndication

import (
	"encoding/xml"
	"html"
	"io"
)

// Namespaces the RSS document borrows elements from. RSS 2.0 itself has no
// self link, no full-content element and no author name without an email,
// so feeds conventionally take them from Atom, the RSS content module and
// Dublin Core.
const (
	nsAtom    = atomNamespace
	nsContent = "http://purl.org/rss/1.0/modules/content/"
	nsDC      = "http://purl.org/dc/elements/1.1/"
	nsMedia   = "http://search.yahoo.com/mrss/"

	rssMediaType = "application/rss+xml"
	mediumImage  = "image"
)

// unknownLength is the enclosure length written when the image's size is
// not known. RSS makes the attribute mandatory; the RSS Best Practices
// Profile asks for 0 in that case rather than a guess.
const unknownLength = "0"

type rssDoc struct {
	XMLName   xml.Name   `xml:"rss"`
	Version   string     `xml:"version,attr"`
	NSAtom    string     `xml:"xmlns:atom,attr"`
	NSContent string     `xml:"xmlns:content,attr"`
	NSDC      string     `xml:"xmlns:dc,attr"`
	NSMedia   string     `xml:"xmlns:media,attr"`
	Channel   rssChannel `xml:"channel"`
}

type rssChannel struct {
	Title         string    `xml:"title"`
	Link          string    `xml:"link"`
	Description   string    `xml:"description"`
	Language      string    `xml:"language,omitempty"`
	LastBuildDate string    `xml:"lastBuildDate,omitempty"`
	SelfLink      *atomLink `xml:"atom:link,omitempty"`
	Image         *rssImage `xml:"image,omitempty"`
	Items         []rssItem `xml:"item"`
}

// rssImage is the channel logo. RSS requires its title and link to match
// the channel's, which is why they are repeated.
type rssImage struct {
	URL   string `xml:"url"`
	Title string `xml:"title"`
	Link  string `xml:"link"`
}

type rssItem struct {
	Title       string        `xml:"title,omitempty"`
	Link        string        `xml:"link,omitempty"`
	GUID        rssGUID       `xml:"guid"`
	PubDate     string        `xml:"pubDate,omitempty"`
	Updated     string        `xml:"atom:updated,omitempty"`
	Creator     string        `xml:"dc:creator,omitempty"`
	Categories  []string      `xml:"category"`
	Description cdata         `xml:"description"`
	Content     *cdata        `xml:"content:encoded,omitempty"`
	Enclosure   *rssEnclosure `xml:"enclosure,omitempty"`
	Media       *mediaContent `xml:"media:content,omitempty"`
}

// cdata is element text holding HTML, written as CDATA so the markup stays
// readable; the encoder splits any "]]>" inside it.
type cdata struct {
	Value string `xml:",cdata"`
}

// rssGUID is always a permalink: entry ids are the entries' URLs.
type rssGUID struct {
	IsPermaLink string `xml:"isPermaLink,attr"`
	Value       string `xml:",chardata"`
}

type rssEnclosure struct {
	URL    string `xml:"url,attr"`
	Length string `xml:"length,attr"`
	Type   string `xml:"type,attr"`
}

type mediaContent struct {
	URL    string `xml:"url,attr"`
	Type   string `xml:"type,attr,omitempty"`
	Medium string `xml:"medium,attr"`
}

func writeRSS(w io.Writer, feed Feed, selfURL string) error {
	// RSS requires a channel description; the title is better than nothing.
	desc := feed.Description
	if desc == "" {
		desc = feed.Title
	}
	ch := rssChannel{
		Title:         feed.Title,
		Link:          feed.SiteURL,
		Description:   desc,
		Language:      feed.Language,
		LastBuildDate: rfc1123(feedUpdated(feed)),
		Items:         make([]rssItem, 0, len(feed.Entries)),
	}
	if selfURL != "" {
		ch.SelfLink = &atomLink{Rel: relSelf, Type: rssMediaType, Href: selfURL}
	}
	if feed.IconURL != "" {
		ch.Image = &rssImage{URL: feed.IconURL, Title: feed.Title, Link: feed.SiteURL}
	}
	for _, e := range feed.Entries {
		ch.Items = append(ch.Items, rssItemOf(e, feed.AuthorName))
	}
	return writeXML(w, rssDoc{
		Version:   "2.0",
		NSAtom:    nsAtom,
		NSContent: nsContent,
		NSDC:      nsDC,
		NSMedia:   nsMedia,
		Channel:   ch,
	})
}

func rssItemOf(e Entry, author string) rssItem {
	item := rssItem{
		Title:       entryTitle(e),
		Link:        entryLink(e),
		GUID:        rssGUID{IsPermaLink: "true", Value: entryID(e)},
		PubDate:     rfc1123(entryPublished(e)),
		Creator:     author,
		Categories:  e.Tags,
		Description: cdata{e.ContentHTML},
	}
	if e.ContentHTML != "" {
		item.Content = &cdata{e.ContentHTML}
	}
	// RSS has no separate update date; Atom's element is what readers
	// that care about edits look for.
	if !e.Updated.IsZero() && !e.Updated.Equal(e.Published) {
		item.Updated = rfc3339(e.Updated)
	}
	// <description> holds HTML in RSS; plain-text summaries are escaped
	// into it when there is no content to carry.
	if e.ContentHTML == "" {
		item.Description.Value = html.EscapeString(e.Summary)
	}
	if e.Image != "" {
		typ := imageType(e.Image)
		// The enclosure is for readers that know only core RSS; it needs
		// a type, so it is left out when the type cannot be told.
		if typ != "" {
			item.Enclosure = &rssEnclosure{URL: e.Image, Length: unknownLength, Type: typ}
		}
		item.Media = &mediaContent{URL: e.Image, Type: typ, Medium: mediumImage}
	}
	return item
}
