/* Progressive enhancement of the contribution form: the postal address is shown only when
   the chosen reward is sent by post. Without JavaScript the address section stays visible
   (and the server asks for it only when needed). */
(function () {
  "use strict";
  function setUp() {
    var form = document.querySelector(".contribute-form");
    var section = document.querySelector("[data-shipping-section]");
    if (!form || !section) {
      return;
    }
    var radios = form.querySelectorAll('input[type="radio"][data-shipping]');
    function update() {
      var ships = false;
      radios.forEach(function (radio) {
        if (radio.checked && radio.dataset.shipping === "1") {
          ships = true;
        }
      });
      var hasErrors = section.querySelector(".field-invalid") !== null;
      section.hidden = !ships && !hasErrors;
    }
    radios.forEach(function (radio) {
      radio.addEventListener("change", update);
    });
    update();
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", setUp);
  } else {
    setUp();
  }
})();
