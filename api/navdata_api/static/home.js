// Home page: says on the page when the chart fails to load, and records the chart's state and
// any script or resource error as data attributes on <html> (read by the browser test).
(function () {
  "use strict";
  var root = document.documentElement;
  var errors = [];
  function record(message) {
    errors.push(String(message));
    root.setAttribute("data-errors", JSON.stringify(errors));
  }
  root.setAttribute("data-errors", "[]");
  window.addEventListener("error", function (event) {
    var target = event.target;
    if (target && target.id === "chart-image") {
      return;  // recorded by failed() below, with a message on the page
    }
    if (target && target !== window && (target.src || target.href)) {
      record("failed to load " + (target.src || target.href));
    } else {
      record(event.message || "script error");
    }
  }, true);
  window.addEventListener("unhandledrejection", function (event) {
    record("unhandled rejection: " + event.reason);
  });

  var chart = document.getElementById("chart-image");
  if (!chart) {
    return;
  }
  function loaded() {
    root.setAttribute("data-chart", chart.naturalWidth > 0 ? "loaded" : "empty");
    root.setAttribute("data-chart-width", String(chart.naturalWidth));
  }
  function failed() {
    root.setAttribute("data-chart", "failed");
    record("failed to load " + chart.currentSrc);
    var note = document.createElement("p");
    note.className = "chart-failed";
    note.setAttribute("role", "status");
    note.textContent = chart.getAttribute("data-failed");
    chart.insertAdjacentElement("afterend", note);
  }
  if (chart.complete) {
    if (chart.naturalWidth > 0) { loaded(); } else { failed(); }
  } else {
    chart.addEventListener("load", loaded);
    chart.addEventListener("error", failed);
  }
})();
