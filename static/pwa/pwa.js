/* Installable site: registers the town's service worker (offline reading, push), and the
   "notifications on this device" buttons of the notification preferences. */
(function () {
  "use strict";
  var script = document.currentScript;
  if (!("serviceWorker" in navigator) || !script) {
    return;
  }
  var ready = navigator.serviceWorker.register(script.dataset.serviceWorker, { scope: "/" });

  function keyBytes(base64url) {
    var padded = (base64url + "===".slice((base64url.length + 3) % 4)).replace(/-/g, "+").replace(/_/g, "/");
    var raw = atob(padded);
    var bytes = new Uint8Array(raw.length);
    for (var i = 0; i < raw.length; i += 1) {
      bytes[i] = raw.charCodeAt(i);
    }
    return bytes;
  }

  function encoded(buffer) {
    var bytes = new Uint8Array(buffer);
    var text = "";
    for (var i = 0; i < bytes.length; i += 1) {
      text += String.fromCharCode(bytes[i]);
    }
    return btoa(text).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
  }

  function pushSettings(form) {
    var status = form.querySelector("[data-push-status]");
    var on = form.querySelector("[data-push-subscribe]");
    var off = form.querySelector("[data-push-unsubscribe]");
    if (!("PushManager" in window) || !("Notification" in window)) {
      return;
    }

    function post(fields) {
      var body = new FormData(form);
      Object.keys(fields).forEach(function (name) { body.append(name, fields[name]); });
      return fetch(form.action, { method: "POST", body: body, credentials: "same-origin" })
        .then(function (response) {
          return response.json().then(function (data) {
            if (!response.ok) {
              throw new Error(data.detail || response.statusText);
            }
            return data;
          });
        });
    }

    function show(subscription) {
      on.hidden = Boolean(subscription);
      off.hidden = !subscription;
      status.textContent = subscription ? form.dataset.pushOn || "" : form.dataset.pushOff || "";
    }

    ready.then(function (registration) {
      return registration.pushManager.getSubscription().then(function (subscription) {
        show(subscription);
        on.addEventListener("click", function () {
          Notification.requestPermission().then(function (permission) {
            if (permission !== "granted") {
              status.textContent = form.dataset.pushDenied || "";
              return null;
            }
            return registration.pushManager.subscribe({
              userVisibleOnly: true,
              applicationServerKey: keyBytes(form.dataset.pushKey),
            }).then(function (created) {
              return post({
                action: "subscribe",
                endpoint: created.endpoint,
                p256dh: encoded(created.getKey("p256dh")),
                auth: encoded(created.getKey("auth")),
              }).then(function () { show(created); });
            });
          }).catch(function (error) { status.textContent = error.message; });
        });
        off.addEventListener("click", function () {
          registration.pushManager.getSubscription().then(function (current) {
            if (!current) {
              show(null);
              return null;
            }
            return post({ action: "unsubscribe", endpoint: current.endpoint })
              .then(function () { return current.unsubscribe(); })
              .then(function () { show(null); });
          }).catch(function (error) { status.textContent = error.message; });
        });
      });
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("form[data-push-key]").forEach(pushSettings);
  });
}());
