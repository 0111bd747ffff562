/* Warn before leaving a page with unsaved changes (issue 17).
   A form marked data-warn-unsaved becomes "dirty" once one of its own fields is changed (a
   field counts for the form it belongs to, also through form="…"); leaving the page (a link,
   reload, closing the tab) while a form is dirty asks the browser's "leave the page?"
   question. Submitting that form is not leaving: it saves.
   No inline script (CSP: script-src 'self'). */
(function () {
  "use strict";
  var dirty = new Set();

  function watched(field) {
    var form = field && field.form;
    if (!form || !form.hasAttribute("data-warn-unsaved")) return null;
    if (!field.name || field.type === "hidden") return null;
    return form;
  }

  function mark(event) {
    var form = watched(event.target);
    if (form === null) return;
    dirty.add(form);
    form.setAttribute("data-dirty", "");
  }

  document.addEventListener("input", mark, true);
  document.addEventListener("change", mark, true);
  document.addEventListener("submit", function (event) {
    dirty.delete(event.target);
    if (event.target.removeAttribute) event.target.removeAttribute("data-dirty");
  }, true);
  window.addEventListener("beforeunload", function (event) {
    if (dirty.size === 0) return undefined;
    event.preventDefault();
    event.returnValue = "";  /* older browsers need a value to ask */
    return "";
  });
})();
