// The attempt page: save each answer as it is given, count down from the server deadline.
//
// * Saves go over the round socket (answer.save -> answer.saved after the commit); while the
//   socket is down they go through the REST API instead. A question shows "Đang lưu…" until
//   its latest save is acknowledged, then "Đã lưu". Unacknowledged saves are sent again after a
//   reconnect (the server ignores a repeat of what it already holds).
// * The countdown runs from the server's deadline, corrected by ClockSync's offset; the server
//   decides what is late. At 1 minute a warning appears; at 0 the time-up screen.
// * A reload, a reconnect or another device gets the full state (round.snapshot) and resumes.
import { Channel, ClockSync, formatCountdown } from "../js/realtime.js";

const config = JSON.parse(document.getElementById("attempt-config").textContent);
const csrf = document.querySelector("#csrf-form [name=csrfmiddlewaretoken]").value;
const $ = (id) => document.getElementById(id);

// Before ClockSync has a sample, trust the offset the page was rendered with.
const initialOffset = config.server_now - Date.now();
let deadline = config.deadline;
let finished = false;
let warned = false;
let refSeq = 0;
const refs = new Map(); // ref -> question id

const questions = new Map(); // question version id -> state
for (const section of document.querySelectorAll("section.question[data-question]")) {
  const id = Number(section.dataset.question);
  questions.set(id, {
    id,
    type: section.dataset.type,
    section,
    nav: document.querySelector(`#qnav button[data-question="${id}"]`),
    stateEl: section.querySelector(".save-state"),
    feedbackEl: section.querySelector(".feedback"),
    saved: section.querySelector(".save-state").dataset.state === "saved",
    flagButton: section.querySelector("button[data-flag]"),
    flagged: section.querySelector("button[data-flag]").getAttribute("aria-pressed") === "true",
    pending: null, // the response waiting for its acknowledgement
    lastRef: null,
    retry: null,
  });
}
const sections = [...document.querySelectorAll("#questions > section.question")];

// --- navigation ----------------------------------------------------------------------------
// The current question and the review flags are stored on the attempt (POST navigation/), so a
// reload or another device opens the same question with the same flags.
let positionTimer = null;
function postNavigation(body) {
  return fetch(config.navigation, {
    method: "POST",
    credentials: "same-origin",
    keepalive: true,
    headers: { "Content-Type": "application/json", "X-CSRFToken": csrf },
    body: JSON.stringify(body),
  });
}
let positionPending = null;
function flushPosition() {
  clearTimeout(positionTimer);
  if (positionPending === null) return;
  const position = positionPending;
  positionPending = null;
  postNavigation({ position }).catch(() => {});
}
function rememberPosition(key) {
  if (finished) return;
  positionPending = key === "prediction" ? config.total + 1 : Number(key);
  clearTimeout(positionTimer);
  // Quick clicks through the navigator store only where the pupil stops.
  positionTimer = setTimeout(flushPosition, 300);
}
// A reload within the 300 ms still stores where the pupil was (keepalive outlives the page).
window.addEventListener("pagehide", flushPosition);

function show(target, remember = true) {
  const key = String(target);
  if (remember) rememberPosition(key);
  for (const s of sections) s.hidden = s.dataset.n !== key;
  for (const b of document.querySelectorAll("#qnav button[data-goto]")) {
    if (b.dataset.goto === key) b.setAttribute("aria-current", "true");
    else b.removeAttribute("aria-current");
  }
  const heading = sections.find((s) => s.dataset.n === key)?.querySelector("h2");
  if (heading) { heading.tabIndex = -1; heading.focus({ preventScroll: false }); }
}
document.getElementById("qnav").addEventListener("click", (ev) => {
  const b = ev.target.closest("button[data-goto]");
  if (b) show(b.dataset.goto);
});
for (const s of sections) {
  s.addEventListener("click", (ev) => {
    const b = ev.target.closest("button[data-step]");
    if (!b) return;
    const i = sections.indexOf(s) + Number(b.dataset.step);
    if (sections[i]) show(sections[i].dataset.n);
  });
}

