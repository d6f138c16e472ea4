// The player's phone: join by PIN (nickname, or roster name + class code, or signed in),
// then answer on big coloured tiles. Every message from the server is a full state
// (live.state) or the player's own standing (live.you), so a reload or a dropped network only
// needs the token kept in localStorage to come back as the same player.
import { Channel } from "/static/js/realtime.js";
import { SocketClock, choiceHtml, countdown, escapeHtml, fmt, shapeName, shapeSvg, tileClass } from "./common.js";

const root = document.getElementById("play");
const stage = document.getElementById("play-stage");
const msgEl = document.getElementById("play-msg");
const connEl = document.getElementById("conn");
const forms = {
  pin: document.getElementById("pin-form"),
  name: document.getElementById("name-form"),
  roster: document.getElementById("roster-form"),
};

const S = {
  game: parseInt(root.dataset.game, 10) || null,
  pin: root.dataset.pin || "",
  info: null,          // the PIN lookup's answer
  join: null,          // the live.join message waiting for the socket
  player: null,
  state: null,
  you: null,
  answered: {},        // index -> true once acknowledged
  mine: {},            // index -> the response sent
  sending: false,
  out: false,
  rescues: 0,
  channel: null,
  clock: null,
  stopCountdown: null,
  ref: 1,
};

const tokenKey = (game) => `hts-live-${game}`;
const show = (name) => { for (const [k, f] of Object.entries(forms)) f.hidden = k !== name; };
const say = (text) => { msgEl.textContent = text || ""; };

async function postJson(url, body) {
  const res = await fetch(url, {
    method: "POST",
    headers: { "Content-Type": "application/json", "X-CSRFToken": csrf() },
    body: JSON.stringify(body),
    credentials: "same-origin",
  });
  const data = await res.json().catch(() => ({}));
  if (!res.ok) throw Object.assign(new Error(data.error?.message || gettext("Có lỗi, vui lòng thử lại.")), { code: data.error?.code });
  return data;
}
function csrf() {
  const m = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
  return m ? decodeURIComponent(m[1]) : "";
}

// --- joining ---------------------------------------------------------------------------
forms.pin.addEventListener("submit", async (ev) => {
  ev.preventDefault();
  say("");
  const pin = document.getElementById("pin-input").value.replace(/\D/g, "");
  try {
    S.info = await postJson("/api/live/pin/", { pin });
  } catch (err) { say(err.message); return; }
  S.pin = pin;
  S.game = S.info.game;
  const token = localStorage.getItem(tokenKey(S.game));
  if (token) { connect(); return; }  // we have been here before: come back as that player
  askIdentity();
});

function askIdentity() {
  for (const el of document.querySelectorAll("#game-name, .game-name")) el.textContent = S.info.name;
  if (S.info.join === "roster") {
    show("roster");
    document.getElementById("signed-in-join").hidden = !S.info.signed_in_ok;
    return;
  }
  const teamRow = document.getElementById("team-row");
  teamRow.hidden = !S.info.choose_team;
  if (S.info.choose_team) {
    const sel = document.getElementById("team-select");
    sel.innerHTML = S.info.teams.map((t) => `<option value="${escapeHtml(t.key)}">${escapeHtml(t.name)}</option>`).join("");
  }
  show("name");
  document.getElementById("nickname").focus();
}

forms.name.addEventListener("submit", (ev) => {
  ev.preventDefault();
  say("");
  const join = { type: "live.join", pin: S.pin, nickname: document.getElementById("nickname").value };
  if (S.info.choose_team) join.team = document.getElementById("team-select").value;
  startJoin(join);
});

forms.roster.addEventListener("submit", async (ev) => {
  ev.preventDefault();
  say("");
  const code = document.getElementById("class-code").value.trim().toUpperCase();
  let data;
  try { data = await postJson("/api/live/roster/", { pin: S.pin, class_code: code }); } catch (err) { say(err.message); return; }
  const sel = document.getElementById("roster-select");
  sel.innerHTML = data.students.map((s) => `<option value="${s.id}">${escapeHtml(s.name)} – ${escapeHtml(s.class)}</option>`).join("");
  for (const id of ["roster-select", "roster-label", "roster-join"]) document.getElementById(id).hidden = false;
  sel.focus();
});
document.getElementById("roster-join").addEventListener("click", () => {
  say("");
  startJoin({
    type: "live.join", pin: S.pin,
    student: parseInt(document.getElementById("roster-select").value, 10),
    class_code: document.getElementById("class-code").value.trim().toUpperCase(),
  });
});
document.getElementById("signed-in-join").addEventListener("click", () => startJoin({ type: "live.join", pin: S.pin }));

