/*
 * The listing form, made easier with JavaScript; every part works without it.
 * - Place picker: a click on the map (drawn by map.js) fills the latitude and longitude fields, and
 *   coordinates typed by hand move the marker.
 * - Term picker: a filter box over the grouped checkboxes, and the chosen terms as removable chips.
 * - Photo upload: a preview of the chosen file before it is sent (an object URL; nothing leaves the page).
 */
(function () {
  "use strict";

  function fold(text) {
    // Lower case without accents, as the server folds names: "Céramique" matches "ceramique".
    return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
  }

  /* ---- Place picker ---- */

  function setUpPlacePicker(picker) {
    var mapElement = picker.querySelector(".map-picker");
    var latitude = picker.querySelector('[data-map-coordinate="latitude"]');
    var longitude = picker.querySelector('[data-map-coordinate="longitude"]');
    if (!mapElement || !latitude || !longitude || typeof L === "undefined") {
      return;
    }
    var tries = 0;
    // map.js draws the map; wait for it rather than drawing a second one.
    (function whenDrawn() {
      if (mapElement.leafletMap) {
        attach(mapElement.leafletMap);
      } else if (tries++ < 50) {
        window.setTimeout(whenDrawn, 100);
      }
    })();

    function attach(map) {
      var marker = null;
      var hint = picker.querySelector("[data-place-hint]");
      if (hint) {
        hint.hidden = false;
      }
      function place(lat, lng) {
        if (marker) {
          marker.setLatLng([lat, lng]);
        } else {
          marker = L.marker([lat, lng], { title: mapElement.getAttribute("aria-label") }).addTo(map);
        }
      }
      function typed() {
        var lat = parseFloat(latitude.value);
        var lng = parseFloat(longitude.value);
        if (isFinite(lat) && isFinite(lng) && Math.abs(lat) <= 90 && Math.abs(lng) <= 180) {
          place(lat, lng);
          return true;
        }
        return false;
      }
      map.on("click", function (event) {
        var point = event.latlng.wrap();
        latitude.value = point.lat.toFixed(5);
        longitude.value = point.lng.toFixed(5);
        place(point.lat, point.lng);
        [latitude, longitude].forEach(function (input) {
          input.dispatchEvent(new Event("change", { bubbles: true }));
        });
      });
      latitude.addEventListener("change", typed);
      longitude.addEventListener("change", typed);
      if (!typed()) {
        followNode(map);
      }
    }
  }

  function followNode(map) {
    // A new listing's map opens over every node; choosing the node brings its town into view.
    var source = document.getElementById("node-centres");
    var select = document.getElementById("id_node");
    if (!source || !select) {
      return;
    }
    var centres = JSON.parse(source.textContent);
    function follow() {
      var centre = centres[select.value];
      if (centre) {
        map.setView(centre, 11);
      }
    }
    select.addEventListener("change", follow);
    follow();
  }

  /* ---- Term picker ---- */

  function setUpTermPicker(picker) {
    var filterRow = picker.querySelector("[data-term-filter-row]");
    var filter = picker.querySelector("[data-term-filter]");
    var status = picker.querySelector("[data-term-status]");
    var chosenRow = picker.querySelector("[data-term-chosen-row]");
    var chosenList = picker.querySelector("[data-term-chosen]");
    var items = Array.prototype.slice.call(picker.querySelectorAll("li[data-term]"));
    var groups = Array.prototype.slice.call(picker.querySelectorAll("[data-term-group]"));
    filterRow.hidden = false;

    function applyFilter() {
      var words = fold(filter.value).split(/\s+/).filter(Boolean);
      var shown = 0;
      items.forEach(function (item) {
        var keywords = item.dataset.term;
        var match = words.every(function (word) {
          return keywords.indexOf(word) !== -1;
        });
        item.hidden = !match;
        shown += match ? 1 : 0;
      });
      groups.forEach(function (group) {
        group.hidden = !group.querySelector("li[data-term]:not([hidden])");
      });
      status.textContent = words.length ? picker.dataset.matchLabel + " " + shown : "";
    }

    function renderChosen() {
      chosenList.textContent = "";
      var checked = picker.querySelectorAll("li[data-term] input:checked");
      Array.prototype.forEach.call(checked, function (input) {
        var name = input.parentNode.textContent.trim();
        var chip = document.createElement("li");
        var button = document.createElement("button");
        button.type = "button";
        button.className = "chip";
        button.textContent = name;
        button.setAttribute("aria-label", picker.dataset.removeLabel + " " + name);
        var cross = document.createElement("span");
        cross.setAttribute("aria-hidden", "true");
        cross.textContent = " ×";
        button.appendChild(cross);
        button.addEventListener("click", function () {
          input.checked = false;
          renderChosen();
          filter.focus();
        });
        chip.appendChild(button);
        chosenList.appendChild(chip);
      });
      chosenRow.hidden = checked.length === 0;
    }

    filter.addEventListener("input", applyFilter);
    filter.addEventListener("keydown", function (event) {
      // Enter in the filter box picks the only match rather than sending the whole form.
      if (event.key === "Enter") {
        event.preventDefault();
        var visible = items.filter(function (item) {
          return !item.hidden;
        });
        if (visible.length === 1) {
          var box = visible[0].querySelector("input");
          box.checked = !box.checked;
          renderChosen();
        }
      }
    });
    picker.addEventListener("change", function (event) {
      if (event.target.type === "checkbox") {
        renderChosen();
      }
    });
    renderChosen();
  }

  /* ---- Photo preview ---- */

  function setUpPhotoPreview(form) {
    var input = form.querySelector('input[type="file"]');
    var figure = form.querySelector("[data-photo-preview]");
    var image = form.querySelector("[data-photo-preview-image]");
    var caption = form.querySelector("[data-photo-preview-caption]");
    var url = null;
    if (!input || !figure || !window.URL || !URL.createObjectURL) {
      return;
    }
    input.setAttribute("accept", "image/jpeg,image/png,image/webp,image/gif");
    input.addEventListener("change", function () {
      if (url) {
        URL.revokeObjectURL(url);
        url = null;
      }
      var file = input.files && input.files[0];
      if (!file || file.type.indexOf("image/") !== 0) {
        figure.hidden = true;
        return;
      }
      url = URL.createObjectURL(file);
      image.src = url;
      image.alt = figure.dataset.previewLabel || "";
      var size = file.size < 1048576
        ? Math.max(1, Math.round(file.size / 1024)) + " " + figure.dataset.unitKb
        : (file.size / 1048576).toFixed(1) + " " + figure.dataset.unitMb;
      caption.textContent = file.name + " · " + size;
      figure.hidden = false;
    });
  }

  Array.prototype.forEach.call(document.querySelectorAll("[data-place-picker]"), setUpPlacePicker);
  Array.prototype.forEach.call(document.querySelectorAll("[data-term-picker]"), setUpTermPicker);
  Array.prototype.forEach.call(document.querySelectorAll("[data-photo-upload]"), setUpPhotoPreview);
})();
