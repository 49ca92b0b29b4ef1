// Gatehouse console: small progressive enhancements. Every form works
// without this file.
(function () {
  "use strict";
  // Copy buttons: <button data-copy="id-of-element">.
  document.addEventListener("click", function (ev) {
    var b = ev.target.closest("button[data-copy]");
    if (!b) { return; }
    ev.preventDefault();
    var el = document.getElementById(b.getAttribute("data-copy"));
    if (!el || !navigator.clipboard) { return; }
    navigator.clipboard.writeText(el.textContent.trim()).then(function () {
      b.textContent = "Copied";
    });
  });
  // Put focus on an error summary so that screen readers announce it.
  var summary = document.getElementById("error-summary");
  if (summary) { summary.focus(); }
})();
