// Progressive enhancement for likes, boosts, bookmarks and poll votes: the
// forms work without it (they come back to #item-… on the same page). With
// it, the form is posted in the background and the item is replaced by its
// fresh copy from the page the server redirects to, so the reader stays
// where they were.
document.addEventListener("submit", async (e) => {
  const form = e.target;
  const item = form.querySelector('input[name="item"]');
  if (!item || form.method.toLowerCase() !== "post") return;
  const old = document.getElementById(item.value);
  if (!old) return;
  e.preventDefault();
  const button = form.querySelector('button[type="submit"]');
  if (button) button.disabled = true;
  try {
    const resp = await fetch(form.action, {
      method: "POST",
      body: new URLSearchParams(new FormData(form)),
      credentials: "same-origin",
    });
    const html = await resp.text();
    const fresh = new DOMParser().parseFromString(html, "text/html").getElementById(item.value);
    if (!resp.ok || !fresh) {
      // An error page (a poll that closed, a post that is gone): show it.
      form.submit();
      return;
    }
    old.replaceWith(document.importNode(fresh, true));
  } catch {
    form.submit();
  }
});
