// Keeps a progress region ([data-poll="running"]) of an office page current: fetches the page every few seconds
// and replaces the region's content (announced politely by its aria-live); reloads the page when the work is done.
(function () {
  "use strict";
  var region = document.querySelector('[data-poll="running"]');
  if (!region || !window.fetch || !window.DOMParser) { return; }
  function poll() {
    fetch(window.location.href, { credentials: "same-origin", headers: { "Accept": "text/html" } })
      .then(function (response) { return response.ok ? response.text() : Promise.reject(response.status); })
      .then(function (html) {
        var fresh = new DOMParser().parseFromString(html, "text/html").getElementById(region.id);
        if (!fresh) { return; }
        if (fresh.getAttribute("data-poll") === "done") { window.location.reload(); return; }
        if (fresh.innerHTML !== region.innerHTML) { region.innerHTML = fresh.innerHTML; }
        window.setTimeout(poll, 3000);
      })
      .catch(function () { window.setTimeout(poll, 10000); });
  }
  window.setTimeout(poll, 3000);
}());
