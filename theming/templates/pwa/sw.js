{% autoescape off %}/* The town's service worker: pages last read stay readable offline; push notifications. */
"use strict";

const VERSION = {{ version }};
const PAGES = "agora-pages-" + VERSION;
const STATIC = "agora-static-" + VERSION;
const OFFLINE_URL = {{ offline_url }};
const STATIC_URL = {{ static_url }};
const LOGOUT_URL = {{ logout_url }};
// Private to one person or the back office: never written to the device.
const PRIVATE_PREFIXES = {{ private_prefixes }};
// Bounded: the last pages read, not the whole site.
const MAX_PAGES = 40;
const MAX_STATIC = 60;

self.addEventListener("install", (event) => {
  event.waitUntil(
    caches.open(PAGES).then((cache) => cache.add(new Request(OFFLINE_URL, { cache: "reload" })))
      .then(() => self.skipWaiting())
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches.keys().then((names) => Promise.all(
      names.filter((name) => name !== PAGES && name !== STATIC).map((name) => caches.delete(name))
    )).then(() => self.clients.claim())
  );
});

function isPrivate(url) {
  return PRIVATE_PREFIXES.some((prefix) => url.pathname.startsWith(prefix));
}

function keepable(response) {
  const control = response.headers.get("Cache-Control") || "";
  return response.ok && response.type === "basic" && !/no-store|private/.test(control);
}

async function remember(cacheName, request, response, limit) {
  const cache = await caches.open(cacheName);
  await cache.delete(request);  // re-added last: the cache's order is the reading order
  await cache.put(request, response);
  const keys = await cache.keys();
  const offline = new URL(OFFLINE_URL, self.location.origin).href;
  const removable = keys.filter((key) => key.url !== offline);
  for (const key of removable.slice(0, Math.max(0, removable.length - limit))) {
    await cache.delete(key);
  }
}

async function page(event) {
  const request = event.request;
  try {
    const response = await fetch(request);
    if (keepable(response)) {
      event.waitUntil(remember(PAGES, request, response.clone(), MAX_PAGES));
    }
    return response;
  } catch (error) {
    const cached = await caches.match(request, { cacheName: PAGES, ignoreVary: true });
    return cached || (await caches.match(OFFLINE_URL, { cacheName: PAGES, ignoreVary: true })) || Response.error();
  }
}

async function asset(event) {
  const cached = await caches.match(event.request, { cacheName: STATIC });
  const fresh = fetch(event.request).then((response) => {
    if (keepable(response)) {
      event.waitUntil(remember(STATIC, event.request, response.clone(), MAX_STATIC));
    }
    return response;
  });
  if (cached) {
    event.waitUntil(fresh.catch(() => null));
    return cached;
  }
  return fresh;
}

self.addEventListener("fetch", (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) {
    return;
  }
  if (request.method !== "GET") {
    // Signing out on a shared phone: what this person read leaves the device with them.
    if (request.method === "POST" && url.pathname === LOGOUT_URL) {
      event.waitUntil(caches.delete(PAGES));
    }
    return;
  }
  if (isPrivate(url)) {
    return;
  }
  if (request.mode === "navigate") {
    event.respondWith(page(event));
  } else if (url.pathname.startsWith(STATIC_URL)) {
    event.respondWith(asset(event));
  }
});

self.addEventListener("push", (event) => {
  let message = {};
  try {
    message = event.data ? event.data.json() : {};
  } catch (error) {
    message = { body: event.data ? event.data.text() : "" };
  }
  event.waitUntil(self.registration.showNotification(message.title || "", {
    body: message.body || "",
    icon: message.icon,
    data: { url: message.url || "/" },
  }));
});

self.addEventListener("notificationclick", (event) => {
  event.notification.close();
  const target = new URL(event.notification.data.url, self.location.origin);
  if (target.origin !== self.location.origin) {
    return;
  }
  event.waitUntil(self.clients.openWindow(target.href));
});
{% endautoescape %}
