// Uploads without leaving the page, with a progress bar; the forms post normally without this script.
(function () {
  "use strict";

  function bind(form) {
    form.addEventListener("submit", function (event) {
      var input = form.querySelector('input[type="file"]');
      var status = form.querySelector("[data-upload-status]");
      if (!input.files.length) { return; }  // let the server say what is missing
      event.preventDefault();
      var bar = form.querySelector(".upload-progress");
      var fill = bar.querySelector(".progress-bar");
      var button = form.querySelector('button[type="submit"]');
      var xhr = new XMLHttpRequest();
      xhr.open("POST", form.action);
      xhr.setRequestHeader("X-Requested-With", "XMLHttpRequest");
      xhr.upload.addEventListener("progress", function (e) {
        if (!e.lengthComputable) { return; }
        var percent = Math.round((e.loaded / e.total) * 100);
        fill.style.width = percent + "%";
        bar.setAttribute("aria-valuenow", String(percent));
      });
      xhr.addEventListener("load", function () {
        var data = null;
        try { data = JSON.parse(xhr.responseText); } catch (e) { data = null; }
        if (data && data.html) {
          var item = form.closest("[data-checklist-item]");
          var wrapper = document.createElement("div");
          wrapper.innerHTML = data.html;
          var fresh = wrapper.firstElementChild;
          item.replaceWith(fresh);
          fresh.querySelectorAll("[data-upload-form]").forEach(bind);
          var newStatus = fresh.querySelector("[data-upload-status]");
          if (newStatus) {
            newStatus.textContent = data.errors.length ? data.errors.join(" ") : data.message;
            newStatus.className = "small mt-1 " + (data.errors.length ? "text-danger" : "text-success");
          }
          return;
        }
        bar.hidden = true;
        button.disabled = false;
        status.className = "small mt-1 text-danger";
        status.textContent = form.getAttribute("data-failed-text");
      });
      xhr.addEventListener("error", function () {
        bar.hidden = true;
        button.disabled = false;
        status.className = "small mt-1 text-danger";
        status.textContent = form.getAttribute("data-failed-text");
      });
      bar.hidden = false;
      fill.style.width = "0%";
      button.disabled = true;
      status.textContent = "";
      xhr.send(new FormData(form));
    });
  }

  document.querySelectorAll("[data-upload-form]").forEach(bind);
})();