function setFlag(q, on) {
  q.flagged = on;
  q.flagButton.setAttribute("aria-pressed", on ? "true" : "false");
  if (q.nav) q.nav.classList.toggle("flagged", on);
  setState(q, q.stateEl.dataset.state, q.stateEl.textContent);
}
for (const q of questions.values()) {
  q.flagButton.addEventListener("click", async () => {
    if (finished) return;
    const on = !q.flagged;
    setFlag(q, on);
    try {
      const r = await postNavigation({ question: q.id, flagged: on });
      if (!r.ok) throw new Error(String(r.status));
    } catch {
      setFlag(q, !on);
      q.feedbackEl.textContent = gettext("Chưa lưu được dấu, hãy thử lại.");
    }
  });
}

// --- reading and writing a question's inputs ------------------------------------------------
function responseOf(q) {
  const s = q.section;
  if (q.type === "single" || q.type === "truefalse") {
    const c = s.querySelector("input:checked");
    return c ? { choice: c.value } : null;
  }
  if (q.type === "multiple") return { choices: [...s.querySelectorAll("input:checked")].map((i) => i.value) };
  if (q.type === "short") return { text: s.querySelector("input").value };
  if (q.type === "numeric") {
    const v = s.querySelector("input").value.trim();
    return v === "" ? null : { value: v };
  }
  if (q.type === "ordering") return { order: [...s.querySelectorAll("[data-order] li")].map((li) => li.dataset.id) };
  return null;
}

function applyResponse(q, response) {
  if (!response) return;
  const s = q.section;
  if ("choice" in response || "choices" in response) {
    const chosen = new Set(response.choices || [response.choice]);
    for (const i of s.querySelectorAll("input[type=radio], input[type=checkbox]")) i.checked = chosen.has(i.value);
  } else if ("text" in response || "value" in response) {
    s.querySelector("input").value = response.text ?? response.value ?? "";
  } else if ("order" in response) {
    const list = s.querySelector("[data-order]");
    for (const id of response.order) {
      const li = list.querySelector(`li[data-id="${CSS.escape(id)}"]`);
      if (li) list.appendChild(li);
    }
  }
}

function setState(q, state, text) {
  q.stateEl.dataset.state = state;
  q.stateEl.textContent = text;
  if (q.nav) {
    q.nav.classList.toggle("saving", state === "saving");
    q.nav.classList.toggle("answered", q.saved || state === "saving");
    const answered = q.saved ? gettext("đã trả lời") : gettext("chưa trả lời");
    let label = interpolate(gettext("Câu %s, %s"), [q.nav.textContent.trim(), answered]);
    if (q.flagged) label += ", " + gettext("đã đánh dấu");
    q.nav.setAttribute("aria-label", label);
  }
  $("answered-count").textContent = [...questions.values()].filter((x) => x.saved).length;
}

// --- saving ----------------------------------------------------------------------------------
function save(q) {
  if (finished) return;
  const response = responseOf(q);
  if (response === null) return;
  q.pending = response;
  q.lastRef = ++refSeq;
  refs.set(q.lastRef, q.id);
  clearTimeout(q.retry);
  setState(q, "saving", gettext("Đang lưu…"));
  send(q);
}

function send(q) {
  if (q.pending === null) return;
  if (channel.isOpen) {
    channel.send({ type: "answer.save", ref: q.lastRef, question: q.id, response: q.pending });
  } else {
    saveByRest(q, q.lastRef, q.pending);
  }
}

async function saveByRest(q, ref, response) {
  try {
    const r = await fetch(`${config.api}answers/${q.id}/`, {
      method: "PUT",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrf },
      body: JSON.stringify({ response }),
    });
    const body = await r.json();
    if (r.ok) onSaved({ ...body, ref });
    else onError({ ...(body.error || {}), ref });
  } catch {
    if (ref === q.lastRef) {
      setState(q, "error", gettext("Mất kết nối: câu trả lời sẽ được lưu khi có mạng trở lại."));
      q.retry = setTimeout(() => send(q), 3000);
    }
  }
}

