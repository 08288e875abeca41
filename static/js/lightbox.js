/*
 * A lightbox for a listing's photos: the links of a [data-gallery] open their full-size image in a modal
 * <dialog> rather than leaving the page. Arrow keys and swipes move between photos, Escape and the close
 * button return focus to the thumbnail. Built from DOM nodes (no inline style or script, so the CSP holds);
 * without JavaScript the thumbnails stay plain links to the images.
 */
(function () {
  "use strict";

  var SWIPE_PX = 50;

  function button(className, label, text) {
    var element = document.createElement("button");
    element.type = "button";
    element.className = "lightbox-button " + className;
    element.setAttribute("aria-label", label);
    var glyph = document.createElement("span");
    glyph.setAttribute("aria-hidden", "true");
    glyph.textContent = text;
    element.appendChild(glyph);
    return element;
  }

  function setUp(gallery) {
    var links = Array.prototype.slice.call(gallery.querySelectorAll("a[data-lightbox]"));
    if (!links.length || typeof HTMLDialogElement === "undefined") {
      return;
    }
    var labels = gallery.dataset;
    var dialog = document.createElement("dialog");
    dialog.className = "lightbox";
    dialog.setAttribute("aria-label", labels.labelDialog || "");
    var figure = document.createElement("figure");
    figure.className = "lightbox-figure";
    var image = document.createElement("img");
    image.className = "lightbox-image";
    var caption = document.createElement("figcaption");
    caption.className = "lightbox-caption";
    var counter = document.createElement("span");
    counter.className = "lightbox-counter";
    var text = document.createElement("span");
    caption.appendChild(counter);
    caption.appendChild(text);
    figure.appendChild(image);
    figure.appendChild(caption);
    var close = button("lightbox-close", labels.labelClose, "×");
    var previous = button("lightbox-previous", labels.labelPrevious, "‹");
    var next = button("lightbox-next", labels.labelNext, "›");
    dialog.appendChild(figure);
    dialog.appendChild(previous);
    dialog.appendChild(next);
    dialog.appendChild(close);
    document.body.appendChild(dialog);
    previous.hidden = next.hidden = links.length < 2;

    var current = 0;
    var opener = null;

    function show(index) {
      current = (index + links.length) % links.length;
      var link = links[current];
      image.src = link.href;
      image.alt = link.dataset.caption || "";
      text.textContent = link.dataset.caption || "";
      counter.textContent = (labels.labelCounter || "{number} / {total}")
        .replace("{number}", current + 1)
        .replace("{total}", links.length);
    }

    links.forEach(function (link, index) {
      link.addEventListener("click", function (event) {
        if (event.ctrlKey || event.metaKey || event.shiftKey || event.button !== 0) {
          return; // a new tab or window, as the visitor asked
        }
        event.preventDefault();
        opener = link;
        show(index);
        dialog.showModal();
        close.focus();
      });
    });
    close.addEventListener("click", function () {
      dialog.close();
    });
    previous.addEventListener("click", function () {
      show(current - 1);
    });
    next.addEventListener("click", function () {
      show(current + 1);
    });
    dialog.addEventListener("close", function () {
      image.removeAttribute("src");
      if (opener) {
        opener.focus();
      }
    });
    dialog.addEventListener("keydown", function (event) {
      if (event.key === "ArrowLeft") {
        show(current - 1);
      } else if (event.key === "ArrowRight") {
        show(current + 1);
      }
    });
    // A click on the backdrop (the dialog itself, outside the figure and buttons) closes it.
    dialog.addEventListener("click", function (event) {
      if (event.target === dialog) {
        dialog.close();
      }
    });
    var startX = null;
    dialog.addEventListener("touchstart", function (event) {
      startX = event.touches.length === 1 ? event.touches[0].clientX : null;
    }, { passive: true });
    dialog.addEventListener("touchend", function (event) {
      if (startX === null || !event.changedTouches.length) {
        return;
      }
      var moved = event.changedTouches[0].clientX - startX;
      startX = null;
      if (Math.abs(moved) > SWIPE_PX) {
        show(current + (moved < 0 ? 1 : -1));
      }
    });
  }

  Array.prototype.forEach.call(document.querySelectorAll("[data-gallery]"), setUp);
})();
