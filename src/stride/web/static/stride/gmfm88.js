// GMFM-88 live scores: mirrors stride.core.scales.gmfm88 (Gmfm88Scores.result) on the page.
// Each item is 0-3 or "NT" (not tested: kept apart, counted as 0 in the sums). Dimension
// % = raw / (3 x items) x 100; the total % is the plain mean of the five dimension
// percentages (not the pooled raw points). The server recomputes and stores core's figures.
"use strict";
(function () {
  var DIMENSIONS = ["A", "B", "C", "D", "E"];

  function percentages(form) {
    var result = {};
    DIMENSIONS.forEach(function (letter) {
      var selects = form.querySelectorAll('select[data-gmfm-dimension="' + letter + '"]');
      var raw = 0;
      selects.forEach(function (select) {
        if (select.value !== "NT" && select.value !== "") {
          raw += parseInt(select.value, 10);
        }
      });
      result[letter] = selects.length ? (raw / (3 * selects.length)) * 100 : 0;
    });
    return result;
  }

  function show(form) {
    var values = percentages(form);
    var total = 0;
    DIMENSIONS.forEach(function (letter) {
      total += values[letter];
      var output = form.querySelector('output[data-gmfm-percent="' + letter + '"]');
      if (output) { output.textContent = values[letter].toFixed(1); }
    });
    var totalOutput = form.querySelector("output[data-gmfm-total]");
    if (totalOutput) { totalOutput.textContent = (total / DIMENSIONS.length).toFixed(1); }
  }

  document.addEventListener("DOMContentLoaded", function () {
    var form = document.querySelector('form[data-instrument="gmfm88"]');
    if (!form) { return; }
    form.addEventListener("change", function () { show(form); });
    show(form);
  });
})();
