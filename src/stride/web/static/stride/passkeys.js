/* Passkeys (WebAuthn) for staff sign-in: add one, or use one as the second factor.
 *
 * A button with data-passkey="register" or data-passkey="verify" carries the server's
 * endpoints (data-begin, data-complete), where to go after (data-next) and the words to
 * show (data-msg-*, already in the reader's language). The server (django-otp-webauthn,
 * py_webauthn) makes the challenge and checks the answer; this file only carries the
 * browser's options and answer across, as JSON with base64url for the binary fields.
 * No inline script: the page's Content-Security-Policy allows only files like this one.
 */
(function () {
  "use strict";

  function toBytes(base64url) {
    var text = base64url.replace(/-/g, "+").replace(/_/g, "/");
    while (text.length % 4) { text += "="; }
    var raw = atob(text);
    var bytes = new Uint8Array(raw.length);
    for (var i = 0; i < raw.length; i++) { bytes[i] = raw.charCodeAt(i); }
    return bytes.buffer;
  }

  function toBase64url(buffer) {
    var bytes = new Uint8Array(buffer);
    var raw = "";
    for (var i = 0; i < bytes.length; i++) { raw += String.fromCharCode(bytes[i]); }
    return btoa(raw).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
  }

  function creationOptions(json) {
    var options = Object.assign({}, json);
    options.challenge = toBytes(json.challenge);
    options.user = Object.assign({}, json.user, { id: toBytes(json.user.id) });
    options.excludeCredentials = (json.excludeCredentials || []).map(function (c) {
      return Object.assign({}, c, { id: toBytes(c.id) });
    });
    return options;
  }

  function requestOptions(json) {
    var options = Object.assign({}, json);
    options.challenge = toBytes(json.challenge);
    options.allowCredentials = (json.allowCredentials || []).map(function (c) {
      return Object.assign({}, c, { id: toBytes(c.id) });
    });
    return options;
  }

  function credentialJSON(credential) {
    if (typeof credential.toJSON === "function") { return credential.toJSON(); }
    var response = credential.response;
    var out = {
      id: credential.id,
      rawId: toBase64url(credential.rawId),
      type: credential.type,
      authenticatorAttachment: credential.authenticatorAttachment || undefined,
      clientExtensionResults: credential.getClientExtensionResults(),
      response: { clientDataJSON: toBase64url(response.clientDataJSON) }
    };
    if (response.attestationObject) {
      out.response.attestationObject = toBase64url(response.attestationObject);
      out.response.transports = response.getTransports ? response.getTransports() : [];
    } else {
      out.response.authenticatorData = toBase64url(response.authenticatorData);
      out.response.signature = toBase64url(response.signature);
      if (response.userHandle) { out.response.userHandle = toBase64url(response.userHandle); }
    }
    return out;
  }

  function csrfToken(button) {
    var form = button.closest("form");
    var field = form && form.querySelector("input[name=csrfmiddlewaretoken]");
    return field ? field.value : "";
  }

  function post(url, token, body) {
    return fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": token },
      body: body === undefined ? "{}" : JSON.stringify(body)
    }).then(function (response) {
      return response.json().then(function (data) {
        if (!response.ok) { throw new Error(data.code || String(response.status)); }
        return data;
      });
    });
  }

  function say(button, text, isError) {
    var status = document.getElementById(button.getAttribute("data-status"));
    if (!status) { return; }
    status.textContent = text;
    status.classList.toggle("error", Boolean(isError));
  }

  function withQuery(url, params) {
    var query = Object.keys(params).filter(function (k) { return params[k]; })
      .map(function (k) { return encodeURIComponent(k) + "=" + encodeURIComponent(params[k]); });
    return query.length ? url + (url.indexOf("?") < 0 ? "?" : "&") + query.join("&") : url;
  }

  function register(button) {
    var token = csrfToken(button);
    var nameField = document.getElementById(button.getAttribute("data-name-field"));
    var name = nameField ? nameField.value : "";
    return post(button.getAttribute("data-begin"), token).then(function (options) {
      return navigator.credentials.create({ publicKey: creationOptions(options) });
    }).then(function (credential) {
      var url = withQuery(button.getAttribute("data-complete"), { name: name });
      return post(url, token, credentialJSON(credential));
    }).then(function () {
      say(button, button.getAttribute("data-msg-done"), false);
      window.location.assign(button.getAttribute("data-next"));
    });
  }

  function verify(button) {
    var token = csrfToken(button);
    return post(button.getAttribute("data-begin"), token).then(function (options) {
      return navigator.credentials.get({ publicKey: requestOptions(options) });
    }).then(function (credential) {
      var url = withQuery(button.getAttribute("data-complete"),
                          { next: button.getAttribute("data-next") });
      return post(url, token, credentialJSON(credential));
    }).then(function (result) {
      say(button, button.getAttribute("data-msg-done"), false);
      window.location.assign(result.redirect_url || button.getAttribute("data-next"));
    });
  }

  function start(event) {
    var button = event.currentTarget;
    event.preventDefault();
    if (!window.PublicKeyCredential || !navigator.credentials) {
      say(button, button.getAttribute("data-msg-unsupported"), true);
      return;
    }
    button.disabled = true;
    say(button, button.getAttribute("data-msg-busy"), false);
    var run = button.getAttribute("data-passkey") === "register" ? register : verify;
    run(button).catch(function () {
      button.disabled = false;
      say(button, button.getAttribute("data-msg-failed"), true);
    });
  }

  document.querySelectorAll("button[data-passkey]").forEach(function (button) {
    button.hidden = false;
    button.addEventListener("click", start);
  });
}());