function onSaved(msg) {
  const q = questions.get(msg.question);
  if (!q || msg.ref !== q.lastRef) return; // an older save of the same question
  q.pending = null;
  q.saved = true;
  setState(q, "saved", gettext("Đã lưu"));
  showFeedback(q, msg.result || {});
}

// The right answer as the pupil sees it on the page: the choice's letter and text, the
// accepted text, the number, or the order.
function rightAnswerText(q, right) {
  const choiceText = (id) => {
    const input = [...q.section.querySelectorAll("label.choice input")].find((el) => el.value === id);
    if (!input) return null;
    const label = input.closest("label");
    const part = (sel) => (label.querySelector(sel)?.textContent || "").replace(/\s+/g, " ").trim();
    return `${part(".letter")} ${part(".text")}`.trim();
  };
  if (typeof right.choice === "string") return choiceText(right.choice);
  if (Array.isArray(right.choices)) return right.choices.map(choiceText).filter(Boolean).join("; ");
  if (typeof right.text === "string") return right.text;
  if (typeof right.value === "number") return new Intl.NumberFormat(document.documentElement.lang || "vi").format(right.value);
  if (Array.isArray(right.order)) {
    const items = [...q.section.querySelectorAll("[data-order] li")];
    return right.order
      .map((id) => items.find((li) => li.dataset.id === id)?.querySelector(".text")?.textContent.trim())
      .filter(Boolean)
      .join(" → ");
  }
  return null;
}

// What the reveal policy lets the pupil see of a saved answer: right or wrong and, when the
// round shows the answers during the attempt, the right one (marked among the choices).
function showFeedback(q, result) {
  if (typeof result.correct !== "boolean") return;
  for (const label of q.section.querySelectorAll("label.choice.is-correct")) label.classList.remove("is-correct");
  let text = result.correct ? gettext("Đúng") : gettext("Sai");
  const right = result.correct_response;
  if (right && !result.correct) {
    const shown = rightAnswerText(q, right);
    if (shown) text += ". " + interpolate(gettext("Đáp án đúng: %s"), [shown]);
  }
  if (right) {
    const ids = typeof right.choice === "string" ? [right.choice] : Array.isArray(right.choices) ? right.choices : [];
    for (const input of q.section.querySelectorAll("label.choice input")) {
      if (ids.includes(input.value)) input.closest("label").classList.add("is-correct");
    }
  }
  q.feedbackEl.textContent = text;
  q.feedbackEl.className = `feedback ${result.correct ? "ok" : "bad"}`;
}

function onError(msg) {
  if (msg.code === "late" || msg.code === "attempt_closed") { timeUp(); return; }
  const q = questions.get(refs.get(msg.ref));
  if (msg.ref === "predict") { predictionFailed(msg.message); return; }
  if (msg.ref === "submit") { $("submit-error").textContent = msg.message; return; }
  if (!q || msg.ref !== q.lastRef) return;
  setState(q, "error", msg.message || gettext("Chưa lưu được."));
  // save_failed, unavailable (the database or Redis is down) and the like say retryable.
  if (msg.retryable || msg.code === "rate_limited") q.retry = setTimeout(() => send(q), 2000);
}

for (const q of questions.values()) {
  q.section.addEventListener("change", (ev) => { if (ev.target.matches("input")) save(q); });
  let timer = null;
  q.section.addEventListener("input", (ev) => {
    if (!ev.target.matches("input[type=text]")) return;
    clearTimeout(timer);
    timer = setTimeout(() => save(q), 800);
  });
  q.section.addEventListener("click", (ev) => {
    const b = ev.target.closest("button[data-move]");
    if (!b) return;
    const li = b.closest("li");
    const other = Number(b.dataset.move) < 0 ? li.previousElementSibling : li.nextElementSibling;
    if (!other) return;
    if (Number(b.dataset.move) < 0) li.parentNode.insertBefore(li, other);
    else li.parentNode.insertBefore(other, li);
    b.focus();
    save(q);
  });
}

