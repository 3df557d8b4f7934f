// Copy buttons of the kit and the relay portal: <button data-copy="ID" hidden> copies the
// value (or text) of the element with that id, and says so in its status region
// (data-copy-status="ID"). The buttons are hidden until this script shows them.
(function () {
  "use strict";
  function say(button, message) {
    var status = document.getElementById(button.getAttribute("data-copy-status"));
    if (status) {
      status.textContent = "";
      window.setTimeout(function () { status.textContent = message; }, 50);
    }
  }
  function fallback(source) {
    source.removeAttribute("readonly");
    source.select();
    var done = false;
    try { done = document.execCommand("copy"); } catch (e) { done = false; }
    source.setAttribute("readonly", "");
    return done;
  }
  function copy(button) {
    var source = document.getElementById(button.getAttribute("data-copy"));
    if (!source) { return; }
    var text = source.value !== undefined ? source.value : source.textContent;
    var ok = button.getAttribute("data-copied") || "Copied";
    var failed = button.getAttribute("data-copy-failed") || "Select the text and copy it";
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(text).then(
        function () { say(button, ok); },
        function () { say(button, fallback(source) ? ok : failed); }
      );
    } else {
      say(button, fallback(source) ? ok : failed);
    }
  }
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("button[data-copy]").forEach(function (button) {
      button.hidden = false;
      button.addEventListener("click", function () { copy(button); });
    });
  });
})();
