// Small behaviours shared by every page. No inline scripts, so a strict CSP can be used.
document.addEventListener("click", function (event) {
  if (event.target.closest("[data-print]")) {
    window.print();
  }
});
