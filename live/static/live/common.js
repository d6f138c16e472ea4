// Shared pieces of the live-game pages: tiles with colour and shape, clock sync on the game's
// own socket, countdowns from absolute server deadlines, numbers in the page's language.

const TILES = [
  ["red", '<polygon points="18,3 34,32 2,32"/>'],
  ["blue", '<polygon points="18,2 34,18 18,34 2,18"/>'],
  ["yellow", '<circle cx="18" cy="18" r="15"/>'],
  ["green", '<rect x="4" y="4" width="28" height="28"/>'],
  ["purple", '<polygon points="18,2 22,13 34,13 24,21 28,33 18,26 8,33 12,21 2,13 14,13"/>'],
  ["teal", '<polygon points="10,3 26,3 34,18 26,33 10,33 2,18"/>'],
  ["orange", '<polygon points="13,2 23,2 23,13 34,13 34,23 23,23 23,34 13,34 13,23 2,23 2,13 13,13"/>'],
  ["pink", '<polygon points="2,8 34,8 18,32"/>'],
];
const SHAPE_NAMES = () => [gettext("tam giác"), gettext("hình thoi"), gettext("hình tròn"), gettext("hình vuông"),
  gettext("ngôi sao"), gettext("lục giác"), gettext("chữ thập"), gettext("tam giác ngược")];

export function tileClass(i) { return `tile-${TILES[i % TILES.length][0]}`; }
const COLORS = { red: "#e21b3c", blue: "#1368ce", yellow: "#f2b600", green: "#1f7a0a", purple: "#864cbf",
  teal: "#0a7f86", orange: "#c75000", pink: "#c0307a" };
export function tileColor(i) { return COLORS[TILES[i % TILES.length][0]]; }
export function shapeSvg(i) {
  return `<svg viewBox="0 0 36 36" aria-hidden="true" focusable="false" fill="currentColor">${TILES[i % TILES.length][1]}</svg>`;
}
export function shapeName(i) { return SHAPE_NAMES()[i % TILES.length]; }

// The visible text of a choice (true/false choices may have no text of their own).
export function choiceHtml(choice, qtype) {
  if (choice.html && choice.html.trim()) return choice.html;
  if (qtype === "truefalse") return choice.truth ? gettext("Đúng") : gettext("Sai");
  return escapeHtml(choice.id);
}
export function plainText(html) {
  const div = document.createElement("div");
  div.innerHTML = html;
  return div.textContent.trim();
}
export function escapeHtml(text) {
  return String(text ?? "").replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]);
}

const LANG = document.documentElement.lang || "vi";
const NUM = new Intl.NumberFormat(LANG, { maximumFractionDigits: 1 });
export function fmt(n) { return n === null || n === undefined ? "–" : NUM.format(n); }

// Clock offset from ping/pong round trips on an open Channel (the game's own socket), so a
// phone needs one socket only. Keeps the sample with the shortest round trip.
export class SocketClock {
  constructor(channel) {
    this.channel = channel;
    this.offset = 0;
    this.rtt = Infinity;
    this.pending = new Map();
    this.next = 1;
    channel.on("pong", (msg) => this.onPong(msg));
    channel.on("open", () => this.burst());
  }
  burst() { for (let i = 0; i < 4; i++) setTimeout(() => this.ping(), i * 200); }
  ping() {
    const id = this.next++;
    this.pending.set(id, performance.now());
    this.channel.send({ type: "ping", id });
  }
  onPong(msg) {
    const sent = this.pending.get(msg.id);
    if (sent === undefined) return;
    this.pending.delete(msg.id);
    const rtt = performance.now() - sent;
    if (rtt <= this.rtt) {
      this.rtt = rtt;
      this.offset = msg.server_now - (Date.now() - rtt / 2);
    }
  }
  // A message carrying server_now gives a first estimate before any pong.
  seed(serverNow) { if (this.rtt === Infinity && typeof serverNow === "number") this.offset = serverNow - Date.now(); }
  serverNow() { return Date.now() + this.offset; }
  remaining(deadline) { return Math.max(0, deadline - this.serverNow()); }
}

// Counts down to an absolute deadline in `el`; returns a stop function.
export function countdown(el, clock, deadline, { onZero } = {}) {
  let done = false;
  const tick = () => {
    const ms = clock.remaining(deadline);
    el.textContent = String(Math.ceil(ms / 1000));
    if (ms <= 0 && !done) { done = true; if (onZero) onZero(); }
  };
  tick();
  const timer = setInterval(tick, 200);
  return () => clearInterval(timer);
}

export function csrfToken() {
  const m = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
  return m ? decodeURIComponent(m[1]) : "";
}
