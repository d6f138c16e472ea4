// Confirmation dialogs in the page (never window.confirm): a button with
// data-confirm="<dialog id>" opens that <dialog> modally. The dialog holds the confirming
// submit button; its cancel button (formmethod="dialog", or data-close-dialog when the dialog
// sits inside the form it confirms) and Escape close it without sending anything.
for (const button of document.querySelectorAll("button[data-confirm]")) {
  const dialog = document.getElementById(button.dataset.confirm);
  if (!dialog) continue;
  button.addEventListener("click", () => dialog.showModal());
  dialog.addEventListener("close", () => button.focus());
  for (const cancel of dialog.querySelectorAll("[data-close-dialog]")) {
    cancel.addEventListener("click", () => dialog.close());
  }
  // Enter in a field of the form would submit it past the dialog: ask first.
  const form = button.form;
  if (form && dialog.closest("form") === form) {
    form.addEventListener("submit", (event) => {
      if (!dialog.open) {
        event.preventDefault();
        dialog.showModal();
      }
    });
  }
}
