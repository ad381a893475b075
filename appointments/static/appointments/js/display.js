// The waiting-room display updates itself every few seconds; a newly called number is announced once
// through the aria-live region (and shown in large type). Without JavaScript the page shows its state on load.
(function () {
  "use strict";
  var INTERVAL = 5000;
  function text(template, values) {
    return template.replace(/\{(\w+)\}/g, function (_, key) { return values[key] === undefined ? "" : values[key]; });
  }
  document.addEventListener("DOMContentLoaded", function () {
    var main = document.querySelector("[data-display]");
    if (!main) { return; }
    var latest = main.querySelector("[data-latest]");
    var list = main.querySelector("[data-called]");
    var wait = main.querySelector("[data-wait]");
    var shown = latest.textContent.trim();
    function update() {
      fetch(main.getAttribute("data-display"), { headers: { Accept: "application/json" }, cache: "no-store" })
        .then(function (response) { return response.ok ? response.json() : null; })
        .then(function (state) {
          if (!state) { return; }
          list.textContent = "";
          state.called.forEach(function (item) {
            var entry = document.createElement("li");
            var ticket = document.createElement("span");
            ticket.className = "ticket";
            ticket.textContent = item.ticket;
            var counter = document.createElement("span");
            counter.className = "counter";
            counter.textContent = " " + item.counter;
            entry.appendChild(ticket);
            entry.appendChild(counter);
            list.appendChild(entry);
          });
          var first = state.called[0];
          var announcement = first ? text(latest.getAttribute("data-template"), first) : "";
          if (announcement !== shown) { latest.textContent = announcement; shown = announcement; }
          wait.textContent = state.waiting_minutes === null ? wait.getAttribute("data-none")
            : text(wait.getAttribute("data-template"), { minutes: state.waiting_minutes });
        })
        .catch(function () { /* keep showing the last state; the next round tries again */ });
    }
    setInterval(update, INTERVAL);
  });
})();
