// Accessibility repairs of Swagger UI on /api/docs/ (WCAG 2.1 A/AA), applied whenever it
// renders: Swagger UI draws and redraws its DOM itself, so an observer keeps them in place.
(function () {
  "use strict";
  function repair(root) {
    // A link inside the operation's toggle button is a control inside a control
    // (nested-interactive); the button already opens the operation.
    root.querySelectorAll(".opblock-summary-control a[href]").forEach(function (link) {
      link.removeAttribute("href");
    });
    // Its own title is a section of this page, below the page's h1 (heading-order).
    root.querySelectorAll(".info .title").forEach(function (title) {
      title.setAttribute("role", "heading");
      title.setAttribute("aria-level", "2");
    });
    // Everything inside a landmark (region): the document's header and the server choice.
    // The labels come from the page (data-label-*), in the user's language.
    [
      [".information-container", target.getAttribute("data-label-about")],
      [".scheme-container", target.getAttribute("data-label-server")],
    ].forEach(function (pair) {
      var element = root.querySelector(pair[0]);
      if (element && !element.hasAttribute("role")) {
        element.setAttribute("role", "region");
        element.setAttribute("aria-label", pair[1]);
      }
    });
    // Selects without a name (select-name): the server list and enum parameters.
    var servers = root.querySelector("#servers");
    if (servers && !servers.hasAttribute("aria-label")) {
      servers.setAttribute("aria-label", target.getAttribute("data-label-servers"));
    }
    root.querySelectorAll("tr[data-param-name] select:not([aria-label])").forEach(function (select) {
      select.setAttribute("aria-label", select.closest("tr").getAttribute("data-param-name"));
    });
  }
  var target = document.getElementById("swagger-ui");
  if (!target) {
    return;
  }
  var pending = false;
  new MutationObserver(function () {
    if (pending) {
      return;
    }
    pending = true;
    window.requestAnimationFrame(function () {
      pending = false;
      repair(target);
    });
  }).observe(target, { childList: true, subtree: true });
})();
