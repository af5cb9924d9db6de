// 宁社通: the little behaviour the pages need, kept out of the HTML for the Content-Security-Policy.
(function () {
  "use strict";

  // Offline support where the browser has service workers (WeChat on iOS does not: everything works without).
  var script = document.currentScript;
  if ("serviceWorker" in navigator && script && script.dataset.sw) {
    window.addEventListener("load", function () {
      navigator.serviceWorker.register(script.dataset.sw, { scope: "/" }).catch(function () {});
    });
  }

  function say(text, kind) {
    var area = document.getElementById("messages");
    if (!area) return;
    var p = document.createElement("p");
    p.className = "msg msg-" + (kind || "error");
    p.textContent = text;
    area.replaceChildren(p);
    area.scrollIntoView({ block: "nearest" });
  }

  // 朗读: read the page's main text aloud where the browser can speak (shown only there).
  function setUpReadAloud() {
    if (!("speechSynthesis" in window)) return;
    document.querySelectorAll("button.speak[data-speak]").forEach(function (button) {
      button.hidden = false;
      button.addEventListener("click", function () {
        if (window.speechSynthesis.speaking) {
          window.speechSynthesis.cancel();
          return;
        }
        var source = document.querySelector(button.dataset.speak);
        if (!source) return;
        var text = Array.prototype.filter.call(source.querySelectorAll("h1, dt, dd, p, .prose"), function (el) {
          return !el.closest("button") && el.offsetParent !== null;
        }).map(function (el) { return el.innerText; }).join("。");
        var utterance = new SpeechSynthesisUtterance(text);
        utterance.lang = document.documentElement.lang === "en" ? "en-US" : "zh-CN";
        utterance.rate = 0.9;
        window.speechSynthesis.speak(utterance);
      });
    });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", setUpReadAloud);
  else setUpReadAloud();

  // A double tap on a slow network sends a form once: the button waits for the answer.
  // (The server would not make a second check-in anyway; this spares the resident a second wait.)
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (form.hasAttribute("hx-post") || form.hasAttribute("hx-get") || form.method.toLowerCase() !== "post") return;
    var button = form.querySelector("button[type=submit]");
    if (!button) return;
    setTimeout(function () {
      button.disabled = true;
      button.dataset.label = button.textContent;
      button.textContent = document.documentElement.lang === "en" ? "Sending…" : "正在提交…";
    }, 0);
  });
  // Coming back to a page from the history: its buttons work again.
  window.addEventListener("pageshow", function () {
    document.querySelectorAll("button[data-label]").forEach(function (button) {
      button.disabled = false;
      button.textContent = button.dataset.label;
      delete button.dataset.label;
    });
  });

  // Under 14: the name and phone asked for are the guardian's, and the labels say so.
  function setUpGuardian() {
    var minor = document.querySelector("input[name=minor]");
    if (!minor) return;
    var labels = [["name", "guardianName"], ["phone", "guardianPhone"]].map(function (pair) {
      var label = document.querySelector("label[for=" + pair[0] + "]");
      return label && { label: label, plain: label.textContent, guardian: minor.dataset[pair[1]] };
    }).filter(Boolean);
    function update() {
      labels.forEach(function (l) { l.label.textContent = minor.checked && l.guardian ? l.guardian : l.plain; });
    }
    minor.addEventListener("change", update);
    update();
  }

  function ready(fn) {
    if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", fn);
    else fn();
  }
  ready(setUpGuardian);

  // A form sent back with errors: its summary and the first field in error come into view, the field takes focus,
  // so that on a small phone the resident sees at once why the page came back (the page itself opens at the top).
  function showErrors() {
    var summary = document.querySelector(".error-summary");
    if (!summary) return;
    var link = summary.querySelector("a[href^='#']");
    var first = (link && document.getElementById(link.getAttribute("href").slice(1))) ||
      document.querySelector("[aria-invalid=true]");
    summary.scrollIntoView({ block: "start" });
    if (!first) { summary.focus(); return; }
    first.focus({ preventScroll: true });
    var box = first.getBoundingClientRect();
    if (box.top < 0 || box.bottom > window.innerHeight) first.scrollIntoView({ block: "center" });
  }
  // After the load, when the browser has already scrolled to the form's #anchor (which would undo this).
  if (document.readyState === "complete") showErrors();
  else window.addEventListener("load", showErrors);
  // A link in the summary focuses its field (a bare #anchor only scrolls there).
  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest(".error-summary a[href^='#']");
    var field = link && document.getElementById(link.getAttribute("href").slice(1));
    if (!field) return;
    event.preventDefault();
    field.scrollIntoView({ block: "center" });
    field.focus({ preventScroll: true });
  });

  // htmx errors go to the message area instead of being dropped silently.
  document.addEventListener("htmx:responseError", function (event) {
    var xhr = event.detail.xhr;
    var text = xhr && xhr.getResponseHeader("Content-Type") && xhr.getResponseHeader("Content-Type").indexOf("text/plain") === 0
      ? xhr.responseText : document.documentElement.lang === "en" ? "Something went wrong, please try again." : "操作没有成功，请稍后再试。";
    say(text);
  });
  // A refusal sent beside an in-place answer (an out-of-band swap into the message area) comes into view, once the
  // answer has settled: the main swap restores focus in the row, which would scroll the message out of sight again.
  var messageArrived = false;
  document.addEventListener("htmx:oobAfterSwap", function (event) {
    var area = event.detail.target;
    if (area && area.id === "messages") messageArrived = true;
  });
  document.addEventListener("htmx:afterSettle", function () {
    if (!messageArrived) return;
    messageArrived = false;
    var area = document.getElementById("messages");
    if (area) area.scrollIntoView({ block: "nearest" });
  });
  document.addEventListener("htmx:sendError", function () {
    say(document.documentElement.lang === "en" ? "The network is unstable; please try again." : "网络不稳定，请稍后再试。");
  });
})();

