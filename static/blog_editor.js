// Progressive enhancement for the blog editor; its form works without it.
// - A new post or a draft is saved as a draft (never published) 30 s after
//   a change and when a field with changes loses focus.
// - Leaving the page with unsaved changes asks first; submitting does not.
// - From 1100 px the text has a live preview beside it, rendered by the
//   server as publishing renders it; narrower, the Preview button shows and
//   hides it below the text.
// - "Upload and insert" uploads in the background and puts the image's
//   Markdown at the cursor.
(() => {
  const editor = document.querySelector(".blog-editor");
  if (!editor) return;
  const form = editor.querySelector("form");
  const body = form.elements.body;
  const panel = document.getElementById("live-preview");
  const previewOut = panel.querySelector(".content");
  const previewButton = form.querySelector('[data-testid="preview-button"]');
  const uploadButton = form.querySelector('[data-testid="upload-insert"]');
  const saveStatus = document.getElementById("autosave-status");
  const uploadStatus = document.getElementById("upload-status");
  const wide = matchMedia("(min-width: 1100px)");
  const json = { Accept: "application/json" };
  let autosave = editor.hasAttribute("data-autosave");

  // edits counts changes; savedEdits is the count the last save held.
  let edits = 0, savedEdits = 0, submitting = false, saving = null;
  const dirty = () => edits !== savedEdits;
  const isImageField = (el) => el === form.elements.image || el === form.elements.alt;

  const answer = (resp) => resp.json().catch(() => ({ error: "The site did not answer as expected." }));
  const say = (el, text, problem) => {
    el.textContent = text;
    el.classList.toggle("error", !!problem);
  };

  async function saveDraft() {
    const at = edits;
    const data = new FormData(form);
    data.delete("image");
    data.delete("action");
    try {
      const resp = await fetch("/blog/autosave", { method: "POST", body: data, headers: json, credentials: "same-origin" });
      const out = await answer(resp);
      if (!resp.ok) {
        say(saveStatus, "Not saved yet: " + out.error, true);
        if (resp.status === 409) autosave = false;
        return;
      }
      savedEdits = at;
      form.elements.original.value = out.slug;
      form.action = out.action;
      if (!form.elements.slug.value) form.elements.slug.placeholder = out.slug;
      if (location.pathname !== out.action) history.replaceState(null, "", out.action);
      const when = new Date(out.saved).toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" });
      say(saveStatus, "Draft saved at " + when + ".");
    } catch {
      say(saveStatus, "Not saved yet: the site could not be reached.", true);
    }
  }

  function save() {
    if (!autosave || submitting || saving || !dirty()) return;
    saving = saveDraft().finally(() => { saving = null; });
  }

  form.addEventListener("input", (e) => {
    if (isImageField(e.target)) return;
    edits++;
    if (e.target === body) schedulePreview();
  });
  // Enter in a one-line field would press the form's first button, which
  // is "Upload and insert": it does nothing here instead.
  form.addEventListener("keydown", (e) => {
    if (e.key === "Enter" && e.target instanceof HTMLInputElement && e.target.type !== "file") e.preventDefault();
  });
  form.addEventListener("focusout", (e) => { if (!isImageField(e.target)) save(); });
  setInterval(save, 30000);

  form.addEventListener("submit", (e) => {
    if (saving) {
      // A new post's first draft is on its way: wait for it, so that the
      // button updates that draft instead of making a second post.
      e.preventDefault();
      const button = e.submitter;
      saving.then(() => form.requestSubmit(button));
      return;
    }
    submitting = true;
  });
  addEventListener("beforeunload", (e) => {
    if (submitting || !dirty()) return;
    e.preventDefault();
    e.returnValue = "";
  });
  // Coming back to the page from the history leaves the form as it was.
  addEventListener("pageshow", () => { submitting = false; });

  let previewTimer, previewSeq = 0, previewWanted = false;
  async function refreshPreview() {
    const seq = ++previewSeq;
    const data = new FormData();
    data.set("body", body.value);
    try {
      const resp = await fetch("/blog/preview", { method: "POST", body: data, headers: json, credentials: "same-origin" });
      const out = await answer(resp);
      if (seq !== previewSeq) return;
      if (!resp.ok) {
        previewOut.textContent = out.error;
      } else if (out.html) {
        previewOut.innerHTML = out.html; // rendered and sanitised by the server, as when published
      } else {
        previewOut.innerHTML = '<p class="muted">There is nothing to preview yet.</p>';
      }
    } catch {
      if (seq === previewSeq) previewOut.textContent = "The preview could not be made.";
    }
  }
  function schedulePreview() {
    if (panel.hidden) return;
    clearTimeout(previewTimer);
    previewTimer = setTimeout(refreshPreview, 400);
  }
  function layout() {
    const live = wide.matches;
    editor.classList.toggle("live", live);
    previewButton.hidden = live;
    const show = live || previewWanted;
    previewButton.setAttribute("aria-expanded", String(show));
    previewButton.textContent = previewWanted ? "Hide preview" : "Preview";
    if (show && panel.hidden) refreshPreview();
    panel.hidden = !show;
  }
  previewButton.setAttribute("aria-controls", "live-preview");
  previewButton.addEventListener("click", (e) => {
    e.preventDefault();
    previewWanted = !previewWanted;
    layout();
    if (previewWanted) panel.scrollIntoView({ block: "nearest" });
  });
  wide.addEventListener("change", layout);
  layout();

  uploadButton.addEventListener("click", async (e) => {
    e.preventDefault();
    const file = form.elements.image, alt = form.elements.alt;
    if (!file.files.length) {
      say(uploadStatus, "Choose an image file to upload.", true);
      return;
    }
    const data = new FormData();
    data.set("image", file.files[0]);
    data.set("alt", alt.value);
    uploadButton.disabled = true;
    say(uploadStatus, "Uploading…");
    try {
      const resp = await fetch("/blog/upload", { method: "POST", body: data, headers: json, credentials: "same-origin" });
      const out = await answer(resp);
      if (!resp.ok) {
        say(uploadStatus, out.error, true);
        return;
      }
      body.setRangeText(out.markdown, body.selectionStart, body.selectionEnd, "end");
      body.focus();
      body.dispatchEvent(new Event("input", { bubbles: true }));
      file.value = "";
      alt.value = "";
      say(uploadStatus, "Image uploaded and inserted at the cursor.");
    } catch {
      say(uploadStatus, "The image could not be uploaded: the site could not be reached.", true);
    } finally {
      uploadButton.disabled = false;
    }
  });
})();
