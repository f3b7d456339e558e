/* Save the answers of an open attempt as they are chosen, so switching
 * language, following a link or losing the tab keeps them. Each change posts
 * the whole form with action=save (the server keeps the last save); while a
 * change is not yet saved, leaving the page asks for confirmation. Without
 * JavaScript the "Save answers" button does the same. Loaded as a file: the
 * site's CSP forbids inline scripts. */
(function () {
  "use strict";
  var form = document.querySelector("form[data-autosave]");
  if (!form || !window.fetch || !window.FormData) { return; }
  var status = document.querySelector("[data-autosave-status]");
  var dirty = false;     // a change not yet saved
  var inFlight = null;   // the save under way
  var again = false;     // another change arrived during that save
  var submitting = false;

  function say(label) {
    if (status) { status.textContent = form.getAttribute(label) || ""; }
  }

  function save() {
    if (submitting) { return; }
    if (inFlight) { again = true; return; }
    var data = new FormData(form);
    data.set("action", "save");
    data.set("autosave", "1");
    say("data-label-saving");
    // form.action would be the buttons named "action"; read the attribute.
    inFlight = window.fetch(form.getAttribute("action"), {
      method: "POST",
      body: data,
      credentials: "same-origin",
      redirect: "manual",
      headers: { "X-CSRFToken": (form.querySelector("input[name=csrfmiddlewaretoken]") || {}).value || "" }
    }).then(function (response) {
      inFlight = null;
      if (response.status === 204) {
        if (again && !submitting) { again = false; save(); return; }
        dirty = false;
        form.removeAttribute("data-unsaved");
        say("data-label-saved");
      } else {
        // Time ran out, already graded, or refused: the buttons still work.
        say("data-label-failed");
      }
    }).catch(function () {
      inFlight = null;
      say("data-label-failed");
    });
  }

  form.addEventListener("change", function (event) {
    if (!event.target.matches("input[type=radio], input[type=checkbox]")) { return; }
    dirty = true;
    form.setAttribute("data-unsaved", "");
    save();
  });
  form.addEventListener("submit", function (event) {
    // One request at a time: a submit waits for the save under way, then
    // posts with the button that was pressed.
    if (submitting) { return; }
    submitting = true;
    if (!inFlight) { return; }
    event.preventDefault();
    var submitter = event.submitter;
    inFlight.then(function () {
      if (submitter && submitter.name) {
        var field = document.createElement("input");
        field.type = "hidden";
        field.name = submitter.name;
        field.value = submitter.value;
        form.appendChild(field);
      }
      form.submit();
    });
  });
  window.addEventListener("beforeunload", function (event) {
    if (dirty && !submitting) {
      event.preventDefault();
      event.returnValue = "";
    }
  });
}());
