/* Service worker of the check-in page. Served by attendance.views_pwa.service_worker, which puts PRESENSI
 * (URLs of this deployment) and VERSION in front of this file.
 *
 * - Static files of the page: cache first (their names are hashed in production, VERSION changes with them).
 * - The page itself: network first, the cached copy only when the network fails; a logged-out answer (a
 *   redirect to the login page) removes the cached copy.
 * - The API: never touched and never cached; its answers carry personal data.
 * - Background sync: sends the outbox when the browser sees a network again, for the account still logged in.
 */
/* global PRESENSI, VERSION, PresensiQueue, importScripts */
"use strict";

importScripts(PRESENSI.queue_script);

var CACHE = "presensi-" + VERSION;
var ASSET_PATHS = new Set(PRESENSI.assets);

function cacheShell(cache) {
  return fetch(PRESENSI.shell_url, { credentials: "same-origin", cache: "no-store" }).then(function (response) {
    if (response.ok && !response.redirected && response.type === "basic") {
      return cache.put(PRESENSI.shell_url, response);
    }
    return null;
  }).catch(function () { return null; });
}

self.addEventListener("install", function (event) {
  event.waitUntil(caches.open(CACHE).then(function (cache) {
    return cache.addAll(PRESENSI.assets).then(function () { return cacheShell(cache); });
  }).then(function () { return self.skipWaiting(); }));
});

self.addEventListener("activate", function (event) {
  event.waitUntil(caches.keys().then(function (names) {
    return Promise.all(names.filter(function (name) {
      return name.indexOf("presensi-") === 0 && name !== CACHE;
    }).map(function (name) { return caches.delete(name); }));
  }).then(function () { return self.clients.claim(); }));
});

function shellNetworkFirst(request) {
  return fetch(request).then(function (response) {
    return caches.open(CACHE).then(function (cache) {
      if (response.ok && response.type === "basic" && !response.redirected) {
        return cache.put(PRESENSI.shell_url, response.clone()).then(function () { return response; });
      }
      if (response.type === "opaqueredirect" || response.redirected) {
        // Logged out: the next person on this phone must not see the previous one's page offline.
        return cache.delete(PRESENSI.shell_url).then(function () { return response; });
      }
      return response;
    });
  }).catch(function () {
    return caches.match(PRESENSI.shell_url).then(function (cached) {
      return cached || new Response("<!doctype html><meta charset=utf-8><title>Presensi</title>" +
        "<p>Luring: halaman presensi belum tersimpan di ponsel ini. Buka sekali saat online.</p>",
        { status: 503, headers: { "Content-Type": "text/html; charset=utf-8" } });
    });
  });
}

function assetCacheFirst(request) {
  return caches.match(request, { ignoreSearch: true }).then(function (cached) {
    return cached || fetch(request);
  });
}

self.addEventListener("fetch", function (event) {
  var request = event.request;
  if (request.method !== "GET") { return; }
  var url = new URL(request.url);
  if (url.origin !== self.location.origin || url.pathname.indexOf(PRESENSI.api_prefix) === 0) { return; }
  if (request.mode === "navigate" && url.pathname === PRESENSI.shell_url) {
    event.respondWith(shellNetworkFirst(request));
  } else if (ASSET_PATHS.has(url.pathname)) {
    event.respondWith(assetCacheFirst(request));
  }
});

function notifyClients(owner) {
  return function (item, result) {
    self.clients.matchAll({ type: "window" }).then(function (clients) {
      clients.forEach(function (client) {
        client.postMessage({ type: "presensi-outcome", owner: owner, item: item, result: result });
      });
    });
  };
}

function flushInBackground() {
  return fetch(PRESENSI.session_url, { credentials: "same-origin", cache: "no-store" }).then(function (response) {
    if (response.status === 401 || response.status === 403) { return null; } // logged out: items wait
    if (!response.ok) { throw new Error("HTTP " + response.status); }
    return response.json();
  }).then(function (session) {
    if (!session) { return null; }
    var cookieToken = self.cookieStore ? self.cookieStore.get(PRESENSI.csrf_cookie).catch(function () { return null; })
      : Promise.resolve(null);
    return cookieToken.then(function (found) {
      var token = found && found.value;
      return PresensiQueue.flush({
        url: PRESENSI.api_prefix + "attendance/check-ins",
        owner: session.user,
        csrf: function (item) { return token || item.csrf; },
        onOutcome: notifyClients(session.user),
      });
    });
  }).then(function (summary) {
    // A rejected promise makes the browser try the sync again later, with its own back-off.
    if (summary && summary.pending) { throw new Error("presensi masih tertunda"); }
  });
}

self.addEventListener("sync", function (event) {
  if (event.tag === PRESENSI.sync_tag) { event.waitUntil(flushInBackground()); }
});
