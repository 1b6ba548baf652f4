package main

import (
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"sync"
	"time"

	"roost/templates"
)

// webImport is the import the owner started from /settings/data: one at a
// time, its outcome kept until the next.
type webImport struct {
	mu  sync.Mutex
	job *templates.ImportJobView
}

func (w *webImport) view() *templates.ImportJobView {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.job == nil {
		return nil
	}
	v := *w.job
	return &v
}

// dataRoutes mounts the data section: the page, the export download and
// the import upload.
func (s *site) dataRoutes(mux routeMux, ownerOnly func(http.Handler) http.Handler) {
	mux.Handle("GET /settings/data", ownerOnly(http.HandlerFunc(s.showData)))
	mux.Handle("GET /settings/export.zip", ownerOnly(http.HandlerFunc(s.downloadExport)))
	mux.Handle("POST /settings/import", ownerOnly(http.HandlerFunc(s.uploadImport)))
	mux.Handle("POST /settings/move", ownerOnly(http.HandlerFunc(s.moveForm)))
}

func (s *site) showData(w http.ResponseWriter, r *http.Request) {
	s.renderData(w, r, http.StatusOK, "")
}

func (s *site) renderData(w http.ResponseWriter, r *http.Request, status int, problem string) {
	s.renderDataPage(w, r, status, templates.DataPage{Problem: problem})
}

func (s *site) renderDataPage(w http.ResponseWriter, r *http.Request, status int, v templates.DataPage) {
	var err error
	if v.DataDir, err = filepath.Abs(s.cfg.DataDir); err != nil {
		v.DataDir = s.cfg.DataDir
	}
	if pr, err := s.profiles.Get(r.Context()); err == nil {
		v.MovedTo = pr.MovedTo
	}
	v.Job, v.ActorID = s.webImport.view(), s.fed.ActorID()
	p := s.page(r, "Your data")
	p.Section = "settings"
	templates.Render(w, r, status, templates.DataSettings(p, v))
}

// downloadExport streams the export zip as it is written: nothing is
// buffered, so a large site downloads in bounded memory.
func (s *site) downloadExport(w http.ResponseWriter, r *http.Request) {
	name := fmt.Sprintf("%s-%s.zip", s.cfg.domain(), time.Now().UTC().Format("2006-01-02"))
	w.Header().Set("Content-Type", "application/zip")
	w.Header().Set("Content-Disposition", `attachment; filename="`+name+`"`)
	w.Header().Set("Cache-Control", "no-store")
	if err := writeExport(r.Context(), s, w, nil); err != nil {
		// The status line is gone already; a cut-off zip fails to open,
		// which tells the owner, and the log says why.
		slog.Error("export download", "err", err)
	}
}

// maxImportUpload caps an archive uploaded through the browser; larger
// ones go through the command line.
const maxImportUpload = 2 << 30

// uploadImport keeps the uploaded file in the data folder and imports it in
// the background; the page shows how it goes.
func (s *site) uploadImport(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, maxImportUpload)
	file, hdr, err := r.FormFile("archive")
	if err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			s.renderData(w, r, http.StatusRequestEntityTooLarge, "The file is larger than 2 GB; import it with roost import on the server.")
			return
		}
		s.renderData(w, r, http.StatusBadRequest, "Choose a file to import.")
		return
	}
	defer file.Close()
	if v := s.webImport.view(); v != nil && v.Running {
		s.renderData(w, r, http.StatusConflict, "An import is still running; wait for it to finish.")
		return
	}
	dir := filepath.Join(s.cfg.DataDir, "imports")
	if err := os.MkdirAll(dir, 0o750); err != nil {
		s.renderData(w, r, http.StatusInternalServerError, "The upload could not be stored.")
		return
	}
	tmp, err := os.CreateTemp(dir, "upload-*")
	if err == nil {
		_, err = io.Copy(tmp, file)
	}
	if err == nil {
		_, err = tmp.Seek(0, io.SeekStart)
	}
	if err != nil {
		if tmp != nil {
			tmp.Close()
			os.Remove(tmp.Name())
		}
		slog.Error("import upload", "err", err)
		s.renderData(w, r, http.StatusInternalServerError, "The upload could not be stored.")
		return
	}
	kind, z, err := sniffImport(tmp)
	if err == nil && kind == importRoost {
		err = errors.New("this is a roost export: restore it into an empty folder with roost import on the server, then serve that folder")
	}
	if err != nil {
		tmp.Close()
		os.Remove(tmp.Name())
		s.renderData(w, r, http.StatusUnprocessableEntity, err.Error())
		return
	}
	job := &templates.ImportJobView{File: hdr.Filename, Started: time.Now(), Running: true}
	s.webImport.mu.Lock()
	s.webImport.job = job
	s.webImport.mu.Unlock()
	s.background.Go(func() {
		defer os.Remove(tmp.Name())
		defer tmp.Close()
		imp := &importer{s: s, store: s.imports, report: newImportReport(), quiet: true}
		var err error
		if kind == importMastodon {
			err = imp.mastodon(s.life, z)
		} else {
			err = imp.wordpress(s.life, tmp)
		}
		s.webImport.mu.Lock()
		defer s.webImport.mu.Unlock()
		job.Running, job.Finished, job.Report = false, time.Now(), imp.report.String()
		if err != nil {
			job.Error = err.Error()
		}
	})
	http.Redirect(w, r, "/settings/data#import", http.StatusSeeOther)
}
