// Ask before leaving a page whose data-entry form holds changes that were not saved.
//
// Mark a form with `data-warn-unsaved`. The page asks (the browser's own "leave site?"
// dialog, through `beforeunload`) when a field of the form differs from what the page was
// loaded with, unless that form is being submitted. `data-warn-unsaved="pending"` marks a form
// the server showed again with values it did not save (after an error, or the grid after one
// row's "Ongewijzigd"): leaving it asks even before anything is changed.
//
// No dependencies and no inline script (the CSP allows only scripts from this origin); without
// JavaScript nothing changes, the forms work the same.
(function () {
  "use strict";

  function state(form) {
    // Buttons are left out: which one is pressed is not a change.
    var parts = [];
    Array.prototype.forEach.call(form.elements, function (field) {
      if (!field.name || field.disabled || /^(submit|button|reset|image)$/.test(field.type)) {
        return;
      }
      if (field.type === "checkbox" || field.type === "radio") {
        parts.push(field.name + "=" + (field.checked ? field.value : ""));
      } else if (field.type === "select-multiple") {
        Array.prototype.forEach.call(field.options, function (option) {
          parts.push(field.name + "=" + (option.selected ? option.value : ""));
        });
      } else if (field.type === "file") {
        parts.push(field.name + "=" + Array.prototype.map.call(field.files, function (file) {
          return file.name;
        }).join("|"));
      } else {
        parts.push(field.name + "=" + field.value);
      }
    });
    return parts.join("&");
  }

  var tracked = [];

  function init() {
    Array.prototype.forEach.call(document.querySelectorAll("form[data-warn-unsaved]"), function (form) {
      var entry = {
        form: form,
        loaded: state(form),
        pending: form.getAttribute("data-warn-unsaved") === "pending",
        submitting: false,
      };
      form.addEventListener("submit", function (event) {
        // A submit another script cancelled does not leave the page.
        entry.submitting = !event.defaultPrevented;
      });
      tracked.push(entry);
    });
  }

  function unsaved() {
    return tracked.some(function (entry) {
      return !entry.submitting && (entry.pending || state(entry.form) !== entry.loaded);
    });
  }

  window.addEventListener("beforeunload", function (event) {
    if (!unsaved()) {
      return undefined;
    }
    // Browsers show their own text; both calls are needed to make every browser ask.
    event.preventDefault();
    event.returnValue = "";
    return "";
  });

  // Back to a page kept in the browser's cache after submitting: it is live again.
  window.addEventListener("pageshow", function (event) {
    if (event.persisted) {
      tracked.forEach(function (entry) {
        entry.submitting = false;
      });
    }
  });

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
