// Keeps a part of the page up to date while the background worker works on something it shows (an archive being
// prepared): every few seconds it fetches the page again and swaps in that part, until the part no longer says it
// is in progress. The part is an aria-live region, so a screen reader hears each change. Without this script the
// page says to reload it, and reloading shows the same.
const REFRESH_MILLISECONDS = 3000;

for (const region of document.querySelectorAll("[data-refresh-while-in-progress]")) {
  const refresh = async () => {
    let response;
    try {
      response = await fetch(window.location.href, { headers: { Accept: "text/html" }, credentials: "same-origin" });
    } catch {
      return setTimeout(refresh, REFRESH_MILLISECONDS * 4); // offline for a moment: try again later
    }
    if (!response.ok || response.redirected) {
      return; // signed out, or the page has gone: reloading by hand will say why
    }
    const page = new DOMParser().parseFromString(await response.text(), "text/html");
    const fresh = page.getElementById(region.id);
    if (!fresh) {
      return;
    }
    region.innerHTML = fresh.innerHTML;
    if (fresh.hasAttribute("data-in-progress")) {
      setTimeout(refresh, REFRESH_MILLISECONDS);
    } else {
      region.removeAttribute("data-in-progress");
      // The list below the region changes too once the work is done: fetched afresh, it shows the finished one.
      const list = document.getElementById(region.dataset.refreshAlso);
      const freshList = list && page.getElementById(list.id);
      if (freshList) {
        list.innerHTML = freshList.innerHTML;
      }
    }
  };
  if (region.hasAttribute("data-in-progress")) {
    setTimeout(refresh, REFRESH_MILLISECONDS);
  }
}
