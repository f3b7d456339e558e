// wagtail-modeltranslation writes "Copy content from" in English into the
// editor; put the translated text (from #lms-admin-strings) in its place.
(function () {
  "use strict";
  function translate() {
    var source = document.getElementById("lms-admin-strings");
    if (!source) { return; }
    var strings = JSON.parse(source.textContent);
    document.querySelectorAll(".translation-field-copy-wrapper").forEach(function (wrapper) {
      var node = wrapper.firstChild;
      if (node && node.nodeType === Node.TEXT_NODE) {
        node.textContent = strings.copyContentFrom + ": ";
      }
    });
  }
  window.addEventListener("load", translate);
})();
