// Upload with a progress bar: the file goes to the REST endpoint by XHR (fetch cannot report
// upload progress), then the browser opens the preview page. Without JS the form posts.
const form = document.getElementById("qb-upload");
if (form) {
  const box = form.querySelector(".qb-progress");
  const bar = document.getElementById("qb-progress");
  const label = document.getElementById("qb-progress-label");
  const error = document.getElementById("qb-upload-error");
  const button = form.querySelector('button[type="submit"]');
  form.addEventListener("submit", (e) => {
    e.preventDefault();
    error.textContent = "";
    box.hidden = false;
    button.disabled = true;
    const xhr = new XMLHttpRequest();
    xhr.open("POST", form.dataset.api);
    xhr.setRequestHeader("X-CSRFToken", form.querySelector("[name=csrfmiddlewaretoken]").value);
    xhr.upload.addEventListener("progress", (ev) => {
      if (!ev.lengthComputable) return;
      const pct = Math.round((ev.loaded / ev.total) * 100);
      bar.value = pct;
      label.textContent = interpolate(gettext("Đang tải lên: %s%"), [pct]);
    });
    xhr.upload.addEventListener("load", () => {
      bar.removeAttribute("value"); // indeterminate while the server reads the file
      label.textContent = gettext("Đang đọc và kiểm tra tệp…");
    });
    xhr.addEventListener("load", () => {
      let data = {};
      try {
        data = JSON.parse(xhr.responseText);
      } catch {
        /* not JSON: a server error page */
      }
      if (xhr.status === 201) {
        bar.value = 100;
        label.textContent = gettext("Xong. Đang mở bản xem trước…");
        window.location.assign(form.dataset.detail.replace("/0/", `/${data.id}/`));
        return;
      }
      box.hidden = true;
      button.disabled = false;
      const fields = Object.values(data.error?.fields || {}).flat();
      error.textContent = [data.error?.message, ...fields].filter(Boolean).join(" ") || gettext("Không tải lên được tệp.");
    });
    xhr.addEventListener("error", () => {
      box.hidden = true;
      button.disabled = false;
      error.textContent = gettext("Mất kết nối khi tải lên. Hãy thử lại.");
    });
    xhr.send(new FormData(form));
  });
}
const confirmForm = document.getElementById("qb-confirm");
if (confirmForm) {
  confirmForm.addEventListener("submit", () => {
    confirmForm.querySelector(".qb-progress").hidden = false;
    confirmForm.querySelector('button[type="submit"]').disabled = true;
  });
}
