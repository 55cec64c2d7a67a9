// The "Afdrukken" button of the printable overview: hidden without JavaScript, since printing
// then goes through the browser's own menu.
document.addEventListener("DOMContentLoaded", () => {
  for (const button of document.querySelectorAll("[data-print]")) {
    button.hidden = false;
    button.addEventListener("click", () => window.print());
  }
});
