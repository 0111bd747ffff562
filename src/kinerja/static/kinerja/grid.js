/* Kinerja's entry grid: keyboard movement, «pakai jumlah», the summary's links and the save
   guard. No framework.
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

  // «pakai jumlah»: the parent's Rp (and K where it sums) takes the Σ of its children the
  // core computed (data-rp, data-k); the preview then recomputes its figures and findings.
  function useSum(button) {
    var row = button.dataset.row;
    var changed = null;
    [["rp", button.dataset.rp], ["k", button.dataset.k]].forEach(function (pair) {
      var input = document.getElementById(pair[0] + "-" + row);
      if (input && pair[1] !== "" && input.value !== pair[1]) {
        input.value = pair[1];
        input.dispatchEvent(new Event("input", { bubbles: true }));
        changed = changed || input;
      }
    });
    var target = changed || document.getElementById("rp-" + row);
    if (target) { target.focus(); }
  }

  // A finding's link in the summary: to its row, and into its first cell where there is one.
  function toRow(link) {
    var row = document.getElementById("row-" + link.dataset.row);
    if (!row) { return false; }
    row.scrollIntoView({ block: "center", inline: "nearest" });
    var cell = row.querySelector("input.cell");
    if (cell) { cell.focus({ preventScroll: true }); } else { row.querySelector("th").focus(); }
    return true;
  }

  // The summary's list of findings: open on a wide screen, closed on a phone (its count in
  // view, the table's first rows above the fold); once the reader opens or closes it, that
  // choice holds across the previews that redraw the summary.
  var narrow = window.matchMedia("(max-width: 40rem)");
  var chosen = null;
  function summaryState() {
    var list = document.querySelector("#grid-summary details.summary-list");
    if (list) { list.open = chosen !== null ? chosen : !narrow.matches; }
  }
  if (narrow.addEventListener) { narrow.addEventListener("change", summaryState); }

  document.addEventListener("click", function (event) {
    var toggle = event.target.closest && event.target.closest("#grid-summary summary");
    if (toggle) { chosen = !toggle.parentNode.open; return; }  // the click then toggles it
    var button = event.target.closest && event.target.closest("button.use-sum");
    if (button) { event.preventDefault(); useSum(button); return; }
    var link = event.target.closest && event.target.closest("#grid-summary a[data-row]");
    if (link && toRow(link)) { event.preventDefault(); history.replaceState(null, "", link.hash); }
  });
  form.querySelectorAll("tbody th.name").forEach(function (th) { th.tabIndex = -1; });

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
    if (!save) { return; }
    if (save) { save.disabled = bad > 0; }
    if (note) { note.hidden = bad === 0; }
  }
  document.body.addEventListener("htmx:afterSettle", guard);
  document.body.addEventListener("htmx:oobAfterSwap", guard);
  document.body.addEventListener("htmx:oobAfterSwap", summaryState);
  summaryState();
  form.addEventListener("submit", function (event) {
    guard();
    var save = document.getElementById("save");
    if (save && save.disabled) { event.preventDefault(); }
  });
  guard();
})();
