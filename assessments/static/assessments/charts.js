/* Draw every Plotly chart on the page from the JSON the server put beside it.
 * Markup: <div class="plotly-chart" data-figure="ID"> and <script id="ID" type="application/json">
 * (Django's json_script). No inline script, so a strict Content-Security-Policy holds. */
(function () {
  "use strict";

  var CONFIG = { responsive: true, displaylogo: false, modeBarButtonsToRemove: ["select2d", "lasso2d"] };

  function readFigure(id) {
    var source = document.getElementById(id);
    return source ? JSON.parse(source.textContent) : null;
  }

  function draw(element, figure) {
    if (!window.Plotly || !figure) { return; }
    window.Plotly.react(element, figure.data || [], figure.layout || {}, CONFIG);
  }

  function drawAll() {
    var charts = document.querySelectorAll(".plotly-chart[data-figure]");
    for (var i = 0; i < charts.length; i += 1) {
      draw(charts[i], readFigure(charts[i].getAttribute("data-figure")));
    }
  }

  window.SourcewiseCharts = { draw: draw };
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", drawAll);
  } else {
    drawAll();
  }
})();
