/* Framing Lab: saved progress on the quiz page. The page works without this file: every
   Back, Next and question button is a form post that saves the marks. This adds
   - saving as the student goes: a moment after each change the form is posted to the
     save address (with its CSRF token, refreshed by every answer); a quiet status line
     says "Saved", or that it is retrying when the network or the server did not answer;
   - a "leave this page?" warning, only while some marks are not saved yet;
   - on the whole-lesson page, the list of unanswered questions before submitting, with
     "Go back" and "Submit anyway" (the server asks too, without this file). */
(function () {
  "use strict";

  var DEBOUNCE_MS = 800;
  var MAX_RETRY_MS = 30000;

  function init() {
    var form = document.querySelector("form.quiz[data-save-url]");
    if (!form) { return; }
    var url = form.getAttribute("data-save-url");
    var status = form.querySelector("[data-save-status]");
    var changes = 0;      // changes made on this page
    var saved = 0;        // the last change the server has stored
    var inFlight = false;
    var timer = null;
    var retryMs = 2000;
    var leaving = false;  // a form post is on its way: it saves, no warning needed

    function say(text) { if (status) { status.textContent = text; } }

    function setToken(token) {
      Array.prototype.forEach.call(document.querySelectorAll("input[name=csrf_token]"),
        function (input) { input.value = token; });
    }

    function schedule(ms) {
      if (timer) { clearTimeout(timer); }
      timer = setTimeout(save, ms);
    }

    function body() {
      var data = new URLSearchParams(new FormData(form));
      data.delete("confirm");
      data.set("go", "stay");
      return data;
    }

    function save() {
      timer = null;
      if (inFlight || changes === saved) { return; }
      inFlight = true;
      var sent = changes;
      fetch(url, {
        method: "POST", body: body(), credentials: "same-origin",
        headers: { "X-Requested-With": "fetch", "Accept": "application/json" }
      }).then(function (response) {
        return response.json().then(function (answer) {
          return { ok: response.ok, status: response.status, answer: answer || {} };
        });
      }).then(function (result) {
        inFlight = false;
        var answer = result.answer;
        if (answer.csrf) { setToken(answer.csrf); }
        if (result.ok && answer.saved) {
          saved = Math.max(saved, sent);
          retryMs = 2000;
          say(changes === saved ? "Saved" : "Saving…");
          if (changes !== saved) { schedule(DEBOUNCE_MS); }
        } else if (answer.retry) {
          schedule(200);  // an expired page: the answer carried a fresh token
        } else if (result.status === 401) {
          say(answer.error || "You were logged out. Log in again in a new tab.");
          retry();
        } else {
          say("Not saved: " + (answer.error || "the server refused these marks."));
        }
      }).catch(function () {
        inFlight = false;
        say("Not saved yet: no answer from the server. Trying again…");
        retry();
      });
    }

    function retry() {
      schedule(retryMs);
      retryMs = Math.min(retryMs * 2, MAX_RETRY_MS);
    }

    // --- which questions are answered (the same rule as app/domain/progress.py) ---------
    // A frame or a verdict is a radio group (fieldset.options): the question is answered
    // when each group has its choice. Without one, any word, sentence, card or fact marked.
    function stateOf(section) {
      var groups = section.querySelectorAll("fieldset.options");
      var anyMark = section.querySelector("input.mark:checked, input.pick-box:checked") !== null;
      if (!groups.length) { return anyMark ? "answered" : "blank"; }
      var chosen = Array.prototype.filter.call(groups, function (group) {
        return group.querySelector("input[type=radio]:checked") !== null;
      }).length;
      if (chosen === groups.length) { return "answered"; }
      return (chosen || anyMark) ? "partial" : "blank";
    }

    var WORDS = { answered: "answered", partial: "partly answered", blank: "not answered" };

    function showState(section) {
      var step = form.querySelector("input[name=step]");
      if (!step) { return; }
      var button = form.querySelector(".steps button[value='" + step.value + "']");
      if (!button) { return; }
      var state = stateOf(section);
      button.className = "step step-" + state;
      var hidden = button.querySelector(".visually-hidden:last-child");
      if (hidden) { hidden.textContent = ", " + WORDS[state]; }
    }

    form.addEventListener("change", function (event) {
      changes += 1;
      say("");
      var section = event.target.closest("[data-question]");
      if (section) { showState(section); }
      schedule(DEBOUNCE_MS);
    });

    // --- leaving the page, and submitting with gaps ----------------------------------------
    window.addEventListener("beforeunload", function (event) {
      if (leaving || changes === saved) { return; }
      event.preventDefault();
      event.returnValue = "";
    });

    var warning = document.getElementById("unanswered-warning");

    function unanswered() {
      return Array.prototype.filter.call(form.querySelectorAll("[data-question]"),
        function (section) { return stateOf(section) !== "answered"; });
    }

    function showWarning(missing) {
      var list = warning.querySelector("[data-unanswered-list]");
      list.textContent = "";
      missing.forEach(function (section) {
        var item = document.createElement("li");
        var link = document.createElement("a");
        var kind = section.querySelector(".question-kind");
        link.href = "#" + section.id;
        link.textContent = kind ? kind.textContent.split("·")[0].trim() : section.id;
        item.appendChild(link);
        var title = section.querySelector("h2");
        item.appendChild(document.createTextNode(": " + (title ? title.textContent : "") +
          (stateOf(section) === "partial" ? " (partly answered)" : " (not answered)")));
        list.appendChild(item);
      });
      warning.hidden = false;
      warning.focus();
    }

    if (warning) {
      warning.querySelector("[data-go-back]").addEventListener("click", function () {
        warning.hidden = true;
        var first = unanswered()[0];
        if (first) {
          first.scrollIntoView({ block: "start" });
          var heading = first.querySelector("h2");
          if (heading) { heading.setAttribute("tabindex", "-1"); heading.focus(); }
        }
      });
    }

    form.addEventListener("submit", function (event) {
      var button = event.submitter;
      var saving = button && button.hasAttribute("formaction");
      var confirmed = button && button.name === "confirm";
      if (warning && !saving && !confirmed) {
        var missing = unanswered();
        if (missing.length) {
          event.preventDefault();
          showWarning(missing);
          return;
        }
      }
      leaving = true;
    });
  }

  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", init); }
  else { init(); }
})();
