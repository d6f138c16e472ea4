// Follows the file jobs of this page until their files are ready (polling the job API).
import { FINISHED, followJob, jobLabel } from "/static/js/jobs.js";

for (const row of document.querySelectorAll("tr[data-job]")) {
  if (FINISHED.has(row.dataset.status)) continue;
  followJob(row.dataset.url, (job) => {
    row.dataset.status = job.status;
    row.querySelector("progress").value = job.percent;
    row.querySelector("[data-role=label]").textContent = jobLabel(job);
    if (job.status === "done") row.querySelector("[data-role=download]").hidden = false;
  });
}
