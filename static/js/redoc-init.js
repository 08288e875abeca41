/* Starts Redoc on the API reference page (templates/api/redoc.html), which allows no inline script. */
(function () {
  "use strict";
  var container = document.getElementById("redoc-container");
  Redoc.init(container.dataset.schemaUrl, {}, container);
})();
