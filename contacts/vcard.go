package contacts

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/emersion/go-vcard"
)

// vCard 4.0 has no property for a fediverse account. Apple's and Google's
// address books write X-SOCIALPROFILE with a TYPE naming the network and
// the profile URL as value, and read it back; roost writes the actor id
// there with TYPE=activitypub and the handle as X-USER, as Apple does for
// user names. A feed's address goes in a URL of TYPE=feed.
const (
	fieldSocialProfile = "X-SOCIALPROFILE"
	paramUser          = "X-USER"
	paramGroup         = "X-GROUP"
	socialActivityPub  = "activitypub"
	urlTypeFeed        = "feed"
)

// ExportVCard writes the book (key "") or one contact (an actor id or feed
// URL) as vCard 4.0.
func (c *Contacts) ExportVCard(ctx context.Context, w io.Writer, key string) error {
	var list []Contact
	if key == "" {
		var err error
		if list, err = c.Search(ctx, ShowAll, ""); err != nil {
			return fmt.Errorf("export vcard: %w", err)
		}
	} else {
		ct, err := c.get(ctx, key)
		if err != nil {
			return fmt.Errorf("export vcard: %w", err)
		}
		list = []Contact{ct}
	}
	groups, err := c.groupTitlesByContact(ctx)
	if err != nil {
		return fmt.Errorf("export vcard: %w", err)
	}
	enc := vcard.NewEncoder(w)
	for _, ct := range list {
		if err := enc.Encode(contactCard(ct, groups[ct.ID])); err != nil {
			return fmt.Errorf("export vcard %s: %w", ct.Key(), err)
		}
	}
	return nil
}

func contactCard(ct Contact, groups []string) vcard.Card {
	card := vcard.Card{}
	card.SetValue(vcard.FieldVersion, "4.0")
	card.SetValue(vcard.FieldFormattedName, ct.DisplayName())
	card.SetValue(vcard.FieldUID, ct.Key())
	if ct.Kind == KindFeed {
		card.SetKind(vcard.KindOrganization)
		card.Add(vcard.FieldURL, &vcard.Field{Value: ct.FeedURL, Params: vcard.Params{vcard.ParamType: {urlTypeFeed}}})
	} else {
		card.SetKind(vcard.KindIndividual)
		params := vcard.Params{vcard.ParamType: {socialActivityPub}}
		if ct.Handle != "" {
			params[paramUser] = []string{ct.Handle}
		}
		card.Add(fieldSocialProfile, &vcard.Field{Value: ct.ActorID, Params: params})
	}
	if ct.URL != "" {
		card.Add(vcard.FieldURL, &vcard.Field{Value: ct.URL})
	}
	if ct.AvatarURL != "" {
		card.Add(vcard.FieldPhoto, &vcard.Field{Value: ct.AvatarURL, Params: vcard.Params{vcard.ParamValue: {"uri"}}})
	}
	if ct.Note != "" {
		card.SetValue(vcard.FieldNote, ct.Note)
	}
	// One CATEGORIES per group, marked as one whole title: the decoder
	// unescapes "\,", after which a comma inside a title and a comma
	// between titles look the same.
	for _, g := range groups {
		card.Add(vcard.FieldCategories, &vcard.Field{Value: g, Params: vcard.Params{paramGroup: {"true"}}})
	}
	return card
}

// cardContact is what an imported card names.
type cardContact struct {
	actorID, handle, feedURL, site string
	name, photo, note              string
	groups                         []string
}

func readCard(card vcard.Card) cardContact {
	cc := cardContact{
		name: card.PreferredValue(vcard.FieldFormattedName),
		note: card.Value(vcard.FieldNote),
	}
	// roost writes each group whole in a property of its own (see
	// contactCard); other address books list them separated by commas.
	for _, f := range card[vcard.FieldCategories] {
		if f.Params.Get(paramGroup) != "" {
			cc.groups = append(cc.groups, strings.TrimSpace(f.Value))
			continue
		}
		for _, g := range strings.Split(f.Value, ",") {
			cc.groups = append(cc.groups, strings.TrimSpace(g))
		}
	}
	if p := card.Get(vcard.FieldPhoto); p != nil && isWebURL(p.Value) {
		cc.photo = p.Value
	}
	for _, f := range card[fieldSocialProfile] {
		if isWebURL(f.Value) && (cc.actorID == "" || hasType(f, socialActivityPub)) {
			cc.actorID = f.Value
			if u := f.Params.Get(paramUser); u != "" {
				cc.handle = strings.TrimPrefix(u, "@")
			}
		}
	}
	// IMPP has no scheme for fediverse accounts, but some address books
	// keep a handle there as acct:user@host or plainly.
	for _, f := range card[vcard.FieldIMPP] {
		if h := strings.TrimPrefix(strings.TrimPrefix(f.Value, "acct:"), "@"); cc.handle == "" && strings.Count(h, "@") == 1 {
			cc.handle = h
		}
	}
	for _, f := range card[vcard.FieldURL] {
		switch {
		case !isWebURL(f.Value):
		case hasType(f, urlTypeFeed):
			cc.feedURL = f.Value
		case cc.site == "":
			cc.site = f.Value
		}
	}
	return cc
}

