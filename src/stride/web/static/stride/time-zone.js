/* The family's time zone for consultation times, guessed from the browser.
 *
 * The portal's booking section (a form with data-time-zone-guess) shows times in the
 * zone the family chose and stored; until they have chosen (data-zone-chosen="no"), this
 * file asks the browser for its zone (Intl...resolvedOptions().timeZone) and, if it is in
 * the list and not the one shown, reloads the page once with ?tz=<zone> so the server
 * shows the times in it. A stored choice always wins; nothing is stored by this file.
 * Usually the server already drew the page in the guessed zone (zone-guess.js keeps the
 * guess in a cookie on every family page), so this reload happens only when the case page
 * is the first page the browser ever opened here.
 * No inline script: the page's Content-Security-Policy allows only files like this one.
 */
(function () {
  "use strict";

  var form = document.querySelector("form[data-time-zone-guess]");
  if (!form || form.getAttribute("data-zone-chosen") === "yes") { return; }
  var guess = "";
  try {
    guess = Intl.DateTimeFormat().resolvedOptions().timeZone || "";
  } catch (error) {
    return;
  }
  var select = form.querySelector("select");
  if (!guess || !select) { return; }
  var known = Array.prototype.some.call(select.options, function (option) {
    return option.value === guess;
  });
  var params = new URLSearchParams(window.location.search);
  if (!known || params.get("tz") || select.value === guess) { return; }
  params.set("tz", guess);
  window.location.replace(window.location.pathname + "?" + params.toString() + "#booking");
}());
