/* The Renstra indicator form (planning/views_renstra.py). No inline script (CSP).
 * As the user types the yearly targets (or changes the polarity), the server checks the
 * series with the core's rule — targets must not step back — and the list under the table
 * shows what it says: the same function draws it after a save without script. */
(function () {
  "use strict";

  function watch(form) {
    var url = form.getAttribute("data-check-url");
    var list = document.getElementById("target-warnings");
    if (!url || !list) return;
    var timer = null;
    var asked = 0;

    function watched(name) {
      return /^t\d{4}$/.test(name) || name === "polarity" || name === "decimals" ||
        name === "name";
    }

    function render(warnings) {
      list.textContent = "";
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
    }

    function ask() {
      var params = new URLSearchParams();
      if (form.getAttribute("data-indicator")) {
        params.set("indikator", form.getAttribute("data-indicator"));
      }
      Array.prototype.forEach.call(form.elements, function (input) {
        if (input.name && watched(input.name)) params.set(input.name, input.value);
      });
      var mine = ++asked;
      fetch(url + "?" + params.toString(), {credentials: "same-origin",
                                             headers: {"Accept": "application/json"}})
        .then(function (response) { return response.ok ? response.json() : null; })
        .then(function (data) { if (data && mine === asked) render(data.warnings || []); })
        .catch(function () { /* the page checks again on save */ });
    }

    function later(event) {
      if (!event.target.name || !watched(event.target.name)) return;
      window.clearTimeout(timer);
      timer = window.setTimeout(ask, 250);
    }

    form.addEventListener("input", later);
    form.addEventListener("change", later);
  }

  document.querySelectorAll("form.indicator-form[data-check-url]").forEach(watch);
})();
