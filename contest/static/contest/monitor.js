// The organiser's live round monitor: figures pushed by /ws/contest/rounds/<id>/monitor/.
import { Channel } from "../js/realtime.js";

const roundId = JSON.parse(document.getElementById("round-id").textContent);
const lang = document.documentElement.lang === "en" ? "en-GB" : "vi-VN";
const num = new Intl.NumberFormat(lang);
const time = new Intl.DateTimeFormat(lang, { hour: "2-digit", minute: "2-digit", second: "2-digit" });
const conn = document.getElementById("conn");
const labels = { open: gettext("Trực tiếp"), waiting: gettext("Mất kết nối, đang thử lại…"), reconnecting: gettext("Đang kết nối lại…"), connecting: gettext("Đang kết nối…"), refused: gettext("Không có quyền xem") };

function drawBars(perMinute) {
  const bars = document.getElementById("bars");
  const max = Math.max(1, ...perMinute.map((m) => m.n));
  bars.replaceChildren(...perMinute.map((m) => {
    const bar = document.createElement("div");
    bar.className = "bar";
    bar.style.height = `${Math.round((m.n / max) * 100)}%`;
    bar.title = num.format(m.n);
    return bar;
  }));
  document.getElementById("bar-labels").replaceChildren(...perMinute.map((m) => {
    const span = document.createElement("span");
    span.textContent = num.format(m.n);
    return span;
  }));
}

function drawTop(rows) {
  const body = document.getElementById("top");
  if (!rows.length) {
    const tr = document.createElement("tr");
    const td = document.createElement("td");
    td.colSpan = 5; td.className = "muted"; td.textContent = gettext("Chưa có bài nộp.");
    tr.append(td); body.replaceChildren(tr); return;
  }
  body.replaceChildren(...rows.map((row, i) => {
    const tr = document.createElement("tr");
    const cells = [num.format(i + 1), `${row.name} ${row.class}`.trim(), row.school, num.format(row.score),
      row.time_used_ms === null ? "" : num.format(Math.round(row.time_used_ms / 1000))];
    cells.forEach((text, j) => {
      const td = document.createElement("td");
      if (j === 0 || j >= 3) td.className = "num";
      td.textContent = text;
      tr.append(td);
    });
    return tr;
  }));
}

const channel = new Channel(`/ws/contest/rounds/${roundId}/monitor/`, {
  onStatus: (s) => { conn.dataset.state = s; conn.textContent = labels[s] || s; },
});
channel.on("monitor.update", (msg) => {
  for (const [key, value] of Object.entries(msg.counts)) {
    const el = document.querySelector(`[data-count="${key}"]`);
    if (el) el.textContent = num.format(value);
  }
  drawBars(msg.per_minute);
  drawTop(msg.top);
  document.getElementById("updated").textContent = time.format(new Date(msg.server_now));
});
drawBars([...document.querySelectorAll("#bars .bar")].map((b) => ({ n: Number(b.dataset.n) })));
