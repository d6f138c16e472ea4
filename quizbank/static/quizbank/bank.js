// Bank browser: "select all" for the bulk actions.
const all = document.getElementById("qb-all");
if (all) {
  all.addEventListener("change", () => {
    for (const box of document.querySelectorAll('#qb-results input[name="ids"]')) box.checked = all.checked;
  });
}
