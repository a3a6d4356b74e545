// The surgeon's screen of a rootlet session: polls the state every half second and
// sends decisions (click or C / S / P). No inline script: the page's CSP forbids it.
(function () {
  "use strict";
  var root = document.getElementById("ionm");
  if (!root) { return; }
  var stateUrl = root.dataset.stateUrl;
  var decideUrl = root.dataset.decideUrl;
  var version = null;
  var form = document.getElementById("decision-form");
  var message = document.getElementById("decision-message");
  var reason = document.getElementById("decision-reason");
  var rootletInput = document.getElementById("decision-rootlet");
  var prompt = document.getElementById("against-prompt");
  // One request at a time from this screen: a decision never races a poll (and SQLite,
  // used in tests, cannot read a table while another connection writes it).
  var queue = Promise.resolve();
  function enqueue(task) { queue = queue.then(task, task); return queue; }

  function text(id, value) {
    var node = document.getElementById(id);
    if (node) { node.textContent = value === null || value === undefined || value === "" ? "—" : value; }
  }

  function cell(row, value) {
    var td = document.createElement("td");
    td.textContent = value === null || value === undefined || value === "" ? "—" : value;
    row.appendChild(td);
  }

  function render(state) {
    var current = state.current;
    if (current) {
      text("current-rootlet", current.rootlet);
      text("current-grade", current.grade);
      text("current-suggestion", current.suggestion);
      text("current-flags", current.flags.join(", "));
      if (rootletInput) { rootletInput.value = current.rootlet; }
      var reasons = document.getElementById("current-reasons");
      reasons.replaceChildren();
      current.reasons.forEach(function (r) {
        var li = document.createElement("li");
        li.textContent = r;
        reasons.appendChild(li);
      });
      // Each SVG is built on the server from numbers and an escaped label only.
      document.getElementById("current-traces").innerHTML =
        current.traces.map(function (t) { return t.svg; }).join("");
    }
    var body = document.getElementById("rootlet-rows");
    body.replaceChildren();
    state.rootlets.forEach(function (r) {
      var tr = document.createElement("tr");
      tr.dataset.rootlet = r.rootlet;
      [r.rootlet, r.threshold_ma, r.grade, r.flags.join(", "), r.suggestion, r.decision]
        .forEach(function (v) { cell(tr, v); });
      body.appendChild(tr);
    });
    root.dataset.status = state.status;
  }

  function poll() {
    enqueue(function () { return fetch(stateUrl, {headers: {"Accept": "application/json"}, credentials: "same-origin"})
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (state) {
        if (state && state.version !== version) { version = state.version; render(state); }
      })
      .catch(function () { /* a missed poll is retried on the next tick */ }); })
      .finally(function () { window.setTimeout(poll, 500); });
  }

  function decide(decision) {
    if (!form || !rootletInput.value) { return; }
    var data = new FormData(form);
    data.set("decision", decision);
    enqueue(function () {
      return fetch(decideUrl, {method: "POST", body: data, credentials: "same-origin",
                               headers: {"Accept": "application/json"}})
      .then(function (response) { return response.json(); })
      .then(function (answer) {
        if (answer.error) {
          message.textContent = answer.error + " " + (prompt ? prompt.content.textContent : "");
          reason.focus();
        } else {
          message.textContent = "";
          reason.value = "";
          version = null;
        }
      })
      .catch(function () { message.textContent = "?"; });
    });
  }

  if (form) {
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      if (event.submitter && event.submitter.value) { decide(event.submitter.value); }
    });
    document.addEventListener("keydown", function (event) {
      if (event.ctrlKey || event.metaKey || event.altKey) { return; }
      var typing = event.target === reason && event.key.length === 1;
      if (typing) { return; }
      var keys = {c: "cut", s: "spare", p: "partial"};
      var decision = keys[event.key.toLowerCase()];
      if (decision) { event.preventDefault(); decide(decision); }
    });
    reason.addEventListener("keydown", function (event) {
      // Enter in the reason field re-sends the last attempted decision via the buttons.
      if (event.key === "Enter") { event.preventDefault(); }
    });
  }
  poll();
}());
