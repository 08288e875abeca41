/*
 * Leaflet maps: each element with data-map-points names a JSON script holding its markers.
 * Maps are drawn on load and again whenever htmx brings in new content (the search results swap),
 * and the old Leaflet instance is removed first so nothing leaks between swaps.
 * A near search's map also shows the place measured from and the circle searched (data-map-origin,
 * data-map-radius-km), even when nothing was found there. Without tiles (no tile URL, or the tile server down or blocked) the map draws
 * country outlines from a small GeoJSON file of our own (data-basemap-url) and says so in one line.
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

  var KM_PER_DEGREE = 111.32;
  // The outlines are fetched once per page, however many maps (or htmx swaps) draw them.
  var basemapRequests = {};

  function readOrigin(element) {
    var centre = (element.dataset.mapOrigin || "").split(",").map(Number);
    var radius = Number(element.dataset.mapRadiusKm);
    if (centre.length !== 2 || !centre.every(isFinite) || !(radius > 0)) {
      return null;
    }
    return { latlng: centre, radiusKm: radius, label: element.dataset.mapOriginLabel || "" };
  }

  function originBounds(origin) {
    // The circle's box on the flat-earth approximation the search itself measures with.
    var dLat = origin.radiusKm / KM_PER_DEGREE;
    var dLng = origin.radiusKm / (KM_PER_DEGREE * Math.max(Math.cos((origin.latlng[0] * Math.PI) / 180), 0.01));
    return L.latLngBounds(
      [origin.latlng[0] - dLat, origin.latlng[1] - dLng],
      [origin.latlng[0] + dLat, origin.latlng[1] + dLng]
    );
  }

  function drawOrigin(map, origin) {
    L.circle(origin.latlng, {
      radius: origin.radiusKm * 1000,
      className: "map-radius",
      interactive: false,
    }).addTo(map);
    // A target, not a pin, in a pane of its own above the listings' markers and clusters (site.css), so
    // a cluster beside the place searched from never hides it; tooltips and popups stay above it.
    map.createPane("origin");
    var marker = L.marker(origin.latlng, {
      pane: "origin",
      icon: L.divIcon({ className: "map-origin-marker", iconSize: [24, 24], iconAnchor: [12, 12], html: "" }),
      keyboard: false,
    }).addTo(map);
    if (origin.label) {
      marker.bindTooltip(origin.label, { direction: "top", offset: [0, -12] });
    }
  }

  function drawBasemap(element, map) {
    if (element.dataset.basemapShown || !element.dataset.basemapUrl) {
      return;
    }
    element.dataset.basemapShown = "1";
    element.classList.add("map-offline");
    var notice = document.createElement("p");
    notice.className = "map-notice";
    notice.textContent = element.dataset.offlineNotice || "";
    element.insertAdjacentElement("afterend", notice);
    var url = element.dataset.basemapUrl;
    if (!basemapRequests[url]) {
      basemapRequests[url] = fetch(url).then(function (response) {
        return response.ok ? response.json() : null;
      });
    }
    map.createPane("basemap");
    basemapRequests[url]
      .then(function (outlines) {
        if (outlines && element.leafletMap === map) {
          L.geoJSON(outlines, { pane: "basemap", className: "map-country", interactive: false }).addTo(map);
        }
      })
      .catch(function () {
        // No outlines either: the plain background and the notice remain.
      });
  }

  function addTiles(element, map) {
    var tiles = L.tileLayer(element.dataset.tileUrl, {
      attribution: element.dataset.tileAttribution,
      maxZoom: 19,
    });
    var loaded = false;
    tiles.on("tileload", function () {
      loaded = true;
    });
    tiles.on("tileerror", function () {
      // A server that has served tiles may drop one; one that never has is down or blocked.
      if (!loaded) {
        map.removeLayer(tiles);
        drawBasemap(element, map);
      }
    });
    tiles.addTo(map);
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
    var origin = readOrigin(element);
    var zoom = Number(element.dataset.mapZoom) || 13;
    if (!points.length && !centre && !origin) {
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
      addTiles(element, map);
    } else {
      drawBasemap(element, map);
    }
    if (origin) {
      drawOrigin(map, origin);
    }
    var cluster = L.markerClusterGroup({ showCoverageOnHover: false, maxClusterRadius: 40 });
    points.forEach(function (point) {
      var marker = L.marker([point.lat, point.lng], { title: point.name, alt: point.name });
      marker.bindPopup(popupContent(point));
      cluster.addLayer(marker);
    });
    map.addLayer(cluster);
    if (origin) {
      // The whole circle searched, and any marker outside it (a listing near its edge).
      var bounds = originBounds(origin);
      if (points.length) {
        bounds.extend(cluster.getBounds());
      }
      map.fitBounds(bounds, { padding: [16, 16], maxZoom: 15 });
    } else if (points.length > 1) {
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
      var notice = element.nextElementSibling;
      if (notice && notice.classList.contains("map-notice")) {
        notice.remove();
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
