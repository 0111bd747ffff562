/* A box that scrolls sideways — a wide table on a phone, the dashboard's charts — can be
   scrolled from the keyboard: while it is wider than its box it takes focus (Tab), and the
   arrow keys then scroll it (WCAG 2.1.1; axe's scrollable-region-focusable). Checked again
   when the window is resized or turned. */
(function () {
  "use strict";
  var MARK = "data-scroll-focus";

  function scrolls(el) {
    var x = window.getComputedStyle(el).overflowX;
    return (x === "auto" || x === "scroll") && el.scrollWidth > el.clientWidth + 1;
  }

  function mark() {
    var boxes = document.querySelectorAll("main table, main div, main section");
    for (var i = 0; i < boxes.length; i++) {
      var el = boxes[i];
      if (scrolls(el)) {
        if (!el.hasAttribute("tabindex")) {
          el.setAttribute("tabindex", "0");
          el.setAttribute(MARK, "");
        }
      } else if (el.hasAttribute(MARK)) {
        el.removeAttribute("tabindex");
        el.removeAttribute(MARK);
      }
    }
  }

  var pending = null;
  function later() {
    window.clearTimeout(pending);
    pending = window.setTimeout(mark, 150);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", mark);
  } else {
    mark();
  }
  window.addEventListener("load", mark);
  window.addEventListener("resize", later);
})();
