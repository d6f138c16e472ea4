// The print page's button (no inline handler: the Content-Security-Policy refuses them).
for (const button of document.querySelectorAll("[data-print]")) {
  button.addEventListener("click", () => window.print());
}
