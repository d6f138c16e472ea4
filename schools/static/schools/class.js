// Class page: a "select all" box for the bulk actions (the page works without it).
const form = document.getElementById("class-actions");
const all = document.getElementById("select-all");
if (form && all) {
  const boxes = () => form.querySelectorAll("input[name=student]");
  all.hidden = false;
  all.nextElementSibling.hidden = false;
  all.addEventListener("change", () => {
    for (const box of boxes()) box.checked = all.checked;
  });
  form.addEventListener("change", (event) => {
    if (event.target.name !== "student") return;
    const list = [...boxes()];
    all.checked = list.length > 0 && list.every((b) => b.checked);
  });
}
