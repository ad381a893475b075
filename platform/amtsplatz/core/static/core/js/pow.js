// The proof-of-work anti-spam check of forms marked data-pow (amtsplatz.infra.antispam, ADR 0016 and 0068).
// The browser searches a nonce so that SHA-256(challenge ":" nonce) starts with the challenge's number of
// zero bits, starting when the page loads; submitting waits for it. Without JavaScript or SubtleCrypto the
// form still submits, without a nonce; the server decides what that costs (moderation, a stricter limit).
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

  function start(form) {
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

  // For API clients in a browser and for bench.proof_of_work: the same search the forms run.
  window.AmtsplatzProofOfWork = { solve: solve, difficulty: difficulty };

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("form[data-pow]").forEach(start);
  });
})();
