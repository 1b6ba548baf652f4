// Progressive enhancement for the editor: the forms work without it (the
// server refuses a note over the limit and says so).
// It shows a live character count for notes, disables the Post button
// while the note is over the limit, and confirms deletions.
document.addEventListener("DOMContentLoaded", () => {
  for (const area of document.querySelectorAll("textarea[data-limit]")) {
    const limit = Number(area.dataset.limit);
    const out = document.createElement("span");
    out.className = "counter muted";
    out.id = area.id + "-counter";
    out.setAttribute("aria-live", "polite");
    area.insertAdjacentElement("afterend", out);
    const buttons = area.form ? [...area.form.querySelectorAll('button[type="submit"]:not([formaction])')] : [];
    for (const b of buttons) b.setAttribute("aria-describedby", out.id);
    const update = () => {
      const left = limit - [...area.value.trim()].length;
      out.textContent = left < 0 ? -left + " characters over the limit" : left + " characters left";
      out.classList.toggle("error", left < 0);
      for (const b of buttons) b.disabled = left < 0;
    };
    area.addEventListener("input", update);
    update();
  }
  for (const form of document.querySelectorAll("form[data-confirm]")) {
    form.addEventListener("submit", (e) => {
      if (!confirm(form.dataset.confirm)) e.preventDefault();
    });
  }
});
