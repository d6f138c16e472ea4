// Live board: a snapshot on connect, then small updates (at most about one a second).
import { Channel } from "/static/js/realtime.js";

const root = document.getElementById("board-root");
const rowsEl = document.getElementById("board-rows");
const aroundEl = document.getElementById("around-rows");
const statusEl = document.getElementById("board-status");
const mineEl = document.getElementById("mine");
const select = document.getElementById("board-select");
const frozenNote = document.getElementById("frozen-note");
const nf = new Intl.NumberFormat(document.documentElement.lang === "en" ? "en-GB" : "vi-VN", { maximumFractionDigits: 2 });

function tr(row) {
  const el = document.createElement("tr");
  if (row.me) el.className = "me";
  const rank = document.createElement("td"); rank.className = "num"; rank.textContent = row.rank;
  const name = document.createElement("td"); name.textContent = row.name;
  if (row.detail) { const d = document.createElement("div"); d.className = "muted small"; d.textContent = row.detail; name.append(d); }
  const score = document.createElement("td"); score.className = "num"; score.textContent = nf.format(row.score);
  el.append(rank, name, score);
  return el;
}

const LABELS = {
  all: gettext("Toàn bộ"), class: gettext("Trong lớp"), school: gettext("Trong trường"), commune: gettext("Trong xã/phường"),
  "units:class": gettext("Lớp của em"), "units:school": gettext("Trường của em"), "units:commune": gettext("Xã/phường của em"),
};

const hiddenNote = document.getElementById("hidden-note");

function render(msg) {
  hiddenNote.hidden = !msg.hidden;
  rowsEl.replaceChildren(...(msg.top.length ? msg.top.map(tr) : [Object.assign(document.createElement("tr"), { innerHTML: `<td colspan="3" class="muted"></td>` })]));
  if (!msg.top.length) rowsEl.querySelector("td").textContent = msg.hidden ? gettext("Điểm và thứ hạng chưa được công bố.") : gettext("Chưa có kết quả.");
  const showAround = msg.me && !msg.top.some((r) => r.me);
  document.getElementById("around").hidden = !showAround;
  document.getElementById("around-title").hidden = !showAround;
  aroundEl.replaceChildren(...(showAround ? msg.around.map(tr) : []));
  frozenNote.hidden = !msg.frozen;
  const parts = Object.entries(msg.mine || {}).filter(([, v]) => v.rank).map(([k, v]) => `${LABELS[k] || k}: ${v.rank}/${v.total}`);
  mineEl.hidden = parts.length === 0;
  mineEl.textContent = parts.length ? interpolate(gettext("Thứ hạng của em — %s"), [parts.join(" · ")]) : "";
  statusEl.textContent = msg.hidden ? "" : interpolate(gettext("%s người trên bảng"), [nf.format(msg.total)]);
  statusEl.dataset.total = msg.hidden ? "" : msg.total;
}

const channel = new Channel(root.dataset.ws, {
  onStatus: (s) => { if (s !== "open") statusEl.textContent = gettext("Đang kết nối…"); },
});
channel.on("board.snapshot", render);
channel.on("board.update", render);
channel.on("error", (msg) => { statusEl.textContent = msg.message; });
select.addEventListener("change", () => channel.send({ type: "board.view", board: select.value, ref: Date.now() }));
