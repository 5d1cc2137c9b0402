/* Live AHP weights: post the pairwise matrix to the server, which runs vendors.ranking.ahp,
   and show the weights, the consistency ratio and the pair to revisit. No dependencies. */
(function () {
  "use strict";
  var form = document.getElementById("ahp-form");
  if (!form) { return; }
  var size = parseInt(form.dataset.size, 10);
  var token = form.querySelector("input[name=csrfmiddlewaretoken]").value;
  var status = document.getElementById("ahp-status");
  var weightsBody = document.getElementById("ahp-weights");
  var crLine = document.getElementById("ahp-cr");
  var pending = null;
  // The judgements as last saved (the form opens on them), or null when there are none.
  var saved = null;

  function parse(text) {
    var parts = String(text).split("/");
    return parts.length === 2 ? parseFloat(parts[0]) / parseFloat(parts[1]) : parseFloat(text);
  }

  function matrix() {
    var a = [];
    for (var i = 0; i < size; i++) {
      a.push([]);
      for (var j = 0; j < size; j++) { a[i].push(1); }
    }
    form.querySelectorAll("select.ahp-pair").forEach(function (select) {
      var match = /^pair_(\d+)_(\d+)$/.exec(select.name);
      if (!match) { return; }
      var i = parseInt(match[1], 10), j = parseInt(match[2], 10), value = parse(select.value);
      a[i][j] = value;
      a[j][i] = 1 / value;
    });
    return a;
  }

  function cell(text, right) {
    var td = document.createElement("td");
    td.textContent = text;
    if (right) { td.className = "text-end"; }
    return td;
  }

  function show(result) {
    weightsBody.replaceChildren();
    result.weights.forEach(function (w) {
      var tr = document.createElement("tr");
      tr.appendChild(cell(w.label, false));
      tr.appendChild(cell(w.percent.toFixed(1) + " %", true));
      weightsBody.appendChild(tr);
    });
    // The server words the result (the same function as the message after saving).
    crLine.className = result.consistent ? "mb-0 text-success" : "mb-0 text-danger fw-semibold";
    crLine.textContent = result.message;
    status.textContent = saved !== null && JSON.stringify(matrix()) === saved
      ? "These are your saved judgements."
      : "Not saved yet: press \u201cSave my judgements\u201d to keep them.";
  }

  function preview() {
    if (pending) { pending.abort(); }
    pending = new AbortController();
    fetch(form.dataset.previewUrl, {
      method: "POST",
      headers: {"Content-Type": "application/json", "X-CSRFToken": token},
      body: JSON.stringify({matrix: matrix()}),
      credentials: "same-origin",
      signal: pending.signal
    }).then(function (response) {
      return response.json().then(function (body) { return {ok: response.ok, body: body}; });
    }).then(function (reply) {
      if (reply.ok) { show(reply.body); } else {
        crLine.className = "mb-0 text-danger";
        crLine.textContent = reply.body.error;
      }
    }).catch(function (error) {
      if (error.name !== "AbortError") {
        status.textContent = "The weights could not be computed just now; saving still works.";
      }
    });
  }

  if (form.dataset.saved === "true") { saved = JSON.stringify(matrix()); }
  form.addEventListener("change", function (event) {
    if (event.target.classList.contains("ahp-pair")) { preview(); }
  });
  preview();
}());
