// Leave pages: a form is sent once. The idempotency key already makes a second submission harmless;
// disabling the button tells the user the first click was heard.
document.addEventListener("submit", function (event) {
  var form = event.target;
  if (!(form instanceof HTMLFormElement) || form.method.toLowerCase() !== "post") return;
  window.setTimeout(function () {
    form.querySelectorAll("button[type=submit]").forEach(function (button) { button.disabled = true; });
  }, 0);
});
