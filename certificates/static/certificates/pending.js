/* While a certificate is being issued (a background task), fetch the page
 * again every few seconds and swap in the certificate panel once it is
 * there. The wrapper is a polite live region, so the change is announced.
 * Loaded as a file: the site's CSP forbids inline scripts. */
(function () {
  "use strict";
  var wrapper = document.querySelector("[data-certificate-panel]");
  if (!wrapper || !window.fetch || !window.DOMParser) { return; }
  var tries = 0;
  var maxTries = 40; // about three minutes
  function poll() {
    tries += 1;
    window.fetch(window.location.href, { credentials: "same-origin" })
      .then(function (response) { return response.ok ? response.text() : ""; })
      .then(function (html) {
        var doc = new window.DOMParser().parseFromString(html, "text/html");
        var fresh = doc.querySelector("[data-certificate-panel]");
        if (fresh && !fresh.querySelector("[data-certificate-pending]")) {
          wrapper.innerHTML = fresh.innerHTML;
          return;
        }
        if (tries < maxTries) { window.setTimeout(poll, 4000); }
      })
      .catch(function () {
        if (tries < maxTries) { window.setTimeout(poll, 8000); }
      });
  }
  window.setTimeout(poll, 3000);
}());
