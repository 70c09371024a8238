// onboard site: the portfolio's owner and playbook filters. The page is complete without
// this script: the form stays hidden and every row shows.
"use strict";
(function () {
  var form = document.getElementById("filters");
  var table = document.getElementById("portfolio");
  if (!form || !table) {
    return;
  }
  var owner = document.getElementById("owner");
  var playbook = document.getElementById("playbook");
  var shown = document.getElementById("shown");
  var rows = Array.prototype.slice.call(table.tBodies[0].rows);
  function apply() {
    var count = 0;
    rows.forEach(function (row) {
      var owners = (row.getAttribute("data-owners") || "").split(" ");
      var show = (!owner.value || owners.indexOf(owner.value) >= 0) &&
        (!playbook.value || row.getAttribute("data-playbook") === playbook.value);
      row.hidden = !show;
      if (show) {
        count += 1;
      }
    });
    shown.textContent = count + " of " + rows.length + " shown";
  }
  form.addEventListener("change", apply);
  form.addEventListener("submit", function (event) { event.preventDefault(); });
  form.hidden = false;
  apply();
})();
