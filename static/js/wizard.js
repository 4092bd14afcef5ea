// Progressive enhancement for the wizard; every step works without it.
(function () {
  "use strict";

  // After a refused submit, move focus to the error summary so screen readers announce it at once.
  var summary = document.getElementById("form-errors") || document.getElementById("missing");
  if (summary) {
    if (!summary.hasAttribute("tabindex")) { summary.setAttribute("tabindex", "-1"); }
    summary.focus();
  }

  // Show a block only while a radio has a given value: data-show-when="name=value".
  document.querySelectorAll("[data-show-when]").forEach(function (block) {
    var parts = block.getAttribute("data-show-when").split("=");
    var radios = document.querySelectorAll('input[type="radio"][name="' + parts[0] + '"]');
    function update() {
      var checked = document.querySelector('input[type="radio"][name="' + parts[0] + '"]:checked');
      block.hidden = !checked || checked.value !== parts[1];
    }
    radios.forEach(function (radio) { radio.addEventListener("change", update); });
    update();
  });

  // Sender IDs: the server's own rules, asked as the applicant types (debounced).
  var senderForm = document.querySelector("[data-sender-check-url]");
  if (senderForm) {
    var url = senderForm.getAttribute("data-sender-check-url");
    senderForm.querySelectorAll("[data-sender-lint]").forEach(function (input) {
      var out = document.getElementById(input.id + "-lint");
      var timer = null;
      input.addEventListener("input", function () {
        clearTimeout(timer);
        timer = setTimeout(function () {
          if (!input.value.trim()) { out.textContent = ""; input.classList.remove("is-invalid", "is-valid"); return; }
          fetch(url + "?value=" + encodeURIComponent(input.value), { credentials: "same-origin" })
            .then(function (r) { return r.json(); })
            .then(function (data) {
              if (data.value !== input.value) { return; }
              out.textContent = data.problems.map(function (p) { return p.message; }).join(" ");
              out.className = "sender-lint small " + (data.problems.length ? "text-danger" : "text-success");
              input.classList.toggle("is-invalid", data.problems.length > 0);
              input.classList.toggle("is-valid", data.problems.length === 0);
              input.setAttribute("aria-invalid", data.problems.length > 0 ? "true" : "false");
            })
            .catch(function () { out.textContent = ""; });
        }, 250);
      });
    });
  }

  // Submit once: a double click sends one request (the server refuses a second submit anyway).
  document.querySelectorAll("[data-submit-once]").forEach(function (button) {
    button.form.addEventListener("submit", function () {
      setTimeout(function () { button.disabled = true; }, 0);
    });
  });

  // Billing: the sample message's SMS parts and the cost estimate, asked of the server as the applicant types
  // (debounced). The server renders both fragments exactly as the page does, so the numbers shown are always its own;
  // without script, the "Hesapla" button posts the form and the page comes back with the same fragments.
  var estimateForm = document.querySelector("form[data-estimate-url]");
  var volume = document.getElementById("id_expected_monthly_messages");
  var sample = document.getElementById("id_sample_message");
  if (estimateForm && volume && sample) {
    var estimateUrl = estimateForm.getAttribute("data-estimate-url");
    var partsOut = document.getElementById("sample-parts");
    var estimate = document.getElementById("estimate");
    var token = estimateForm.querySelector('input[name="csrfmiddlewaretoken"]').value;
    var estimateTimer = null;
    var asked = 0;
    var refresh = function () {
      var sent = ++asked;
      var body = new URLSearchParams();
      body.set("expected_monthly_messages", volume.value.trim());
      body.set("sample_message", sample.value);
      estimateForm.setAttribute("aria-busy", "true");
      fetch(estimateUrl, {
        method: "POST",
        credentials: "same-origin",
        headers: { "X-CSRFToken": token, "Accept": "application/json" },
        body: body
      })
        .then(function (r) { return r.ok ? r.json() : null; })
        .then(function (data) {
          if (sent !== asked) { return; }  // an answer to an older question
          estimateForm.removeAttribute("aria-busy");
          if (!data) { return; }
          partsOut.innerHTML = data.parts_html;
          estimate.innerHTML = data.estimate_html;
        })
        .catch(function () { if (sent === asked) { estimateForm.removeAttribute("aria-busy"); } });
    };
    var later = function () {
      clearTimeout(estimateTimer);
      estimateTimer = setTimeout(refresh, 250);
    };
    volume.addEventListener("input", later);
    sample.addEventListener("input", later);
  }

  // Billing: hide the packages unless prepaid is chosen.
  var packages = document.getElementById("packages");
  if (packages) {
    var billingRadios = document.querySelectorAll('input[name="billing_type"]');
    var showPackages = function () {
      var checked = document.querySelector('input[name="billing_type"]:checked');
      packages.hidden = !checked || checked.value !== "prepaid";
    };
    billingRadios.forEach(function (radio) { radio.addEventListener("change", showPackages); });
    showPackages();
  }
})();