// --- the socket ------------------------------------------------------------------------------
const connLabels = {
  connecting: gettext("Đang kết nối…"),
  open: gettext("Đã kết nối"),
  waiting: gettext("Mất kết nối, đang thử lại…"),
  reconnecting: gettext("Đang kết nối lại…"),
  refused: gettext("Không kết nối được"),
  closed: gettext("Đã ngắt"),
};
const channel = new Channel(config.ws, {
  onStatus: (status) => {
    $("conn").dataset.state = status;
    $("conn").textContent = connLabels[status] || status;
  },
});
channel.on("open", () => { for (const q of questions.values()) send(q); });
channel.on("answer.saved", onSaved);
channel.on("error", onError);
channel.on("attempt.closed", (msg) => { if (msg.attempt === config.attempt) closed(msg.status, msg.result_url); });
channel.on("round.closed", (msg) => {
  // The round closed (the organiser's "Đóng vòng ngay", or its closing time): the attempt has
  // ended with its saved answers and the round is finalized, so the result is ready.
  if (msg.attempt !== config.attempt) return;
  finished = true;
  window.location.assign(msg.result_url || config.result_url);
});
channel.on("attempt.predicted", (msg) => predictionSaved(msg.value));
channel.on("round.snapshot", (msg) => {
  const attempt = msg.attempt;
  if (!attempt || attempt.id !== config.attempt || attempt.status !== "in_progress") {
    closed("expired", config.result_url);
    return;
  }
  deadline = attempt.deadline;
  for (const sq of attempt.questions) {
    const q = questions.get(sq.id);
    if (q && sq.saved_at && q.pending === null) showFeedback(q, sq);
    if (!q || q.pending !== null || !sq.saved_at) continue;
    // Saved elsewhere (another tab or device) or before a reload: the server is the truth.
    applyResponse(q, sq.response);
    q.saved = true;
    setState(q, "saved", gettext("Đã lưu"));
  }
  if (attempt.prediction !== null && attempt.prediction !== undefined) predictionSaved(attempt.prediction);
  if (Array.isArray(attempt.flagged)) {
    const marked = new Set(attempt.flagged);
    for (const q of questions.values()) if (q.flagged !== marked.has(q.id)) setFlag(q, marked.has(q.id));
  }
});

// --- prediction --------------------------------------------------------------------------------
const predInput = $("prediction");
let predicted = predInput ? predInput.disabled : true;
function predictionSaved(value) {
  if (!predInput) return;
  predicted = true;
  predInput.value = value;
  predInput.disabled = true;
  $("prediction-save").disabled = true;
  $("prediction-state").dataset.state = "saved";
  $("prediction-state").textContent = gettext("Đã lưu dự đoán");
  document.querySelector('#qnav button[data-goto="prediction"]')?.classList.add("answered");
}
function predictionFailed(message) {
  $("prediction-state").dataset.state = "error";
  $("prediction-state").textContent = message;
}
if (predInput) {
  $("prediction-save").addEventListener("click", async () => {
    const value = Number(predInput.value);
    if (predInput.value.trim() === "" || !Number.isInteger(value) || value < 0) {
      predictionFailed(gettext("Nhập một số nguyên không âm."));
      return;
    }
    $("prediction-state").dataset.state = "saving";
    $("prediction-state").textContent = gettext("Đang lưu…");
    if (channel.isOpen) { channel.send({ type: "attempt.predict", ref: "predict", value }); return; }
    const r = await fetch(`${config.api}prediction/`, {
      method: "POST", credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrf }, body: JSON.stringify({ value }),
    });
    const body = await r.json();
    if (r.ok) predictionSaved(body.prediction); else predictionFailed(body.error?.message || "");
  });
}