func hasType(f *vcard.Field, t string) bool {
	for _, v := range f.Params.Types() {
		if strings.EqualFold(v, t) {
			return true
		}
	}
	return false
}

// decodeCards reads every card of a .vcf file. A broken card ends the
// file (vCard has no way to resynchronize), but the cards before it count.
func decodeCards(r io.Reader) ([]vcard.Card, error) {
	dec := vcard.NewDecoder(r)
	var cards []vcard.Card
	for {
		card, err := dec.Decode()
		if errors.Is(err, io.EOF) {
			return cards, nil
		}
		if err != nil {
			return cards, fmt.Errorf("read vcard %d: %w: %w", len(cards)+1, errBrokenFile, err)
		}
		cards = append(cards, card)
	}
}

// importCard creates the contact a card names, with its note and groups,
// and follows it when asked. It reports whether anything was added.
func (c *Contacts) importCard(ctx context.Context, cc cardContact, follow bool) (bool, error) {
	var key string
	added := false
	switch {
	case cc.actorID != "":
		key = cc.actorID
		isNew, err := c.ensureCardContact(ctx, KindActor, cc)
		if err != nil {
			return false, err
		}
		added = isNew
		if follow && !c.FollowsAuthor(ctx, key) {
			a, err := c.net.FetchActor(ctx, key, false)
			if err != nil {
				return added, err
			}
			if _, err := c.followActor(ctx, a); err != nil {
				return added, err
			}
			added = true
		}
	case cc.feedURL != "":
		key = cc.feedURL
		isNew, err := c.ensureCardContact(ctx, KindFeed, cc)
		if err != nil {
			return false, err
		}
		added = isNew
		if follow && !c.FollowsAuthor(ctx, key) {
			if _, err := c.SubscribeFeed(ctx, key); err != nil {
				return added, err
			}
			added = true
		}
	case cc.handle != "" || cc.site != "":
		if !follow {
			return false, errNeedsFollow
		}
		input := cc.handle
		if input == "" {
			input = cc.site
		}
		if strings.Contains(input, "@") && !isWebURL(input) {
			input = "@" + strings.TrimPrefix(input, "@")
		}
		ct, err := c.Follow(ctx, input)
		if err != nil {
			return false, err
		}
		key, added = ct.Key(), true
	default:
		return false, errNoAddress
	}
	return c.applyCardExtras(ctx, key, cc, added)
}

var (
	errNoAddress   = errors.New("contacts: the card names no fediverse account, site or feed")
	errNeedsFollow = errors.New("contacts: the card names only a handle or a site; tick follow to look it up")
)

// ensureCardContact stores a contact from the card alone, without asking
// the network; a later fetch or follow fills in the rest.
func (c *Contacts) ensureCardContact(ctx context.Context, kind string, cc cardContact) (bool, error) {
	key, column := cc.actorID, "actor_id"
	if kind == KindFeed {
		key, column = cc.feedURL, "feed_url"
	}
	if _, err := c.contactID(ctx, key); err == nil {
		return false, nil
	}
	domain := domainOf(key)
	if kind == KindFeed && cc.site != "" {
		domain = domainOf(cc.site)
	}
	_, err := c.db.ExecContext(ctx, `INSERT INTO contacts(kind, `+column+`, domain, handle, name, avatar_url, url, created)
		VALUES(?, ?, ?, ?, ?, ?, ?, ?)`, kind, key, domain, cc.handle, cc.name, cc.photo, cc.site, c.now().Unix())
	if err != nil {
		return false, fmt.Errorf("import %s: %w", key, err)
	}
	return true, nil
}

// applyCardExtras sets the note (when the book has none) and the groups.
func (c *Contacts) applyCardExtras(ctx context.Context, key string, cc cardContact, added bool) (bool, error) {
	if strings.TrimSpace(cc.note) != "" {
		res, err := c.db.ExecContext(ctx, `UPDATE contacts SET note = ? WHERE (actor_id = ? OR feed_url = ?) AND note = ''`,
			strings.TrimSpace(cc.note), key, key)
		if err != nil {
			return added, fmt.Errorf("import note of %s: %w", key, err)
		}
		if n, _ := res.RowsAffected(); n > 0 {
			added = true
		}
	}
	for _, title := range cc.groups {
		if strings.TrimSpace(title) == "" {
			continue
		}
		g, err := c.ensureGroup(ctx, title)
		if err != nil {
			return added, err
		}
		if err := c.AddToGroup(ctx, g.ID, key); err != nil {
			return added, err
		}
	}
	return added, nil
}
