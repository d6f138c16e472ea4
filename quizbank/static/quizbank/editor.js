// Question editor: type-dependent fields, keyboard-friendly choice rows, live phone preview.
// The form works without this script; it only adds convenience.
const form = document.getElementById("qb-editor");
const list = document.getElementById("qb-choices");
const template = document.getElementById("qb-choice-template");
const qtype = document.getElementById("qb-qtype");
const partial = document.getElementById("qb-partial");
const preview = document.getElementById("qb-preview");
const previewStatus = document.getElementById("qb-preview-status");
let newKey = 1000;

function applyType() {
  const type = qtype.value;
  for (const el of document.querySelectorAll("[data-qtypes]")) {
    const show = el.dataset.qtypes.split(" ").includes(type);
    el.hidden = !show;
    // Hidden groups must not submit (e.g. choice rows of a short-answer question).
    for (const input of el.querySelectorAll("input, textarea, select")) input.disabled = !show;
  }
  for (const row of list.querySelectorAll(".qb-choice")) {
    const box = row.querySelector('input[name="choice_correct"]');
    box.type = type === "single" ? "radio" : "checkbox";
    row.querySelector(".qb-correct").hidden = type === "ordering";
    row.querySelector(".qb-weight").hidden = !(type === "multiple" && partial.checked);
  }
}

function newRow() {
  const key = `new-${newKey++}`;
  const html = template.innerHTML.replaceAll("__KEY__", key);
  const holder = document.createElement("ol");
  holder.innerHTML = html.trim();
  return holder.firstElementChild;
}

function addAfter(row) {
  const fresh = newRow();
  if (row) row.after(fresh);
  else list.append(fresh);
  applyType();
  fresh.querySelector(".qb-choice-text").focus();
  schedulePreview();
  return fresh;
}

function move(row, step) {
  const sibling = step < 0 ? row.previousElementSibling : row.nextElementSibling;
  if (!sibling) return;
  if (step < 0) sibling.before(row);
  else sibling.after(row);
  row.querySelector(".qb-choice-text").focus();
  schedulePreview();
}

function remove(row) {
  const prev = row.previousElementSibling || row.nextElementSibling;
  row.remove();
  if (prev) prev.querySelector(".qb-choice-text").focus();
  schedulePreview();
}

if (list) {
  document.getElementById("qb-add-choice").addEventListener("click", () => addAfter(list.lastElementChild));
  list.addEventListener("click", (e) => {
    const row = e.target.closest(".qb-choice");
    if (!row) return;
    if (e.target.closest("[data-move]")) move(row, Number(e.target.closest("[data-move]").dataset.move));
    if (e.target.closest("[data-remove]")) remove(row);
  });
  list.addEventListener("keydown", (e) => {
    const input = e.target.closest(".qb-choice-text");
    if (!input) return;
    const row = input.closest(".qb-choice");
    if (e.key === "Enter") {
      e.preventDefault();
      addAfter(row);
    } else if (e.altKey && (e.key === "ArrowUp" || e.key === "ArrowDown")) {
      e.preventDefault();
      move(row, e.key === "ArrowUp" ? -1 : 1);
    } else if (e.key === "Backspace" && input.value === "" && list.children.length > 2) {
      e.preventDefault();
      remove(row);
    }
  });
}

// --- Live preview: the server renders the form exactly as a student will see it. ---
let timer = null;
let seq = 0;
function schedulePreview() {
  clearTimeout(timer);
  timer = setTimeout(renderPreview, 300);
}

async function renderPreview() {
  const mine = ++seq;
  const body = new FormData(form);
  body.delete("image");
  let data;
  try {
    const resp = await fetch(form.dataset.previewUrl, { method: "POST", body, credentials: "same-origin" });
    data = await resp.json();
    if (mine !== seq) return;
    if (!resp.ok) {
      const fields = Object.values(data.error?.fields || {}).flat();
      previewStatus.textContent = fields[0] || data.error?.message || "";
      return;
    }
  } catch {
    previewStatus.textContent = gettext("Không tải được bản xem trước.");
    return;
  }
  previewStatus.textContent = data.warning || "";
  const parts = [];
  parts.push(`<div class="qb-pv-stem">${data.stem_html}</div>`);
  if (data.type === "short" || data.type === "numeric") {
    parts.push(`<div class="qb-pv-input">${gettext("Ô nhập câu trả lời")}</div>`);
  } else {
    // stem_html and choice html are sanitised by the server (nh3).
    parts.push(`<ol class="qb-pv-choices qb-pv-${data.type}">${data.choices.map((c) => `<li>${c.html}</li>`).join("")}</ol>`);
  }
  if (data.time_limit_s) parts.push(`<p class="qb-pv-time">⏱ ${interpolate(gettext("%s giây"), [data.time_limit_s])}</p>`);
  preview.innerHTML = parts.join("");
}

if (form) {
  qtype.addEventListener("change", () => {
    applyType();
    schedulePreview();
  });
  partial?.addEventListener("change", applyType);
  form.addEventListener("input", schedulePreview);
  form.addEventListener("change", schedulePreview);
  applyType();
}
for (const f of document.querySelectorAll("form[data-confirm]")) {
  f.addEventListener("submit", (e) => {
    if (!window.confirm(f.dataset.confirm)) e.preventDefault();
  });
}
