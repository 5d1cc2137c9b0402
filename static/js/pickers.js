/* Searchable pickers: every select[data-picker] becomes a Tom Select box (accounts/pickers.py).
   Keyboard: type to filter, arrows to move, Enter to choose, Backspace to remove the last
   choice. Without this script the plain select still works. */
(function () {
  "use strict";
  if (typeof window.TomSelect !== "function") { return; }
  document.querySelectorAll("select[data-picker]").forEach(function (select) {
    if (select.tomselect) { return; }
    var multiple = select.multiple;
    var options = {
      maxOptions: parseInt(select.dataset.pickerLimit || "100", 10),
      placeholder: select.dataset.placeholder || "Type to search…",
      hidePlaceholder: false,
      closeAfterSelect: !multiple,
      // Filter at each key press: a few hundred options are cheap, and Enter right after
      // typing must choose what the typed text matches, not the first option.
      refreshThrottle: 0,
      lockOptgroupOrder: true,
      plugins: multiple ? ["remove_button", "clear_button"] : [],
      render: {
        no_results: function () { return '<div class="no-results">No match. Try fewer letters.</div>'; }
      }
    };
    if (multiple) {
      // Tom Select keeps the search text after a choice; start the next search afresh.
      options.onItemAdd = function () { this.setTextboxValue(""); this.refreshOptions(false); };
    }
    if (!multiple && !select.required) { options.allowEmptyOption = true; }
    new window.TomSelect(select, options);
    // Tom Select hides the original select off-screen and moves its label to the search
    // box; keep the hidden one out of the accessibility tree, or it reads as a list box
    // with no name (axe-core: select-name).
    select.setAttribute("aria-hidden", "true");
  });
})();
