// Accessibility of the admin's two-pane selects (filter_horizontal): Django's SelectFilter2 names
// the search icon in each pane's label with aria-label on a plain <span>, which ARIA does not
// allow on an element without a role (axe: aria-prohibited-attr). As an image the icon keeps
// that name, which is also the name of the search box the label belongs to.
"use strict";

(function () {
    function nameFilterIcons(root) {
        root.querySelectorAll(".search-label-icon[aria-label]:not([role])").forEach(function (icon) {
            icon.setAttribute("role", "img");
        });
    }

    // SelectFilter2 builds its panes on window load, after this script: watch for them.
    new MutationObserver(function () {
        nameFilterIcons(document);
    }).observe(document.body, { childList: true, subtree: true });
    nameFilterIcons(document);
})();