// 签到管理 at the venue: the next resident of a queue, a roster that keeps itself fresh, the check-in link copied.
(function () {
  "use strict";

  // Content swapped in for the next entry (the manual check-in form) puts the cursor back into its first field,
  // so that a volunteer goes from one resident to the next without scrolling or tapping. Not on a page load:
  // the phone's keyboard would cover the page before the volunteer asked for it.
  document.addEventListener("htmx:load", function (event) {
    var root = event.target;
    if (!root || root === document.body || !root.querySelector) return;
    var field = root.matches("[data-focus]") ? root : root.querySelector("[data-focus]");
    if (field) field.focus();
  });

  // The counter's poll brings the roster along; it waits while a volunteer is writing an undo reason in the roster
  // (a swap would throw the half-written reason away).
  document.addEventListener("htmx:beforeRequest", function (event) {
    if (event.target.id !== "counter") return;
    var roster = document.getElementById("roster");
    if (roster && (roster.querySelector("details[open]") || roster.contains(document.activeElement))) {
      event.preventDefault();
    }
  });

  // 复制链接: where the clipboard cannot be written (WeChat on plain http), the link is selected for a long press.
  function setUpCopy() {
    document.querySelectorAll("button[data-copy]").forEach(function (button) {
      var source = document.querySelector(button.dataset.copy);
      if (!source) return;
      var label = button.textContent;
      button.hidden = false;
      button.addEventListener("click", function () {
        function done() {
          button.textContent = button.dataset.copied;
          setTimeout(function () { button.textContent = label; }, 2000);
        }
        source.focus();
        source.select();
        if (navigator.clipboard && window.isSecureContext) {
          navigator.clipboard.writeText(source.value).then(done, function () {
            if (document.execCommand("copy")) done();
          });
        } else if (document.execCommand("copy")) {
          done();
        }
      });
    });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", setUpCopy);
  else setUpCopy();
})();
