/* The browser's time zone, remembered for the family's consultation times.
 *
 * Loaded on every page a guardian sees. It stores the zone the browser reports
 * (Intl...resolvedOptions().timeZone) in the cookie "stride_tz_guess", so that the page
 * listing consultation times can be drawn in the family's zone the first time, instead
 * of drawn in the clinic's zone and reloaded (a reload would throw away anything the
 * family had begun to type on that page). The server uses the guess only if it is a
 * zone in its list and the family has not chosen one; a stored choice always wins.
 */
(function () {
  "use strict";

  var guess = "";
  try {
    guess = Intl.DateTimeFormat().resolvedOptions().timeZone || "";
  } catch (error) {
    return;
  }
  // Zone names are letters, digits, "/", "_", "+" and "-": nothing to escape in a cookie.
  if (!/^[A-Za-z0-9_+\/-]{1,64}$/.test(guess)) { return; }
  document.cookie = "stride_tz_guess=" + guess + "; path=/; max-age=31536000; SameSite=Lax";
}());
