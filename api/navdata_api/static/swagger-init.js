// Starts Swagger UI on the /docs page (kept out of the HTML so the page needs no inline script).
(function () {
  "use strict";
  var spec = document.currentScript.getAttribute("data-spec");
  window.ui = SwaggerUIBundle({
    url: spec,
    dom_id: "#swagger-ui",
    deepLinking: true,
    tryItOutEnabled: false,
    presets: [SwaggerUIBundle.presets.apis],
  });
})();
