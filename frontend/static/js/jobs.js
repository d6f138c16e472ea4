// One reading of a job (core.jobs.job_json) for every page that follows an import or export:
// the same status words, the same done/total/percent, the same error list everywhere.
export const FINISHED = new Set(["done", "failed", "cancelled"]);

export function isFinished(job) {
  return FINISHED.has(job.status);
}

// "Đang chạy · 12/40", or the first error of a failed job.
export function jobLabel(job) {
  if (job.status === "failed" && job.errors.length) return `${job.status_label} · ${job.errors[0].message}`;
  return job.total ? `${job.status_label} · ${job.done}/${job.total}` : job.status_label;
}

// Fetch a job's JSON every `interval` ms, calling onUpdate(job) each time, until it finishes.
// A failed request is tried again on the next tick (the network of a school may drop).
export async function followJob(url, onUpdate, { interval = 700 } = {}) {
  for (;;) {
    try {
      const resp = await fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" });
      if (resp.ok) {
        const job = await resp.json();
        onUpdate(job);
        if (isFinished(job)) return job;
      }
    } catch (e) { /* try again on the next tick */ }
    await new Promise((resolve) => setTimeout(resolve, interval));
  }
}
