/* An item's place (an idea, a question to officials): a Leaflet map where the page has
 * <div id="map">, showing data-lat/data-lng, or with data-pick="1" filling the enclosing
 * form's latitude and longitude inputs on a click. Progressive enhancement only: without
 * JavaScript the page shows the written address and, on a form, plain number inputs for the
 * GPS coordinates. */
(function () {
  "use strict";
  var element = document.getElementById("map");
  if (!element || typeof window.L === "undefined") {
    return;
  }
  var L = window.L;
  // Where the town's maps open and whose tiles they show ({% map_attributes %}).
  var town = [parseFloat(element.dataset.centerLat), parseFloat(element.dataset.centerLng)];
  var townZoom = parseInt(element.dataset.zoom, 10);
  var lat = parseFloat(element.dataset.lat);
  var lng = parseFloat(element.dataset.lng);
  var located = isFinite(lat) && isFinite(lng);
  var picking = element.dataset.pick === "1";

  element.hidden = false;
  var map = L.map(element).setView(located ? [lat, lng] : town, located ? 17 : townZoom);
  L.tileLayer(element.dataset.tiles, {
    maxZoom: 19,
    attribution: element.dataset.attribution
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
