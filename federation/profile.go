package federation

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"sync/atomic"
	"time"
)

// ProfileField is one name/value line on the profile (shown by Mastodon as
// a table, sent as a schema.org PropertyValue).
type ProfileField struct {
	Name  string `json:"name"`
	Value string `json:"value"`
}

// Profile is the owner as the world sees them.
type Profile struct {
	Username         string // preferredUsername; defaults to the domain
	Name             string
	Bio              string // Markdown written by the owner
	AvatarURL        string
	HeaderURL        string
	Fields           []ProfileField
	AlsoKnownAs      []string
	ManuallyApproves bool
	Discoverable     bool
	// MovedTo is the account the owner moved to; set by Service.Move.
	MovedTo string
	Created time.Time
}

// Profiles stores the owner's profile: one row. Every page shows it, so the
// last read is kept in memory; writes go through this type (one process owns
// the database), which drops the copy.
type Profiles struct {
	db     *sql.DB
	cached atomic.Pointer[Profile]
}

// NewProfiles wraps the database.
func NewProfiles(db *sql.DB) *Profiles { return &Profiles{db: db} }

// Ensure creates the profile on first run with the domain as the username
// (so @domain@domain and @domain name the owner, as WordPress does) and the
// domain as the display name until the owner picks one.
func (p *Profiles) Ensure(ctx context.Context, domain string, now time.Time) error {
	defer p.cached.Store(nil)
	_, err := p.db.ExecContext(ctx, `INSERT INTO profile(id, username, name, created) VALUES(1, ?, ?, ?)
		ON CONFLICT(id) DO NOTHING`, domain, domain, now.Unix())
	if err != nil {
		return fmt.Errorf("ensure profile: %w", err)
	}
	return nil
}

// Get reads the profile.
func (p *Profiles) Get(ctx context.Context) (Profile, error) {
	if c := p.cached.Load(); c != nil {
		return c.clone(), nil
	}
	pr, err := p.read(ctx)
	if err == nil {
		p.cached.Store(&pr)
		pr = pr.clone()
	}
	return pr, err
}

// clone copies the slices so that callers may change what they get.
func (pr Profile) clone() Profile {
	pr.Fields = append([]ProfileField(nil), pr.Fields...)
	pr.AlsoKnownAs = append([]string(nil), pr.AlsoKnownAs...)
	return pr
}

func (p *Profiles) read(ctx context.Context) (Profile, error) {
	var pr Profile
	var fields, aka string
	var approves, discoverable int
	var created int64
	err := p.db.QueryRowContext(ctx, `SELECT username, name, bio, avatar_url, header_url, fields, also_known_as,
		manually_approves, discoverable, moved_to, created FROM profile WHERE id = 1`).Scan(
		&pr.Username, &pr.Name, &pr.Bio, &pr.AvatarURL, &pr.HeaderURL, &fields, &aka, &approves, &discoverable, &pr.MovedTo, &created)
	if errors.Is(err, sql.ErrNoRows) {
		return Profile{}, fmt.Errorf("get profile: %w", ErrNotFound)
	}
	if err != nil {
		return Profile{}, fmt.Errorf("get profile: %w", err)
	}
	if err := json.Unmarshal([]byte(fields), &pr.Fields); err != nil {
		return Profile{}, fmt.Errorf("get profile fields: %w", err)
	}
	if err := json.Unmarshal([]byte(aka), &pr.AlsoKnownAs); err != nil {
		return Profile{}, fmt.Errorf("get profile aliases: %w", err)
	}
	pr.ManuallyApproves, pr.Discoverable = approves == 1, discoverable == 1
	pr.Created = time.Unix(created, 0)
	return pr, nil
}

// Save writes the whole profile.
func (p *Profiles) Save(ctx context.Context, pr Profile) error {
	if pr.Fields == nil {
		pr.Fields = []ProfileField{}
	}
	if pr.AlsoKnownAs == nil {
		pr.AlsoKnownAs = []string{}
	}
	defer p.cached.Store(nil)
	fields, _ := json.Marshal(pr.Fields)
	aka, _ := json.Marshal(pr.AlsoKnownAs)
	_, err := p.db.ExecContext(ctx, `UPDATE profile SET username = ?, name = ?, bio = ?, avatar_url = ?, header_url = ?,
		fields = ?, also_known_as = ?, manually_approves = ?, discoverable = ?, moved_to = ? WHERE id = 1`,
		pr.Username, pr.Name, pr.Bio, pr.AvatarURL, pr.HeaderURL, string(fields), string(aka),
		boolInt(pr.ManuallyApproves), boolInt(pr.Discoverable), pr.MovedTo)
	if err != nil {
		return fmt.Errorf("save profile: %w", err)
	}
	return nil
}

// SetName changes only the display name (the set-up page asks for it).
func (p *Profiles) SetName(ctx context.Context, name string) error {
	defer p.cached.Store(nil)
	if _, err := p.db.ExecContext(ctx, `UPDATE profile SET name = ? WHERE id = 1`, name); err != nil {
		return fmt.Errorf("set name: %w", err)
	}
	return nil
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}
