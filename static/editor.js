// Progressive enhancement for the editor: the forms work without it.
// It shows a live character count for notes and confirms deletions.
document.addEventListener("DOMContentLoaded", () => {
  for (const area of document.querySelectorAll("textarea[data-limit]")) {
    const limit = Number(area.dataset.limit);
    const out = document.createElement("span");
    out.className = "counter muted";
    out.setAttribute("aria-live", "polite");
    area.insertAdjacentElement("afterend", out);
    const update = () => {
      const left = limit - [...area.value].length;
      out.textContent = left + " characters left";
      out.classList.toggle("error", left < 0);
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
