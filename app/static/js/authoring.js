/* Framing Lab: the lesson editor's helpers. Everything works without this file.

   - Unsaved changes: a form marked data-unsaved-guard warns before the page is left with
     something typed or ticked and not saved (the server already saves every field of the
     question page with whichever button is pressed; this is the second line).
   - A suggestion's Accept button needs its neutral wording: an empty field is pointed
     out before posting (the server refuses it too).
   - Accept, Dismiss and Accept all on a suggestion (data-in-place) post in the background
     and redraw the page where it was, with focus kept on the list, instead of a reload.
   - The printable answer key gets a Print button.
*/
(function () {
  "use strict";

  function snapshot(form) {
    return new URLSearchParams(new FormData(form)).toString();
  }

  function guard(form) {
    var saved = snapshot(form);
    var leaving = false;
    form.addEventListener("submit", function () { leaving = true; });
    window.addEventListener("beforeunload", function (event) {
      if (leaving || !document.body.contains(form) || snapshot(form) === saved) { return; }
      event.preventDefault();
      event.returnValue = "";
    });
    form.fieldsSaved = function () { saved = snapshot(form); };
  }

  function neededField(button) {
    return document.querySelector('[data-needed-by="' + button.id + '"]');
  }

  function refuseEmpty(button) {
    var field = neededField(button);
    if (!field || field.value.trim()) { return false; }
    field.setAttribute("aria-invalid", "true");
    field.focus();
    if (field.reportValidity) { field.reportValidity(); }
    return true;
  }

  function redraw(html, listId) {
    var fresh = new DOMParser().parseFromString(html, "text/html");
    var article = fresh.querySelector("article.editor");
    var flashes = fresh.querySelector(".flashes");
    var current = document.querySelector("article.editor");
    if (!article || !current) { return false; }
    var scroll = window.scrollY;
    current.replaceWith(article);
    var here = document.querySelector(".flashes");
    if (here && flashes) { here.innerHTML = flashes.innerHTML; }
    window.scrollTo(0, scroll);
    setUp(document);
    var target = document.getElementById(listId) || article;
    var heading = target.querySelector("h3, h2") || target;
    heading.setAttribute("tabindex", "-1");
    heading.focus({ preventScroll: true });
    return true;
  }

  function inPlace(button, form) {
    var data = new FormData(form);
    data.append(button.name, button.value);
    var list = button.closest(".suggestions") || button.closest("section");
    var listId = list ? list.id : "";
    button.disabled = true;
    fetch(button.formAction, { method: "POST", body: data, credentials: "same-origin" })
      .then(function (response) { return response.text(); })
      .then(function (html) {
        if (form.fieldsSaved) { form.fieldsSaved(); }
        if (!redraw(html, listId)) { document.open(); document.write(html); document.close(); }
      })
      .catch(function () { button.disabled = false; form.requestSubmit(button); });
  }

  function setUp(root) {
    root.querySelectorAll("form[data-unsaved-guard]").forEach(function (form) {
      if (form.dataset.guarded) { return; }
      form.dataset.guarded = "1";
      guard(form);
      form.addEventListener("click", function (event) {
        var button = event.target.closest("button[type=submit]");
        if (!button || !form.contains(button)) { return; }
        if (button.name === "accept" && refuseEmpty(button)) {
          event.preventDefault();
          return;
        }
        if (button.hasAttribute("data-in-place") && window.fetch && window.DOMParser) {
          event.preventDefault();
          inPlace(button, form);
        }
      });
    });
    root.querySelectorAll("[data-print]").forEach(function (button) {
      button.hidden = false;
      button.addEventListener("click", function () { window.print(); });
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", function () { setUp(document); });
  } else {
    setUp(document);
  }
}());
