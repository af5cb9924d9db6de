// An organization's year: the 打印 button, shown where the browser can print (it stays hidden without script).
(function () {
  "use strict";
  function setUp() {
    document.querySelectorAll("button[data-print]").forEach(function (button) {
      if (typeof window.print !== "function") return;
      button.hidden = false;
      button.addEventListener("click", function () { window.print(); });
    });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", setUp);
  else setUp();
})();
