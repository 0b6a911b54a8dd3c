/* Framing Lab: calm marking on the quiz page (and in the teacher's reading and question
   editors). The page works without this file: every word and sentence is a real checkbox
   with its label, so a click, a tap or Space marks it. This adds
   - touch: a tap marks (the browser's own click, checked against a 10 px slop and any
     scroll); a swipe that starts on a word scrolls and marks nothing; a long press, then
     a drag, marks a run of words. A cancelled touch leaves nothing behind;
   - mouse: pressing on a word and dragging with the button held marks (or unmarks) the
     words passed; hovering never marks;
   - keyboard: one Tab stop per excerpt (a roving tabindex); Left/Right by word,
     Ctrl+Left/Right by sentence, Up/Down by visual line, Home/End to the first and last
     word; in an excerpt of sentences every arrow moves by sentence. Space marks, and so
     does Enter (which would otherwise submit the whole lesson);
   - focus never hidden under a sticky bar (.submit-bar or [data-sticky-bottom], and
     [data-sticky-top]): their heights go to --sticky-bottom / --sticky-top, which quiz.css
     turns into scroll-padding, and a control focused under one is scrolled clear;
   - a live count of what is marked, read out by screen readers. */
(function () {
  "use strict";

  var SLOP = 10;           // px a finger may wander and still tap
  var LONG_PRESS = 500;    // ms a still finger waits before it starts a drag (as Android)
  var CLICK_DELAY = 1000;  // ms within which a press's own click follows its release
  var CLEARANCE = 8;       // px kept between a focused control and a sticky bar
  var BOTTOM_BARS = ".submit-bar, [data-sticky-bottom]";
  var TOP_BARS = "[data-sticky-top]";
  // As app/domain/text.py: a full stop after these (or after an initial) ends no sentence.
  var ABBREVIATIONS = ["mr", "mrs", "ms", "dr", "st", "jan", "feb", "mar", "apr", "jun", "jul",
    "aug", "sep", "sept", "oct", "nov", "dec", "vs", "etc", "inc", "co", "gen", "prof"];

  function each(list, fn) { Array.prototype.forEach.call(list, fn); }
  function boxesOf(group) { return Array.prototype.slice.call(group.querySelectorAll("input.mark")); }
  function labelOf(box) { return (box.labels && box.labels[0]) || box; }
  function boxOf(label) { return label && label.htmlFor ? document.getElementById(label.htmlFor) : null; }
  function labelAt(x, y) {
    var hit = document.elementFromPoint(x, y);
    return hit && hit.closest ? hit.closest("label") : null;
  }

  function setBox(box, state) {
    if (box.checked === state) { return; }
    box.checked = state;
    box.dispatchEvent(new Event("change", { bubbles: true }));
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

  /* ---------- Sticky bars: keep focus in the part of the screen they leave free ---------- */

  function shown(element) {
    return element.getClientRects().length > 0 && getComputedStyle(element).visibility !== "hidden";
  }

  function bars(selector) {
    return Array.prototype.filter.call(document.querySelectorAll(selector), shown);
  }

  // The heights of the bars, for scroll-padding: the browser then keeps room for them when
  // it scrolls a focused control (or a #fragment) into view.
  function keepRoom() {
    var root = document.documentElement;
    var bottom = 0;
    var top = 0;
    bars(BOTTOM_BARS).forEach(function (bar) { bottom = Math.max(bottom, bar.getBoundingClientRect().height); });
    bars(TOP_BARS).forEach(function (bar) { top = Math.max(top, bar.getBoundingClientRect().height); });
    var room = { "--sticky-bottom": Math.ceil(bottom) + "px", "--sticky-top": Math.ceil(top) + "px" };
    Object.keys(room).forEach(function (name) {
      if (root.style.getPropertyValue(name) !== room[name]) { root.style.setProperty(name, room[name]); }
    });
  }

  function byKeyboard(element) {
    try { return element.matches(":focus-visible"); } catch (error) { return true; }
  }

  // Scroll `element` clear of the viewport's edges and of every bar over it; a no-op when
  // it is already clear. A bar is "over" it when their boxes overlap on screen.
  function reveal(element) {
    var rect = element.getBoundingClientRect();
    if (!rect.height || rect.height > window.innerHeight / 2) { return; }
    var free = { top: 0, bottom: window.innerHeight };
    bars(BOTTOM_BARS).forEach(function (bar) {
      var edge = bar.getBoundingClientRect();
      if (!bar.contains(element) && edge.top < window.innerHeight && edge.bottom > rect.top) {
        free.bottom = Math.min(free.bottom, edge.top);
      }
    });
    bars(TOP_BARS).forEach(function (bar) {
      var edge = bar.getBoundingClientRect();
      if (!bar.contains(element) && edge.bottom > 0 && edge.top < rect.bottom) {
        free.top = Math.max(free.top, edge.bottom);
      }
    });
    if (rect.bottom > free.bottom - CLEARANCE / 2) {
      window.scrollBy(0, rect.bottom - free.bottom + CLEARANCE);
    } else if (rect.top < free.top + CLEARANCE / 2) {
      window.scrollBy(0, rect.top - free.top - CLEARANCE);
    }
  }

  function watchBars() {
    keepRoom();
    window.addEventListener("resize", keepRoom);
    if (window.ResizeObserver) {
      var observer = new ResizeObserver(keepRoom);
      bars(BOTTOM_BARS + ", " + TOP_BARS).forEach(function (bar) { observer.observe(bar); });
    }
    // Any control, not only words: a radio button or a link tabbed to under the bar too.
    // Focus from a click or a tap scrolls nothing: the student is looking at that spot.
    document.addEventListener("focusin", function (event) {
      keepRoom();
      var target = event.target;
      if (target === document.body || !target.getBoundingClientRect || !byKeyboard(target)) { return; }
      reveal(target.matches("input.mark") ? labelOf(target) : target);
    });
  }

  /* ---------- Keyboard ---------- */

  function textBetween(label, box) {
    var text = "";
    for (var node = label.nextSibling; node && node !== box; node = node.nextSibling) { text += node.textContent; }
    return text;
  }

  // Whether the text `gap` between the words `word` and `next` ends a sentence (the rule of
  // app/domain/text.py: . ! ? and closing quotes, then white space and a capital, a digit
  // or an opening quote; a semicolon; a line break).
  function endsSentence(word, gap, next) {
    if (/[\n;]/.test(gap)) { return true; }
    var stop = /([.!?])["'’”)\]»]*\s/.exec(gap);
    if (!stop) { return false; }
    if (stop[1] === "." && stop.index === 0) {
      var last = word.split(/[-'’‐‑]/).pop();
      if (ABBREVIATIONS.indexOf(last.toLowerCase()) >= 0 || (last.length === 1 && last !== last.toLowerCase())) {
        return false;
      }
    }
    var visible = (gap.slice(stop.index + stop[0].length) + next).replace(/^\s+/, "").charAt(0);
    return !visible || visible !== visible.toLowerCase() || /\d/.test(visible) || "\"“‘'(".indexOf(visible) >= 0;
  }

  function sentenceStarts(boxes) {
    var starts = [0];
    for (var i = 1; i < boxes.length; i++) {
      var before = labelOf(boxes[i - 1]);
      if (endsSentence(before.textContent, textBetween(before, boxes[i]), labelOf(boxes[i]).textContent)) {
        starts.push(i);
      }
    }
    return starts;
  }

  // The unit on the next visual line down (or up) nearest to x = goal; the last (first)
  // unit when there is no such line. A word broken over two lines is on both.
  function lineMove(boxes, index, down, goal) {
    var own = labelOf(boxes[index]).getClientRects();
    var edge = down ? own[own.length - 1] : own[0];
    var best = -1;
    var line = null;
    var distance = Infinity;
    var offCentre = Infinity;
    for (var i = 0; i < boxes.length; i++) {
      if (i === index) { continue; }
      var rects = labelOf(boxes[i]).getClientRects();
      for (var k = 0; k < rects.length; k++) {
        var r = rects[k];
        if (down ? r.top < edge.bottom - 2 : r.bottom > edge.top + 2) { continue; }
        if (line === null || (down ? r.top < line - 2 : r.top > line + 2)) {
          line = r.top;
          distance = offCentre = Infinity;
        } else if (Math.abs(r.top - line) > 2) {
          continue;
        }
        var d = r.left > goal ? r.left - goal : (r.right < goal ? goal - r.right : 0);
        var c = Math.abs((r.left + r.right) / 2 - goal);
        if (d < distance || (d === distance && c < offCentre)) {
          best = i;
          distance = d;
          offCentre = c;
        }
      }
    }
    return best >= 0 ? best : (down ? boxes.length - 1 : 0);
  }

  function keyboard(group, boxes) {
    var sentences = group.getAttribute("data-unit") === "sentence";
    var starts = null;
    var goal = null;       // x where a run of Up/Down presses began,
    var goalAt = null;     // valid while focus is on the box that run reached

    function bySentence(index, forward) {
      starts = starts || sentenceStarts(boxes);
      var found = forward ? boxes.length - 1 : 0;
      for (var s = 0; s < starts.length; s++) {
        if (forward && starts[s] > index) { return starts[s]; }
        if (!forward && starts[s] < index) { found = starts[s]; }
      }
      return found;
    }

    function byLine(box, index, down) {
      if (goalAt !== box) {
        var rects = labelOf(box).getClientRects();
        var edge = down ? rects[rects.length - 1] : rects[0];
        goal = (edge.left + edge.right) / 2;
      }
      return lineMove(boxes, index, down, goal);
    }

    group.addEventListener("keydown", function (event) {
      var index = boxes.indexOf(event.target);
      if (index < 0 || event.altKey || event.metaKey || event.shiftKey) { return; }
      var key = event.key;
      var last = boxes.length - 1;
      var next = null;
      if (key === "Enter") {
        // Enter on a checkbox would submit the whole lesson: here it marks, as Space does.
        event.preventDefault();
        setBox(event.target, !event.target.checked);
        return;
      }
      if (key === "Home") { next = 0; }
      else if (key === "End") { next = last; }
      else if (key === "ArrowRight" || key === "ArrowLeft") {
        var forward = key === "ArrowRight";
        next = event.ctrlKey && !sentences ? bySentence(index, forward) : index + (forward ? 1 : -1);
      } else if (key === "ArrowDown" || key === "ArrowUp") {
        var down = key === "ArrowDown";
        next = sentences ? index + (down ? 1 : -1) : byLine(event.target, index, down);
      } else {
        return;
      }
      event.preventDefault();
      var box = boxes[Math.max(0, Math.min(last, next))];
      goalAt = key === "ArrowDown" || key === "ArrowUp" ? box : null;
      setRoving(boxes, box);
      box.focus({ preventScroll: true });
      labelOf(box).scrollIntoView({ block: "nearest", inline: "nearest" });
      reveal(labelOf(box));
    });
  }

  /* ---------- Pointer: tap, click, drag; never hover or a scroll ---------- */

  // The one press (finger, pen or mouse button) now down on a word, if any.
  var press = null;
  // Until when the click of a drag, or of a touch that moved or scrolled, is swallowed:
  // the drag has marked already, and a scroll marks nothing.
  var swallowUntil = 0;

  function endPress() {
    if (press) { clearTimeout(press.timer); }
    press = null;
  }

  function startDrag() {
    var box = press.boxes[press.first];
    press.state = !box.checked;
    setBox(box, press.state);
    setRoving(press.boxes, box);
  }

  // Give every unit from the last one reached to the one at (x, y) the drag's state.
  function dragTo(x, y) {
    var index = press.boxes.indexOf(boxOf(labelAt(x, y)));
    if (index < 0 || index === press.last) { return; }
    var step = index > press.last ? 1 : -1;
    for (var i = press.last + step; ; i += step) {
      setBox(press.boxes[i], press.state);
      if (i === index) { break; }
    }
    press.last = index;
    setRoving(press.boxes, press.boxes[index]);
  }

  function pointers(group, boxes) {
    group.addEventListener("pointerdown", function (event) {
      endPress();
      swallowUntil = 0;
      var index = boxes.indexOf(boxOf(event.target.closest && event.target.closest("label")));
      if (index < 0 || !event.isPrimary || event.button !== 0) { return; }
      press = { id: event.pointerId, mouse: event.pointerType === "mouse", boxes: boxes,
                first: index, last: index, x: event.clientX, y: event.clientY,
                scrollX: window.scrollX, scrollY: window.scrollY, state: null, moved: false, timer: 0 };
      if (!press.mouse) {
        var mine = press;
        press.timer = setTimeout(function () {
          if (press === mine && !press.moved && window.scrollX === press.scrollX && window.scrollY === press.scrollY) {
            startDrag();
          }
        }, LONG_PRESS);
      }
    });
    // While a long-press drag runs, the finger marks instead of scrolling.
    group.addEventListener("touchmove", function (event) {
      if (press && !press.mouse && press.state !== null && event.cancelable) { event.preventDefault(); }
    }, { passive: false });
    group.addEventListener("contextmenu", function (event) {
      if (press && !press.mouse) { event.preventDefault(); }
    });
    group.addEventListener("click", function (event) {
      if (Date.now() < swallowUntil && event.target.closest && event.target.closest("label")) {
        event.preventDefault();
      }
      swallowUntil = 0;
    });
  }

  function watchPointers() {
    document.addEventListener("pointermove", function (event) {
      if (!press || event.pointerId !== press.id) { return; }
      if (press.mouse && !(event.buttons & 1)) { endPress(); return; }  // released unseen
      if (press.state === null) {
        if (press.mouse) {
          // The button is held and the pointer is on another word: a drag.
          var over = press.boxes.indexOf(boxOf(labelAt(event.clientX, event.clientY)));
          if (over < 0 || over === press.first) { return; }
          startDrag();
        } else {
          // A finger that moves before the long press is a scroll (or a sloppy tap).
          if (Math.abs(event.clientX - press.x) > SLOP || Math.abs(event.clientY - press.y) > SLOP) {
            press.moved = true;
            clearTimeout(press.timer);
          }
          return;
        }
      }
      dragTo(event.clientX, event.clientY);
    });
    document.addEventListener("pointerup", function (event) {
      if (!press || event.pointerId !== press.id) { return; }
      var swallow = press.state !== null || press.moved ||
        (!press.mouse && (window.scrollX !== press.scrollX || window.scrollY !== press.scrollY));
      swallowUntil = swallow ? Date.now() + CLICK_DELAY : 0;
      endPress();
    });
    // A scroll cancels the touch: no pointerup comes, and nothing may stay armed.
    ["pointercancel", "lostpointercapture"].forEach(function (type) {
      document.addEventListener(type, function (event) {
        if (press && event.pointerId === press.id && (type === "pointercancel" || !press.mouse)) { endPress(); }
      });
    });
    document.addEventListener("touchcancel", endPress);
    window.addEventListener("blur", endPress);
    document.addEventListener("scroll", function () {
      if (press && !press.mouse && press.state === null) {
        press.moved = true;
        clearTimeout(press.timer);
      }
    }, true);
  }

  function enhance(group) {
    var boxes = boxesOf(group);
    if (!boxes.length) { return; }
    setRoving(boxes, boxes.filter(function (b) { return b.checked; })[0] || boxes[0]);
    keyboard(group, boxes);
    pointers(group, boxes);
    group.addEventListener("focusin", function (event) {
      if (boxes.indexOf(event.target) >= 0) { setRoving(boxes, event.target); }
    });
    group.addEventListener("change", function (event) {
      if (boxes.indexOf(event.target) >= 0) { setRoving(boxes, event.target); }
      updateCount(group);
    });
    updateCount(group);
  }

  function init() {
    each(document.querySelectorAll(".markable"), enhance);
    watchPointers();
    watchBars();
    var error = document.getElementById("form-error");
    if (error) { error.focus(); }
  }

  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", init); }
  else { init(); }
})();
