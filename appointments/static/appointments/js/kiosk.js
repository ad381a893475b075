// Kiosk mode: after a stretch without touches or keys a visible countdown starts; when it runs out the
// page posts to the reset view, which logs out and clears the session. Any touch stops the countdown.
(function () {
  "use strict";
  document.addEventListener("DOMContentLoaded", function () {
    var main = document.querySelector("[data-kiosk]");
    if (!main) { return; }
    var idle = parseInt(main.getAttribute("data-idle"), 10) * 1000;
    var countdown = parseInt(main.getAttribute("data-countdown"), 10);
    var form = main.querySelector("[data-kiosk-reset]");
    var notice = main.querySelector("[data-countdown-text]");
    var idleTimer = null;
    var tick = null;
    function stop() {
      clearInterval(tick);
      tick = null;
      notice.hidden = true;
      notice.textContent = "";
    }
    function start() {
      var left = countdown;
      notice.hidden = false;
      function show() { notice.textContent = notice.getAttribute("data-template").replace("{seconds}", left); }
      show();
      tick = setInterval(function () {
        left -= 1;
        if (left <= 0) { clearInterval(tick); form.submit(); return; }
        show();
      }, 1000);
    }
    function activity() {
      if (tick) { stop(); }
      clearTimeout(idleTimer);
      idleTimer = setTimeout(start, idle);
    }
    ["pointerdown", "keydown", "touchstart", "input"].forEach(function (name) {
      document.addEventListener(name, activity, { passive: true });
    });
    // Links to other sites would leave the kiosk: they stay on the terminal's own host.
    document.addEventListener("click", function (event) {
      var link = event.target.closest && event.target.closest("a[href]");
      if (link && link.host !== window.location.host) { event.preventDefault(); }
    });
    document.addEventListener("contextmenu", function (event) { event.preventDefault(); });
    var print = main.querySelector("[data-print]");
    if (print) { print.addEventListener("click", function () { window.print(); }); }
    activity();
  });
})();