// --- submitting and the end ------------------------------------------------------------------
const dialog = $("submit-dialog");
// The summary before submit, as Moodle's: the unanswered and the flagged questions, each a link
// back to the question.
function fillSummaryList(id, list) {
  const box = $(id);
  const ul = box.querySelector("ul");
  ul.replaceChildren();
  for (const q of list) {
    const li = document.createElement("li");
    const a = document.createElement("a");
    const n = q.section.dataset.n;
    a.href = `#q-${n}`;
    a.dataset.goto = n;
    a.textContent = interpolate(gettext("Câu %s"), [n]);
    li.appendChild(a);
    ul.appendChild(li);
  }
  box.hidden = list.length === 0;
}
for (const id of ["submit-unanswered", "submit-flagged"]) {
  $(id).addEventListener("click", (ev) => {
    const a = ev.target.closest("a[data-goto]");
    if (!a) return;
    ev.preventDefault();
    dialog.close();
    show(a.dataset.goto);
  });
}
$("submit-open").addEventListener("click", () => {
  const all = [...questions.values()];
  const answered = all.filter((q) => q.saved || q.pending !== null).length;
  const pending = all.some((q) => q.pending !== null);
  $("submit-summary").textContent = interpolate(gettext("Bạn đã trả lời %s/%s câu."), [answered, questions.size]) +
    (pending ? " " + gettext("Còn câu trả lời đang lưu, hãy chờ một chút.") : "");
  fillSummaryList("submit-unanswered", all.filter((q) => !q.saved && q.pending === null));
  fillSummaryList("submit-flagged", all.filter((q) => q.flagged));
  $("submit-error").textContent = "";
  if (config.prediction_kind && !predicted) {
    $("submit-error").textContent = gettext("Hãy trả lời câu hỏi phụ (dự đoán) trước khi nộp bài.");
  }
  dialog.showModal();
});
$("submit-cancel").addEventListener("click", () => dialog.close());
$("submit-confirm").addEventListener("click", async () => {
  if (config.prediction_kind && !predicted) { dialog.close(); show("prediction"); return; }
  if (channel.isOpen) { channel.send({ type: "attempt.submit", ref: "submit" }); return; }
  const r = await fetch(`${config.api}submit/`, { method: "POST", credentials: "same-origin", headers: { "X-CSRFToken": csrf } });
  if (r.ok) closed("submitted", config.result_url);
  else $("submit-error").textContent = (await r.json()).error?.message || "";
});

function disableAll() {
  for (const el of document.querySelectorAll("#questions input, #questions button, #submit-open")) el.disabled = true;
}

function closed(status, url) {
  if (status === "submitted") {
    finished = true;
    window.location.assign(url || config.result_url);
    return;
  }
  timeUp();
}

function timeUp() {
  if (finished) return;
  finished = true;
  $("countdown").textContent = "00:00";
  disableAll();
  if (dialog.open) dialog.close();
  const box = $("timeup");
  const link = $("timeup-link");
  box.hidden = false;
  // The server closes the attempt once the grace for in-flight answers is over.
  link.hidden = true;
  setTimeout(() => { link.hidden = false; link.focus(); }, config.grace_ms + 700);
}

// --- the countdown ---------------------------------------------------------------------------
const clock = new ClockSync();
function serverNow() { return clock.synced ? clock.serverNow() : Date.now() + initialOffset; }
function tick() {
  if (finished) return;
  const left = Math.max(0, deadline - serverNow());
  const el = $("countdown");
  el.textContent = formatCountdown(left);
  if (left <= 60000 && !warned) {
    warned = true;
    el.classList.add("low");
    $("warning").hidden = false;
  }
  if (left <= 0) { timeUp(); return; }
  setTimeout(tick, 250);
}
tick();
