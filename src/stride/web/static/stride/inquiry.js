// The inquiry form's error summary: it takes the keyboard focus when the page loads (also
// where the autofocus attribute is not honoured), and each of its links moves the focus to
// the answer it names (the first input of a group of choices), not only the scroll.
(function () {
  "use strict";
  var summary = document.getElementById("error-summary");
  if (!summary) {
    return;
  }
  summary.focus();
  summary.addEventListener("click", function (event) {
    var link = event.target.closest("a[href^='#']");
    if (!link) {
      return;
    }
    var target = document.getElementById(link.getAttribute("href").slice(1));
    if (!target) {
      return;
    }
    var input = target.matches("input, select, textarea")
      ? target : target.querySelector("input, select, textarea");
    if (!input) {
      return;
    }
    event.preventDefault();
    target.scrollIntoView({block: "center"});
    input.focus({preventScroll: true});
    history.replaceState(null, "", link.getAttribute("href"));
  });
})();
