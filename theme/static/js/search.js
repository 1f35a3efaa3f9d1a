// Starts Pagefind's search box on the search page; ?q=words searches at once.
// A file of its own, not an inline script: the Content-Security-Policy allows
// only the site's own scripts.
window.addEventListener("DOMContentLoaded", function () {
  var element = document.getElementById("search");
  if (!element || typeof PagefindUI === "undefined") {
    return;
  }
  // One index per year (or run of months) of stories, newest first: the first loads,
  // the others merge in.
  var bundles = (element.getAttribute("data-bundle-paths") || "").split(" ").filter(Boolean);
  var ui = new PagefindUI({
    element: "#search",
    bundlePath: bundles[0],
    mergeIndex: bundles.slice(1).map(function (path) {
      return { bundlePath: path };
    }),
    showImages: false,
    showSubResults: false,
    resetStyles: false,
    autofocus: true,
    translations: { placeholder: "Search stories, people, places, organisations" },
  });
  // Pagefind's box has a placeholder but no label: give it a visible one. Made here,
  // not in the page, so that without JavaScript no label points at nothing.
  var input = element.querySelector("input");
  if (input) {
    input.id = "search-input";
    var label = document.createElement("label");
    label.className = "search-label";
    label.htmlFor = "search-input";
    label.textContent = element.getAttribute("data-label") || "Search";
    element.parentNode.insertBefore(label, element);
  }
  var query = new URLSearchParams(window.location.search).get("q");
  if (query) {
    ui.triggerSearch(query);
  }
});
