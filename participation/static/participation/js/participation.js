// Participation forms, progressively enhanced: the proof-of-work anti-spam check and the duplicate hint.
// Without JavaScript (or without SubtleCrypto) the forms still submit; the server then holds the
// contribution for a moderator (docs/decisions/0016-abuse-resistance.md).
(function () {
  "use strict";

  function leadingZeroBits(bytes) {
    var bits = 0;
    for (var i = 0; i < bytes.length; i++) {
      if (bytes[i] === 0) { bits += 8; continue; }
      return bits + Math.clz32(bytes[i]) - 24;
    }
    return bits;
  }

  function difficulty(challenge) {
    // The signed challenge is "<base64 JSON>:<signature>"; the JSON holds the difficulty "b".
    try {
      var payload = challenge.split(":")[0].replace(/-/g, "+").replace(/_/g, "/");
      return JSON.parse(atob(payload + "===".slice((payload.length + 3) % 4))).b || 0;
    } catch (error) { return null; }
  }

  async function solve(challenge, bits) {
    var encoder = new TextEncoder();
    for (var nonce = 0; ; nonce++) {
      var digest = await crypto.subtle.digest("SHA-256", encoder.encode(challenge + ":" + nonce));
      if (leadingZeroBits(new Uint8Array(digest)) >= bits) { return String(nonce); }
    }
  }

  function startProofOfWork(form) {
    var challengeInput = form.querySelector("input[name=pow_challenge]");
    var nonceInput = form.querySelector("input[name=pow_nonce]");
    var status = form.querySelector("[data-pow-status]");
    if (!challengeInput || !nonceInput || !window.crypto || !crypto.subtle || !window.TextEncoder) { return; }
    var bits = difficulty(challengeInput.value);
    if (bits === null) { return; }
    var submitting = false;
    var solved = solve(challengeInput.value, bits).then(function (nonce) {
      nonceInput.value = nonce;
      if (status && submitting) { status.textContent = status.getAttribute("data-done"); }
    });
    form.addEventListener("submit", function (event) {
      if (nonceInput.value || submitting) { return; }
      event.preventDefault();
      submitting = true;
      if (status) { status.textContent = status.getAttribute("data-checking"); }
      solved.then(function () { form.submit(); });
    });
  }

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

  // For API clients in a browser and for bench.proof_of_work: the same search the forms run.
  window.AmtsplatzProofOfWork = { solve: solve, difficulty: difficulty };

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("form[data-pow]").forEach(startProofOfWork);
    document.querySelectorAll("form[data-nearby]").forEach(nearbyHint);
  });
})();
