// The citizen's status page updates itself: it asks the status endpoint every 30 seconds while the page is
// visible and announces a change in the live region (the page works the same without this script).
(function () {
  "use strict";
  var badge = document.getElementById("application-status");
  var live = document.getElementById("status-announcement");
  if (!badge || !live || !badge.dataset.poll || !window.fetch) { return; }
  var url = badge.dataset.poll;
  var timer = null;

  function announce(label) {
    live.textContent = live.dataset.template.replace("%(status)s", label) + " ";
    var link = document.createElement("a");
    link.href = window.location.pathname;
    link.textContent = live.dataset.reload;
    live.appendChild(link);
  }

  function check() {
    if (document.hidden) { return; }
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (state) {
        if (!state) { return; }
        var changed = state.status !== badge.dataset.status || String(state.history) !== badge.dataset.history;
        if (!changed) { return; }
        badge.dataset.status = state.status;
        badge.dataset.history = String(state.history);
        badge.className = "status-badge status-" + state.status;
        badge.querySelector("strong").textContent = state.label;
        announce(state.label);
        if (state.closed) { window.clearInterval(timer); }
      })
      .catch(function () { /* offline for a moment: the next round tries again */ });
  }

  timer = window.setInterval(check, Number(badge.dataset.interval || 30000));
  document.addEventListener("visibilitychange", check);
})();
