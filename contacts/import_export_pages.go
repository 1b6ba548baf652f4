package contacts

import (
	"bytes"
	"errors"
	"io"
	"net/http"
	"strconv"
	"strings"

	"roost/templates"
)

func (c *Contacts) exportVCard(w http.ResponseWriter, r *http.Request) {
	key := r.URL.Query().Get("actor")
	if key == "" {
		key = r.URL.Query().Get("feed")
	}
	var buf bytes.Buffer
	if err := c.ExportVCard(r.Context(), &buf, key); err != nil {
		c.fail(w, r, err)
		return
	}
	name := "contacts.vcf"
	if key != "" {
		name = "contact.vcf"
	}
	w.Header().Set("Content-Type", "text/vcard; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="`+name+`"`)
	w.Write(buf.Bytes())
}

func (c *Contacts) exportCSV(w http.ResponseWriter, r *http.Request) {
	name := r.PathValue("file")
	var buf bytes.Buffer
	if err := c.ExportCSV(r.Context(), &buf, name); err != nil {
		c.fail(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="`+name+`"`)
	w.Write(buf.Bytes())
}

// startImport reads the uploaded file, starts the import in the background
// and sends the browser to its status page.
func (c *Contacts) startImport(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, maxImport+maxForm)
	if err := r.ParseMultipartForm(1 << 20); err != nil {
		badRequest(c, w, r, "The upload could not be read; files up to 10 MiB are accepted.")
		return
	}
	f, _, err := r.FormFile("file")
	if err != nil {
		badRequest(c, w, r, "Choose a file to import.")
		return
	}
	defer f.Close()
	data, err := io.ReadAll(f)
	if err != nil {
		badRequest(c, w, r, "The upload could not be read.")
		return
	}
	kind := strings.TrimSpace(r.FormValue("type"))
	if kind == "" {
		kind = ImportVCard
	}
	job, err := c.prepareImport(kind, data, r.FormValue("follow") != "")
	if errors.Is(err, ErrImportKind) {
		badRequest(c, w, r, "Unknown kind of import.")
		return
	}
	if err != nil {
		c.fail(w, r, err)
		return
	}
	id, err := c.startJob(r.Context(), kind, job)
	if err != nil {
		c.fail(w, r, err)
		return
	}
	http.Redirect(w, r, "/contacts/import/"+strconv.FormatInt(id, 10), http.StatusSeeOther)
}

// interruptedReason tells the owner what to do about an import that was
// cut off; importing the file again skips the rows already there.
const interruptedReason = "the import was interrupted (the site restarted, or it ran for over an hour); " +
	"the rows above were kept: import the file again to add the rest"

func (c *Contacts) showImport(w http.ResponseWriter, r *http.Request) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		c.fail(w, r, ErrNotFound)
		return
	}
	res, err := c.ImportStatus(r.Context(), id)
	if err != nil {
		c.fail(w, r, err)
		return
	}
	v := templates.ContactImportView{ID: res.ID, Kind: res.Kind, Done: res.Done, Total: res.Total,
		Processed: res.Processed, Added: res.Added, Skipped: res.Skipped}
	for _, f := range res.Failures {
		v.Failures = append(v.Failures, templates.ContactImportFailure{Row: f.Row, Input: f.Input, Reason: f.Reason})
	}
	if res.Interrupted {
		// The page has no place of its own for this, and a row of the
		// failures table says it where the owner looks for what went wrong.
		v.Failures = append(v.Failures, templates.ContactImportFailure{Row: res.Processed + 1,
			Input: "the rest of the file", Reason: interruptedReason})
	}
	if !res.Done {
		w.Header().Set("Refresh", "2")
	}
	p := c.page(r, "Import")
	p.Section = "contacts"
	templates.Render(w, r, http.StatusOK, templates.ContactImportPage(p, v))
}
