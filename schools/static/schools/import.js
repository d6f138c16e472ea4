// Import page: upload (with upload progress), preview with per-row errors, then commit in steps
// with a progress bar. Talks to /api/schools/imports/ like any other client; the job's status
// words and progress are the shared ones (core.jobs, /static/js/jobs.js).
import { isFinished } from "/static/js/jobs.js";

const form = document.getElementById("import-form");
const api = form.dataset.api;
const csrf = form.querySelector("[name=csrfmiddlewaretoken]").value;
const box = document.getElementById("import-status");
const title = document.getElementById("status-title");
const bar = document.getElementById("import-progress");
const text = document.getElementById("status-text");
const summary = document.getElementById("summary");
const errorsBox = document.getElementById("errors-box");
const warningsList = document.getElementById("warnings");
const previewBox = document.getElementById("preview-box");
const commitBtn = document.getElementById("commit");
const cards = document.getElementById("cards");
const kindSelect = document.getElementById("kind");
let job = null;
// The API follows Accept-Language; answer in the page's language, not the browser's.
const LANG = document.documentElement.lang || "vi";

const ACTIONS = {
  create: gettext("Thêm mới"),
  update: gettext("Cập nhật"),
  unchanged: gettext("Không đổi"),
};
const COLUMNS = {
  roster: [["full_name", gettext("Họ và tên")], ["date_of_birth", gettext("Ngày sinh")], ["class_name", gettext("Lớp")], ["student_code", gettext("Mã học sinh")]],
  schools: [["code", gettext("Mã trường")], ["name", gettext("Tên trường")], ["levels", gettext("Cấp học")], ["commune", gettext("Mã xã")]],
  regions: [["code", gettext("Mã")], ["name", gettext("Tên")], ["kind", gettext("Loại")], ["parent", gettext("Mã cấp trên")]],
};

function showKind() {
  for (const el of form.querySelectorAll("[data-for-kind]")) {
    el.hidden = !el.dataset.forKind.split(" ").includes(kindSelect.value);
  }
}
kindSelect.addEventListener("change", showKind);
showKind();

function isoToVi(value) {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value || "");
  return m ? `${m[3]}/${m[2]}/${m[1]}` : value;
}

function cell(row, tag, value) {
  const el = document.createElement(tag);
  el.textContent = value ?? "";
  row.append(el);
  return el;
}

function setProgress(percent, label, visible = true) {
  bar.hidden = !visible;
  bar.value = percent;
  bar.textContent = `${percent}%`;
  text.textContent = label;
}

function render(j) {
  job = j;
  const s = j.summary || {};
  summary.textContent = interpolate(gettext("Thêm mới: %(create)s · Cập nhật: %(update)s · Không đổi: %(unchanged)s"), s, true);
  const errorBody = errorsBox.querySelector("tbody");
  errorBody.replaceChildren();
  for (const e of j.errors) {
    const tr = document.createElement("tr");
    cell(tr, "td", e.row).className = "num";
    cell(tr, "td", e.column);
    cell(tr, "td", e.message);
    errorBody.append(tr);
  }
  errorsBox.hidden = j.errors.length === 0;
  const warnings = j.warnings || [];
  warningsList.replaceChildren(...warnings.map((w) => {
    const li = document.createElement("li");
    li.textContent = interpolate(gettext("Dòng %(row)s: %(message)s"), w, true);
    return li;
  }));
  warningsList.hidden = warnings.length === 0;

  const table = previewBox.querySelector("table");
  const head = document.createElement("tr");
  const columns = COLUMNS[j.kind];
  for (const label of [gettext("Dòng"), gettext("Thao tác"), ...columns.map((c) => c[1])]) cell(head, "th", label).scope = "col";
  table.tHead.replaceChildren(head);
  table.tBodies[0].replaceChildren(...j.rows.map((r) => {
    const tr = document.createElement("tr");
    cell(tr, "td", r.row).className = "num";
    cell(tr, "td", ACTIONS[r.action] || r.action);
    for (const [key] of columns) {
      const value = Array.isArray(r[key]) ? r[key].join(", ") : r[key];
      cell(tr, "td", key === "date_of_birth" ? isoToVi(value) : value);
    }
    return tr;
  }));
  previewBox.hidden = j.status === "failed" || j.rows.length === 0;
  commitBtn.hidden = j.status !== "ready" && j.status !== "running";

  if (j.status === "failed") {
    title.textContent = gettext("Tệp có lỗi");
    const bad = new Set(j.errors.map((e) => e.row)).size;
    const message = ngettext("%s dòng có lỗi. Hãy sửa tệp rồi tải lên lại.", "%s dòng có lỗi. Hãy sửa tệp rồi tải lên lại.", bad);
    setProgress(0, interpolate(message, [bad]), false);
  } else if (j.status === "ready") {
    title.textContent = gettext("Xem trước: chưa nhập dữ liệu nào");
    setProgress(0, gettext("Kiểm tra lại rồi bấm “Nhập vào hệ thống”."), false);
  } else if (j.status === "done") {
    title.textContent = gettext("Đã nhập xong");
    setProgress(100, gettext("Dữ liệu đã được lưu."));
    cards.replaceChildren(...j.classes.map((c) => {
      const li = document.createElement("li");
      const a = document.createElement("a");
      a.href = c.cards_url;
      a.setAttribute("download", "");
      a.textContent = interpolate(gettext("Thẻ đăng nhập lớp %s (PDF)"), [c.name]);
      li.append(a);
      return li;
    }));
    cards.hidden = j.classes.length === 0;
  }
}

