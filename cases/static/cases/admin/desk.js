/* 活动工作台: the "select all" checkbox of a batch table (the page works without it). */
(function () {
  "use strict";
  document.querySelectorAll("[data-cb-select-all]").forEach(function (all) {
    var scope = all.closest("[data-cb-select-all-scope]") || document;
    var items = function () { return scope.querySelectorAll("[data-cb-select-item]"); };
    all.hidden = false;  // only useful with this script
    all.addEventListener("change", function () {
      items().forEach(function (box) { box.checked = all.checked; });
    });
    scope.addEventListener("change", function (event) {
      if (!event.target.matches("[data-cb-select-item]")) return;
      var boxes = Array.prototype.slice.call(items());
      all.checked = boxes.length > 0 && boxes.every(function (b) { return b.checked; });
    });
  });
})();
