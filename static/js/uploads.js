// Uploads without leaving the page, with a progress bar; the forms post normally without this script.
// On the wizard's documents step the file fields belong to the step's own form: "Yükle" is sent here by XHR, and
// "Kaydet ve devam et" posts the form as it is, so a file chosen but not yet uploaded goes with it (the server
// uploads it, or shows the step again with the reason under the field) — never dropped.
(function () {
  "use strict";

  // Send the chosen files of one item to its upload URL; on answer, replace the item with the server's rendering.
  function send(item, input, button, url, token, failedText, onSent) {
    var status = item.querySelector("[data-upload-status]");
    var bar = item.querySelector(".upload-progress");
    var fill = bar.querySelector(".progress-bar");
    var body = new FormData();
    body.append("csrfmiddlewaretoken", token);
    Array.prototype.forEach.call(input.files, function (file) { body.append("files", file); });
    var xhr = new XMLHttpRequest();
    xhr.open("POST", url);
    xhr.setRequestHeader("X-Requested-With", "XMLHttpRequest");
    xhr.upload.addEventListener("progress", function (e) {
      if (!e.lengthComputable) { return; }
      var percent = Math.round((e.loaded / e.total) * 100);
      fill.style.width = percent + "%";
      bar.setAttribute("aria-valuenow", String(percent));
    });
    function failed() {
      bar.hidden = true;
      button.disabled = false;
      status.className = "small mt-1 text-danger";
      status.textContent = failedText;
    }
    xhr.addEventListener("load", function () {
      var data = null;
      try { data = JSON.parse(xhr.responseText); } catch (e) { data = null; }
      if (!data || !data.html) { failed(); return; }
      var wrapper = document.createElement("div");
      wrapper.innerHTML = data.html;
      var fresh = wrapper.firstElementChild;
      item.replaceWith(fresh);
      bindAll(fresh);
      var newStatus = fresh.querySelector("[data-upload-status]");
      if (newStatus) {
        newStatus.textContent = data.errors.length ? data.errors.join(" ") : data.message;
        newStatus.className = "small mt-1 " + (data.errors.length ? "text-danger" : "text-success");
      }
      if (onSent) { onSent(); }
    });
    xhr.addEventListener("error", failed);
    bar.hidden = false;
    fill.style.width = "0%";
    button.disabled = true;
    status.textContent = "";
    xhr.send(body);
  }

  // A checklist item with a form of its own (the status page).
  function bindForm(form) {
    form.addEventListener("submit", function (event) {
      var input = form.querySelector('input[type="file"]');
      if (!input.files.length) { return; }  // let the server say what is missing
      event.preventDefault();
      var token = form.querySelector('input[name="csrfmiddlewaretoken"]').value;
      send(form.closest("[data-checklist-item]"), input, form.querySelector('button[type="submit"]'), form.action,
        token, form.getAttribute("data-failed-text"));
    });
  }

  // A checklist item of the documents step, whose field and button belong to the step's form.
  function bindStepItem(box) {
    var button = box.querySelector("[data-upload-button]");
    var input = box.querySelector('input[type="file"]');
    button.addEventListener("click", function (event) {
      if (!input.files.length) { return; }  // the step's form posts; the server says what is missing
      event.preventDefault();
      var token = input.form.querySelector('input[name="csrfmiddlewaretoken"]').value;
      send(box.closest("[data-checklist-item]"), input, button, box.getAttribute("data-upload-url"), token,
        box.getAttribute("data-failed-text"));
    });
  }

  function bindAll(root) {
    root.querySelectorAll("[data-upload-form]").forEach(bindForm);
    root.querySelectorAll("[data-upload-item]").forEach(bindStepItem);
  }

  bindAll(document);
})();
