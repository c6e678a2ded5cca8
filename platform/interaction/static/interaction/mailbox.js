/* The mailbox captcha's "换一张" button: a new image and key in place, so nothing typed is lost. */
(function () {
  "use strict";
  document.addEventListener("click", function (event) {
    var button = event.target.closest(".captcha__refresh");
    if (!button) return;
    var field = button.closest(".form-field") || document;
    var image = field.querySelector(".captcha__image");
    var key = field.querySelector("input[type=hidden][name$='_0']");
    var answer = field.querySelector("input[type=text][name$='_1']");
    fetch(button.getAttribute("data-refresh-url"), { headers: { "X-Requested-With": "XMLHttpRequest" } })
      .then(function (response) { return response.json(); })
      .then(function (data) {
        image.src = data.image_url;
        key.value = data.key;
        if (answer) { answer.value = ""; answer.focus(); }
      });
  });
})();
