/* Poll a board pack's status until it is done or failed, then show the download link.
 * The status JSON says {status, status_label, progress, message, stalled, stalled_message,
 * download_url}; "stalled" means no worker has shown a sign of life for a while, and the
 * page says it is waiting for one. */
(function () {
  "use strict";
  var root = document.getElementById("board-pack");
  if (!root) { return; }
  var bar = document.getElementById("board-pack-bar");
  var message = document.getElementById("board-pack-message");
  var status = document.getElementById("board-pack-status");
  var stalled = document.getElementById("board-pack-stalled");
  var link = document.getElementById("board-pack-download");

  function show(state) {
    bar.style.width = state.progress + "%";
    bar.textContent = state.progress + " %";
    bar.parentElement.setAttribute("aria-valuenow", state.progress);
    message.textContent = state.message;
    if (status && state.status_label) { status.textContent = state.status_label; }
    if (stalled) {
      stalled.textContent = state.stalled ? state.stalled_message : "";
      stalled.classList.toggle("d-none", !state.stalled);
    }
    if (state.status === "done") { link.classList.remove("d-none"); }
    if (state.status === "failed") { bar.classList.add("bg-danger"); }
  }

  function poll() {
    fetch(root.getAttribute("data-status-url"), { headers: { Accept: "application/json" }, cache: "no-store" })
      .then(function (response) { return response.json(); })
      .then(function (state) {
        show(state);
        if (state.status !== "done" && state.status !== "failed") { setTimeout(poll, 1000); }
      })
      .catch(function () { setTimeout(poll, 3000); });
  }

  if (root.getAttribute("data-status") !== "done" && root.getAttribute("data-status") !== "failed") { poll(); }
})();
