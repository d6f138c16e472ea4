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
