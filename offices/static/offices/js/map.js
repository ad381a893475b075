// The office map (self-hosted Leaflet). No request leaves for OpenStreetMap until the visitor presses
// "Show map"; the list on the page carries every address, so nothing depends on the map.
(function () {
  "use strict";
  var TILES = "https://tile.openstreetmap.org/{z}/{x}/{y}.png";
  var ATTRIBUTION = '&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a>';

  function show(box) {
    var canvas = box.querySelector("[data-map-canvas]");
    canvas.hidden = false;
    box.querySelector("[data-map-show]").hidden = true;
    var map = L.map(canvas, { scrollWheelZoom: false }).setView(
      [parseFloat(box.dataset.lat), parseFloat(box.dataset.lon)], parseInt(box.dataset.zoom, 10) || 13
    );
    L.tileLayer(TILES, { maxZoom: 19, attribution: ATTRIBUTION }).addTo(map);
    var markers = JSON.parse(document.getElementById("office-markers").textContent);
    var bounds = [];
    markers.forEach(function (item) {
      var marker = L.marker([item.lat, item.lon], { title: item.title, alt: item.title }).addTo(map);
      var link = document.createElement("a");
      link.href = item.url;
      link.textContent = item.title;
      marker.bindPopup(link);
      bounds.push([item.lat, item.lon]);
    });
    if (bounds.length > 1) { map.fitBounds(bounds, { padding: [30, 30] }); }
  }

  document.addEventListener("DOMContentLoaded", function () {
    if (!window.L) { return; }
    document.querySelectorAll("[data-office-map]").forEach(function (box) {
      var button = box.querySelector("[data-map-show]");
      button.hidden = false;
      button.addEventListener("click", function () { show(box); });
    });
  });
})();
