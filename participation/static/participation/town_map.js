/* The town's map: every element with data-town-map gets a Leaflet map opened on the town
 * (data-center-lat/lng, data-zoom; tiles from data-tiles with data-attribution, the settings
 * MAP_TILES_URL and MAP_TILES_ATTRIBUTION) and the GeoJSON places of data-url, clustered
 * (leaflet.markercluster). Progressive enhancement: without JavaScript the element stays
 * hidden and the list under it shows the same places. Titles reach the popups as text only. */
(function () {
  "use strict";
  if (typeof window.L === "undefined" || typeof window.L.markerClusterGroup !== "function") {
    return;
  }
  var L = window.L;

  function popup(properties) {
    var box = document.createElement("div");
    var link = document.createElement("a");
    link.href = properties.url;
    link.textContent = properties.title;
    var about = document.createElement("p");
    about.textContent = [properties.kind_label, properties.space, properties.status]
      .filter(Boolean)
      .join(" · ");
    box.appendChild(link);
    box.appendChild(about);
    return box;
  }

  function draw(element) {
    var data = element.dataset;
    element.hidden = false;
    var map = L.map(element).setView(
      [parseFloat(data.centerLat), parseFloat(data.centerLng)],
      parseInt(data.zoom, 10)
    );
    L.tileLayer(data.tiles, { maxZoom: 19, attribution: data.attribution }).addTo(map);
    fetch(data.url, { headers: { Accept: "application/geo+json" }, credentials: "same-origin" })
      .then(function (response) {
        if (!response.ok) {
          throw new Error(response.status);
        }
        return response.json();
      })
      .then(function (collection) {
        var cluster = L.markerClusterGroup();
        collection.features.forEach(function (feature) {
          var point = feature.geometry.coordinates;
          cluster.addLayer(
            L.marker([point[1], point[0]], { title: feature.properties.title }).bindPopup(
              popup(feature.properties)
            )
          );
        });
        map.addLayer(cluster);
        // A town without coordinates opens on France: show its places instead.
        if (!data.located && cluster.getLayers().length) {
          map.fitBounds(cluster.getBounds(), { maxZoom: 15 });
        }
      })
      .catch(function () {
        // The list under the map still shows every place.
        element.hidden = true;
      });
  }

  var maps = document.querySelectorAll("[data-town-map]");
  for (var i = 0; i < maps.length; i += 1) {
    draw(maps[i]);
  }
})();
