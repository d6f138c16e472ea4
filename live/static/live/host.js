// Host console and projector. Both show the stage (lobby with PIN and QR, question with tiles
// and countdown, results with the answer chart, leaderboard, podium) from the server's
// messages; the console adds the controls and the player list. The game runs on the server's
// clock: closing this page changes nothing, and reopening it shows the game where it is.
import { Channel, ClockSync } from "/static/js/realtime.js";
import { choiceHtml, countdown, csrfToken, escapeHtml, fmt, plainText, shapeName, shapeSvg, tileClass } from "./common.js";

const config = JSON.parse(document.getElementById("live-config").textContent);
const isHost = config.view === "host";
const body = document.getElementById("stage-body");
const lobbyCard = document.getElementById("lobby-card");
// The PIN band keeps the PIN and the join address on screen after the lobby, for latecomers.
const pinBand = document.getElementById("pin-band");
const connEl = document.getElementById("conn");
const msgEl = document.getElementById("host-msg");
const teams = Object.fromEntries((config.teams || []).map((t) => [t.key, t.name]));

const S = { state: null, players: new Map(), count: 0, answered: 0, eligible: 0, stop: null };
const clock = new ClockSync();

const channel = new Channel(`/ws/live/${config.game}/${isHost ? "host" : "screen"}/`, {
  onStatus: (s) => {
    connEl.textContent = s === "open" ? gettext("Đã kết nối") : gettext("Đang kết nối lại…");
    connEl.className = `badge ${s === "open" ? "ok" : "warn"}`;
  },
});
channel.on("live.state", (msg) => {
  if (S.state && msg.v < S.state.v) return;
  const changed = !S.state || S.state.phase !== msg.phase || S.state.index !== msg.index;
  S.state = msg;
  if (changed && msg.phase === "question") S.answered = 0;
  S.count = msg.players;
  render();
});
channel.on("live.lobby", (msg) => {
  if (msg.reset) S.players.clear();
  for (const p of msg.joined || []) S.players.set(p.id, p);
  for (const p of msg.changed || []) S.players.set(p.id, p);
  for (const id of msg.removed || []) S.players.delete(id);
  if (typeof msg.players === "number") S.count = msg.players;
  renderPlayers();
  if (S.state && S.state.phase === "lobby") render();
});
channel.on("live.count", (msg) => {
  if (!S.state || msg.index !== S.state.index) return;
  S.answered = msg.answered;
  S.eligible = msg.players;
  const el = document.getElementById("answered");
  if (el) el.textContent = answeredText();
});
channel.on("error", (msg) => say(msg.message));

// A yes/no question in the page's own dialog; resolves true when the host confirms.
function ask(question, yes) {
  const dialog = document.getElementById("host-confirm");
  document.getElementById("host-confirm-text").textContent = question;
  document.getElementById("host-confirm-ok").textContent = yes;
  dialog.returnValue = "";
  return new Promise((resolve) => {
    dialog.addEventListener("close", () => resolve(dialog.returnValue === "ok"), { once: true });
    dialog.showModal();
  });
}

function say(text) { if (msgEl) msgEl.textContent = text || ""; }
const answeredText = () => interpolate(gettext("%s/%s đã trả lời"), [fmt(S.answered), fmt(S.eligible || S.count)]);

// --- controls ----------------------------------------------------------------------------
if (isHost) {
  document.querySelectorAll("[data-action]").forEach((btn) => btn.addEventListener("click", () => act(btn)));
}

async function act(btn) {
  const action = btn.dataset.action;
  if (action === "end" && !(await ask(gettext("Kết thúc trò chơi ngay bây giờ?"), gettext("Kết thúc")))) return;
  const payload = {};
  if (action === "add-time") payload.seconds = parseInt(btn.dataset.seconds, 10);
  if (action === "next" && S.state) payload.expected_phase = S.state.phase;
  await post(`/api/live/games/${config.game}/${action}/`, payload);
}

