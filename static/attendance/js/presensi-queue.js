/* The outbox of check-ins (IndexedDB), shared by the page and its service worker.
 *
 * A check-in is written here before it is sent, with the client_id and the device time of the tap, and leaves
 * only when the server has answered it: accepted or flagged (201, or 200 for a replay), or refused for good
 * (409: that client_id was used with another body; 4xx: invalid). A network failure, a timeout, 408/429/5xx
 * or an expired session keep it for the next attempt; the server is idempotent on client_id, so sending the
 * same item twice (page and worker at once, or a lost answer) stores one event.
 */
(function (root) {
  "use strict";
  var DB_NAME = "simasn-presensi";
  var DB_VERSION = 1;
  var OUTBOX = "antrean";
  var META = "meta";
  var SEND_TIMEOUT_MS = 20000;
  var LOCK_NAME = "simasn-presensi-antrean";

  var dbPromise = null;

  function openDb() {
    if (dbPromise) { return dbPromise; }
    dbPromise = new Promise(function (resolve, reject) {
      var request = root.indexedDB.open(DB_NAME, DB_VERSION);
      request.onupgradeneeded = function () {
        var db = request.result;
        if (!db.objectStoreNames.contains(OUTBOX)) { db.createObjectStore(OUTBOX, { keyPath: "client_id" }); }
        if (!db.objectStoreNames.contains(META)) { db.createObjectStore(META, { keyPath: "key" }); }
      };
      request.onsuccess = function () { resolve(request.result); };
      request.onerror = function () { dbPromise = null; reject(request.error); };
    });
    return dbPromise;
  }

  function run(storeName, mode, action) {
    return openDb().then(function (db) {
      return new Promise(function (resolve, reject) {
        var tx = db.transaction(storeName, mode);
        var result;
        var request = action(tx.objectStore(storeName));
        if (request) { request.onsuccess = function () { result = request.result; }; }
        tx.oncomplete = function () { resolve(result); };
        tx.onerror = function () { reject(tx.error); };
        tx.onabort = function () { reject(tx.error); };
      });
    });
  }

  function put(item) { return run(OUTBOX, "readwrite", function (s) { return s.put(item); }); }
  function remove(clientId) { return run(OUTBOX, "readwrite", function (s) { return s.delete(clientId); }); }
  function all() {
    return run(OUTBOX, "readonly", function (s) { return s.getAll(); }).then(function (items) {
      return (items || []).sort(function (a, b) { return a.queued_at < b.queued_at ? -1 : 1; });
    });
  }
  function getMeta(key) {
    return run(META, "readonly", function (s) { return s.get(key); }).then(function (row) {
      return row ? row.value : null;
    });
  }
  function setMeta(key, value) {
    return run(META, "readwrite", function (s) { return s.put({ key: key, value: value }); });
  }

  function readJson(response) {
    return response.text().then(function (text) {
      try { return text ? JSON.parse(text) : null; } catch (e) { return null; }
    });
  }

  function pad(n) { return (n < 10 ? "0" : "") + n; }

  /* ISO 8601 in the phone's own zone with its offset, e.g. 2026-03-02T07:31:12.345+08:00. */
  function isoWithOffset(date) {
    var offset = -date.getTimezoneOffset();
    var sign = offset >= 0 ? "+" : "-";
    var abs = Math.abs(offset);
    var ms = String(date.getMilliseconds());
    while (ms.length < 3) { ms = "0" + ms; }
    return date.getFullYear() + "-" + pad(date.getMonth() + 1) + "-" + pad(date.getDate()) +
      "T" + pad(date.getHours()) + ":" + pad(date.getMinutes()) + ":" + pad(date.getSeconds()) + "." + ms +
      sign + pad(Math.floor(abs / 60)) + ":" + pad(abs % 60);
  }

  /* A 403 that a new login cures (stale CSRF token, OTP not done, or not JSON at all: Django's CSRF page) keeps
     the check-in; any other 403 is a refusal. */
  function needsLogin(data) {
    if (!data || typeof data !== "object") { return true; }
    var detail = typeof data.detail === "string" ? data.detail : "";
    return data.code === "otp_required" || /csrf/i.test(detail);
  }

  /* One POST. Resolves to {outcome, status, data}; outcome is "done", "conflict", "rejected", "auth" or
     "retry". Never rejects. */
  function send(url, item, csrfToken) {
    var controller = typeof AbortController !== "undefined" ? new AbortController() : null;
    var timer = controller ? setTimeout(function () { controller.abort(); }, SEND_TIMEOUT_MS) : null;
    var headers = { "Content-Type": "application/json", "Accept": "application/json" };
    if (csrfToken) { headers["X-CSRFToken"] = csrfToken; }
    if (item.device_id) { headers["X-Device-Id"] = item.device_id; }
    // The phone's clock at sending: with client_time it tells a late sync from a wrong clock on the server.
    headers["X-Client-Sent-At"] = isoWithOffset(new Date());
    return root.fetch(url, {
      method: "POST",
      credentials: "same-origin",
      cache: "no-store",
      headers: headers,
      body: JSON.stringify(item.body),
      signal: controller ? controller.signal : undefined,
    }).then(function (response) {
      return readJson(response).then(function (data) {
        var status = response.status;
        var outcome;
        if (status === 200 || status === 201) { outcome = "done"; }
        else if (status === 409) { outcome = "conflict"; }
        else if (status === 401 || (status === 403 && needsLogin(data))) { outcome = "auth"; }
        else if (status === 408 || status === 429 || status >= 500) { outcome = "retry"; }
        else { outcome = "rejected"; }
        return { outcome: outcome, status: status, data: data };
      });
    }).catch(function (error) {
      return { outcome: "retry", status: 0, data: null, error: String(error) };
    }).then(function (result) {
      if (timer) { clearTimeout(timer); }
      return result;
    });
  }

  /* Page and worker may both flush; the Web Locks API (where there is one) makes them take turns. */
  function withLock(task) {
    var nav = root.navigator;
    if (nav && nav.locks && nav.locks.request) { return nav.locks.request(LOCK_NAME, task); }
    return task();
  }

  /* Sends the owner's queued check-ins oldest first and stops at the first one that must wait (the network
     is down or the session is gone: the rest would fail the same way). options: {url, owner, csrf(item),
     onOutcome(item, result)}. Resolves to {sent, dropped, pending}. */
  function flush(options) {
    return withLock(function () {
      var summary = { sent: 0, dropped: 0, pending: 0 };
      return all().then(function (items) {
        var mine = items.filter(function (item) { return item.owner === options.owner; });
        var index = 0;
        function next() {
          if (index >= mine.length) { return summary; }
          var item = mine[index++];
          return send(options.url, item, options.csrf(item)).then(function (result) {
            var settled;
            if (result.outcome === "done") { summary.sent++; settled = remove(item.client_id); }
            else if (result.outcome === "conflict" || result.outcome === "rejected") {
              summary.dropped++; settled = remove(item.client_id);
            } else {
              item.attempts = (item.attempts || 0) + 1;
              item.last_status = result.status;
              item.last_attempt_at = new Date().toISOString();
              settled = put(item);
            }
            return settled.then(function () {
              if (options.onOutcome) { options.onOutcome(item, result); }
              if (result.outcome === "retry" || result.outcome === "auth") {
                summary.pending = mine.length - summary.sent - summary.dropped;
                return summary;
              }
              return next();
            });
          });
        }
        return next();
      });
    });
  }

  root.PresensiQueue = {
    put: put, remove: remove, all: all, getMeta: getMeta, setMeta: setMeta, send: send, flush: flush,
    isoWithOffset: isoWithOffset,
  };
})(typeof self !== "undefined" ? self : this);
