/* The what-if panel: send the edited answers to the server, show what the engine would say.
 * Nothing is saved. Every text from the server goes in with textContent, never as HTML. */
(function () {
  "use strict";

  var DELAY_MS = 250;

  function setText(root, name, text) {
    var element = root.querySelector('[data-what-if="' + name + '"]');
    if (element) { element.textContent = text; }
  }

  function setList(root, name, items, emptyText) {
    var list = root.querySelector('[data-what-if="' + name + '"]');
    if (!list) { return; }
    while (list.firstChild) { list.removeChild(list.firstChild); }
    if (!items.length && emptyText) {
      var empty = document.createElement("li");
      empty.className = "text-muted";
      empty.textContent = emptyText;
      list.appendChild(empty);
    }
    items.forEach(function (item) {
      var li = document.createElement("li");
      if (typeof item === "string") {
        li.textContent = item;
      } else {
        var strong = document.createElement("strong");
        strong.textContent = item.label;
        li.appendChild(strong);
        li.appendChild(document.createTextNode(": " + item.meaning));
      }
      list.appendChild(li);
    });
  }

  function answersOf(form) {
    var answers = {};
    var selects = form.querySelectorAll("select");
    for (var i = 0; i < selects.length; i += 1) {
      var value = selects[i].value;
      answers[selects[i].name] = value === "" ? null : parseInt(value, 10);
    }
    return answers;
  }

  function show(result, data) {
    var error = result.querySelector("#what-if-error");
    error.classList.add("d-none");
    setText(result, "model_label", data.model_label);
    setText(result, "location_label", data.location_label || "\u2013");
    setText(result, "confidence", data.confidence_percent === null
      ? "\u2013 (insufficient evidence)" : data.confidence_percent + " %");
    setText(result, "confidence_reason", data.confidence_reason || "");
    setList(result, "scores", data.scores_labelled.map(function (s) {
      return s.label + ": " + s.score.toFixed(3);
    }));
    setList(result, "reasons", data.reasons);
    setList(result, "flags", data.flag_details, "None");
    var chart = document.getElementById("what-if-chart");
    if (chart && window.SourcewiseCharts) { window.SourcewiseCharts.draw(chart, data.scores_figure); }
  }

  function showError(result, message) {
    var error = result.querySelector("#what-if-error");
    error.textContent = message;
    error.classList.remove("d-none");
  }

  function init() {
    var form = document.getElementById("what-if-form");
    var result = document.getElementById("what-if-result");
    if (!form || !result) { return; }
    var token = form.querySelector("input[name=csrfmiddlewaretoken]").value;
    var timer = null;
    var latest = 0;

    function ask() {
      var asked = ++latest;
      fetch(form.getAttribute("data-url"), {
        method: "POST",
        credentials: "same-origin",
        headers: { "Content-Type": "application/json", "X-CSRFToken": token },
        body: JSON.stringify({ answers: answersOf(form) })
      }).then(function (response) {
        return response.json().then(function (data) { return { ok: response.ok, data: data }; });
      }).then(function (reply) {
        if (asked !== latest) { return; }  // a newer answer is on its way
        if (reply.ok) { show(result, reply.data); } else { showError(result, reply.data.error); }
      }).catch(function () {
        showError(result, "The engine could not be reached. Check your connection and try again.");
      });
    }

    function soon() {
      window.clearTimeout(timer);
      timer = window.setTimeout(ask, DELAY_MS);
    }

    form.addEventListener("change", soon);
    form.addEventListener("submit", function (event) { event.preventDefault(); ask(); });
    // A reset restores the saved answers (the selects' defaults) after the event.
    form.addEventListener("reset", function () { window.setTimeout(ask, 0); });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
