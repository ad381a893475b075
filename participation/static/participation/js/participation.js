// Participation forms, progressively enhanced: the duplicate hint. The proof-of-work check of forms marked
// data-pow is core/js/pow.js (shared with appointments); without JavaScript the forms still submit and the
// server holds the contribution for a moderator (docs/decisions/0016-abuse-resistance.md).
(function () {
  "use strict";

  function nearbyHint(form) {
    var url = form.getAttribute("data-nearby");
    var hint = form.querySelector("[data-nearby-hint]");
    var fields = ["category", "latitude", "longitude"].map(function (name) { return form.elements[name]; });
    if (!url || !hint || fields.some(function (field) { return !field; })) { return; }
    function check() {
      var params = new URLSearchParams();
      fields.forEach(function (field) { params.set(field.name, field.value); });
      if (!fields[1].value || !fields[2].value) { hint.textContent = ""; return; }
      fetch(url + "?" + params.toString(), { headers: { Accept: "application/json" } })
        .then(function (response) { return response.ok ? response.json() : { reports: [] }; })
        .then(function (data) {
          hint.textContent = "";
          if (!data.reports || !data.reports.length) { return; }
          var heading = document.createElement("p");
          heading.textContent = hint.getAttribute("data-heading");
          var list = document.createElement("ul");
          data.reports.forEach(function (report) {
            var item = document.createElement("li");
            var link = document.createElement("a");
            link.href = report.url;
            link.textContent = report.title;
            item.appendChild(link);
            item.appendChild(document.createTextNode(" – " + report.status + ", " + report.distance + " m"));
            list.appendChild(item);
          });
          hint.appendChild(heading);
          hint.appendChild(list);
        })
        .catch(function () { hint.textContent = ""; });
    }
    fields.forEach(function (field) { field.addEventListener("change", check); });
    form.addEventListener("participation:pin", check);
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("form[data-nearby]").forEach(nearbyHint);
  });
})();
