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

  // Billing: the cost estimate recomputed as the volume is typed, from the prices the page was given.
  var pricingData = document.getElementById("pricing-data");
  var volume = document.getElementById("id_expected_monthly_messages");
  var estimate = document.getElementById("estimate");
  if (pricingData && volume && estimate) {
    var pricing = JSON.parse(pricingData.textContent);
    var lang = document.documentElement.lang || "tr";
    var money = new Intl.NumberFormat(lang, { minimumFractionDigits: 2, maximumFractionDigits: 2 });
    var whole = new Intl.NumberFormat(lang);
    var one = new Intl.NumberFormat(lang, { maximumFractionDigits: 1 });
    var cell = function (row, text, header) {
      var el = document.createElement(header ? "th" : "td");
      if (header) { el.scope = "row"; } else { el.className = "text-end price"; }
      el.textContent = text;
      row.appendChild(el);
    };
    volume.addEventListener("input", function () {
      var messages = parseInt(volume.value, 10);
      if (!(messages > 0)) { return; }
      var tierPrice = null;
      pricing.tiers.forEach(function (tier) { if (messages >= tier.min) { tierPrice = parseFloat(tier.price); } });
      var table = document.createElement("table");
      table.className = "table table-sm";
      var caption = table.createCaption();
      caption.textContent = estimate.dataset.caption + " · " + whole.format(messages);
      var body = table.createTBody();
      var month = " / " + estimate.dataset.monthLabel;
      if (tierPrice !== null) {
        var row = body.insertRow();
        cell(row, estimate.dataset.invoicedLabel, true);
        cell(row, money.format(tierPrice * messages) + month);
      }
      pricing.packages.forEach(function (pkg) {
        var row = body.insertRow();
        cell(row, whole.format(pkg.credits) + " " + estimate.dataset.creditsLabel, true);
        var cost = parseFloat(pkg.price) / pkg.credits * messages;
        cell(row, money.format(cost) + month + " · " + one.format(pkg.credits / messages) + " " + estimate.dataset.lastsLabel);
      });
      estimate.replaceChildren(table);
    });
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
