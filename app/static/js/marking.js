/* Framing Lab: nicer marking on the quiz page. The page works without this file: every
   word and sentence is a real checkbox. This adds
   - one Tab stop per excerpt, with arrow keys / Home / End moving between words
     (a "roving tabindex"), so keyboard users are not made to tab through 150 words;
   - click-and-drag to mark (or unmark) several words at once;
   - a live count of what is marked, read out by screen readers. */
(function () {
  "use strict";

  function boxesOf(group) {
    return Array.prototype.slice.call(group.querySelectorAll("input.mark"));
  }

  function updateCount(group) {
    var count = group.parentNode.querySelector(".mark-count") || group.parentNode.parentNode.querySelector(".mark-count");
    if (!count) { return; }
    var n = boxesOf(group).filter(function (box) { return box.checked; }).length;
    var unit = group.getAttribute("data-unit") === "sentence" ? "sentence" : "word";
    count.textContent = n === 0 ? "" : n + " " + unit + (n === 1 ? "" : "s") + " marked";
  }

  function setRoving(boxes, current) {
    boxes.forEach(function (box) { box.tabIndex = box === current ? 0 : -1; });
  }

  function enhance(group) {
    var boxes = boxesOf(group);
    if (!boxes.length) { return; }
    setRoving(boxes, boxes.filter(function (b) { return b.checked; })[0] || boxes[0]);

    group.addEventListener("keydown", function (event) {
      var index = boxes.indexOf(event.target);
      if (index < 0) { return; }
      var next = null;
      if (event.key === "ArrowRight" || event.key === "ArrowDown") { next = boxes[Math.min(index + 1, boxes.length - 1)]; }
      else if (event.key === "ArrowLeft" || event.key === "ArrowUp") { next = boxes[Math.max(index - 1, 0)]; }
      else if (event.key === "Home") { next = boxes[0]; }
      else if (event.key === "End") { next = boxes[boxes.length - 1]; }
      if (next) {
        event.preventDefault();
        setRoving(boxes, next);
        next.focus();
      }
    });
    group.addEventListener("focusin", function (event) {
      if (boxes.indexOf(event.target) >= 0) { setRoving(boxes, event.target); }
    });
    group.addEventListener("change", function () { updateCount(group); });

    // Drag to mark: pressing on a word toggles it; moving over further words while the
    // button is held gives them the same state. The label's own click is then skipped so
    // the word is not toggled twice.
    var dragging = null;
    var skipClick = false;
    group.addEventListener("pointerdown", function (event) {
      var label = event.target.closest("label");
      if (!label || event.button !== 0) { return; }
      var box = document.getElementById(label.htmlFor);
      if (!box) { return; }
      dragging = !box.checked;
      box.checked = dragging;
      box.dispatchEvent(new Event("change", { bubbles: true }));
      setRoving(boxes, box);
      box.focus({ preventScroll: true });
      skipClick = true;
      event.preventDefault();
    });
    group.addEventListener("pointerover", function (event) {
      if (dragging === null) { return; }
      var label = event.target.closest("label");
      var box = label && document.getElementById(label.htmlFor);
      if (box && box.checked !== dragging) {
        box.checked = dragging;
        box.dispatchEvent(new Event("change", { bubbles: true }));
      }
    });
    document.addEventListener("pointerup", function () { dragging = null; });
    group.addEventListener("click", function (event) {
      if (skipClick && event.target.closest("label")) {
        event.preventDefault();
      }
      skipClick = false;
    });
    updateCount(group);
  }

  function init() {
    Array.prototype.forEach.call(document.querySelectorAll(".markable"), enhance);
    var error = document.getElementById("form-error");
    if (error) { error.focus(); }
  }

  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", init); }
  else { init(); }
})();
