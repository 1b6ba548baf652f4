package syndication

import (
	"encoding/xml"
	"io"
)

// Atom 1.0 (RFC 4287) names.
const (
	atomNamespace = "http://www.w3.org/2005/Atom"
	atomMediaType = "application/atom+xml"
	htmlMediaType = "text/html"

	relSelf      = "self"
	relAlternate = "alternate"
	relEnclosure = "enclosure"

	textTypeText = "text"
	textTypeHTML = "html"
)

// epochRFC3339 stands in for the date of an empty feed that has none: Atom
// requires <updated>, and a fixed value keeps the document (and its ETag)
// stable, where the current time would change it on every request.
const epochRFC3339 = "1970-01-01T00:00:00Z"

type atomFeed struct {
	XMLName  xml.Name    `xml:"http://www.w3.org/2005/Atom feed"`
	Lang     string      `xml:"xml:lang,attr,omitempty"`
	ID       string      `xml:"id"`
	Title    atomText    `xml:"title"`
	Subtitle *atomText   `xml:"subtitle,omitempty"`
	Updated  string      `xml:"updated"`
	Links    []atomLink  `xml:"link"`
	Author   atomPerson  `xml:"author"`
	Icon     string      `xml:"icon,omitempty"`
	Entries  []atomEntry `xml:"entry"`
}

// atomText is a plain-text construct.
type atomText struct {
	Type  string `xml:"type,attr"`
	Value string `xml:",chardata"`
}

// atomHTML is an html text construct written as CDATA: the markup stays
// readable in the document, and the encoder splits any "]]>" in it.
type atomHTML struct {
	Type  string `xml:"type,attr"`
	Value string `xml:",cdata"`
}

type atomLink struct {
	Rel  string `xml:"rel,attr"`
	Type string `xml:"type,attr,omitempty"`
	Href string `xml:"href,attr"`
}

type atomPerson struct {
	Name string `xml:"name"`
	URI  string `xml:"uri,omitempty"`
}

type atomCategory struct {
	Term string `xml:"term,attr"`
}

type atomEntry struct {
	ID         string         `xml:"id"`
	Title      atomText       `xml:"title"`
	Links      []atomLink     `xml:"link"`
	Published  string         `xml:"published,omitempty"`
	Updated    string         `xml:"updated"`
	Categories []atomCategory `xml:"category"`
	Summary    *atomText      `xml:"summary,omitempty"`
	Content    *atomHTML      `xml:"content,omitempty"`
}

func writeAtom(w io.Writer, feed Feed, selfURL string) error {
	updated := rfc3339(feedUpdated(feed))
	if updated == "" {
		updated = epochRFC3339
	}
	id := feed.FeedURL
	if id == "" {
		id = selfURL
	}
	// RFC 4287 requires an author on the feed unless every entry has one;
	// the site's title is the best name left when the owner gave none.
	author := atomPerson{Name: feed.AuthorName, URI: feed.AuthorURL}
	if author.Name == "" {
		author.Name = feed.Title
	}
	doc := atomFeed{
		Lang:    feed.Language,
		ID:      id,
		Title:   atomText{Type: textTypeText, Value: feed.Title},
		Updated: updated,
		Author:  author,
		Icon:    feed.IconURL,
		Entries: make([]atomEntry, 0, len(feed.Entries)),
	}
	if feed.Description != "" {
		doc.Subtitle = &atomText{Type: textTypeText, Value: feed.Description}
	}
	if selfURL != "" {
		doc.Links = append(doc.Links, atomLink{Rel: relSelf, Type: atomMediaType, Href: selfURL})
	}
	if feed.SiteURL != "" {
		doc.Links = append(doc.Links, atomLink{Rel: relAlternate, Type: htmlMediaType, Href: feed.SiteURL})
	}
	for _, e := range feed.Entries {
		doc.Entries = append(doc.Entries, atomEntryOf(e, updated))
	}
	return writeXML(w, doc)
}

// atomEntryOf maps one entry; feedUpdated is used when the entry has no date
// at all, since <updated> is required.
func atomEntryOf(e Entry, feedUpdated string) atomEntry {
	title := entryTitle(e)
	updated := rfc3339(entryUpdated(e))
	if updated == "" {
		updated = feedUpdated
	}
	entry := atomEntry{
		ID:        entryID(e),
		Title:     atomText{Type: textTypeText, Value: title},
		Published: rfc3339(entryPublished(e)),
		Updated:   updated,
	}
	if link := entryLink(e); link != "" {
		entry.Links = append(entry.Links, atomLink{Rel: relAlternate, Type: htmlMediaType, Href: link})
	}
	if e.Image != "" {
		entry.Links = append(entry.Links, atomLink{Rel: relEnclosure, Type: imageType(e.Image), Href: e.Image})
	}
	for _, t := range e.Tags {
		entry.Categories = append(entry.Categories, atomCategory{Term: t})
	}
	if e.Summary != "" {
		entry.Summary = &atomText{Type: textTypeText, Value: e.Summary}
	}
	if e.ContentHTML != "" {
		entry.Content = &atomHTML{Type: textTypeHTML, Value: e.ContentHTML}
	}
	return entry
}

// writeXML writes the XML declaration and doc, indented so that golden files
// and humans can read the result.
func writeXML(w io.Writer, doc any) error {
	if _, err := io.WriteString(w, xml.Header); err != nil {
		return err
	}
	enc := xml.NewEncoder(w)
	enc.Indent("", "  ")
	if err := enc.Encode(doc); err != nil {
		return err
	}
	if err := enc.Close(); err != nil {
		return err
	}
	_, err := io.WriteString(w, "\n")
	return err
}
