"use strict";
// The reviewers' application page: small conveniences only; every form works without this file.
document.addEventListener("DOMContentLoaded", () => {
    // Opening "Reddet…" or "Düzeltme iste…" puts the cursor in the first field of the form it reveals.
    for (const disclosure of document.querySelectorAll("details.review-disclosure")) {
        disclosure.addEventListener("toggle", () => {
            if (disclosure.open) {
                disclosure.querySelector("select, textarea, input:not([type=hidden])")?.focus();
            }
        });
        // Escape closes it again and returns to its button.
        disclosure.addEventListener("keydown", (event) => {
            if (event.key === "Escape" && disclosure.open) {
                disclosure.open = false;
                disclosure.querySelector("summary")?.focus();
            }
        });
    }

    for (const form of document.querySelectorAll(".review form")) {
        form.addEventListener("submit", (event) => {
            // Irreversible moves ask once.
            if (form.dataset.confirm && !window.confirm(form.dataset.confirm)) {
                event.preventDefault();
                return;
            }
            // A second click while the first request runs would only earn an error message.
            for (const button of form.querySelectorAll("button[type=submit]")) {
                button.disabled = true;
            }
        });
    }
});
