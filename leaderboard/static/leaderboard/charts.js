// Charts of a published ranking, from the summary fixed at publication.
const summary = JSON.parse(document.getElementById("summary").textContent || "{}");
const pct = (v) => Math.round((v || 0) * 1000) / 10;

function bar(id, labels, data, label, horizontal = false) {
  const el = document.getElementById(id);
  if (!el || typeof Chart === "undefined") return;
  new Chart(el, {
    type: "bar",
    data: { labels, datasets: [{ label, data, backgroundColor: "#0b5cad" }] },
    options: {
      indexAxis: horizontal ? "y" : "x",
      responsive: true,
      maintainAspectRatio: false,
      plugins: { legend: { display: false } },
    },
  });
}

const communes = summary.communes || [];
bar("chart-communes", communes.map((c) => c.name), communes.map((c) => c.participants), gettext("Số người tham gia"));
const bins = summary.score_bins || [];
bar("chart-scores", bins.map((b) => `${b.from}–${b.to}`), bins.map((b) => b.count), gettext("Số học sinh"));
const schools = summary.school_rates || [];
bar("chart-schools", schools.map((s) => s.name), schools.map((s) => pct(s.rate)), gettext("Tỉ lệ tham gia (%)"), true);
