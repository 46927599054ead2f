// The review screen (admin/translation/review.html): next / previous segment from the keyboard.
// Alt+↓ / Alt+↑ move to the next / previous segment's text box, also while typing (they do
// nothing else in a text box); j / k do the same outside a text box, without focusing one, so
// they can be pressed again; Esc leaves the text box for its segment. Typing is never taken over.
(function () {
  "use strict";

  function segments() {
    return Array.prototype.slice.call(document.querySelectorAll(".review-table tbody.segment"));
  }

  function isTyping(element) {
    return !!(element && element.closest && element.closest("textarea, input, select, [contenteditable=''], [contenteditable='true']"));
  }

  function select(segment, intoField) {
    segments().forEach(function (each) { each.classList.toggle("current", each === segment); });
    var field = segment.querySelector("textarea, [contenteditable='true']");
    if (intoField && field) {
      field.focus({preventScroll: true});
    } else {
      segment.focus({preventScroll: true});
    }
    segment.scrollIntoView({block: "center"});
  }

  document.addEventListener("keydown", function (event) {
    var all = segments();
    if (!all.length || event.ctrlKey || event.metaKey || event.isComposing) {
      return;
    }
    var typing = isTyping(event.target);
    var current = (event.target.closest && event.target.closest("tbody.segment")) ||
      document.querySelector(".review-table tbody.segment.current");
    if (event.key === "Escape" && typing && current) {
      event.preventDefault();
      select(current, false);
      return;
    }
    var step = 0;
    if (event.altKey && !event.shiftKey && (event.key === "ArrowDown" || event.key === "ArrowUp")) {
      step = event.key === "ArrowDown" ? 1 : -1;
    } else if (!typing && !event.altKey && !event.shiftKey && (event.key === "j" || event.key === "k")) {
      step = event.key === "j" ? 1 : -1;
    }
    if (!step) {
      return;
    }
    event.preventDefault();
    var index = current ? all.indexOf(current) + step : (step > 0 ? 0 : all.length - 1);
    index = Math.max(0, Math.min(all.length - 1, index));
    select(all[index], event.altKey);
  });

  document.addEventListener("focusin", function (event) {
    var segment = event.target.closest && event.target.closest(".review-table tbody.segment");
    if (segment) {
      segments().forEach(function (each) { each.classList.toggle("current", each === segment); });
    }
  });
})();
