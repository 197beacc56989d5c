/* Calls for ideas: a Leaflet map where the page has <div id="map">. Progressive
 * enhancement only: without JavaScript the page shows the written address and, on the
 * submission form, plain number inputs for the GPS coordinates. */
(function () {
  "use strict";
  var element = document.getElementById("map");
  if (!element || typeof window.L === "undefined") {
    return;
  }
  var L = window.L;
  var FRANCE = [46.6, 2.4];
  var lat = parseFloat(element.dataset.lat);
  var lng = parseFloat(element.dataset.lng);
  var located = isFinite(lat) && isFinite(lng);
  var picking = element.dataset.pick === "1";

  element.hidden = false;
  var map = L.map(element).setView(located ? [lat, lng] : FRANCE, located ? 17 : 6);
  L.tileLayer("https://{s}.tile.openstreetmap.org/{z}/{x}/{y}.png", {
    maxZoom: 19,
    attribution:
      '&copy; <a href="https://www.openstreetmap.org/copyright">les contributeurs d’OpenStreetMap</a>'
  }).addTo(map);
  var marker = located ? L.marker([lat, lng]).addTo(map) : null;

  if (!picking) {
    return;
  }
  var help = element.parentNode.querySelector(".map-help");
  if (help) {
    help.hidden = false;
  }
  // The form has hidden inputs for the map and number inputs (in a <details>) for those
  // without JavaScript: a click fills both, so whichever the server reads agrees.
  function fill(name, value) {
    var scope = element.closest("form") || document;
    var inputs = scope.querySelectorAll('input[name="' + name + '"]');
    for (var i = 0; i < inputs.length; i += 1) {
      inputs[i].value = value;
    }
  }
  map.on("click", function (event) {
    var point = event.latlng;
    fill("latitude", point.lat.toFixed(6));
    fill("longitude", point.lng.toFixed(6));
    if (marker) {
      marker.setLatLng(point);
    } else {
      marker = L.marker(point).addTo(map);
    }
  });
})();
