/* Count down the time left of a timed quiz attempt and submit at zero.
 * Without JavaScript the page still states the deadline in text; the server
 * enforces it either way. Loaded as a file: the site's CSP forbids inline
 * scripts. */
(function () {
  "use strict";
  var timer = document.querySelector("[data-quiz-timer]");
  if (!timer) { return; }
  var remaining = parseInt(timer.getAttribute("data-remaining"), 10);
  var form = document.getElementById(timer.getAttribute("data-form"));
  // The clock and its warnings sit in the sticky bar, visible to everyone.
  var output = document.querySelector("[data-quiz-timer-output]");
  var status = document.querySelector("[data-quiz-timer-status]");
  var bar = document.querySelector("[data-quiz-bar]");
  if (isNaN(remaining) || !form || !output) { return; }
  // Count from the server's figure, not the device clock; one extra second
  // makes sure the deadline has passed on the server when we submit.
  var end = Date.now() + (remaining + 1) * 1000;
  var announced = {};
  var handle = null;
  var live = document.querySelector("[data-quiz-timer-live]") || output.parentNode;
  live.hidden = false;

  function pad(n) { return (n < 10 ? "0" : "") + n; }
  function format(seconds) {
    var h = Math.floor(seconds / 3600), m = Math.floor((seconds % 3600) / 60), s = seconds % 60;
    return (h ? h + ":" + pad(m) : m) + ":" + pad(s);
  }
  function announce(key, label) {
    if (announced[key] || !status) { return; }
    announced[key] = true;
    status.textContent = timer.getAttribute(label) || "";
    if (bar) { bar.classList.add(key === "five" ? "is-warning" : "is-urgent"); }
  }
  function submit() {
    var button = form.querySelector("button[name=action][value=submit]");
    if (form.requestSubmit) { form.requestSubmit(button); } else if (button) { button.click(); }
  }
  function tick() {
    var left = Math.max(0, Math.round((end - Date.now()) / 1000));
    output.textContent = format(left);
    if (left <= 300 && remaining > 300) { announce("five", "data-label-five"); }
    if (left <= 60 && remaining > 60) { announce("one", "data-label-one"); }
    if (left <= 0) {
      window.clearInterval(handle);
      announce("zero", "data-label-zero");
      submit();
    }
  }
  tick();
  handle = window.setInterval(tick, 1000);
}());
