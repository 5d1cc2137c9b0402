/* Savings projections: follow an unfinished projection, draw a finished one's charts.
 *
 * A ".projection-progress[data-status-url]" block polls its JSON endpoint
 * ({status, progress, message, result_url}), moves the progress bar, and reloads the page
 * once the projection is done or failed, so the server draws the result.
 * A ".projection-chart[data-figure=ID]" is drawn with Plotly from the JSON in <script id=ID>.
 */
(function () {
  "use strict";

  var FIRST_POLL_MS = 500;
  var MAX_POLL_MS = 5000;

  function drawCharts() {
    if (!window.Plotly) {
      return;
    }
    document.querySelectorAll(".projection-chart[data-figure]").forEach(function (element) {
      var source = document.getElementById(element.dataset.figure);
      if (!source) {
        return;
      }
      var figure = JSON.parse(source.textContent);
      window.Plotly.newPlot(element, figure.data, figure.layout, {
        responsive: true,
        displaylogo: false,
      });
    });
  }

  function showState(block, state) {
    var bar = block.querySelector("[role=progressbar]");
    var message = block.querySelector("[data-projection-message]");
    var progress = Math.max(0, Math.min(100, Number(state.progress) || 0));
    if (bar) {
      bar.style.width = progress + "%";
      bar.setAttribute("aria-valuenow", String(progress));
      bar.textContent = progress + " %";
      bar.classList.toggle("progress-bar-animated", state.status === "running");
      bar.classList.toggle("bg-success", state.status === "done");
      bar.classList.toggle("bg-danger", state.status === "failed");
    }
    if (message && state.message) {
      message.textContent = state.message;
    }
  }

  function follow(block) {
    var url = block.dataset.statusUrl;
    var delay = FIRST_POLL_MS;

    function again(wait) {
      window.setTimeout(poll, wait);
    }

    function poll() {
      fetch(url, {
        headers: { Accept: "application/json" },
        credentials: "same-origin",
        cache: "no-store",
      })
        .then(function (response) {
          if (!response.ok) {
            throw new Error("status " + response.status);
          }
          return response.json();
        })
        .then(function (state) {
          showState(block, state);
          if (state.status === "done" || state.status === "failed") {
            // Let the bar be seen full, then let the server draw the result.
            window.setTimeout(function () {
              window.location.reload();
            }, 600);
            return;
          }
          delay = Math.min(Math.round(delay * 1.3), MAX_POLL_MS);
          again(delay);
        })
        .catch(function () {
          // The server or the network hiccuped: keep trying, more slowly.
          delay = Math.min(delay * 2, 4 * MAX_POLL_MS);
          again(delay);
        });
    }

    again(delay);
  }

  function start() {
    drawCharts();
    document.querySelectorAll(".projection-progress[data-status-url]").forEach(follow);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
