package mastodon

import (
	"context"
	"fmt"
	"hash/fnv"
	"html"
	"net/url"
	"path"
	"strings"
	"time"

	"roost/federation"
	"roost/federation/vocab"
)

// Account is Mastodon's Account entity.
type Account struct {
	ID             string         `json:"id"`
	Username       string         `json:"username"`
	Acct           string         `json:"acct"`
	DisplayName    string         `json:"display_name"`
	Locked         bool           `json:"locked"`
	Bot            bool           `json:"bot"`
	Discoverable   bool           `json:"discoverable"`
	Indexable      bool           `json:"indexable"`
	Group          bool           `json:"group"`
	HideCollection bool           `json:"hide_collections"`
	CreatedAt      string         `json:"created_at"`
	Note           string         `json:"note"`
	URL            string         `json:"url"`
	URI            string         `json:"uri"`
	Avatar         string         `json:"avatar"`
	AvatarStatic   string         `json:"avatar_static"`
	Header         string         `json:"header"`
	HeaderStatic   string         `json:"header_static"`
	Followers      int            `json:"followers_count"`
	Following      int            `json:"following_count"`
	Statuses       int            `json:"statuses_count"`
	LastStatusAt   *string        `json:"last_status_at"`
	Emojis         []any          `json:"emojis"`
	Fields         []Field        `json:"fields"`
	Roles          []any          `json:"roles"`
	Source         *AccountSource `json:"source,omitempty"`
	Role           *Role          `json:"role,omitempty"`
	Limited        bool           `json:"limited,omitempty"`
}

// Field is a profile metadata row.
type Field struct {
	Name       string  `json:"name"`
	Value      string  `json:"value"`
	VerifiedAt *string `json:"verified_at"`
}

// Role is Mastodon's Role, which a CredentialAccount must carry. The owner
// gets the role every Mastodon user has: no permission bits, because apps
// that see moderation rights offer admin screens roost does not have.
type Role struct {
	ID          string `json:"id"`
	Name        string `json:"name"`
	Color       string `json:"color"`
	Permissions string `json:"permissions"`
	Highlighted bool   `json:"highlighted"`
}

// everyoneRole is Mastodon's base role, id -99.
var everyoneRole = Role{ID: "-99", Name: "", Color: "", Permissions: "0"}

// AccountSource is the owner's profile as typed (verify_credentials).
type AccountSource struct {
	Privacy             string  `json:"privacy"`
	Sensitive           bool    `json:"sensitive"`
	Language            string  `json:"language"`
	Note                string  `json:"note"`
	Fields              []Field `json:"fields"`
	FollowRequestsCount int     `json:"follow_requests_count"`
	HideCollections     bool    `json:"hide_collections"`
	Discoverable        bool    `json:"discoverable"`
	Indexable           bool    `json:"indexable"`
}

const ownerAccountID = "1"

// defaultAvatar and defaultHeader stand in for missing images: apps expect
// a loadable URL in avatar and header, always. They are PNG: native apps
// (the official ones, Tusky, Ivory) draw no SVG and would show a blank
// square. Web pages keep the SVG drawings these PNGs were made from.
func (a *API) defaultAvatar() string { return a.cfg.BaseURL + "/static/avatar.png" }
func (a *API) defaultHeader() string { return a.cfg.BaseURL + "/static/header.png" }

// ownerCacheTTL bounds how stale the owner's counts may be on timelines.
const ownerCacheTTL = 5 * time.Second

type cachedOwner struct {
	acct    Account
	profile federation.Profile
	at      time.Time
}

// ownerAccount renders the owner, cached for a few seconds because every
// status of the owner embeds it and its counts take queries.
func (a *API) ownerAccount(ctx context.Context) (Account, federation.Profile, error) {
	a.ownerMu.Lock()
	c := a.ownerCache
	// When the copy is stale, one request refreshes it and the others keep
	// serving the stale copy meanwhile: under load, every request counting
	// the owner's statuses at once made the slowest ones wait a second.
	refresh := c == nil || (time.Since(c.at) >= ownerCacheTTL && !a.ownerRefreshing)
	if refresh && c != nil {
		a.ownerRefreshing = true
	}
	a.ownerMu.Unlock()
	if !refresh {
		return c.acct, c.profile, nil
	}
	if c != nil {
		defer func() {
			a.ownerMu.Lock()
			a.ownerRefreshing = false
			a.ownerMu.Unlock()
		}()
	}
	var pr federation.Profile
	if a.cfg.Profile != nil {
		var err error
		if pr, err = a.cfg.Profile(ctx); err != nil {
			return Account{}, pr, fmt.Errorf("owner profile: %w", err)
		}
	}
	if pr.Username == "" {
		pr.Username = a.domain
	}
	acct := Account{
		ID: ownerAccountID, Username: pr.Username, Acct: pr.Username, DisplayName: pr.Name,
		Locked: pr.ManuallyApproves, Discoverable: pr.Discoverable, Indexable: pr.Discoverable,
		CreatedAt: timeJSON(pr.Created), URL: a.cfg.BaseURL + "/", URI: a.cfg.ActorID,
		Avatar: pr.AvatarURL, Header: pr.HeaderURL, Emojis: []any{}, Fields: []Field{}, Roles: []any{},
	}
	if acct.DisplayName == "" {
		acct.DisplayName = pr.Username
	}
	acct.Note = a.bioHTML(pr.Bio)
	for _, f := range pr.Fields {
		acct.Fields = append(acct.Fields, Field{Name: f.Name, Value: linkify(f.Value)})
	}
	a.fillImages(&acct)
	if a.cfg.Social != nil {
		if l, err := a.cfg.Social.Followers(ctx); err == nil {
			acct.Followers = len(l)
		}
		if l, err := a.cfg.Social.Following(ctx); err == nil {
			acct.Following = len(l)
		}
	}
	if n, last, err := a.ownStatusStats(ctx); err == nil {
		acct.Statuses = n
		if !last.IsZero() {
			d := last.UTC().Format("2006-01-02")
			acct.LastStatusAt = &d
		}
	}
	a.ownerMu.Lock()
	a.ownerCache = &cachedOwner{acct: acct, profile: pr, at: time.Now()}
	a.ownerMu.Unlock()
	return acct, pr, nil
}

