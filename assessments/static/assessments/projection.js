/* Savings projections: follow an unfinished projection, draw a finished one's charts.
 *
 * A ".projection-progress[data-status-url]" block polls its JSON endpoint
 * ({status, progress, message, result_url, and optionally stalled}), moves the progress
 * bar, keeps every "[data-projection-status]" (the page's "Status:" heading) in step with
 * the status it reads, shows its "[data-projection-stalled]" hint (waiting for a worker)
 * when the server says the projection is stalled or when neither status nor progress has
 * moved for STALLED_MS, and reloads the page once the projection is done or failed, so
 * the server draws the result (unless the person is typing in a form or submitting one:
 * then a link to the result appears instead).
 * A ".projection-chart[data-figure=ID]" is drawn with Plotly from the JSON in <script id=ID>.
 */
(function () {
  "use strict";

  var FIRST_POLL_MS = 500;
  var MAX_POLL_MS = 5000;
  var STALLED_MS = 30000;
  var STATUS_LABELS = { queued: "Queued", running: "Running", done: "Done", failed: "Failed" };

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

  // Set when the person submits a form or leaves: a reload must not cancel that.
  var leaving = false;
  document.addEventListener("submit", function () { leaving = true; }, true);
  window.addEventListener("beforeunload", function () { leaving = true; });

  function typing() {
    // A reload would throw away what the person is typing in a form on the page.
    var active = document.activeElement;
    if (active && active.form) {
      return true;
    }
    return Array.prototype.some.call(document.querySelectorAll("form input"), function (input) {
      return input.type !== "hidden" && input.value !== input.defaultValue;
    });
  }

  function finished(block, state) {
    if (leaving) {
      return;
    }
    if (!typing()) {
      window.location.reload();
      return;
    }
    var message = block.querySelector("[data-projection-message]");
    if (message && !message.querySelector("a")) {
      var link = document.createElement("a");
      link.href = state.result_url || window.location.href;
      link.textContent = state.status === "done" ? " Show the result." : " Show the details.";
      message.appendChild(link);
    }
  }

  function showStatus(state) {
    var label = state.status_label || STATUS_LABELS[state.status];
    if (!label) {
      return;
    }
    document.querySelectorAll("[data-projection-status]").forEach(function (element) {
      element.textContent = label;
    });
  }

  function showStalled(block, stalled, text) {
    var hint = block.querySelector("[data-projection-stalled]");
    if (!hint) {
      return;
    }
    if (stalled && text) {
      hint.textContent = text;
    }
    hint.classList.toggle("d-none", !stalled);
  }

  function showState(block, state) {
    var bar = block.querySelector("[role=progressbar]");
    var message = block.querySelector("[data-projection-message]");
    showStatus(state);
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
    var seen = null;
    var movedAt = Date.now();

    function watchForStall(state) {
      var now = Date.now();
      var mark = state.status + ":" + state.progress;
      if (mark !== seen) {
        seen = mark;
        movedAt = now;
      }
      var finishedState = state.status === "done" || state.status === "failed";
      var stalled = !finishedState && (state.stalled === true || now - movedAt >= STALLED_MS);
      showStalled(block, stalled, state.stalled_message);
    }

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
          watchForStall(state);
          if (state.status === "done" || state.status === "failed") {
            // Let the bar be seen full, then let the server draw the result.
            window.setTimeout(function () {
              finished(block, state);
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
