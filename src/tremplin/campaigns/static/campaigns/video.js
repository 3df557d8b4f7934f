/* Click-to-load video: the player (and its host's cookies and requests) is loaded only when
 * the visitor clicks "Play". The iframe waits in a <template> until then. */
(function () {
  "use strict";
  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-video-play]");
    if (!button) return;
    var facade = button.closest(".video-facade");
    var template = facade && facade.querySelector("template");
    if (!template) return;
    var player = template.content.firstElementChild.cloneNode(true);
    facade.replaceWith(player);
    player.focus();
  });
})();
