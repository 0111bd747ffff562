/* The Renja tree editor (planning/views_renja.py). No inline script (CSP): this file only.
 * - Back on the tree after a save, focus returns to the edited row's "Ubah" link (or to
 *   the ↑/↓ button just pressed), so the keyboard continues where it was.
 * - On a row's form, the planning rules' warnings (code shape, code outside its parent's,
 *   parent pagu ≠ Σ children, unit ≠ the IKU's, target K missing, Σ cash plan TW I–IV ≠
 *   pagu) are asked from the server as the user types: the same function renders them
 *   after a save without script. The server also sends Σ of the cash plan as typed (figures
 *   are computed in kinerja.core, never here). */
(function () {
  "use strict";

  function focusTarget() {
    var id = decodeURIComponent(window.location.hash.slice(1));
    if (!id) return;
    var target = document.getElementById(id);
    if (!target) return;
    if (target.tagName === "TR") {
      var link = target.querySelector("a.edit");
      if (link) link.focus();
    } else if (target.disabled) {
      var row = target.closest("tr");
      var other = row && row.querySelector("button:not([disabled])");
      var edit = row && row.querySelector("a.edit");
      if (other || edit) (other || edit).focus();
    } else {
      target.focus();
    }
  }

  function liveWarnings(form) {
    var url = form.getAttribute("data-check-url");
    var list = document.getElementById("rule-warnings");
    if (!url || !list) return;
    var names = ["code", "unit", "target_k", "target_k_upper", "budget", "objective"];
    [1, 2, 3, 4].forEach(function (q) {
      names.push("q" + q + "_target_k", "q" + q + "_cash_plan");
    });
    var cashSum = document.getElementById("cash-sum");
    var timer = null;
    var asked = 0;

    function render(data) {
      list.textContent = "";
      var warnings = data.warnings || [];
      if (!warnings.length) {
        var none = document.createElement("li");
        none.className = "none";
        none.textContent = form.getAttribute("data-none");
        list.appendChild(none);
      }
      warnings.forEach(function (text) {
        var li = document.createElement("li");
        li.textContent = text;
        list.appendChild(li);
      });
      if (cashSum && data.cash_sum) cashSum.textContent = data.cash_sum;
      var errors = data.errors || {};
      form.querySelectorAll("span.error.live").forEach(function (span) {
        var name = span.getAttribute("data-for");
        span.textContent = errors[name] || "";
        var input = form.elements[name];
        if (input) {
          if (errors[name]) input.setAttribute("aria-invalid", "true");
          else input.removeAttribute("aria-invalid");
        }
      });
    }

    function ask() {
      var params = new URLSearchParams();
      if (form.getAttribute("data-item")) params.set("item", form.getAttribute("data-item"));
      if (form.getAttribute("data-parent")) params.set("induk", form.getAttribute("data-parent"));
      if (form.getAttribute("data-of")) params.set("indikator_dari", form.getAttribute("data-of"));
      names.forEach(function (name) {
        var input = form.elements[name];
        if (input) params.set(name, input.value);
      });
      var mine = ++asked;
      fetch(url + "?" + params.toString(), {credentials: "same-origin",
                                             headers: {"Accept": "application/json"}})
        .then(function (response) { return response.ok ? response.json() : null; })
        .then(function (data) { if (data && mine === asked) render(data); })
        .catch(function () { /* the server checks again on save */ });
    }

    function later() {
      window.clearTimeout(timer);
      timer = window.setTimeout(ask, 250);
    }

    names.forEach(function (name) {
      var input = form.elements[name];
      if (!input) return;
      input.addEventListener("input", later);
      input.addEventListener("change", later);
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    focusTarget();
    var form = document.getElementById("item-form");
    if (form) liveWarnings(form);
  });
  // again once loaded: the browser's own scroll to the fragment comes after DOMContentLoaded
  window.addEventListener("load", focusTarget);
  window.addEventListener("hashchange", focusTarget);
})();
