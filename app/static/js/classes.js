// Class and assignment forms (teacher pages). Progressive enhancement: every form works
// without this file. Loaded with `defer`, no inline JS (the CSP allows none).
"use strict";

(function () {
  // New class: preselect the zone the browser runs in (the only place that knows the
  // teacher's own zone). Without JavaScript the site's default stays selected.
  document.querySelectorAll("select[data-browser-zone]").forEach(function (select) {
    var zone = "";
    try {
      zone = Intl.DateTimeFormat().resolvedOptions().timeZone || "";
    } catch (error) {
      return;
    }
    var found = Array.prototype.some.call(select.options, function (option) {
      return option.value === zone;
    });
    if (found) {
      select.value = zone;
    }
  });

  // Assignment rules: once more than one attempt is allowed, propose "after the due
  // date" for the answers, unless the teacher already chose when they are shown.
  document.querySelectorAll("[data-answers-rules]").forEach(function (group) {
    var form = group.closest("form");
    var attempts = form && form.querySelector("select[name=max_attempts]");
    if (!attempts) {
      return;
    }
    var chosen = false;
    group.querySelectorAll("input[name=feedback]").forEach(function (radio) {
      radio.addEventListener("change", function () { chosen = true; });
    });
    attempts.addEventListener("change", function () {
      if (chosen || attempts.value === "1") {
        return;
      }
      var now = group.querySelector("input[name=feedback]:checked");
      var later = group.querySelector("input[name=feedback][value=after_due]");
      if (later && (!now || now.value === "immediately")) {
        later.checked = true;
      }
    });
  });
})();
