package vocab

import (
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
)

// NodeInfo is a server's NodeInfo document (schema 2.0 or 2.1).
type NodeInfo struct {
	Version  string `json:"version"`
	Software struct {
		Name    string `json:"name"`
		Version string `json:"version"`
	} `json:"software"`
	Protocols         []string `json:"protocols"`
	OpenRegistrations bool     `json:"openRegistrations"`
	Usage             struct {
		Users struct {
			Total          int `json:"total"`
			ActiveMonth    int `json:"activeMonth"`
			ActiveHalfyear int `json:"activeHalfyear"`
		} `json:"users"`
		LocalPosts int `json:"localPosts"`
	} `json:"usage"`
	Metadata map[string]any `json:"metadata"`
}

// RelNodeInfoPrefix starts the rel of every NodeInfo schema version in the
// /.well-known/nodeinfo discovery document.
const RelNodeInfoPrefix = "http://nodeinfo.diaspora.software/ns/schema/"

// ErrNoVersion is returned for a NodeInfo document without a version.
var ErrNoVersion = errors.New("missing version")

// ParseNodeInfo reads a NodeInfo document. Counts that a server leaves out
// or writes as null read as zero.
func ParseNodeInfo(data []byte) (*NodeInfo, error) {
	var ni NodeInfo
	if err := json.Unmarshal(data, &ni); err != nil {
		return nil, fmt.Errorf("vocab: parse nodeinfo: %w: %w", ErrMalformed, err)
	}
	if ni.Version == "" {
		return nil, fmt.Errorf("vocab: parse nodeinfo: %w", ErrNoVersion)
	}
	return &ni, nil
}

// ParseNodeInfoLinks reads the /.well-known/nodeinfo discovery document and
// returns its NodeInfo schema links, newest schema version first. Other
// links in it (WordPress lists its relay actor there) are left out.
func ParseNodeInfoLinks(data []byte) ([]JRDLink, error) {
	var doc struct {
		Links []JRDLink `json:"links"`
	}
	if err := json.Unmarshal(data, &doc); err != nil {
		return nil, fmt.Errorf("vocab: parse nodeinfo links: %w: %w", ErrMalformed, err)
	}
	var out []JRDLink
	for _, l := range doc.Links {
		if strings.HasPrefix(l.Rel, RelNodeInfoPrefix) && l.Href != "" {
			out = append(out, l)
		}
	}
	// Schema versions compare as strings ("2.1" > "2.0" > "1.1").
	slices.SortStableFunc(out, func(a, b JRDLink) int { return strings.Compare(b.Rel, a.Rel) })
	return out, nil
}
