package mastodon

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"

	"roost/federation"
	"roost/feed"
	"roost/feed/media"
)

// updateCredentials is PATCH /api/v1/accounts/update_credentials: the
// owner's profile from an app's settings screen. Only the fields sent
// change; avatar and header come as multipart files.
func (a *API) updateCredentials(w http.ResponseWriter, r *http.Request, t *token) {
	if a.cfg.Profile == nil || a.cfg.SaveProfile == nil {
		unprocessable(w, "the profile cannot be changed here")
		return
	}
	p, ok := a.readParams(w, r)
	if !ok {
		return
	}
	pr, err := a.cfg.Profile(r.Context())
	if err != nil {
		fail(w, r, err)
		return
	}
	applyProfileParams(&pr, p)
	if problem := a.applySourceParams(r.Context(), p); problem != "" {
		unprocessable(w, problem)
		return
	}
	if problem := a.saveProfileImages(r.Context(), &pr, p); problem != "" {
		unprocessable(w, problem)
		return
	}
	if err := a.cfg.SaveProfile(r.Context(), pr); err != nil {
		fail(w, r, err)
		return
	}
	a.forgetOwner()
	acct, pr, err := a.ownerAccount(r.Context())
	if err != nil {
		fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, a.withSource(r.Context(), acct, pr))
}

// applySourceParams stores the posting defaults an app sent; it returns a
// problem for the app, or "".
func (a *API) applySourceParams(ctx context.Context, p *params) string {
	if a.cfg.SetPostingDefaults == nil || !p.has("source[privacy]") && !p.has("source[language]") {
		return ""
	}
	d := a.cfg.Feed.PostingDefaults()
	if p.has("source[privacy]") {
		vis, ok := visibilityIn(p.get("source[privacy]"))
		if !ok {
			return "source[privacy] is not one of public, unlisted, private, direct"
		}
		d.Visibility = vis
	}
	if p.has("source[language]") {
		d.Language = p.get("source[language]")
	}
	err := a.cfg.SetPostingDefaults(ctx, d)
	if ve := (*feed.ValidationError)(nil); errors.As(err, &ve) {
		return ve.Message
	} else if err != nil {
		return "the defaults could not be saved"
	}
	return ""
}

// applyProfileParams copies the text fields and flags an app sent.
func applyProfileParams(pr *federation.Profile, p *params) {
	if p.has("display_name") {
		pr.Name = p.get("display_name")
	}
	if p.has("note") {
		pr.Bio = p.get("note")
	}
	if p.has("locked") {
		pr.ManuallyApproves = p.boolean("locked", false)
	}
	if p.has("discoverable") {
		pr.Discoverable = p.boolean("discoverable", true)
	}
	if fields := fieldsAttributes(p); fields != nil {
		pr.Fields = fields
	}
}

// saveProfileImages stores an uploaded avatar and header and points the
// profile at them; it returns a problem for the app, or "".
func (a *API) saveProfileImages(ctx context.Context, pr *federation.Profile, p *params) string {
	for _, img := range []struct {
		field string
		dst   *string
	}{{"avatar", &pr.AvatarURL}, {"header", &pr.HeaderURL}} {
		f, _, ok := p.file(img.field)
		if !ok {
			continue
		}
		if a.cfg.Media == nil {
			f.Close()
			return "uploads are not available"
		}
		m, err := a.cfg.Media.Save(ctx, f, "")
		f.Close()
		if errors.Is(err, media.ErrTooManyPixels) {
			return fmt.Sprintf("%s has too many pixels (the limit is %d megapixels and %d pixels a side)",
				img.field, media.MaxSourcePixels/1_000_000, media.MaxSourceSide)
		}
		if err != nil {
			return img.field + " must be a JPEG, PNG, GIF or WebP image within the size limit"
		}
		*img.dst = m.URL
	}
	return ""
}

// fieldsAttributes reads fields_attributes[N][name] / [value], which apps
// send as form fields or as a JSON array or object; nil when absent.
func fieldsAttributes(p *params) []federation.ProfileField {
	var out []federation.ProfileField
	found := false
	for i := 0; i < 16; i++ {
		k := "fields_attributes[" + idString(int64(i)) + "]"
		if !p.has(k+"[name]") && !p.has(k+"[value]") {
			continue
		}
		found = true
		name, value := strings.TrimSpace(p.get(k+"[name]")), strings.TrimSpace(p.get(k+"[value]"))
		if name != "" || value != "" {
			out = append(out, federation.ProfileField{Name: name, Value: value})
		}
	}
	if !found {
		if names, values := p.values["fields_attributes[name]"], p.values["fields_attributes[value]"]; len(names) > 0 {
			for i, n := range names {
				v := ""
				if i < len(values) {
					v = values[i]
				}
				out = append(out, federation.ProfileField{Name: n, Value: v})
			}
			return out
		}
		return nil
	}
	if out == nil {
		out = []federation.ProfileField{}
	}
	return out
}
