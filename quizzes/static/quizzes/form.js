/* Move keyboard and screen-reader focus to the list of problems after a
 * rejected submission, so the trainee hears what to fix first. */
(function () {
  "use strict";
  var errors = document.getElementById("form-errors");
  if (errors) { errors.focus(); }
}());
