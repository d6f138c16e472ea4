import { ClockSync } from "./realtime.js";
import { showNotice } from "./base.js";

const clockEl = document.getElementById("server-clock");
const offsetEl = document.getElementById("clock-offset");
const fmt = new Intl.DateTimeFormat(document.documentElement.lang === "en" ? "en-GB" : "vi-VN", {
  hour: "2-digit", minute: "2-digit", second: "2-digit", timeZone: "Asia/Ho_Chi_Minh",
});
const clock = new ClockSync({
  onUpdate: (c) => {
    offsetEl.textContent = interpolate(gettext("(lệch %s ms so với máy bạn)"), [Math.round(c.offset)]);
    offsetEl.dataset.synced = "1";
  },
});
function tick() {
  if (clock.synced) clockEl.textContent = fmt.format(new Date(clock.serverNow()));
  setTimeout(tick, 1000 - (clock.serverNow() % 1000));
}
clock.channel.on("notice", showNotice);
tick();
