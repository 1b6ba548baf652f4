// Package markdown turns the owner's Markdown into the HTML that pages,
// feeds and ActivityStreams documents carry. It is the only place roost
// renders Markdown, so every article gets the same extensions and the same
// sanitizing: raw HTML in the source is dropped by goldmark and the output
// goes through a bluemonday policy as a second line of defence.
package markdown

import (
	"bytes"
	"fmt"
	"regexp"
	"sync"

	chromahtml "github.com/alecthomas/chroma/v2/formatters/html"
	"github.com/microcosm-cc/bluemonday"
	"github.com/yuin/goldmark"
	highlighting "github.com/yuin/goldmark-highlighting/v2"
	"github.com/yuin/goldmark/extension"
)

// converter is safe for concurrent use once built. html.WithUnsafe is
// deliberately absent: goldmark then replaces raw HTML with a comment.
var converter = goldmark.New(
	goldmark.WithExtensions(
		// GFM, with table alignment as the align attribute: the default
		// inline style is stripped by the sanitizer and a strict CSP.
		extension.Linkify,
		extension.NewTable(extension.WithTableCellAlignMethod(extension.TableCellAlignAttribute)),
		extension.Strikethrough,
		extension.TaskList,
		extension.Footnote,
		extension.Typographer,
		highlighting.NewHighlighting(
			// Classes rather than inline styles, so the theme's CSS
			// decides the colours and a strict style-src stays possible.
			highlighting.WithFormatOptions(chromahtml.WithClasses(true)),
		),
	),
)

var (
	policyOnce sync.Once
	policy     *bluemonday.Policy
)

// Policy is the sanitizing policy applied to rendered Markdown. It is
// bluemonday's user-generated-content policy plus what goldmark's output
// needs: classes for highlighting and footnotes, ids and roles for footnote
// links, and disabled checkboxes for task lists.
func Policy() *bluemonday.Policy {
	policyOnce.Do(func() {
		p := bluemonday.UGCPolicy()
		// The owner's own links are not user-generated spam; leave rel alone.
		p.RequireNoFollowOnLinks(false)
		className := regexp.MustCompile(`^[a-zA-Z0-9 _-]+$`)
		p.AllowAttrs("class").Matching(className).OnElements("pre", "code", "span", "div", "a", "sup", "li", "ol")
		// Footnotes link "fnref:1" and "fn:1" to each other.
		p.AllowAttrs("id").Matching(regexp.MustCompile(`^fn(ref)?[:-]?[a-zA-Z0-9:_-]*$`)).OnElements("sup", "li")
		p.AllowAttrs("role").Matching(regexp.MustCompile(`^doc-[a-z]+$`)).OnElements("a", "div", "section")
		// GFM task lists render as disabled checkboxes.
		p.AllowAttrs("type").Matching(regexp.MustCompile(`^checkbox$`)).OnElements("input")
		p.AllowAttrs("checked", "disabled").Matching(regexp.MustCompile(`^$|^checked$|^disabled$`)).OnElements("input")
		policy = p
	})
	return policy
}

// Render converts Markdown to sanitized HTML.
func Render(src string) (string, error) {
	var buf bytes.Buffer
	if err := converter.Convert([]byte(src), &buf); err != nil {
		return "", fmt.Errorf("render markdown: %w", err)
	}
	return Policy().Sanitize(buf.String()), nil
}
