package federation

import (
	"context"
	"encoding/xml"
	"log/slog"
	"net/http"
	"net/url"
	"strings"

	"roost/federation/vocab"
)

// Media types of the discovery documents.
const (
	contentTypeJRD = "application/jrd+json; charset=utf-8"
	contentTypeXRD = "application/xrd+xml; charset=utf-8"
)

// serveWebFinger answers RFC 7033 queries for the owner. Peers ask in many
// ways: acct:USERNAME@HOST (Mastodon), acct:HOST@HOST (the domain as
// handle, as WordPress does), the site or actor URL (FEP-d556, Fedify), or
// a bare "user@host" from clients that forget the scheme.
func (s *Service) serveWebFinger(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Access-Control-Allow-Origin", "*")
	resource := strings.TrimSpace(r.URL.Query().Get("resource"))
	if resource == "" {
		writeJSONError(w, http.StatusBadRequest, "missing resource parameter")
		return
	}
	pr, err := s.cfg.Profiles.Get(r.Context())
	if err != nil {
		slog.Error("webfinger", "err", err)
		writeJSONError(w, http.StatusInternalServerError, "profile unavailable")
		return
	}
	username := pr.Username
	if username == "" {
		username = s.defaultUsername()
	}
	if !s.isOwnerResource(resource, username) {
		writeJSONError(w, http.StatusNotFound, "no such resource")
		return
	}
	jrd := vocab.JRD{
		Subject: "acct:" + username + "@" + s.host,
		Aliases: []string{s.ProfileURL(), s.ActorID()},
		Links: []vocab.JRDLink{
			{Rel: vocab.RelSelf, Type: vocab.ContentTypeActivity, Href: s.ActorID()},
			{Rel: vocab.RelProfilePage, Type: "text/html", Href: s.ProfileURL()},
			{Rel: vocab.RelSubscribe, Template: s.base + "/authorize_interaction?uri={uri}"},
		},
	}
	if pr.AvatarURL != "" {
		jrd.Links = append(jrd.Links, vocab.JRDLink{Rel: vocab.RelAvatar, Type: imageType(pr.AvatarURL), Href: pr.AvatarURL})
	}
	w.Header().Set("Cache-Control", "public, max-age=300")
	writeJSON(w, http.StatusOK, contentTypeJRD, jrd)
}

// isOwnerResource reports whether a WebFinger resource names the owner.
func (s *Service) isOwnerResource(resource, username string) bool {
	if strings.HasPrefix(resource, "http://") || strings.HasPrefix(resource, "https://") {
		u, err := url.Parse(resource)
		if err != nil || !strings.EqualFold(u.Host, s.host) {
			return false
		}
		// The scheme is not compared: a development site on http is
		// still asked about https://host/ by peers that assume TLS.
		switch strings.TrimRight(u.Path, "/") {
		case "", "/actor":
			return u.RawQuery == ""
		}
		return false
	}
	acct := strings.TrimPrefix(strings.TrimPrefix(resource, "acct:"), "@")
	user, host, ok := strings.Cut(acct, "@")
	if !ok {
		return false
	}
	hostOK := strings.EqualFold(host, s.host) || strings.EqualFold(host, s.defaultUsername())
	userOK := strings.EqualFold(user, username) || strings.EqualFold(user, s.defaultUsername()) ||
		strings.EqualFold(user, s.host)
	return hostOK && userOK
}

// xrd is the host-meta document (RFC 6415): it points at WebFinger for the
// peers (older Pleroma, Friendica) that look there first.
type xrd struct {
	XMLName xml.Name  `xml:"XRD"`
	NS      string    `xml:"xmlns,attr"`
	Links   []xrdLink `xml:"Link"`
}

type xrdLink struct {
	Rel      string `xml:"rel,attr"`
	Type     string `xml:"type,attr,omitempty"`
	Template string `xml:"template,attr"`
}

func (s *Service) webFingerTemplate() string {
	return s.base + "/.well-known/webfinger?resource={uri}"
}

