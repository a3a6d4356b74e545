// The surgeon's screen of a rootlet session. No inline script: the page's CSP forbids it.
//
// Safety rules this file keeps:
// - A decision targets the *selected* rootlet, and carries the version (stimulations
//   received) of the state its suggestion was drawn from; the server refuses it (409)
//   if that rootlet's grade or suggestion changed since.
// - The selection follows the newest stimulation only until the surgeon chooses a rootlet
//   (row click, Enter on a row, arrow keys); it never moves while a reason is pending
//   or being typed. N (or the button) follows the newest again.
// - C / S / P decide only outside text boxes; in the reason box letters are text, Enter
//   sends the pending decision and Escape cancels it. The key that opened the reason box
//   never reaches it.
(function () {
  "use strict";
  var root = document.getElementById("ionm");
  if (!root) { return; }
  var stateUrl = root.dataset.stateUrl;
  var decideUrl = root.dataset.decideUrl;
  var ticket = root.dataset.ticket || "";
  var words = JSON.parse(document.getElementById("ionm-words").textContent);
  var against = JSON.parse(document.getElementById("ionm-against").textContent);
  var form = document.getElementById("decision-form");
  var message = document.getElementById("decision-message");
  var reason = document.getElementById("decision-reason");
  var rootletInput = document.getElementById("decision-rootlet");
  var versionInput = document.getElementById("decision-version");
  var pendingNode = document.getElementById("pending");
  var body = document.getElementById("rootlet-rows");
  var POLL_MS = 400;

  var state = null;          // the last full state received
  var version = null;        // its change token (the server answers 204 while it holds)
  var selected = null;       // the rootlet decisions go to
  var follow = true;         // follow the newest stimulation until the surgeon chooses
  var shownVersion = null;   // stimulations received when the selected row was drawn
  var shown = null;          // the selected row as drawn (its suggestion is what was seen)
  var pending = null;        // {rootlet, decision, version, suggestion} awaiting a reason
  var detailFor = null;      // the rootlet whose traces are on screen
  var sending = false;

  function template(id, values) {
    var node = document.getElementById(id);
    var text = node ? node.content.textContent : "";
    Object.keys(values || {}).forEach(function (key) {
      text = text.split("%(" + key + ")s").join(values[key]);
    });
    return text;
  }

  function say(text) { if (message) { message.textContent = text; } }

  function setText(id, value) {
    var node = document.getElementById(id);
    if (node) { node.textContent = value === null || value === undefined || value === "" ? "—" : value; }
  }

  function rowOf(rootlet) {
    if (!state) { return null; }
    for (var i = 0; i < state.rootlets.length; i++) {
      if (state.rootlets[i].rootlet === rootlet) { return state.rootlets[i]; }
    }
    return null;
  }

  function typing() {
    return pending !== null || document.activeElement === reason || (reason && reason.value !== "");
  }

  function drawSelected() {
    var row = rowOf(selected);
    shown = row;
    shownVersion = state ? state.stimulations : null;
    if (rootletInput) { rootletInput.value = row ? row.rootlet : ""; }
    if (versionInput && shownVersion !== null) { versionInput.value = shownVersion; }
    setText("current-rootlet", row ? row.rootlet : null);
    setText("current-grade", row ? row.grade_text : null);
    setText("current-suggestion", row ? row.suggestion_word : null);
    setText("current-threshold", row ? row.threshold : null);
    setText("current-decision", row ? row.decision_word : null);
    setText("current-flags", row ? row.flag_words.join(", ") : null);
    var suggestion = document.getElementById("current-suggestion");
    if (suggestion) { suggestion.dataset.code = row ? row.suggestion : ""; }
    var reasons = document.getElementById("current-reasons");
    reasons.replaceChildren();
    (row ? row.reasons : []).forEach(function (r) {
      var li = document.createElement("li");
      li.textContent = r;
      reasons.appendChild(li);
    });
    var detail = state && state.detail;
    if (detail && detail.rootlet === selected) {
      detailFor = selected;
      setText("current-stimulation", detail.annotation);
      // Each SVG is built on the server from numbers and an escaped label only.
      document.getElementById("current-traces").innerHTML =
        detail.traces.map(function (t) { return t.svg; }).join("");
    } else if (detailFor !== selected) {
      setText("current-stimulation", "");
      document.getElementById("current-traces").replaceChildren();
    }
    var followState = document.getElementById("follow-state");
    if (followState) { followState.textContent = template(follow ? "follow-on" : "follow-off"); }
  }

  function cell(tr, value) {
    var td = document.createElement("td");
    td.textContent = value === null || value === undefined || value === "" ? "—" : value;
    tr.appendChild(td);
  }

  function drawTable() {
    var focused = document.activeElement && document.activeElement.closest
      ? document.activeElement.closest("tr[data-rootlet]") : null;
    var refocus = focused ? focused.dataset.rootlet : null;
    body.replaceChildren();
    state.rootlets.forEach(function (r) {
      var tr = document.createElement("tr");
      tr.dataset.rootlet = r.rootlet;
      if (r.rootlet === selected) { tr.className = "selected"; tr.setAttribute("aria-selected", "true"); }
      var first = document.createElement("td");
      var button = document.createElement("button");
      button.type = "button";
      button.className = "link row-select";
      button.textContent = r.rootlet;
      first.appendChild(button);
      tr.appendChild(first);
      [r.threshold, r.grade_text, r.flag_words.join(", "), r.suggestion_word, r.decision_word]
        .forEach(function (v) { cell(tr, v); });
      body.appendChild(tr);
    });
    if (refocus) {
      var again = body.querySelector('tr[data-rootlet="' + refocus + '"] button');
      if (again) { again.focus(); }
    }
  }

  function drawMissing() {
    var banner = document.getElementById("missing-banner");
    if (!banner) { return; }
    if (state.missing.count) {
      banner.textContent = template("missing-template",
        {count: state.missing.count, sequences: state.missing.sequences});
      banner.hidden = false;
    } else {
      banner.hidden = true;
    }
  }

  function render(next) {
    state = next;
    root.dataset.status = state.status;
    root.dataset.stimulations = state.stimulations;
    if (follow && !typing() && state.newest) { selected = state.newest; }
    if (selected && !rowOf(selected)) { selected = state.newest; }
    drawTable();
    drawSelected();
    drawMissing();
    setText("undecided-count", String(state.undecided));
    // A session that has received stimulations can no longer import a whole recording.
    var importing = document.getElementById("import-section");
    if (importing && state.stimulations > 0) { importing.hidden = true; }
  }

  function fetchState(full) {
    var url = stateUrl + "?ticket=" + encodeURIComponent(ticket) +
      "&selected=" + encodeURIComponent(selected || "");
    if (!full && version !== null && detailFor === selected) { url += "&since=" + encodeURIComponent(version); }
    return fetch(url, {headers: {"Accept": "application/json"}, credentials: "same-origin"})
      .then(function (response) { return response.status === 200 ? response.json() : null; })
      .then(function (next) { if (next) { version = next.version; render(next); } })
      .catch(function () { /* a missed poll is retried on the next tick */ });
  }

  function poll() {
    fetchState(false).finally(function () { window.setTimeout(poll, POLL_MS); });
  }

  function choose(rootlet) {
    if (!rootlet || rootlet === selected) { return; }
    if (pending) { cancelPending(); }
    follow = false;
    selected = rootlet;
    if (state) { drawTable(); drawSelected(); }
    fetchState(true);
  }

  function followNewest() {
    if (pending) { cancelPending(); }
    follow = true;
    if (state && state.newest) { selected = state.newest; drawTable(); drawSelected(); }
    fetchState(true);
  }

  function move(step) {
    if (!state || !state.rootlets.length) { return; }
    var ids = state.rootlets.map(function (r) { return r.rootlet; });
    var at = ids.indexOf(selected);
    var next = at < 0 ? 0 : Math.min(ids.length - 1, Math.max(0, at + step));
    choose(ids[next]);
    var button = body.querySelector('tr[data-rootlet="' + ids[next] + '"] button');
    if (button) { button.scrollIntoView({block: "nearest"}); }
  }

  function cancelPending() {
    pending = null;
    if (pendingNode) { pendingNode.hidden = true; pendingNode.textContent = ""; }
    if (reason) { reason.value = ""; reason.blur(); }
  }

  function send(item, reasonText) {
    if (sending) { return; }
    sending = true;
    var data = new FormData(form);
    data.set("rootlet", item.rootlet);
    data.set("decision", item.decision);
    data.set("version", item.version);
    data.set("reason", reasonText);
    fetch(decideUrl, {method: "POST", body: data, credentials: "same-origin",
                      headers: {"Accept": "application/json"}})
      .then(function (response) {
        return response.json().then(function (answer) { return {status: response.status, answer: answer}; });
      })
      .then(function (result) {
        if (result.status === 200) {
          say(template("recorded-message", {decision: words.decision[item.decision], rootlet: item.rootlet}));
          cancelPending();
        } else if (result.status === 409) {
          // The rootlet changed after it was drawn: nothing was logged; show why and redraw.
          cancelPending();
          say(result.answer.error);
        } else {
          say(result.answer.error || "");
        }
        version = null;
        return fetchState(true);
      })
      .catch(function () { say(template("network-error")); })
      .finally(function () { sending = false; });
  }

  function decide(decision) {
    if (!form) { return; }
    if (!selected || !shown) { say(template("choose-first")); return; }
    var item = {rootlet: shown.rootlet, decision: decision, version: shownVersion,
                suggestion: shown.suggestion};
    if ((against[decision] || []).indexOf(shown.suggestion) >= 0) {
      // Against the suggestion: ask for the reason before anything is sent.
      pending = item;
      pendingNode.textContent = template("against-prompt", {
        decision: words.decision[decision], rootlet: item.rootlet,
        suggestion: words.suggestion[item.suggestion]});
      pendingNode.hidden = false;
      say("");
      reason.focus();
      return;
    }
    send(item, reason ? reason.value : "");
  }

  if (body) {
    body.addEventListener("click", function (event) {
      var tr = event.target.closest("tr[data-rootlet]");
      if (tr) { choose(tr.dataset.rootlet); }
    });
  }
  var followButton = document.getElementById("follow-newest");
  if (followButton) { followButton.addEventListener("click", followNewest); }

  if (form) {
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      if (event.submitter && event.submitter.value) { decide(event.submitter.value); }
    });
    reason.addEventListener("keydown", function (event) {
      if (event.key === "Enter") {
        event.preventDefault();
        if (!pending) { return; }
        if (!reason.value.trim()) { say(template("reason-needed")); return; }
        send(pending, reason.value);
      } else if (event.key === "Escape") {
        event.preventDefault();
        cancelPending();
        say("");
      }
    });
  }

  document.addEventListener("keydown", function (event) {
    if (event.ctrlKey || event.metaKey || event.altKey) { return; }
    var target = event.target;
    var inText = target && (target.tagName === "INPUT" || target.tagName === "TEXTAREA" ||
                            target.tagName === "SELECT" || target.isContentEditable);
    if (inText) { return; }  // text boxes keep their keys; the reason box has its own
    var key = event.key.toLowerCase();
    var keys = {c: "cut", s: "spare", p: "partial"};
    if (keys[key]) { event.preventDefault(); decide(keys[key]); return; }
    if (event.key === "ArrowDown") { event.preventDefault(); move(1); return; }
    if (event.key === "ArrowUp") { event.preventDefault(); move(-1); return; }
    if (key === "n") { event.preventDefault(); followNewest(); return; }
    if (event.key === "Escape" && pending) { event.preventDefault(); cancelPending(); say(""); }
  });

  var initial = document.getElementById("current-rootlet");
  selected = initial && initial.textContent.trim() !== "—" ? initial.textContent.trim() : null;
  fetchState(true).finally(function () { window.setTimeout(poll, POLL_MS); });
}());
