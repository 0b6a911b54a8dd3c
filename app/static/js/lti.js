// The deep-linking answer goes back to the LMS on its own; the button stays for anyone
// whose browser runs no script.
document.addEventListener("DOMContentLoaded", () => {
  const form = document.querySelector("form[data-auto-submit]");
  if (form) form.submit();
});
