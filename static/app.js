// Progressive enhancement only: every page works without this file.
"use strict";

// A thumbnail that fails to load (deleted video, offline) shows the neat
// placeholder behind it instead of a broken-image icon.
(function () {
  function broken(img) {
    img.closest(".thumb")?.classList.add("thumb-missing");
  }
  document.addEventListener("error", function (e) {
    if (e.target instanceof HTMLImageElement) broken(e.target);
  }, true);
  document.querySelectorAll(".thumb img").forEach(function (img) {
    if (img.complete && img.naturalWidth === 0 && img.getAttribute("src")) broken(img);
  });
})();
