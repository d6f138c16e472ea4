// "New live game" form: pick N random questions, count the chosen ones.
const boxes = () => [...document.querySelectorAll('input[name="questions"]')];
const count = document.getElementById("chosen-count");

function update() {
  const n = boxes().filter((b) => b.checked).length;
  count.textContent = interpolate(gettext("(%s câu đã chọn)"), [n]);
}

document.getElementById("random-pick")?.addEventListener("click", () => {
  const n = Math.max(1, Math.min(50, parseInt(document.getElementById("random-n").value, 10) || 10));
  const all = boxes();
  all.forEach((b) => { b.checked = false; });
  for (let i = all.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [all[i], all[j]] = [all[j], all[i]];
  }
  all.slice(0, n).forEach((b) => { b.checked = true; });
  update();
});
document.getElementById("clear-pick")?.addEventListener("click", () => {
  boxes().forEach((b) => { b.checked = false; });
  update();
});
document.addEventListener("change", (ev) => { if (ev.target.name === "questions") update(); });
update();