async function post(url, payload) {
  say("");
  try {
    const res = await fetch(url, {
      method: "POST", credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrfToken() },
      body: JSON.stringify(payload),
    });
    if (!res.ok) {
      const data = await res.json().catch(() => ({}));
      if (data.error?.code !== "stale") say(data.error?.message || gettext("Có lỗi, vui lòng thử lại."));
    }
  } catch { say(gettext("Mất kết nối tới máy chủ.")); }
}

function updateControls(st) {
  if (!isHost) return;
  const q = st.phase === "question";
  const set = (action, on) => { const b = document.querySelector(`[data-action="${action}"]`); if (b) b.disabled = !on; };
  set("pause", q && !st.paused);
  set("resume", q && st.paused);
  set("add-time", q);
  set("end", st.phase !== "ended");
  const between = st.phase === "results" || st.phase === "leaderboard";
  set("rescue", between && st.rescues_used < st.rescues_allowed);
  const rescue = document.getElementById("btn-rescue");
  if (rescue) rescue.textContent = interpolate(gettext("Cứu trợ (còn %s)"), [Math.max(0, st.rescues_allowed - st.rescues_used)]);
  const next = document.getElementById("btn-next");
  const last = st.index >= st.total - 1;
  const labels = {
    lobby: gettext("Bắt đầu"), question: gettext("Đóng câu hỏi"),
    results: last ? gettext("Xem bục vinh quang") : gettext("Bảng xếp hạng"),
    leaderboard: gettext("Câu tiếp theo"), ended: gettext("Đã kết thúc"),
  };
  next.textContent = labels[st.phase];
  next.disabled = st.phase === "ended";
}

function renderPlayers() {
  const count = document.getElementById("players-count");
  if (count) count.textContent = fmt(S.count);
  const list = document.getElementById("players-list");
  if (!list) return;
  const teamSelect = (p) => (config.teams || []).length ? `<label class="sr-only" for="team-${p.id}">${gettext("Đội")}</label>
    <select id="team-${p.id}" data-team="${p.id}">${config.teams.map((t) => `<option value="${escapeHtml(t.key)}"${t.key === p.team ? " selected" : ""}>${escapeHtml(t.name)}</option>`).join("")}</select>` : "";
  list.innerHTML = [...S.players.values()].map((p) => `<li><span>${escapeHtml(p.name)}</span>${teamSelect(p)}
    <button class="btn danger" type="button" data-kick="${p.id}">${gettext("Mời ra")}</button></li>`).join("");
  list.querySelectorAll("[data-team]").forEach((sel) => sel.addEventListener("change", () => {
    post(`/api/live/games/${config.game}/players/${sel.dataset.team}/team/`, { team: sel.value });
  }));
  list.querySelectorAll("[data-kick]").forEach((b) => b.addEventListener("click", async () => {
    const p = S.players.get(parseInt(b.dataset.kick, 10));
    if (p && (await ask(interpolate(gettext("Mời %s ra khỏi trò chơi?"), [p.name]), gettext("Mời ra")))) {
      await post(`/api/live/games/${config.game}/players/${p.id}/kick/`, {});
    }
  }));
}

// --- stage -------------------------------------------------------------------------------
function render() {
  const st = S.state;
  if (!st) return;
  if (S.stop) { S.stop(); S.stop = null; }
  updateControls(st);
  lobbyCard.hidden = st.phase !== "lobby";
  if (pinBand) pinBand.hidden = st.phase === "lobby" || st.phase === "ended";
  if (st.phase === "lobby") {
    const names = [...S.players.values()].slice(-200);
    body.innerHTML = `<p class="meter"><strong>${interpolate(gettext("%s người chơi"), [fmt(S.count)])}</strong>
      <span class="muted">${gettext("Chờ mọi người vào rồi bấm Bắt đầu")}</span></p>
      <ul class="chips">${names.map((p) => `<li>${escapeHtml(p.name)}</li>`).join("")}</ul>`;
  } else if (st.phase === "question") renderQuestion(st);
  else if (st.phase === "results") renderResults(st);
  else if (st.phase === "leaderboard") renderBoard(st);
  else renderPodium(st);
}

