/* Warn before leaving a page with unsaved changes (issue 17).
   Every form marked data-warn-unsaved becomes "dirty" once one of its fields is changed;
   leaving the page (a link, reload, closing the tab) while a form is dirty asks the browser's
   "leave the page?" question. Submitting the form itself is not leaving: it saves.
   No inline script (CSP: script-src 'self'). */
(function () {
  "use strict";
  var dirty = new Set();

  function track(form) {
    function mark(event) {
      var field = event.target;
      if (!field || !field.name || field.type === "hidden") return;
      if (field.closest && field.closest("[data-unsaved-ignore]")) return;
      dirty.add(form);
      form.setAttribute("data-dirty", "");
    }
    form.addEventListener("input", mark);
    form.addEventListener("change", mark);
    form.addEventListener("submit", function () {
      dirty.delete(form);
      form.removeAttribute("data-dirty");
    });
  }

  function start() {
    var forms = document.querySelectorAll("form[data-warn-unsaved]");
    for (var i = 0; i < forms.length; i++) track(forms[i]);
    window.addEventListener("beforeunload", function (event) {
      if (dirty.size === 0) return undefined;
      event.preventDefault();
      event.returnValue = "";  /* older browsers need a value to ask */
      return "";
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