function startJoin(join) {
  S.join = { ...join, ref: S.ref++ };
  if (S.channel && S.channel.isOpen) S.channel.send(S.join);
  else connect();
}

// --- the socket --------------------------------------------------------------------------
function connect() {
  if (S.channel) return;
  const ch = new Channel(`/ws/live/${S.game}/play/`, { onStatus: status });
  S.channel = ch;
  S.clock = new SocketClock(ch);
  ch.on("open", () => {
    const token = localStorage.getItem(tokenKey(S.game));
    if (token) ch.send({ type: "live.resume", token, ref: S.ref++ });
    else if (S.join) ch.send(S.join);
  });
  ch.on("live.joined", onJoined);
  ch.on("live.state", onState);
  ch.on("live.you", onYou);
  ch.on("live.answered", onAnswered);
  ch.on("live.kicked", (msg) => { localStorage.removeItem(tokenKey(S.game)); end(msg.message); });
  ch.on("error", onError);
}

function status(s, code) {
  const labels = { connecting: gettext("Đang kết nối…"), reconnecting: gettext("Đang kết nối lại…"),
    open: gettext("Đã kết nối"), waiting: gettext("Mất kết nối, đang thử lại…"), refused: gettext("Đã ngắt kết nối"),
    closed: gettext("Đã ngắt kết nối") };
  connEl.textContent = labels[s] || "";
  connEl.className = `badge ${s === "open" ? "ok" : "warn"}`;
  if (s === "refused" && code === 4429) say(gettext("Bạn đã nhập sai quá nhiều lần. Vui lòng đợi một phút rồi thử lại."));
}

function onError(msg) {
  if (msg.code === "bad_token") {
    // An old or foreign token: forget it and join afresh.
    localStorage.removeItem(tokenKey(S.game));
    if (S.join) S.channel.send(S.join);
    else if (S.info) askIdentity();
    else { S.channel.close(); S.channel = null; show("pin"); }
    return;
  }
  if (msg.code === "late") { S.sending = false; say(gettext("Hết giờ: câu trả lời đến muộn.")); render(); return; }
  S.sending = false;
  say(msg.message);
  if (msg.retryable && !S.player && S.join) {
    // The server could not take the join just now (e.g. Redis is down): send it again.
    const join = S.join;
    setTimeout(() => { if (!S.player && S.join === join && S.channel) S.channel.send(join); }, 2000);
    return;
  }
  if (!S.player) {
    // A refused join: show the form again.
    if (S.info) askIdentity(); else show("pin");
  }
}

function onJoined(msg) {
  S.player = msg.player;
  S.out = !!msg.player.out;
  localStorage.setItem(tokenKey(S.game), msg.token);
  show(null);
  say("");
  document.getElementById("me").textContent = msg.player.name;
  if (location.pathname !== `/live/${S.game}/play/`) history.replaceState(null, "", `/live/${S.game}/play/`);
}

function onState(msg) {
  const prev = S.state;
  if (prev && msg.v < prev.v) return;
  S.clock.seed(msg.server_now);
  if (typeof msg.rescues_used === "number") {
    if (S.state && msg.rescues_used > S.rescues) S.out = false;  // "cứu trợ": everyone out is back in
    S.rescues = msg.rescues_used;
  }
  S.state = msg;
  if (msg.phase === "question" && (!prev || prev.index !== msg.index)) S.sending = false;
  say("");
  render();
}

function onYou(msg) {
  S.you = { ...(S.you || {}), ...msg };
  if (typeof msg.out === "boolean") S.out = msg.out;
  if (msg.current && msg.current.answered) S.answered[msg.current.index] = true;
  if (msg.answered !== undefined && msg.index === S.state?.index && S.state?.phase === "question") {
    // a reconnect snapshot before this question closed: nothing else to learn here
  }
  renderScore();
  render();
}

