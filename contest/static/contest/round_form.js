// Round form: show the fields that apply (N attempts, the draw rules) for the current choices.
const form = document.getElementById("round-form");
function value(name) {
  const checked = form.querySelector(`[name="${name}"]:checked`);
  if (checked) return checked.value;
  const el = form.querySelector(`select[name="${name}"]`);
  return el ? el.value : "";
}
function refresh() {
  for (const el of form.querySelectorAll("[data-show-when]")) {
    const [name, wanted] = el.dataset.showWhen.split("=");
    el.hidden = value(name) !== wanted;
  }
  // Only the chosen scoring format's options (without script, every group shows).
  for (const el of form.querySelectorAll("[data-scoring-format]")) {
    el.hidden = el.dataset.scoringFormat !== value("scoring_format");
  }
}
form.addEventListener("change", refresh);
refresh();
