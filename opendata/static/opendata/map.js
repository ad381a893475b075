// The places of a data set on a map (Leaflet, self-hosted). Tiles load from OpenStreetMap only after the
// visitor presses "Show map"; the preview table lists the same places, so nothing depends on the map.
(function () {
  "use strict";
  var TILES = "https://tile.openstreetmap.org/{z}/{x}/{y}.png";
  var ATTRIBUTION = '&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a>';

  function show(box, points) {
    var canvas = box.querySelector("[data-map-canvas]");
    canvas.hidden = false;
    box.querySelector("[data-map-show]").hidden = true;
    var map = L.map(canvas, { scrollWheelZoom: false });
    L.tileLayer(TILES, { maxZoom: 19, attribution: ATTRIBUTION }).addTo(map);
    var bounds = [];
    points.forEach(function (point) {
      L.marker([point[0], point[1]], { title: point[2], alt: point[2] }).addTo(map).bindPopup(document.createTextNode(point[2]));
      bounds.push([point[0], point[1]]);
    });
    if (bounds.length === 1) { map.setView(bounds[0], 15); } else { map.fitBounds(bounds, { padding: [20, 20] }); }
  }

  document.addEventListener("DOMContentLoaded", function () {
    var box = document.querySelector("[data-od-map]");
    var data = document.getElementById("od-points");
    if (!box || !data || typeof L === "undefined") { return; }
    var points = JSON.parse(data.textContent);
    if (!points.length) { return; }
    var button = box.querySelector("[data-map-show]");
    button.hidden = false;
    button.addEventListener("click", function () { show(box, points); });
  });
})();
