/*
 * Place suggestions while typing: every <input data-place-suggest="URL"> becomes an ARIA 1.2 combobox
 * whose list of towns comes from URL?q=… ({"places": [{label, value, country, population}]}).
 * Down and Up move through the list, Enter or a click/tap puts the town in the field, Escape closes it.
 * Without this script the field is the plain text field the server reads as typed.
 * No inline style or markup strings (the Content-Security-Policy allows neither); the words it says come
 * translated from its own <script> element's data attributes (templates/base.html).
 */
(function () {
  "use strict";

  var script = document.currentScript;
  var words = {
    found: (script && script.dataset.found) || "{count} places found; use the arrow keys to choose.",
    one: (script && script.dataset.one) || "One place found; use the arrow keys to choose.",
    none: (script && script.dataset.none) || "No place found by that name.",
    list: (script && script.dataset.list) || "Suggested places",
  };
  var WAIT_MS = 200;
  var MIN_LETTERS = 2;
  var counter = 0;

  function announce(box, count) {
    var text = count === 0 ? words.none : count === 1 ? words.one : words.found.replace("{count}", count);
    box.status.textContent = text;
  }

  function setActive(box, index) {
    box.active = index;
    box.options.forEach(function (option, position) {
      option.setAttribute("aria-selected", position === index ? "true" : "false");
    });
    if (index >= 0) {
      box.input.setAttribute("aria-activedescendant", box.options[index].id);
      box.options[index].scrollIntoView({ block: "nearest" });
    } else {
      box.input.removeAttribute("aria-activedescendant");
    }
  }

  function close(box) {
    box.list.hidden = true;
    box.input.setAttribute("aria-expanded", "false");
    setActive(box, -1);
  }

  function open(box) {
    if (box.options.length) {
      box.list.hidden = false;
      box.input.setAttribute("aria-expanded", "true");
    }
  }

  function choose(box, index) {
    var option = box.options[index];
    if (!option) {
      return;
    }
    box.input.value = option.dataset.value;
    box.shown = box.input.value;
    close(box);
    box.input.focus();
  }

  function render(box, places) {
    box.list.replaceChildren();
    box.options = places.map(function (place, index) {
      var option = document.createElement("li");
      option.id = box.list.id + "-" + index;
      option.setAttribute("role", "option");
      option.setAttribute("aria-selected", "false");
      option.className = "place-option";
      option.dataset.value = place.value;
      option.textContent = place.label;
      box.list.appendChild(option);
      return option;
    });
    setActive(box, -1);
    announce(box, places.length);
    if (places.length) {
      open(box);
    } else {
      close(box);
    }
  }

  function ask(box) {
    var text = box.input.value.trim();
    if (text === box.shown) {
      return;
    }
    box.shown = text;
    if (text.length < MIN_LETTERS) {
      render(box, []);
      box.status.textContent = "";
      return;
    }
    if (box.pending) {
      box.pending.abort();
    }
    var cached = box.cache[text.toLowerCase()];
    if (cached) {
      render(box, cached);
      return;
    }
    box.pending = new AbortController();
    var url = box.url + (box.url.indexOf("?") === -1 ? "?" : "&") + "q=" + encodeURIComponent(text);
    fetch(url, { signal: box.pending.signal, headers: { Accept: "application/json" } })
      .then(function (response) {
        return response.ok ? response.json() : { places: [] };
      })
      .then(function (data) {
        var places = Array.isArray(data.places) ? data.places : [];
        box.cache[text.toLowerCase()] = places;
        // A slower answer to an older text must not replace the list for what is in the field now.
        if (box.input.value.trim() === text) {
          render(box, places);
        }
      })
      .catch(function () {
        // Offline or aborted: the field still works as plain text.
      });
  }

  function onKey(box, event) {
    var count = box.options.length;
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      if (!count) {
        return;
      }
      event.preventDefault();
      if (box.list.hidden) {
        open(box);
        setActive(box, event.key === "ArrowDown" ? 0 : count - 1);
        return;
      }
      var step = event.key === "ArrowDown" ? 1 : -1;
      // Past either end, back to the field itself (no option active), as the ARIA pattern allows.
      var next = box.active + step;
      setActive(box, next < -1 ? count - 1 : next >= count ? -1 : next);
    } else if (event.key === "Enter") {
      if (!box.list.hidden && box.active >= 0) {
        // Enter picks the town; a second Enter submits the form.
        event.preventDefault();
        choose(box, box.active);
      }
    } else if (event.key === "Escape") {
      if (!box.list.hidden) {
        event.preventDefault();
        close(box);
      }
    } else if (event.key === "Tab") {
      close(box);
    }
  }

  function enhance(input) {
    if (input.dataset.placeReady) {
      return;
    }
    input.dataset.placeReady = "1";
    counter += 1;
    var id = (input.id || "place-input-" + counter) + "-places";
    var list = document.createElement("ul");
    list.id = id;
    list.className = "place-suggestions";
    list.setAttribute("role", "listbox");
    list.hidden = true;
    // A name of its own, not the field's label: a label naming two controls would make the field ambiguous.
    list.setAttribute("aria-label", words.list);
    var status = document.createElement("p");
    status.className = "visually-hidden";
    status.setAttribute("role", "status");
    var wrapper = document.createElement("div");
    wrapper.className = "place-combobox";
    // Moving a field blurs it: give the focus back (htmx may just have put it there, on a field in error).
    var focused = document.activeElement === input;
    input.parentNode.insertBefore(wrapper, input);
    wrapper.appendChild(input);
    if (focused) {
      input.focus();
    }
    wrapper.appendChild(list);
    wrapper.appendChild(status);

    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-controls", id);
    input.setAttribute("autocomplete", "off");

    var box = {
      input: input,
      list: list,
      status: status,
      url: input.dataset.placeSuggest,
      options: [],
      active: -1,
      shown: input.value.trim(),
      cache: {},
      pending: null,
      timer: 0,
    };
    input.addEventListener("input", function () {
      window.clearTimeout(box.timer);
      box.timer = window.setTimeout(function () {
        ask(box);
      }, WAIT_MS);
    });
    input.addEventListener("keydown", function (event) {
      onKey(box, event);
    });
    input.addEventListener("blur", function () {
      close(box);
    });
    // mousedown, not click: it comes before the field's blur, which would close the list first.
    list.addEventListener("mousedown", function (event) {
      event.preventDefault();
    });
    list.addEventListener("click", function (event) {
      var option = event.target.closest("[role=option]");
      if (option) {
        choose(box, box.options.indexOf(option));
      }
    });
  }

  function init(root) {
    if (!root.querySelectorAll) {
      return;
    }
    if (root.matches && root.matches("input[data-place-suggest]")) {
      enhance(root);
    }
    root.querySelectorAll("input[data-place-suggest]").forEach(enhance);
  }

  document.addEventListener("htmx:load", function (event) {
    init(event.target);
  });
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", function () {
      init(document);
    });
  } else {
    init(document);
  }
})();
