// Import detail page: poll the import's status every 2 seconds until the background
// recompute has finished, then say so (CSP: no inline script, so this file reads its URL
// and texts from data attributes).
(function () {
  "use strict";
  var box = document.querySelector("[data-import-status-url]");
  if (!box || box.getAttribute("data-pending") !== "true") {
    return;
  }
  var message = box.querySelector("[data-import-recompute]");
  var badge = document.querySelector("[data-import-status-badge]");
  var url = box.getAttribute("data-import-status-url");

  function finished(data) {
    message.textContent = box.getAttribute("data-done-text") + " (" + data.recompute_finished_at + ")";
    box.classList.remove("utrecht-alert--info");
    box.classList.add("utrecht-alert--ok");
    if (badge) {
      badge.textContent = data.status_label;
      badge.classList.remove("utrecht-status-badge--warning");
      badge.classList.add("utrecht-status-badge--success");
    }
  }

  function poll() {
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) {
        if (!response.ok) {
          throw new Error("status " + response.status);
        }
        return response.json();
      })
      .then(function (data) {
        if (data.recompute_finished_at) {
          finished(data);
        } else if (data.recompute_pending) {
          window.setTimeout(poll, 2000);
        }
      })
      .catch(function () {
        window.setTimeout(poll, 5000);
      });
  }

  window.setTimeout(poll, 2000);
})();
