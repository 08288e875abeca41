/*
 * Starts Redoc on the API reference page (templates/api/redoc.html), which allows no inline script.
 * Nothing on the page may reach another server: the fonts are the system's (no web font is named),
 * and an image Redoc points elsewhere (its sidebar's "API docs by Redocly" logo, on Redocly's CDN) is
 * given no address before the browser could ask for it (the guard is in place before Redoc draws anything), so Redoc sees it fail and hides it.
 */
(function () {
  "use strict";

  function isElsewhere(value) {
    try {
      return new URL(String(value), document.baseURI).origin !== window.location.origin;
    } catch (error) {
      return false;
    }
  }

  // React sets an image's address through either path, before the element is in the page.
  var setAttribute = Element.prototype.setAttribute;
  Element.prototype.setAttribute = function (name, value) {
    if (this instanceof HTMLImageElement && String(name).toLowerCase() === "src" && isElsewhere(value)) {
      value = "";
    }
    return setAttribute.call(this, name, value);
  };
  var source = Object.getOwnPropertyDescriptor(HTMLImageElement.prototype, "src");
  Object.defineProperty(HTMLImageElement.prototype, "src", {
    configurable: true,
    enumerable: source.enumerable,
    get: source.get,
    set: function (value) {
      source.set.call(this, isElsewhere(value) ? "" : value);
    },
  });

  var systemFonts = 'system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, "Noto Sans", sans-serif';
  var container = document.getElementById("redoc-container");
  Redoc.init(
    container.dataset.schemaUrl,
    {
      theme: {
        typography: {
          fontFamily: systemFonts,
          headings: { fontFamily: systemFonts },
          code: { fontFamily: 'ui-monospace, "SFMono-Regular", Menlo, Consolas, "DejaVu Sans Mono", monospace' },
        },
      },
    },
    container
  );
})();
