// Admin, entries of an agenda item: open the action fields when the kind is A (action) and the
// assignment field when it is B (decision). Sections are only opened, never closed, so nothing
// typed is hidden.
(function () {
  "use strict";
  function sync(select) {
    const form = select.closest(".inline-related");
    if (!form) {
      return;
    }
    const sections = {
      "meetings-action-fields": select.value === "A",
      "meetings-decision-fields": select.value === "B",
    };
    for (const [name, open] of Object.entries(sections)) {
      const details = form.querySelector(`fieldset.${name} details`);
      if (details && open) {
        details.open = true;
      }
    }
  }
  document.addEventListener("change", (event) => {
    if (event.target.matches("select[name$='-kind']")) {
      sync(event.target);
    }
  });
  document.addEventListener("DOMContentLoaded", () => {
    document.querySelectorAll("select[name$='-kind']").forEach(sync);
  });
})();
