/* Kinerja's entry grid: keyboard movement and the save guard. No framework.
   Enter / ArrowDown: same column, next row. ArrowUp: previous row. Tab: native.
   Escape: the value as it was when the page loaded (data-initial), and a new preview. */
(function () {
  "use strict";
  var form = document.getElementById("grid-form");
  if (!form) { return; }

  function column(input) {
    return Array.prototype.slice.call(
      form.querySelectorAll('input.cell[data-col="' + input.dataset.col + '"]'));
  }

  function move(input, step) {
    var cells = column(input);
    var next = cells[cells.indexOf(input) + step];
    if (next) { next.focus(); next.select(); }
  }

  form.addEventListener("keydown", function (event) {
    var input = event.target;
    if (!input.classList || !input.classList.contains("cell")) { return; }
    if (event.key === "Enter" || event.key === "ArrowDown") {
      event.preventDefault();
      move(input, 1);
    } else if (event.key === "ArrowUp") {
      event.preventDefault();
      move(input, -1);
    } else if (event.key === "Escape") {
      event.preventDefault();
      input.value = input.dataset.initial || "";
      input.select();
      input.dispatchEvent(new Event("input", { bubbles: true }));
    }
  });

  // Saving is blocked while any cell shows an error; the server refuses it as well.
  function guard() {
    var errors = form.querySelectorAll(".cell-error");
    var bad = 0;
    errors.forEach(function (box) {
      var field = document.getElementById(box.id.replace(/^err-(\d+)-(k|rp)$/, "$2-$1"));
      var wrong = box.textContent.trim() !== "";
      if (wrong) { bad += 1; }
      if (field) {
        if (wrong) { field.setAttribute("aria-invalid", "true"); }
        else { field.removeAttribute("aria-invalid"); }
      }
    });
    var save = document.getElementById("save");
    var note = document.getElementById("save-blocked");
    if (save) { save.disabled = bad > 0; }
    if (note) { note.hidden = bad === 0; }
  }
  document.body.addEventListener("htmx:afterSettle", guard);
  document.body.addEventListener("htmx:oobAfterSwap", guard);
  form.addEventListener("submit", function (event) {
    guard();
    if (document.getElementById("save").disabled) { event.preventDefault(); }
  });
  guard();
})();