function showFailure(message) {
  title.textContent = gettext("Không nhập được");
  setProgress(0, message, false);
  text.setAttribute("role", "alert");
}

async function errorMessage(response) {
  try {
    return (await response.json()).error.message;
  } catch {
    return gettext("Có lỗi xảy ra. Vui lòng thử lại.");
  }
}

form.addEventListener("submit", (event) => {
  event.preventDefault();
  const file = form.elements.file.files[0];
  if (!file) {
    form.elements.file.focus();
    return;
  }
  const data = new FormData();
  data.append("kind", kindSelect.value);
  data.append("file", file);
  if (kindSelect.value === "roster") {
    data.append("school", form.elements.school.value);
    data.append("school_year", form.elements.school_year.value);
  } else {
    data.append("is_demo", form.elements.is_demo.checked ? "true" : "false");
  }
  box.hidden = false;
  cards.hidden = true;
  errorsBox.hidden = true;
  warningsList.hidden = true;
  previewBox.hidden = true;
  commitBtn.hidden = true;
  summary.textContent = "";
  text.removeAttribute("role");
  title.textContent = gettext("Đang tải lên…");
  const xhr = new XMLHttpRequest();
  xhr.open("POST", api);
  xhr.setRequestHeader("X-CSRFToken", csrf);
  xhr.setRequestHeader("Accept", "application/json");
  xhr.setRequestHeader("Accept-Language", LANG);
  xhr.upload.addEventListener("progress", (e) => {
    if (e.lengthComputable) setProgress(Math.round((100 * e.loaded) / e.total), gettext("Đang tải lên…"));
  });
  xhr.addEventListener("load", () => {
    let body = null;
    try { body = JSON.parse(xhr.responseText); } catch { body = null; }
    if (xhr.status === 201 && body) render(body);
    else showFailure(body?.error?.message || gettext("Có lỗi xảy ra. Vui lòng thử lại."));
    box.scrollIntoView({ block: "start" });
  });
  xhr.addEventListener("error", () => showFailure(gettext("Mất kết nối. Vui lòng thử lại.")));
  xhr.send(data);
});

commitBtn.addEventListener("click", async () => {
  commitBtn.disabled = true;
  title.textContent = gettext("Đang nhập…");
  try {
    while (job && !isFinished(job)) {
      const response = await fetch(`${api}${job.id}/advance/`, {
        method: "POST",
        headers: { "X-CSRFToken": csrf, Accept: "application/json", "Accept-Language": LANG },
        credentials: "same-origin",
      });
      if (!response.ok) {
        showFailure(await errorMessage(response));
        return;
      }
      job = await response.json();
      setProgress(job.percent, interpolate(gettext("Đang nhập… %s%%"), [job.percent]));
    }
    render(job);
  } catch {
    showFailure(gettext("Mất kết nối. Vui lòng thử lại."));
  } finally {
    commitBtn.disabled = false;
  }
});
