/*
 * Small enhancements on top of pages that work without JavaScript:
 * - search suggestions: arrow keys move between the box and the list, Escape closes it;
 * - after htmx swaps the results (or the form with them: [data-results-swap]), focus moves to a field
 *   marked invalid, else the results heading, when the control that was used (a facet or page link,
 *   the form's button) has gone, so keyboard and screen reader users are not lost;
 * - on small screens the search filters start folded, so the results come first;
 * - the video facade: the third-party player is only loaded when the visitor presses "Play video".
 * This file is loaded on every page, which is why the video facade lives here.
 */
(function () {
  "use strict";

  function suggestionLinks(box) {
    return Array.prototype.slice.call(box.querySelectorAll(".suggestions a"));
  }

  function closeSuggestions(box) {
    var list = box.querySelector(".suggestions");
    if (list) {
      list.innerHTML = "";
    }
  }

  document.addEventListener("keydown", function (event) {
    var box = event.target.closest && event.target.closest("[data-suggest-box]");
    if (!box) {
      return;
    }
    var links = suggestionLinks(box);
    var input = box.querySelector("input");
    var index = links.indexOf(event.target);
    if (event.key === "Escape") {
      closeSuggestions(box);
      input.focus();
    } else if (event.key === "ArrowDown" && links.length) {
      event.preventDefault();
      links[Math.min(index + 1, links.length - 1)].focus();
    } else if (event.key === "ArrowUp" && index >= 0) {
      event.preventDefault();
      if (index === 0) {
        input.focus();
      } else {
        links[index - 1].focus();
      }
    }
  });

  // Suggestions close once the visitor has searched or moved on to another control.
  document.addEventListener("submit", function (event) {
    event.target.querySelectorAll("[data-suggest-box]").forEach(closeSuggestions);
  });
  document.addEventListener("focusin", function (event) {
    document.querySelectorAll("[data-suggest-box]").forEach(function (box) {
      if (!box.contains(event.target)) {
        closeSuggestions(box);
      }
    });
  });

  document.addEventListener("htmx:afterSwap", function (event) {
    var target = event.detail.target;
    if (!target || !target.hasAttribute("data-results-swap")) {
      return;
    }
    if (!document.activeElement || document.activeElement === document.body || !document.activeElement.isConnected) {
      // A field the answer marks wrong first (its message is beside it), else the results' heading.
      var invalid = target.querySelector("[aria-invalid=true]");
      if (invalid) {
        invalid.focus();
        return;
      }
      var heading = target.querySelector("#results-heading, #machine-results-heading, [role=alert] h2, [role=alert]");
      if (heading) {
        if (!heading.hasAttribute("tabindex")) {
          heading.setAttribute("tabindex", "-1");
        }
        heading.focus();
      }
    }
  });

  // Filters take a whole screen on a phone; fold them so the results come first.
  var smallScreen = window.matchMedia("(max-width: 59.99rem)");
  function foldFilters(root) {
    if (smallScreen.matches) {
      root.querySelectorAll("[data-fold-on-small-screens]").forEach(function (panel) {
        panel.open = false;
      });
    }
  }

  function withAutoplay(url) {
    return url + (url.indexOf("?") === -1 ? "?" : "&") + "autoplay=1";
  }

  function initVideoFacades(root) {
    root.querySelectorAll("[data-video-embed]").forEach(function (facade) {
      var button = facade.querySelector("[data-video-play]");
      if (!button || button.dataset.ready) {
        return;
      }
      button.dataset.ready = "1";
      button.hidden = false;
      button.addEventListener("click", function () {
        var frame = document.createElement("iframe");
        frame.src = withAutoplay(facade.dataset.videoEmbed);
        frame.title = facade.dataset.videoTitle;
        frame.allow = "autoplay; fullscreen; picture-in-picture";
        frame.allowFullscreen = true;
        // The site sends no referrer elsewhere; players refuse to start without knowing the embedding origin.
        frame.referrerPolicy = "strict-origin-when-cross-origin";
        frame.className = "video-frame";
        facade.replaceChildren(frame);
        frame.focus();
      });
    });
  }

  function init(root) {
    foldFilters(root);
    initVideoFacades(root);
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
