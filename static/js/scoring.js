// 评分表: the total follows the scores as they are typed. The server computes the same total on every answer;
// without this script the page shows it after 保存.
(function () {
  "use strict";

  function setUp() {
    var form = document.querySelector("form.score-form");
    var output = document.getElementById("sheet-total");
    if (!form || !output) return;
    var inputs = form.querySelectorAll("input.score-input");

    function update() {
      // In halves, as integers, so that 0.5 + 0.5 + … adds up exactly.
      var halves = 0;
      inputs.forEach(function (input) {
        var text = input.value.trim();
        if (!/^\d{1,3}(\.\d+)?$/.test(text)) return;
        var value = Number(text);
        var min = Number(input.min || 0), max = Number(input.max || 100);
        if (value < min || value > max || (value * 2) % 1 !== 0) return;
        halves += value * 2;
      });
      output.textContent = String(halves / 2);
    }

    form.addEventListener("input", function (event) {
      if (event.target.classList && event.target.classList.contains("score-input")) update();
    });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", setUp);
  else setUp();
})();