function tiles(q, correct) {
  return `<div class="tiles${correct ? " result" : ""}">${q.choices.map((c, i) => {
    const mark = correct ? (correct.has(c.id) ? " correct" : " wrong") : "";
    const tick = correct && correct.has(c.id) ? `<span class="tick" aria-label="${gettext("Đáp án đúng")}">✔</span>` : "";
    return `<div class="tile ${tileClass(i)}${mark}" role="group" aria-label="${escapeHtml(shapeName(i))}">${shapeSvg(i)}<span class="tile-text">${choiceHtml(c, q.type)}</span>${tick}</div>`;
  }).join("")}</div>`;
}

function renderQuestion(st) {
  const q = st.question;
  const choiceType = ["single", "truefalse", "multiple", "ordering"].includes(q.type);
  body.innerHTML = `<div class="meter"><span>${interpolate(gettext("Câu %s/%s"), [st.index + 1, st.total])}</span>
      <span class="countdown" id="cd">${st.paused ? "⏸" : ""}</span><span id="answered">${answeredText()}</span></div>
    ${st.paused ? `<p class="paused-banner">${gettext("Tạm dừng")}</p>` : ""}
    <div class="stem">${q.stem_html}</div>${q.image ? `<img src="${escapeHtml(q.image)}" alt="">` : ""}
    ${choiceType ? tiles(q, null) : `<p class="muted">${gettext("Học sinh nhập câu trả lời trên điện thoại.")}</p>`}`;
  if (!st.paused && st.deadline) S.stop = countdown(document.getElementById("cd"), clock, st.deadline);
}

function renderResults(st) {
  const q = st.question;
  const r = st.results;
  const correct = new Set(r.correct_choices || []);
  const isChoice = ["single", "truefalse", "multiple"].includes(q.type);
  const answer = isChoice ? tiles(q, correct)
    : `<p class="big-status ok">${gettext("Đáp án")}: ${escapeHtml(correctText(q, r))}</p>`;
  body.innerHTML = `<div class="meter"><span>${interpolate(gettext("Câu %s/%s"), [st.index + 1, st.total])}</span>
      <span>${interpolate(gettext("%s/%s đã trả lời"), [fmt(r.answered), fmt(r.players)])}</span>
      ${st.alive !== undefined ? `<span>${interpolate(gettext("Còn %s người trụ lại"), [fmt(st.alive)])}</span>` : ""}</div>
    <div class="stem">${q.stem_html}</div>
    ${distChart(q, r, correct, isChoice)}
    ${answer}${r.explanation_html ? `<div class="explanation">${r.explanation_html}</div>` : ""}`;
  // Heights through the CSSOM, not a style attribute (the CSP forbids inline styles).
  body.querySelectorAll(".dist-bar").forEach((bar) => bar.style.setProperty("--h", `${bar.dataset.h}%`));
}

function correctText(q, r) {
  const c = r.correct || {};
  if (c.accepted) return c.accepted.join(" / ");
  if (c.value !== undefined) return fmt(c.value);
  if (c.order) {
    const byId = Object.fromEntries(q.choices.map((x) => [x.id, plainText(x.html)]));
    return c.order.map((id) => byId[id]).join(" → ");
  }
  return "";
}

