/* Add rows to a Django formset in the page, without saving: each
   "[data-formset]" fieldset holds its rows, a <template> of an empty row (prefix
   "__prefix__") and an "Add a ..." button that this script reveals. Without JavaScript
   the button stays hidden and saving the form brings two empty rows again. */
(function () {
  "use strict";

  function setUp(fieldset) {
    var prefix = fieldset.dataset.formset;
    var total = fieldset.querySelector('input[name="' + prefix + '-TOTAL_FORMS"]');
    var max = fieldset.querySelector('input[name="' + prefix + '-MAX_NUM_FORMS"]');
    var template = fieldset.querySelector("template[data-formset-empty]");
    var rows = fieldset.querySelector("[data-formset-rows]");
    var button = fieldset.querySelector("[data-formset-add]");
    var status = fieldset.querySelector("[data-formset-status]");
    if (!total || !template || !rows || !button) { return; }

    button.classList.remove("d-none");
    button.addEventListener("click", function () {
      var index = parseInt(total.value, 10);
      if (max && index >= parseInt(max.value, 10)) {
        if (status) { status.textContent = "No more rows can be added."; }
        return;
      }
      var html = template.innerHTML.replace(/__prefix__/g, String(index));
      var holder = document.createElement("div");
      holder.innerHTML = html.trim();
      var row = holder.firstElementChild;
      rows.appendChild(row);
      total.value = String(index + 1);
      var first = row.querySelector("input, select, textarea");
      if (first) { first.focus(); }
      if (status) { status.textContent = "Row " + (index + 1) + " added."; }
    });
  }

  function init() {
    document.querySelectorAll("[data-formset]").forEach(setUp);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
}());
