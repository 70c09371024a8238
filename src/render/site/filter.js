// onboard site: the portfolio's owner and playbook filters. The page is complete without
// this script: the form stays hidden and every row shows. The filters read and keep the
// address's query (`index.html?owner=CSVN&playbook=data-import`), so a filtered view can
// be shared as a link.
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
  var asked = new URLSearchParams(window.location.search);
  // A value the list does not hold leaves the filter off.
  owner.value = asked.get("owner") || "";
  playbook.value = asked.get("playbook") || "";
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
  function remember() {
    var query = new URLSearchParams();
    if (owner.value) {
      query.set("owner", owner.value);
    }
    if (playbook.value) {
      query.set("playbook", playbook.value);
    }
    var text = query.toString();
    try {
      window.history.replaceState(null, "", text ? "?" + text : window.location.pathname);
    } catch (refused) {
      // Some browsers refuse it for pages opened from disk; the filter still applies.
    }
  }
  form.addEventListener("change", function () {
    apply();
    remember();
  });
  form.addEventListener("submit", function (event) { event.preventDefault(); });
  form.hidden = false;
  apply();
})();