func (s *Service) serveHostMetaXML(w http.ResponseWriter, r *http.Request) {
	doc := xrd{
		NS:    "http://docs.oasis-open.org/ns/xri/xrd-1.0",
		Links: []xrdLink{{Rel: vocab.RelLRDD, Type: "application/jrd+json", Template: s.webFingerTemplate()}},
	}
	body, err := xml.MarshalIndent(doc, "", "  ")
	if err != nil {
		slog.Error("host-meta", "err", err)
		writeJSONError(w, http.StatusInternalServerError, "host-meta unavailable")
		return
	}
	w.Header().Set("Access-Control-Allow-Origin", "*")
	w.Header().Set("Content-Type", contentTypeXRD)
	w.Write([]byte(xml.Header))
	w.Write(body)
}

func (s *Service) serveHostMetaJSON(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Access-Control-Allow-Origin", "*")
	writeJSON(w, http.StatusOK, contentTypeJRD, map[string]any{
		"links": []vocab.JRDLink{{Rel: vocab.RelLRDD, Type: "application/jrd+json", Template: s.webFingerTemplate()}},
	})
}

// NodeInfo schema versions roost serves.
var nodeInfoVersions = []string{"2.0", "2.1"}

func (s *Service) serveNodeInfoLinks(w http.ResponseWriter, r *http.Request) {
	links := make([]vocab.JRDLink, 0, len(nodeInfoVersions))
	for _, v := range nodeInfoVersions {
		links = append(links, vocab.JRDLink{Rel: vocab.RelNodeInfoPrefix + v, Href: s.base + "/nodeinfo/" + v})
	}
	w.Header().Set("Access-Control-Allow-Origin", "*")
	writeJSON(w, http.StatusOK, "application/json", map[string]any{"links": links})
}

// nodeInfoDoc is NodeInfo 2.0/2.1; 2.1 adds the software's repository and
// homepage, which 2.0 validators reject, hence the omitempty.
type nodeInfoDoc struct {
	Version  string `json:"version"`
	Software struct {
		Name       string `json:"name"`
		Version    string `json:"version"`
		Repository string `json:"repository,omitempty"`
		Homepage   string `json:"homepage,omitempty"`
	} `json:"software"`
	Protocols []string `json:"protocols"`
	Services  struct {
		Inbound  []string `json:"inbound"`
		Outbound []string `json:"outbound"`
	} `json:"services"`
	OpenRegistrations bool `json:"openRegistrations"`
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

func (s *Service) serveNodeInfo(w http.ResponseWriter, r *http.Request) {
	version := r.PathValue("version")
	if version != "2.0" && version != "2.1" {
		writeJSONError(w, http.StatusNotFound, "unknown nodeinfo version")
		return
	}
	var doc nodeInfoDoc
	doc.Version = version
	doc.Software.Name = "roost"
	doc.Software.Version = s.cfg.Version
	if version == "2.1" {
		doc.Software.Homepage = s.ProfileURL()
	}
	doc.Protocols = []string{"activitypub"}
	doc.Services.Inbound, doc.Services.Outbound = []string{}, []string{"atom1.0", "rss2.0"}
	doc.Usage.Users.Total, doc.Usage.Users.ActiveMonth, doc.Usage.Users.ActiveHalfyear = 1, 1, 1
	doc.Usage.LocalPosts = s.localPosts(r.Context())
	name := s.Handle()
	if pr, err := s.cfg.Profiles.Get(r.Context()); err == nil && pr.Name != "" {
		name = pr.Name
	}
	doc.Metadata = map[string]any{"nodeName": name}
	if api := s.cfg.ClientAPI; api.Name != "" {
		doc.Metadata["upstream"] = map[string]string{"name": api.Name, "version": api.Version}
		doc.Metadata["api"] = api.Name
	}
	w.Header().Set("Access-Control-Allow-Origin", "*")
	writeJSON(w, http.StatusOK, `application/json; profile="http://nodeinfo.diaspora.software/ns/schema/`+version+`#"`, doc)
}

// localPosts counts the owner's public posts (0 when no room is wired).
func (s *Service) localPosts(ctx context.Context) int {
	src := s.h().outbox
	if src == nil {
		return 0
	}
	_, total, err := src.Outbox(ctx, 0, 0)
	if err != nil {
		slog.Warn("nodeinfo: count posts", "err", err)
		return 0
	}
	return total
}
