// Registration: fill commune, school and class lists from the public API as choices are made,
// and filter the long lists as the pupil types (accents optional: "vinh" finds "Vĩnh").
const where = document.getElementById("where");
const api = where.dataset.api; // /api/schools/regions/
const post = document.getElementById("register-form");
const selects = {
  province: document.getElementById("province"),
  commune: document.getElementById("commune"),
  school: document.getElementById("school"),
  schoolClass: document.getElementById("school_class"),
};

const fold = (s) => s.normalize("NFD").replace(/[\u0300-\u036f]/g, "").replace(/đ/g, "d").replace(/Đ/g, "D").toLowerCase();

function applyFilter(select) {
  const input = where.querySelector(`[data-filter-for="${select.id}"]`);
  if (!input) return;
  const key = fold(input.value.trim());
  for (const option of select.options) {
    if (option.value) option.hidden = key !== "" && !fold(option.text).includes(key);
  }
}

function fill(select, items, value, label) {
  const first = select.options[0];
  select.replaceChildren(first, ...items.map((item) => new Option(label(item), value(item))));
  select.value = "";
  applyFilter(select); // a filter typed while the list was loading still applies
}

async function load(url) {
  const response = await fetch(url, { headers: { Accept: "application/json" } });
  return response.ok ? response.json() : [];
}

function syncHidden() {
  post.elements.province.value = selects.province.value;
  post.elements.commune.value = selects.commune.value;
  post.elements.school.value = selects.school.value;
}

for (const el of where.querySelectorAll("[data-nojs]")) el.hidden = true;
for (const input of where.querySelectorAll("[data-filter-for]")) {
  input.hidden = false;
  const select = document.getElementById(input.dataset.filterFor);
  input.addEventListener("input", () => applyFilter(select));
}

selects.province.addEventListener("change", async () => {
  fill(selects.school, [], null, null);
  fill(selects.schoolClass, [], null, null);
  const communes = selects.province.value ? await load(`${api}?parent=${encodeURIComponent(selects.province.value)}`) : [];
  fill(selects.commune, communes, (c) => c.code, (c) => c.name);
  syncHidden();
});
selects.commune.addEventListener("change", async () => {
  fill(selects.schoolClass, [], null, null);
  const code = selects.commune.value;
  const schools = code ? await load(`${api}${encodeURIComponent(code)}/schools/`) : [];
  fill(selects.school, schools, (s) => s.code, (s) => s.name);
  syncHidden();
});
selects.school.addEventListener("change", async () => {
  const code = selects.school.value;
  const classes = code ? await load(api.replace("regions/", `schools/${encodeURIComponent(code)}/classes/`)) : [];
  fill(selects.schoolClass, classes, (c) => String(c.id), (c) => c.name);
  syncHidden();
});
