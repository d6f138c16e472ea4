// Follows export jobs until their files are ready (the page polls the job's API).
const rows = [...document.querySelectorAll("tr[data-job]")];

async function poll(row) {
  const status = row.dataset.status;
  if (status === "done" || status === "failed") return;
  try {
    const resp = await fetch(row.dataset.url, { headers: { Accept: "application/json" } });
    if (resp.ok) {
      const job = await resp.json();
      row.dataset.status = job.status;
      row.querySelector("progress").value = job.percent;
      row.querySelector("[data-role=label]").textContent = `${job.status_label} · ${job.done}/${job.total}`;
      if (job.status === "done") row.querySelector("[data-role=download]").hidden = false;
    }
  } catch (e) { /* try again on the next tick */ }
  setTimeout(() => poll(row), 700);
}
rows.forEach(poll);