function onAnswered(msg) {
  S.answered[msg.index] = true;
  S.sending = false;
  render();
}

function end(text) {
  if (S.channel) S.channel.close();
  stage.innerHTML = `<p class="big-status bad">${escapeHtml(text)}</p>
    <p><a class="btn primary" href="/live/join/">${gettext("Vào trò chơi khác")}</a></p>`;
}

// --- rendering ---------------------------------------------------------------------------
function renderScore() {
  const y = S.you;
  document.getElementById("score").textContent = y && y.score !== undefined ? interpolate(gettext("%s điểm"), [fmt(y.score)]) : "";
}

function render() {
  const st = S.state;
  if (S.stopCountdown) { S.stopCountdown(); S.stopCountdown = null; }
  if (!st || !S.player) return;
  const outBanner = S.out && st.phase !== "ended" ? `<p class="out-banner">${gettext("Bạn đã bị loại – hãy tiếp tục theo dõi nhé!")}</p>` : "";
  if (st.phase === "lobby") {
    stage.innerHTML = `<h2>${gettext("Bạn đã vào trò chơi!")}</h2>
      <p class="rank-line">${gettext("Hãy tìm tên mình trên màn chiếu.")}</p>
      <p class="muted">${gettext("Người dẫn sắp bắt đầu…")}</p>${outBanner}`;
    return;
  }
  if (st.phase === "question") return renderQuestion(st, outBanner);
  if (st.phase === "results") return renderResults(st, outBanner);
  if (st.phase === "leaderboard") return renderBoard(st, outBanner);
  if (st.phase === "ended") return renderEnded(st);
}

function head(st) {
  return `<div class="q-head"><span>${interpolate(gettext("Câu %s/%s"), [st.index + 1, st.total])}</span>
    <span class="countdown" aria-label="${gettext("Số giây còn lại")}" id="cd">${st.paused ? "⏸" : ""}</span></div>`;
}

function renderQuestion(st, outBanner) {
  const q = st.question;
  const done = !!S.answered[st.index];
  let body;
  if (st.paused) body = `<p class="big-status">${gettext("Tạm dừng")}</p>`;
  else if (done) body = `<p class="big-status">${gettext("Đã gửi câu trả lời!")}</p><p>${gettext("Chờ mọi người trả lời xong…")}</p>`;
  else if (S.out) body = "";
  else if (S.sending) body = `<p class="big-status">${gettext("Đang gửi…")}</p>`;
  else body = answerUi(q);
  stage.innerHTML = `${head(st)}<div class="stem">${q.stem_html}</div>${outBanner}${body}`;
  if (!st.paused && st.deadline) S.stopCountdown = countdown(document.getElementById("cd"), S.clock, st.deadline);
  bindAnswer(q);
}

function tile(choice, i, qtype, attrs = "") {
  return `<button type="button" class="tile ${tileClass(i)}" data-choice="${escapeHtml(choice.id)}" ${attrs}
    aria-label="${escapeHtml(shapeName(i))}: ${escapeHtml(textOf(choice, qtype))}">${shapeSvg(i)}<span class="tile-text">${choiceHtml(choice, qtype)}</span></button>`;
}
function textOf(choice, qtype) {
  const div = document.createElement("div");
  div.innerHTML = choiceHtml(choice, qtype);
  return div.textContent.trim();
}

// Long choices read better one under the other on a phone.
function tilesClass(q, extra = "") {
  const long = q.choices.some((c) => textOf(c, q.type).length > 28);
  return `tiles${long ? " long" : ""}${extra}`;
}

