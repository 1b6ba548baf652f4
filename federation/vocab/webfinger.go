package vocab

import (
	"encoding/json"
	"encoding/xml"
	"errors"
	"fmt"
	"strings"
)

// JRD is a WebFinger JSON Resource Descriptor (RFC 7033).
type JRD struct {
	Subject string    `json:"subject"`
	Aliases []string  `json:"aliases,omitempty"`
	Links   []JRDLink `json:"links"`
}

// JRDLink is one link of a JRD, of host-meta, or of a NodeInfo discovery
// document.
type JRDLink struct {
	Rel      string `json:"rel"`
	Type     string `json:"type,omitempty"`
	Href     string `json:"href,omitempty"`
	Template string `json:"template,omitempty"`
}

// WebFinger link relations and the host-meta template relation.
const (
	RelSelf        = "self"
	RelProfilePage = "http://webfinger.net/rel/profile-page"
	RelSubscribe   = "http://ostatus.org/schema/1.0/subscribe"
	RelAvatar      = "http://webfinger.net/rel/avatar"
	RelLRDD        = "lrdd"
)

// ErrNoTemplate is returned when host-meta names no WebFinger template.
var ErrNoTemplate = errors.New("no lrdd template")

// ParseJRD reads a WebFinger response.
func ParseJRD(data []byte) (*JRD, error) {
	var j JRD
	if err := json.Unmarshal(data, &j); err != nil {
		return nil, fmt.Errorf("vocab: parse webfinger: %w: %w", ErrMalformed, err)
	}
	return &j, nil
}

// Self returns the ActivityPub actor the descriptor points at: the rel=self
// link of type application/activity+json, or of the ld+json type with the
// ActivityStreams profile (Pleroma lists both).
func (j JRD) Self() string {
	for _, l := range j.Links {
		if l.Rel == RelSelf && l.Href != "" && isActivityStreamsType(l.Type) {
			return l.Href
		}
	}
	return ""
}

// isActivityStreamsType accepts application/activity+json and
// application/ld+json with the ActivityStreams profile, ignoring spacing
// and quoting differences in the parameter.
func isActivityStreamsType(t string) bool {
	mt, params, _ := strings.Cut(t, ";")
	switch strings.TrimSpace(strings.ToLower(mt)) {
	case ContentTypeActivity:
		return true
	case "application/ld+json":
		return strings.Contains(params, "https://www.w3.org/ns/activitystreams")
	}
	return false
}

// hostMeta is the XRD document at /.well-known/host-meta.
type hostMeta struct {
	Links []struct {
		Rel      string `xml:"rel,attr"`
		Template string `xml:"template,attr"`
	} `xml:"Link"`
}

// ParseHostMeta returns the WebFinger URL template ("...?resource={uri}")
// from an XRD host-meta document. Servers on a domain other than their
// handles' (and older PeerTube setups) are only found this way.
func ParseHostMeta(data []byte) (webfingerTemplate string, err error) {
	var hm hostMeta
	if err := xml.Unmarshal(data, &hm); err != nil {
		return "", fmt.Errorf("vocab: parse host-meta: %w: %w", ErrMalformed, err)
	}
	for _, l := range hm.Links {
		if l.Rel == RelLRDD && strings.Contains(l.Template, "{uri}") {
			return l.Template, nil
		}
	}
	return "", fmt.Errorf("vocab: parse host-meta: %w", ErrNoTemplate)
}
