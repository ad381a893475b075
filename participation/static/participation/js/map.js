// The participation map (Leaflet, self-hosted). It loads OpenStreetMap tiles only after the visitor asks
// for it ("Show map"): before that, no request leaves for a third party. Forms work without it: the
// map only fills the latitude and longitude fields, and typing coordinates moves the pin.
(function () {
  "use strict";
  var TILES = "https://tile.openstreetmap.org/{z}/{x}/{y}.png";
  var ATTRIBUTION = '&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a>';

  function number(value) {
    var parsed = parseFloat(String(value || "").replace(",", "."));
    return isNaN(parsed) ? null : parsed;
  }

  function show(box) {
    var canvas = box.querySelector("[data-map-canvas]");
    var help = box.querySelector("[data-map-help]");
    canvas.hidden = false;
    if (help) { help.hidden = false; }
    box.querySelector("[data-map-show]").hidden = true;
    var map = L.map(canvas, { scrollWheelZoom: false }).setView(
      [number(box.dataset.lat), number(box.dataset.lon)], parseInt(box.dataset.zoom, 10) || 13
    );
    L.tileLayer(TILES, { maxZoom: 19, attribution: ATTRIBUTION }).addTo(map);
    var markersId = box.dataset.markers;
    if (markersId) {
      var markers = JSON.parse(document.getElementById(markersId).textContent);
      markers.forEach(function (item) {
        var marker = L.marker([item.lat, item.lon], { title: item.title, alt: item.title }).addTo(map);
        var link = document.createElement("a");
        link.href = item.url;
        link.textContent = item.title + " (" + item.status + ")";
        marker.bindPopup(link);
      });
    }
    if (box.dataset.pick) { pick(box, map); }
  }

  function pick(box, map) {
    var form = box.closest("form");
    var latitude = form.elements.latitude;
    var longitude = form.elements.longitude;
    var pin = null;
    function place(lat, lon, fromMap) {
      if (!pin) {
        pin = L.marker([lat, lon], { draggable: true, keyboard: true, alt: "Pin" }).addTo(map);
        pin.on("dragend", function () { var at = pin.getLatLng(); place(at.lat, at.lng, true); });
      } else {
        pin.setLatLng([lat, lon]);
      }
      if (fromMap) {
        latitude.value = lat.toFixed(6);
        longitude.value = lon.toFixed(6);
        form.dispatchEvent(new Event("participation:pin"));
      }
    }
    map.on("click", function (event) { place(event.latlng.lat, event.latlng.lng, true); });
    function fromFields() {
      var lat = number(latitude.value), lon = number(longitude.value);
      if (lat !== null && lon !== null) { place(lat, lon, false); map.panTo([lat, lon]); }
    }
    latitude.addEventListener("change", fromFields);
    longitude.addEventListener("change", fromFields);
    fromFields();
  }

  // "Use my location": the browser's position fills the coordinate fields (the pin follows them when the map
  // is shown); nothing is sent anywhere until the form is. Hidden where the browser has no geolocation.
  function locate(button) {
    var form = button.closest("form");
    var status = button.parentNode.querySelector("[data-locate-status]");
    status.textContent = button.dataset.locating;
    button.disabled = true;
    navigator.geolocation.getCurrentPosition(function (position) {
      button.disabled = false;
      ["latitude", "longitude"].forEach(function (name) {
        form.elements[name].value = position.coords[name].toFixed(6);
        form.elements[name].dispatchEvent(new Event("change"));
      });
      form.dispatchEvent(new Event("participation:pin"));
      status.textContent = button.dataset.found;
    }, function (error) {
      button.disabled = false;
      status.textContent = error.code === 1 ? button.dataset.denied : button.dataset.failed;
    }, { enableHighAccuracy: true, timeout: 15000, maximumAge: 60000 });
  }

  document.addEventListener("DOMContentLoaded", function () {
    if (navigator.geolocation) {
      document.querySelectorAll("[data-locate]").forEach(function (button) {
        button.hidden = false;
        button.addEventListener("click", function () { locate(button); });
      });
    }
    if (!window.L) { return; }
    document.querySelectorAll("[data-map]").forEach(function (box) {
      var button = box.querySelector("[data-map-show]");
      button.hidden = false;
      button.addEventListener("click", function () { show(box); });
    });
  });
})();
