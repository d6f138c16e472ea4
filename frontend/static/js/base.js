// Behaviour every page shares: the phone menu and the language switcher.
const toggle = document.querySelector(".nav-toggle");
const nav = document.getElementById("site-nav");
if (toggle && nav) {
  toggle.addEventListener("click", () => {
    const open = nav.classList.toggle("open");
    toggle.setAttribute("aria-expanded", String(open));
  });
}
for (const select of document.querySelectorAll("select[data-autosubmit]")) {
  select.addEventListener("change", () => select.form.submit());
}

// A table wider than its box scrolls sideways: say so above it, and make the box a keyboard
// stop (arrow keys scroll it) with a name for screen readers.
function markScrollers() {
  for (const box of document.querySelectorAll(".table-scroll")) {
    const scrolls = box.scrollWidth > box.clientWidth + 1;
    box.classList.toggle("scrolls", scrolls);
    if (scrolls) {
      box.dataset.hint = gettext("⇆ Vuốt ngang để xem thêm cột");
      box.tabIndex = 0;
      box.setAttribute("role", "region");
      box.setAttribute("aria-label", gettext("Bảng, cuộn ngang để xem thêm cột"));
    } else if (box.hasAttribute("data-hint")) {
      delete box.dataset.hint;
      box.removeAttribute("tabindex");
      box.removeAttribute("role");
      box.removeAttribute("aria-label");
    }
  }
}
markScrollers();
if (typeof ResizeObserver !== "undefined") {
  const observer = new ResizeObserver(() => markScrollers());
  for (const box of document.querySelectorAll(".table-scroll")) observer.observe(box);
  observer.observe(document.body);
}

// Site-wide notices arrive on the clock socket; pages that sync the clock show them.
export function showNotice(msg) {
  let box = document.getElementById("site-notice");
  if (!box) {
    box = document.createElement("div");
    box.id = "site-notice";
    box.setAttribute("role", "status");
    document.getElementById("main").prepend(box);
  }
  box.className = `msg ${msg.level === "warning" ? "msg-warning" : ""}`;
  box.textContent = msg.text;
}
