package archive

import (
	"strings"

	htmltomarkdown "github.com/JohannesKaufmann/html-to-markdown/v2"
)

// MarkdownFromHTML turns a WordPress post's HTML into the Markdown the
// blog is written in. WordPress separates paragraphs of the classic
// editor by blank lines instead of <p>, so those become paragraphs first.
func MarkdownFromHTML(s string) (string, error) {
	if !strings.Contains(s, "<p") && strings.Contains(s, "\n\n") {
		var b strings.Builder
		for _, para := range strings.Split(s, "\n\n") {
			if para = strings.TrimSpace(para); para != "" {
				b.WriteString("<p>" + strings.ReplaceAll(para, "\n", "<br>") + "</p>\n")
			}
		}
		s = b.String()
	}
	md, err := htmltomarkdown.ConvertString(s)
	if err != nil {
		return "", err
	}
	return strings.TrimSpace(md), nil
}
