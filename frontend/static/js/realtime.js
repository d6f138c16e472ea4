// Realtime client of Hội thi Số: one module every live page uses.
//
//   import { Channel, ClockSync } from "<STATIC_URL>js/realtime.js";
//   const ch = new Channel("/ws/round/12/", { onSnapshot, onStatus });
//   ch.on("question.start", (msg) => ...);  ch.send({ type: "answer.save", ... });
//
// * Reconnects after any close except a 44xx refusal, with jittered exponential back-off
//   (0.5 s doubling to 15 s, each wait drawn uniformly from [base/2, base]), so a classroom of
//   phones coming back after a Wi-Fi drop does not arrive all in the same millisecond.
// * ClockSync estimates serverNow - clientNow from ping/pong round trips on /ws/time/,
//   keeping the sample with the shortest round trip. Countdowns use serverNow() with a
//   server-sent absolute deadline; the server decides what is late.

const MIN_BACKOFF_MS = 500;
const MAX_BACKOFF_MS = 15000;

export function wsUrl(path) {
  const proto = window.location.protocol === "https:" ? "wss:" : "ws:";
  return `${proto}//${window.location.host}${path}`;
}

export function backoffDelay(attempt, random = Math.random) {
  const base = Math.min(MAX_BACKOFF_MS, MIN_BACKOFF_MS * 2 ** attempt);
  return Math.round(base / 2 + random() * (base / 2));
}

export class Channel {
  constructor(path, { onStatus = () => {}, autoConnect = true } = {}) {
    this.path = path;
    this.handlers = new Map();
    this.onStatus = onStatus;
    this.attempt = 0;
    this.refusals = 0;        // server refusals in a row (4503/4500 after open): keep backing off
    this.ws = null;
    this.closedByUser = false;
    this.queue = [];
    this.timer = null;
    if (autoConnect) this.connect();
  }

  on(type, handler) {
    if (!this.handlers.has(type)) this.handlers.set(type, []);
    this.handlers.get(type).push(handler);
    return this;
  }

  emit(type, msg) {
    for (const h of this.handlers.get(type) || []) h(msg);
    for (const h of this.handlers.get("*") || []) h(msg);
  }

  connect() {
    this.onStatus(this.attempt === 0 ? "connecting" : "reconnecting");
    const ws = new WebSocket(wsUrl(this.path));
    this.ws = ws;
    ws.addEventListener("open", () => {
      this.attempt = 0;
      this.onStatus("open");
      this.emit("open", {});
      const pending = this.queue;
      this.queue = [];
      for (const m of pending) this.send(m);
    });
    ws.addEventListener("message", (ev) => {
      let msg;
      try { msg = JSON.parse(ev.data); } catch { return; }
      if (msg && typeof msg.type === "string") {
        if (msg.type !== "error") this.refusals = 0;
        this.emit(msg.type, msg);
      }
    });
    ws.addEventListener("close", (ev) => {
      this.emit("close", { code: ev.code });
      if (this.closedByUser) { this.onStatus("closed"); return; }
      if (ev.code >= 4400 && ev.code < 4500) { this.onStatus("refused", ev.code); return; }
      // Accepted, then closed "try again later" (the database or Redis is away): the open
      // reset the back-off, so count the refusals, or every page would retry twice a second.
      if (ev.code === 4503 || ev.code === 4500) this.attempt = Math.max(this.attempt, ++this.refusals);
      const delay = backoffDelay(this.attempt++);
      this.onStatus("waiting", delay);
      this.timer = setTimeout(() => this.connect(), delay);
    });
  }

  get isOpen() { return this.ws && this.ws.readyState === WebSocket.OPEN; }

  // Sends now, or queues until the socket opens. Returns true when sent at once.
  send(msg) {
    if (this.isOpen) { this.ws.send(JSON.stringify(msg)); return true; }
    this.queue.push(msg);
    return false;
  }

  close() {
    this.closedByUser = true;
    clearTimeout(this.timer);
    if (this.ws) this.ws.close(1000);
  }
}

export class ClockSync {
  constructor({ path = "/ws/time/", samples = 5, refreshMs = 60000, onUpdate = () => {} } = {}) {
    this.offset = 0;          // serverNow - clientNow, ms
    this.rtt = Infinity;      // round trip of the best sample, ms
    this.synced = false;
    this.onUpdate = onUpdate;
    this.pending = new Map();
    this.nextId = 1;
    this.samples = samples;
    this.channel = new Channel(path);
    this.channel.on("open", () => this.burst());
    this.channel.on("pong", (msg) => this.onPong(msg));
    this.refresh = setInterval(() => this.burst(), refreshMs);
  }

  burst() {
    for (let i = 0; i < this.samples; i++) setTimeout(() => this.ping(), i * 150);
  }

  ping() {
    const id = this.nextId++;
    this.pending.set(id, performance.now());
    this.channel.send({ type: "ping", id });
  }

  onPong(msg) {
    const sentAt = this.pending.get(msg.id);
    if (sentAt === undefined || typeof msg.server_now !== "number") return;
    this.pending.delete(msg.id);
    const receivedAt = performance.now();
    const rtt = receivedAt - sentAt;
    // Older samples age: a fresh sample wins unless it is much noisier.
    if (rtt <= this.rtt * 1.5 || !this.synced) {
      const clientMid = Date.now() - rtt / 2;
      this.offset = msg.server_now - clientMid;
      this.rtt = rtt;
      this.synced = true;
      this.onUpdate(this);
    }
  }

  serverNow() { return Date.now() + this.offset; }

  // Milliseconds left until an absolute server deadline (epoch ms), never negative.
  remaining(deadlineMs) { return Math.max(0, deadlineMs - this.serverNow()); }

  close() { clearInterval(this.refresh); this.channel.close(); }
}

// "mm:ss" (or "h:mm:ss") for a countdown.
export function formatCountdown(ms) {
  const total = Math.ceil(ms / 1000);
  const h = Math.floor(total / 3600), m = Math.floor((total % 3600) / 60), s = total % 60;
  const pad = (n) => String(n).padStart(2, "0");
  return h > 0 ? `${h}:${pad(m)}:${pad(s)}` : `${pad(m)}:${pad(s)}`;
}