// countOwnStatus keeps the cached owner's statuses count right after a post
// or a delete, instead of forgetting the cache: counting the owner's notes
// takes a scan, and apps post and read in quick succession.
func (a *API) countOwnStatus(delta int, at time.Time) {
	a.ownerMu.Lock()
	defer a.ownerMu.Unlock()
	if a.ownerCache == nil {
		return
	}
	c := *a.ownerCache
	c.acct.Statuses += delta
	if !at.IsZero() {
		d := at.UTC().Format("2006-01-02")
		c.acct.LastStatusAt = &d
	}
	a.ownerCache = &c
}

func (a *API) forgetOwner() {
	a.ownerMu.Lock()
	a.ownerCache = nil
	a.ownerMu.Unlock()
}

func (a *API) bioHTML(md string) string {
	if a.cfg.RenderBio != nil {
		if s, err := a.cfg.RenderBio(md); err == nil {
			return s
		}
	}
	if md == "" {
		return ""
	}
	return "<p>" + strings.ReplaceAll(html.EscapeString(md), "\n", "<br>") + "</p>"
}

// linkify shows a profile field that is a URL as a link, as Mastodon does.
func linkify(v string) string {
	if strings.HasPrefix(v, "https://") || strings.HasPrefix(v, "http://") {
		e := html.EscapeString(v)
		return `<a href="` + e + `" rel="me nofollow noopener" target="_blank">` + e + `</a>`
	}
	return html.EscapeString(v)
}

func (a *API) fillImages(acct *Account) {
	acct.Avatar, acct.Header = a.proxied(drawable(acct.Avatar)), a.proxied(drawable(acct.Header))
	if acct.Avatar == "" {
		acct.Avatar = a.defaultAvatar()
	}
	if acct.Header == "" {
		acct.Header = a.defaultHeader()
	}
	acct.AvatarStatic, acct.HeaderStatic = acct.Avatar, acct.Header
}

// drawable leaves out an image that apps cannot draw: an SVG, which some
// servers give as an actor's icon ("" makes it the default PNG).
func drawable(u string) string {
	if pu, err := url.Parse(u); err == nil && strings.HasSuffix(strings.ToLower(pu.Path), ".svg") {
		return ""
	}
	return u
}

// proxied is a media URL as apps are given it: through the media proxy
// when the site has one.
func (a *API) proxied(u string) string {
	if a.cfg.ProxyMedia == nil {
		return u
	}
	return a.cfg.ProxyMedia(u)
}

// remoteAccount renders a remote actor under its numeric id.
func (a *API) remoteAccount(id int64, act *vocab.Actor) Account {
	handle := act.Handle()
	user, host, _ := strings.Cut(handle, "@")
	if user == "" {
		user = act.PreferredUsername
	}
	if host == "" {
		host = act.Host()
	}
	if !vocab.ValidUsername(user) {
		user = usernameFromID(act.ID)
	}
	acct := Account{
		ID: idString(id), Username: user, Acct: user + "@" + host, DisplayName: vocab.CleanName(act.Name),
		Locked: act.ManuallyApprovesFollowers, Bot: act.Bot || act.Type == vocab.TypeService || act.Type == vocab.TypeApplication,
		Discoverable: act.Discoverable, Indexable: act.Indexable, Group: act.Type == vocab.TypeGroup,
		CreatedAt: timeJSON(act.Published), Note: act.SummaryHTML, URL: act.URL, URI: act.ID,
		Avatar: act.IconURL, Header: act.ImageURL, Emojis: []any{}, Fields: []Field{}, Roles: []any{},
	}
	if act.Published.IsZero() {
		acct.CreatedAt = timeJSON(time.Unix(0, 0))
	}
	if acct.URL == "" {
		acct.URL = act.ID
	}
	for _, f := range act.Fields {
		acct.Fields = append(acct.Fields, Field{Name: vocab.CleanName(f.Name), Value: f.ValueHTML})
	}
	a.fillImages(&acct)
	return acct
}

// usernameFromID stands in for a remote actor that names no valid
// username (apps need one to show and to mention): the last segment of
// its id, as in /users/NAME or /@NAME, when that is a valid username.
func usernameFromID(id string) string {
	u, err := url.Parse(id)
	if err == nil {
		last := strings.TrimPrefix(path.Base(u.Path), "@")
		if vocab.ValidUsername(last) {
			return last
		}
	}
	return "unknown"
}

// mediaHashID gives remote attachments a stable numeric id.
func mediaHashID(u string) string {
	h := fnv.New64a()
	h.Write([]byte(u))
	return idString(int64(h.Sum64() >> 11))
}
