// The question picker (quizbank/templates/quizbank/picker/_picker.html), shared by the live
// game builder, the organisers' round questions and the teachers' class round form. Search,
// filters and pages swap the list in without reloading the page, so the form's name, its
// settings and every ticked question stay as they are: ticked questions that are not in the
// list shown live on as hidden inputs of the form, and "pick_order" keeps the ticking order.
const search = document.getElementById("pick-search");
const filters = document.getElementById("pick-filters");
const list = document.getElementById("pick-list");
const hidden = document.getElementById("chosen-hidden");
const count = document.getElementById("chosen-count");
const warning = document.getElementById("lang-warning");
const order = document.getElementById("pick-order");

if (search && list) {
  const form = list.closest("form");
  // The list's boxes, and every box of the form (a page may also list the chosen questions).
  const boxes = () => [...list.querySelectorAll('input[name="questions"]')];
  const allBoxes = () => [...form.querySelectorAll('input[type="checkbox"][name="questions"]')];

  // id -> language of every ticked question, wherever it was ticked, in ticking order.
  const chosen = new Map();
  const present = new Map();
  for (const input of form.querySelectorAll('input[name="questions"]')) {
    if (input.type === "hidden" || input.checked) present.set(input.value, input.dataset.lang || "");
  }
  for (const id of (order.value || "").split(",")) {
    if (present.has(id)) chosen.set(id, present.get(id));
  }
  for (const [id, lang] of present) if (!chosen.has(id)) chosen.set(id, lang);

  function sync() {
    const shown = new Set(allBoxes().map((b) => b.value));
    hidden.replaceChildren(...[...chosen].filter(([id]) => !shown.has(id)).map(([id, lang]) => {
      const input = document.createElement("input");
      Object.assign(input, { type: "hidden", name: "questions", value: id });
      input.dataset.lang = lang;
      return input;
    }));
    order.value = [...chosen.keys()].join(",");
    count.textContent = interpolate(gettext("(%s câu đã chọn)"), [chosen.size]);
    const langs = new Set(chosen.values());
    const foreign = [...chosen.values()].filter((l) => l && l !== "vi").length;
    warning.hidden = !(langs.size > 1 && foreign);
    warning.textContent = interpolate(gettext("Lưu ý: %s câu đã chọn không phải tiếng Việt."), [foreign]);
  }

  function tick(box, on) {
    for (const other of allBoxes()) if (other.value === box.value) other.checked = on;
    if (on) { if (!chosen.has(box.value)) chosen.set(box.value, box.dataset.lang || ""); }
    else chosen.delete(box.value);
  }

  let latest = 0;  // several filters changed quickly: only the last answer counts
  async function load(page) {
    const mine = ++latest;
    const params = new URLSearchParams(new FormData(search));
    if (page) params.set("page", page);
    list.setAttribute("aria-busy", "true");
    try {
      const res = await fetch(`${search.dataset.fragment}?${params}`, { credentials: "same-origin" });
      if (!res.ok) throw new Error(String(res.status));
      const html = await res.text();
      if (mine !== latest) return;
      list.innerHTML = html;
      for (const box of allBoxes()) box.checked = chosen.has(box.value);
      sync();
    } catch {
      warning.hidden = false;
      warning.textContent = gettext("Không tải được danh sách câu hỏi, vui lòng thử lại.");
    } finally {
      if (mine === latest) list.removeAttribute("aria-busy");
    }
  }

  search.addEventListener("submit", (ev) => { ev.preventDefault(); load(); });
  filters.addEventListener("change", (ev) => { if (ev.target.tagName === "SELECT") load(); });
  list.addEventListener("click", (ev) => {
    const btn = ev.target.closest("button[data-page]");
    if (btn && !btn.disabled) load(btn.dataset.page);
  });
  form.addEventListener("change", (ev) => {
    if (ev.target.name === "questions" && ev.target.type === "checkbox") { tick(ev.target, ev.target.checked); sync(); }
  });

  // N at random among the questions of the list shown (the current search and page).
  document.getElementById("random-pick")?.addEventListener("click", () => {
    const n = Math.max(1, Math.min(50, parseInt(document.getElementById("random-n").value, 10) || 10));
    const all = boxes();
    all.forEach((b) => tick(b, false));
    for (let i = all.length - 1; i > 0; i--) {
      const j = Math.floor(Math.random() * (i + 1));
      [all[i], all[j]] = [all[j], all[i]];
    }
    all.slice(0, n).forEach((b) => tick(b, true));
    sync();
  });
  document.getElementById("clear-pick")?.addEventListener("click", () => {
    chosen.clear();
    allBoxes().forEach((b) => { b.checked = false; });
    sync();
  });
  sync();
}
