package settings

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"mime/multipart"
	"net/http"
	"regexp"
	"strings"

	"roost/federation"
	"roost/templates"
)

// ProfileEditor serves the owner's profile settings page.
type ProfileEditor struct {
	Profiles *federation.Profiles
	Domain   string
	Page     func(r *http.Request, title string) templates.Page
	// SaveImage stores an uploaded avatar or header and returns its URL; its
	// error message is shown to the owner.
	SaveImage func(ctx context.Context, r io.Reader, alt string) (string, error)
	// Changed is called after a save, to tell followers (Update of the actor).
	Changed func(ctx context.Context)
}

// Routes registers the settings page behind ownerOnly.
func (e *ProfileEditor) Routes(mux Mux, ownerOnly func(http.Handler) http.Handler) {
	mux.Handle("GET /settings/profile", ownerOnly(http.HandlerFunc(e.show)))
	mux.Handle("POST /settings/profile", ownerOnly(http.HandlerFunc(e.save)))
}

var usernamePattern = regexp.MustCompile(`^[A-Za-z0-9_.\-]{1,64}$`)

func (e *ProfileEditor) show(w http.ResponseWriter, r *http.Request) {
	pr, err := e.Profiles.Get(r.Context())
	if err != nil {
		slog.Error("profile settings", "err", err)
		http.Error(w, "could not load the profile", http.StatusInternalServerError)
		return
	}
	f := e.form(pr)
	f.Saved = r.URL.Query().Get("saved") == "1"
	templates.Render(w, r, http.StatusOK, templates.ProfileSettings(e.page(r), f))
}

func (e *ProfileEditor) page(r *http.Request) templates.Page {
	p := e.Page(r, "Your profile")
	p.Section = "settings"
	return p
}

func (e *ProfileEditor) form(pr federation.Profile) templates.ProfileForm {
	f := templates.ProfileForm{Username: pr.Username, Name: pr.Name, Bio: pr.Bio, AvatarURL: pr.AvatarURL,
		HeaderURL: pr.HeaderURL, AlsoKnownAs: strings.Join(pr.AlsoKnownAs, "\n"),
		Discoverable: pr.Discoverable, Domain: e.Domain}
	for i, field := range pr.Fields {
		if i < len(f.Fields) {
			f.Fields[i] = [2]string{field.Name, field.Value}
		}
	}
	return f
}

func (e *ProfileEditor) save(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, 32<<20)
	if err := r.ParseMultipartForm(1 << 20); err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			http.Error(w, "the upload is too large", http.StatusRequestEntityTooLarge)
			return
		}
		http.Error(w, "could not read the form", http.StatusBadRequest)
		return
	}
	pr, err := e.Profiles.Get(r.Context())
	if err != nil {
		slog.Error("profile settings", "err", err)
		http.Error(w, "could not load the profile", http.StatusInternalServerError)
		return
	}
	next, problem := e.apply(r, pr)
	if problem == "" {
		if err := e.Profiles.Save(r.Context(), next); err != nil {
			slog.Error("profile settings", "err", err)
			problem = "Could not save the profile; try again."
		}
	}
	if problem != "" {
		f := e.form(next)
		f.Problem = problem
		templates.Render(w, r, http.StatusUnprocessableEntity, templates.ProfileSettings(e.page(r), f))
		return
	}
	if e.Changed != nil {
		e.Changed(r.Context())
	}
	http.Redirect(w, r, "/settings/profile?saved=1", http.StatusSeeOther)
}

// apply reads the form over the current profile; problem is a message for
// the owner when something is not right.
func (e *ProfileEditor) apply(r *http.Request, pr federation.Profile) (federation.Profile, string) {
	f := r.MultipartForm.Value
	first := func(k string) string {
		if v := f[k]; len(v) > 0 {
			return strings.TrimSpace(v[0])
		}
		return ""
	}
	pr.Name, pr.Bio = first("name"), first("bio")
	// Follow approval is a site setting (/settings/site); the profile
	// keeps it because the actor document carries it.
	pr.Discoverable = first("discoverable") != ""
	pr.Fields = nil
	names, values := f["field_name"], f["field_value"]
	for i := range names {
		if i < len(values) && strings.TrimSpace(names[i]) != "" {
			pr.Fields = append(pr.Fields, federation.ProfileField{Name: strings.TrimSpace(names[i]), Value: strings.TrimSpace(values[i])})
		}
	}
	pr.AlsoKnownAs = nil
	for _, line := range strings.Fields(first("also_known_as")) {
		if strings.HasPrefix(line, "https://") || strings.HasPrefix(line, "http://") {
			pr.AlsoKnownAs = append(pr.AlsoKnownAs, line)
		}
	}
	if u := first("username"); usernamePattern.MatchString(u) {
		pr.Username = u
	} else {
		return pr, "The username may use letters, digits, dots, hyphens and underscores."
	}
	if pr.Name == "" {
		return pr, "Please give a display name."
	}
	for field, dst := range map[string]*string{"avatar": &pr.AvatarURL, "header": &pr.HeaderURL} {
		files := r.MultipartForm.File[field]
		if len(files) == 0 || files[0].Size == 0 {
			continue
		}
		url, err := e.saveUpload(r.Context(), files[0], field)
		if err != nil {
			return pr, uploadProblem(err)
		}
		*dst = url
	}
	return pr, ""
}

func (e *ProfileEditor) saveUpload(ctx context.Context, fh *multipart.FileHeader, alt string) (string, error) {
	file, err := fh.Open()
	if err != nil {
		return "", errors.New("could not read the upload")
	}
	defer file.Close()
	return e.SaveImage(ctx, file, alt)
}

// ErrNotAnImage and ErrImageTooLarge are what SaveImage wraps when it
// refuses a profile picture, so that the form can say why in plain words.
var (
	ErrNotAnImage    = errors.New("not a supported image")
	ErrImageTooLarge = errors.New("image too large")
)

// uploadProblem says in plain words why a profile picture was refused:
// the reason SaveImage gives (its error's Reason, with the site's limits).
func uploadProblem(err error) string {
	var plain interface{ Reason() string }
	switch {
	case errors.As(err, &plain):
		return "That picture could not be used: " + plain.Reason() + "."
	case errors.Is(err, ErrNotAnImage):
		return "That picture could not be used: choose a JPEG, PNG, GIF or WebP file."
	case errors.Is(err, ErrImageTooLarge):
		return "That picture could not be used: it is too large. Please choose a smaller file."
	}
	return "The picture could not be saved. Please try again."
}