// The answer distribution as HTML bars: the count on each bar, the tile's shape and colour
// under it (the tiles below carry the full text), a tick on the right ones. Text, not a canvas,
// so it scales with the screen and reads from the back row.
function distChart(q, r, correct, isChoice) {
  const dist = r.distribution || {};
  let bars;
  if (isChoice) {
    bars = q.choices.map((c, i) => ({
      count: dist[c.id] || 0, right: correct.has(c.id), cls: tileClass(i), icon: shapeSvg(i),
      label: `${shapeName(i)}: ${plainText(choiceHtml(c, q.type))}`,
    }));
  } else {
    bars = [
      { count: dist.correct || 0, right: true, cls: "tile-green", icon: "✔", label: gettext("Đúng") },
      { count: dist.wrong || 0, right: false, cls: "tile-red", icon: "✘", label: gettext("Sai") },
    ];
  }
  const max = Math.max(1, ...bars.map((b) => b.count));
  return `<div class="dist" id="dist" role="img" aria-label="${gettext("Biểu đồ số người chọn mỗi phương án")}">${bars.map((b) => `
    <div class="dist-col ${b.cls}${b.right ? " right" : ""}" title="${escapeHtml(b.label)}">
      <span class="dist-count">${fmt(b.count)}</span>
      <span class="dist-bar" data-h="${Math.round((b.count / max) * 100)}"></span>
      <span class="dist-label" aria-label="${escapeHtml(b.label)}">${b.icon}${b.right ? '<span class="tick">✔</span>' : ""}</span>
    </div>`).join("")}</div>`;
}

function board(rows) {
  return `<ol class="board">${rows.map((p) => `<li><span class="r">${p.rank}</span><span class="n">${escapeHtml(p.name)}${p.team ? ` <span class="muted">· ${escapeHtml(teams[p.team] || "")}</span>` : ""}</span>
    <span class="s">${fmt(p.score)}</span></li>`).join("")}</ol>`;
}
function teamBoard(list) {
  if (!list || !list.length) return "";
  return `<h3>${gettext("Các đội (điểm trung bình)")}</h3><ol class="board teams-board">${list.map((t) => `<li><span class="r">${t.rank}</span>
    <span class="n">${escapeHtml(t.name)} <span class="muted">(${interpolate(gettext("%s người"), [t.members])})</span></span><span class="s">${fmt(t.score)}</span></li>`).join("")}</ol>`;
}

function renderBoard(st) {
  const b = st.board || {};
  const climbers = (b.climbers || []).length
    ? `<h3>${gettext("Bứt phá")}</h3><ul class="board">${b.climbers.map((c) => `<li><span class="r">▲</span><span class="n">${escapeHtml(c.name)}</span>
      <span class="s">${interpolate(gettext("hạng %s → %s"), [c.from, c.to])}</span></li>`).join("")}</ul>` : "";
  const side = climbers + teamBoard(b.teams);
  body.innerHTML = `<h2>${gettext("Bảng xếp hạng")}</h2>${b.alive !== undefined ? `<p>${interpolate(gettext("Còn %s người trụ lại"), [fmt(b.alive)])}</p>` : ""}
    <div class="board-grid${side ? " two" : ""}"><div>${board(b.top || [])}</div>${side ? `<div>${side}</div>` : ""}</div>`;
}

function renderPodium(st) {
  const p = st.podium || {};
  const top = p.top || [];
  if (p.played === false) {
    // Ended from the lobby: nobody played, so no podium and no ranks.
    body.innerHTML = `<h2>${gettext("Trò chơi đã kết thúc")}</h2>
      <p data-testid="no-podium">${gettext("Trò chơi kết thúc khi chưa có câu hỏi nào: không có bục vinh quang.")}</p>
      <p class="muted">${interpolate(gettext("%s người chơi"), [fmt(p.players || 0)])}</p>`;
    return;
  }
  const steps = [1, 0, 2].filter((i) => top[i]).map((i) => `<div class="step p${i + 1}"><span>${i + 1}</span>
    <strong>${escapeHtml(top[i].name)}</strong><span>${fmt(top[i].score)}</span></div>`).join("");
  body.innerHTML = `<h2>${gettext("Bục vinh quang")}</h2><div class="podium">${steps}</div>
    ${top.length > 3 ? board(top.slice(3)) : ""}${teamBoard(p.teams)}
    <p class="muted">${interpolate(gettext("%s người chơi"), [fmt(p.players || 0)])}</p>`;
}
