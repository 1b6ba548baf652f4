package archive

import (
	"bytes"
	"fmt"

	"gopkg.in/yaml.v3"
)

// Markdown is one file of posts/ or notes/: YAML front matter, then the
// text. Static-site generators (Hugo, Jekyll, Eleventy) and Obsidian read
// this shape.
func Markdown(front any, body string) ([]byte, error) {
	var b bytes.Buffer
	b.WriteString("---\n")
	enc := yaml.NewEncoder(&b)
	enc.SetIndent(2)
	if err := enc.Encode(front); err != nil {
		return nil, fmt.Errorf("front matter: %w", err)
	}
	enc.Close()
	b.WriteString("---\n\n")
	b.WriteString(body)
	if body != "" && body[len(body)-1] != '\n' {
		b.WriteByte('\n')
	}
	return b.Bytes(), nil
}