function answerUi(q) {
  if (q.type === "single" || q.type === "truefalse") {
    return `<div class="${tilesClass(q)}">${q.choices.map((c, i) => tile(c, i, q.type)).join("")}</div>`;
  }
  if (q.type === "multiple") {
    return `<p class="muted">${gettext("Chọn tất cả phương án đúng rồi bấm Gửi.")}</p>
      <div class="${tilesClass(q)}">${q.choices.map((c, i) => tile(c, i, q.type, 'aria-pressed="false"')).join("")}</div>
      <button class="btn primary" id="send">${gettext("Gửi")}</button>`;
  }
  if (q.type === "ordering") {
    return `<p class="muted">${gettext("Sắp xếp theo đúng thứ tự rồi bấm Gửi.")}</p>
      <ol class="order-list" id="order">${q.choices.map((c) => `<li data-choice="${escapeHtml(c.id)}"><span>${c.html}</span>
      <button type="button" class="btn" data-move="-1" aria-label="${gettext("Lên")}">↑</button>
      <button type="button" class="btn" data-move="1" aria-label="${gettext("Xuống")}">↓</button></li>`).join("")}</ol>
      <button class="btn primary" id="send">${gettext("Gửi")}</button>`;
  }
  const numeric = q.type === "numeric";
  return `<form id="text-answer" class="form"><label for="answer-input">${gettext("Câu trả lời")}</label>
    <input id="answer-input" class="answer-input" ${numeric ? 'inputmode="decimal"' : ""} autocomplete="off" maxlength="200" required>
    <button class="btn primary" type="submit">${gettext("Gửi")}</button></form>`;
}

function bindAnswer(q) {
  const index = S.state.index;
  if (q.type === "single" || q.type === "truefalse") {
    stage.querySelectorAll(".tile").forEach((b) => b.addEventListener("click", () => send(index, { choice: b.dataset.choice })));
  } else if (q.type === "multiple") {
    stage.querySelectorAll(".tile").forEach((b) => b.addEventListener("click", () => {
      b.setAttribute("aria-pressed", b.getAttribute("aria-pressed") === "true" ? "false" : "true");
    }));
    stage.querySelector("#send")?.addEventListener("click", () => {
      const choices = [...stage.querySelectorAll('.tile[aria-pressed="true"]')].map((b) => b.dataset.choice);
      send(index, { choices });
    });
  } else if (q.type === "ordering") {
    stage.querySelectorAll("[data-move]").forEach((b) => b.addEventListener("click", () => {
      const li = b.closest("li");
      const dir = parseInt(b.dataset.move, 10);
      if (dir < 0 && li.previousElementSibling) li.parentNode.insertBefore(li, li.previousElementSibling);
      if (dir > 0 && li.nextElementSibling) li.parentNode.insertBefore(li.nextElementSibling, li);
      b.focus();
    }));
    stage.querySelector("#send")?.addEventListener("click", () => {
      send(index, { order: [...stage.querySelectorAll("#order li")].map((li) => li.dataset.choice) });
    });
  } else {
    stage.querySelector("#text-answer")?.addEventListener("submit", (ev) => {
      ev.preventDefault();
      const value = document.getElementById("answer-input").value;
      send(index, q.type === "numeric" ? { value } : { text: value });
    });
  }
}

function send(index, response) {
  if (S.sending || S.answered[index]) return;
  S.sending = true;
  S.mine[index] = response;
  S.channel.send({ type: "live.answer", ref: S.ref++, index, response });
  render();
}

function renderResults(st, outBanner) {
  const y = S.you && S.you.index === st.index ? S.you : null;
  let status = `<p class="big-status">${gettext("Hết giờ!")}</p>`;
  if (y && y.answered) status = y.correct
    ? `<p class="big-status ok">✔ ${gettext("Chính xác!")}</p><p class="points">+${fmt(y.points)}</p>`
    : `<p class="big-status bad">✘ ${gettext("Chưa đúng")}</p>`;
  else if (y) status = `<p class="big-status bad">${gettext("Bạn chưa trả lời câu này")}</p>`;
  const rank = y && y.rank ? `<p class="rank-line">${interpolate(gettext("Hạng %s"), [y.rank])}${climb(y)}</p>` : "";
  const q = st.question;
  const correct = new Set(st.results.correct_choices || []);
  const sent = S.mine[st.index] || {};
  const chosen = new Set(sent.choices || (sent.choice ? [sent.choice] : []));
  const tiles = ["single", "truefalse", "multiple"].includes(q.type)
    ? `<div class="${tilesClass(q, " result")}">${q.choices.map((c, i) => resultTile(tile(c, i, q.type, "disabled"), correct.has(c.id), chosen.has(c.id))).join("")}</div>`
    : `<p>${gettext("Đáp án")}: <strong>${escapeHtml(answerText(st.results.correct))}</strong></p>`;
  stage.innerHTML = `${head(st)}${outBanner}${status}${rank}${tiles}`;
}

