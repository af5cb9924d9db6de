/* The proposal's budget table: the sum of its lines as the user types, and whether it matches 项目总预算.
   The same rule as the server (blueprints/proposals/operations.py BUDGET_LINE): a name, then an amount in whole
   yuan at the end of the line. Works across htmx swaps of the section (events are delegated). */
(function () {
  "use strict";
  var LINE = /^(.+?)[\s:：,，]+(\d{1,9})\s*元?$/;

  function format(n) {
    return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ",");
  }

  function sumOf(text) {
    var total = 0;
    text.split(/\r?\n/).forEach(function (line) {
      var match = LINE.exec(line.trim());
      if (match) total += parseInt(match[2], 10);
    });
    return total;
  }

  function update(form) {
    var items = form.querySelector("[name=budget_items]");
    var totalField = form.querySelector("[name=total_budget]");
    var sumLine = form.querySelector("#budget-sum");
    var warning = form.querySelector("#budget-mismatch");
    if (!items || !sumLine) return;
    var sum = sumOf(items.value);
    sumLine.textContent = sumLine.getAttribute("data-template").replace("{sum}", format(sum));
    if (!warning || !totalField) return;
    var raw = totalField.value.trim();
    var total = /^\d{1,10}$/.test(raw) ? parseInt(raw, 10) : null;
    if (total === null || !items.value.trim() || total === sum) {
      warning.hidden = true;
      return;
    }
    warning.textContent = warning.getAttribute("data-template")
      .replace("{sum}", format(sum)).replace("{total}", format(total));
    warning.hidden = false;
  }

  document.addEventListener("input", function (event) {
    var form = event.target.form;
    if (form && form.hasAttribute("data-budget")) update(form);
  });
})();
