/*
 * Leaflet maps: each element with data-map-points names a JSON script holding its markers.
 * Maps are drawn on load and again whenever htmx brings in new content (the search results swap),
 * and the old Leaflet instance is removed first so nothing leaks between swaps.
 * Without a tile URL the map shows markers on a plain background and requests nothing.
 */
(function () {
  "use strict";

  if (typeof L === "undefined") {
    return;
  }

  function readPoints(element) {
    var source = document.getElementById(element.dataset.mapPoints);
    if (!source) {
      return [];
    }
    try {
      return JSON.parse(source.textContent) || [];
    } catch (error) {
      return [];
    }
  }

  function readCentre(element) {
    var parts = (element.dataset.mapCentre || "").split(",").map(Number);
    return parts.length === 2 && parts.every(isFinite) ? parts : null;
  }

  function popupContent(point) {
    // Built from nodes, not HTML strings, so a listing's name can never inject markup.
    var wrapper = document.createElement("div");
    var link = document.createElement("a");
    link.href = point.url;
    link.textContent = point.name;
    link.className = "map-popup-title";
    wrapper.appendChild(link);
    if (point.detail) {
      var detail = document.createElement("p");
      detail.textContent = point.detail;
      detail.className = "map-popup-detail";
      wrapper.appendChild(detail);
    }
    return wrapper;
  }

  function drawMap(element) {
    var points = readPoints(element);
    var centre = readCentre(element);
    var zoom = Number(element.dataset.mapZoom) || 13;
    if (!points.length && !centre) {
      return;
    }
    element.hidden = false;
    L.Icon.Default.imagePath = element.dataset.imagePath;
    // The cluster layer needs a maximum zoom even when there is no tile layer to provide one.
    var map = L.map(element, { zoomControl: false, scrollWheelZoom: false, maxZoom: 19 });
    element.leafletMap = map;
    element.dataset.mapReady = "1";
    L.control
      .zoom({ zoomInTitle: element.dataset.zoomInLabel, zoomOutTitle: element.dataset.zoomOutLabel })
      .addTo(map);
    map.attributionControl.setPrefix(false);
    if (element.dataset.tileUrl) {
      L.tileLayer(element.dataset.tileUrl, {
        attribution: element.dataset.tileAttribution,
        maxZoom: 19,
      }).addTo(map);
    }
    var cluster = L.markerClusterGroup({ showCoverageOnHover: false, maxClusterRadius: 40 });
    points.forEach(function (point) {
      var marker = L.marker([point.lat, point.lng], { title: point.name, alt: point.name });
      marker.bindPopup(popupContent(point));
      cluster.addLayer(marker);
    });
    map.addLayer(cluster);
    if (points.length > 1) {
      map.fitBounds(cluster.getBounds(), { padding: [32, 32], maxZoom: 15 });
    } else if (points.length === 1) {
      map.setView([points[0].lat, points[0].lng], zoom);
    } else {
      map.setView(centre, zoom);
    }
  }

  function drawMaps(root) {
    var elements = root.querySelectorAll ? root.querySelectorAll("[data-map-points]") : [];
    Array.prototype.forEach.call(elements, function (element) {
      if (!element.dataset.mapReady) {
        drawMap(element);
      }
    });
  }

  function removeMaps(root) {
    var elements = root.querySelectorAll ? root.querySelectorAll("[data-map-ready]") : [];
    Array.prototype.forEach.call(elements, function (element) {
      if (element.leafletMap) {
        element.leafletMap.remove();
        element.leafletMap = null;
      }
    });
  }

  document.addEventListener("htmx:beforeSwap", function (event) {
    if (event.detail.shouldSwap && event.detail.target) {
      removeMaps(event.detail.target);
    }
  });

  if (window.htmx) {
    // Runs for the page itself and for every piece of content htmx swaps in.
    window.htmx.onLoad(function (content) {
      drawMaps(content.parentNode || content);
    });
  }
  drawMaps(document);
})();