// A tile after the close: the right ones stay in colour with a tick; the others fade; the
// player's own choice carries "Bạn chọn", and a cross when it was wrong.
function resultTile(html, right, mine) {
  const cls = `${right ? "correct" : "wrong"}${mine ? " chosen" : ""}${mine && !right ? " mine-wrong" : ""}`;
  const mark = right ? `<span class="tick" aria-label="${gettext("Đáp án đúng")}">✔</span>`
    : mine ? `<span class="cross" aria-label="${gettext("Bạn chọn sai")}">✘</span>` : "";
  const badge = mine ? `<span class="badge">${gettext("Bạn chọn")}</span>` : "";
  return html.replace('class="tile ', `class="tile ${cls} `)
    .replace('<span class="tile-text">', `${badge}<span class="tile-text">`)
    .replace(/<\/button>$/, `${mark}</button>`);
}

function answerText(correct) {
  if (!correct) return "";
  if (correct.accepted) return correct.accepted.join(" / ");
  if (correct.value !== undefined) return fmt(correct.value);
  return "";
}

function climb(y) {
  if (!y.prev_rank || y.prev_rank === y.rank) return "";
  return y.prev_rank > y.rank ? ` <span class="ok">▲ ${y.prev_rank - y.rank}</span>` : ` <span class="muted">▼ ${y.rank - y.prev_rank}</span>`;
}

function boardList(rows) {
  return `<ol class="board">${rows.map((r) => `<li class="${S.player && r.id === S.player.id ? "me-row" : ""}"><span class="r">${r.rank}</span>
    <span class="n">${escapeHtml(r.name)}</span><span class="s">${fmt(r.score)}</span></li>`).join("")}</ol>`;
}

function renderBoard(st, outBanner) {
  const y = S.you;
  const mine = y && y.rank ? `<p class="rank-line">${interpolate(gettext("Bạn đang xếp hạng %s với %s điểm"), [y.rank, fmt(y.score)])}</p>` : "";
  stage.innerHTML = `<h2>${gettext("Bảng xếp hạng")}</h2>${outBanner}${mine}${boardList(st.board.top || [])}`;
}

function renderEnded(st) {
  const top = (st.podium && st.podium.top) || [];
  if (st.podium && st.podium.played === false) {
    stage.innerHTML = `<h2>${gettext("Kết thúc!")}</h2>
      <p data-testid="no-podium">${gettext("Trò chơi kết thúc khi chưa có câu hỏi nào: không có bục vinh quang.")}</p>
      <p><a class="btn" href="/live/join/">${gettext("Vào trò chơi khác")}</a></p>`;
    return;
  }
  const y = S.you || {};
  const rank = y.final_rank || y.rank;
  const steps = [1, 0, 2].filter((i) => top[i]).map((i) => `<div class="step p${i + 1}"><span>${i + 1}</span>
    <strong>${escapeHtml(top[i].name)}</strong><span>${fmt(top[i].score)}</span></div>`).join("");
  stage.innerHTML = `<h2>${gettext("Kết thúc!")}</h2><div class="podium" aria-label="${gettext("Bục vinh quang")}">${steps}</div>
    ${rank ? `<p class="rank-line">${interpolate(gettext("Bạn về hạng %s với %s điểm"), [rank, fmt(y.score)])}</p>` : ""}
    <p><a class="btn" href="/live/join/">${gettext("Vào trò chơi khác")}</a></p>`;
}

// --- start -------------------------------------------------------------------------------
// The server has drawn the right form already (and, mid-question, the tiles): the script
// only binds them, or comes back as the player this phone was.
const joinInfo = document.getElementById("join-info");
if (joinInfo) {
  S.info = JSON.parse(joinInfo.textContent);
  S.game = S.info.game;
}
if (S.game && localStorage.getItem(tokenKey(S.game))) {
  show(null);
  connect();
} else if (S.info) {
  askIdentity();
} else {
  stage.innerHTML = "";  // a game page this phone has not joined: no question to answer here
  show("pin");
  if (S.pin) document.getElementById("pin-input").value = S.pin;
  document.getElementById("pin-input").focus();
}
