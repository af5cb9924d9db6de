// The report's photos: each chosen photo is uploaded on its own, with its own progress bar; one that fails says why
// and the others (and the rest of the report) stay. Without this script the form uploads one photo at a time.
(function () {
  "use strict";
  var form = document.querySelector("form[data-photo-upload]");
  if (!form || !window.FormData || !window.XMLHttpRequest) { return; }
  var input = form.querySelector("input[type=file]");
  var list = form.querySelector(".upload-progress");
  var token = form.querySelector("input[name=csrf_token]");
  var button = form.querySelector("button[type=submit]");
  input.multiple = true;
  if (button) { button.hidden = true; }

  function upload(file) {
    var item = document.createElement("li");
    var name = document.createElement("span");
    var bar = document.createElement("progress");
    var note = document.createElement("p");
    name.textContent = file.name;
    bar.max = 100;
    bar.value = 0;
    note.className = "small";
    item.appendChild(name);
    item.appendChild(bar);
    item.appendChild(note);
    list.appendChild(item);
    return new Promise(function (resolve) {
      var data = new FormData();
      data.append("csrf_token", token ? token.value : "");
      data.append("photo", file);
      var xhr = new XMLHttpRequest();
      xhr.open("POST", form.action);
      xhr.setRequestHeader("Accept", "application/json");
      xhr.upload.onprogress = function (e) {
        if (e.lengthComputable) { bar.value = Math.round(e.loaded * 100 / e.total); }
      };
      xhr.onload = function () {
        var answer = {};
        try { answer = JSON.parse(xhr.responseText); } catch (err) { answer = {}; }
        if (xhr.status === 200 && answer.id) {
          bar.value = 100;
          note.textContent = form.dataset.done || "✓";
          resolve(true);
        } else {
          note.className = "error";
          note.setAttribute("role", "alert");
          note.textContent = answer.error || xhr.statusText || "×";
          resolve(false);
        }
      };
      xhr.onerror = function () {
        note.className = "error";
        note.textContent = "×";
        resolve(false);
      };
      xhr.send(data);
    });
  }

  input.addEventListener("change", function () {
    var files = Array.prototype.slice.call(input.files);
    input.value = "";
    var chain = Promise.resolve([]);
    files.forEach(function (file) {
      chain = chain.then(function (results) {
        return upload(file).then(function (ok) { return results.concat([ok]); });
      });
    });
    chain.then(function (results) {
      // Reload the photo list only when every photo went through, so a failed one's message stays in view.
      if (results.length && results.every(Boolean)) { window.location.reload(); }
    });
  });
}());
