// Confirmation dialogs in the page (never window.confirm): a button with
// data-confirm="<dialog id>" opens that <dialog> modally. The dialog holds the real form; its
// cancel button uses formmethod="dialog", so Escape or "Hủy" closes it without sending anything.
for (const button of document.querySelectorAll("button[data-confirm]")) {
  const dialog = document.getElementById(button.dataset.confirm);
  if (!dialog) continue;
  button.addEventListener("click", () => dialog.showModal());
  dialog.addEventListener("close", () => button.focus());
}
