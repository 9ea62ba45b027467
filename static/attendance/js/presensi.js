/* The check-in page: GPS, allowed locations, today's status, an optional selfie, and the outbox.
 * Every sentence comes translated from the server (#presensi-config); the script carries no language. */
(function () {
  "use strict";
  var Geo = window.PresensiGeo;
  var Queue = window.PresensiQueue;

  function readJson(id) {
    var node = document.getElementById(id);
    return node ? JSON.parse(node.textContent) : {};
  }

  var config = readJson("presensi-config");
  var FLAG_LABELS = readJson("flag-labels");
  var STATUS_LABELS = readJson("status-labels");
  var MSG = config.messages || {};
  var POSITION_MAX_AGE_MS = 120000;
  var POSITION_WAIT_MS = 10000;
  var RETRY_INTERVAL_MS = 30000;

  var state = {
    position: null,
    positionError: null,
    locations: null,
    locationsStaleDate: null,
    photo: null,
    stream: null,
    sending: false,
    flushing: null,
    manualFlush: false,
    positionWaiters: [],
  };

  function $(id) { return document.getElementById(id); }

  function t(key, values) {
    var text = MSG[key] || key;
    Object.keys(values || {}).forEach(function (name) {
      text = text.split("%(" + name + ")s").join(String(values[name]));
    });
    return text;
  }

  /* Builds DOM nodes; server text always goes in as text, never as HTML. */
  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (name) {
      if (name === "text") { node.textContent = attrs[name]; } else { node.setAttribute(name, attrs[name]); }
    });
    (children || []).forEach(function (child) {
      if (child === null || child === undefined) { return; }
      node.appendChild(typeof child === "string" ? document.createTextNode(child) : child);
    });
    return node;
  }

  function replace(target, nodes) {
    while (target.firstChild) { target.removeChild(target.firstChild); }
    (Array.isArray(nodes) ? nodes : [nodes]).forEach(function (node) {
      if (node) { target.appendChild(typeof node === "string" ? document.createTextNode(node) : node); }
    });
  }

  var isoWithOffset = Queue.isoWithOffset;

  /* Dates and times on the office's clock (config.time_zone), not the phone's zone setting. One formatter
     for the page: the clock asks every second, and building one is slow on a cheap phone. */
  var officeFormat = new Intl.DateTimeFormat("en-CA", {
    timeZone: config.time_zone, hourCycle: "h23", year: "numeric", month: "2-digit", day: "2-digit",
    hour: "2-digit", minute: "2-digit", second: "2-digit"
  });

  function officeParts(date) {
    var parts = {};
    officeFormat.formatToParts(date).forEach(function (p) { parts[p.type] = p.value; });
    return parts;
  }

  function localDate(date) {
    var p = officeParts(date);
    return p.year + "-" + p.month + "-" + p.day;
  }

  function timeOf(value) {
    if (!value) { return ""; }
    var date = value instanceof Date ? value : new Date(value);
    if (isNaN(date.getTime())) { return String(value); }
    var p = officeParts(date);
    return p.hour + ":" + p.minute + ":" + p.second;
  }

  function uuid4() {
    if (window.crypto && window.crypto.randomUUID) { return window.crypto.randomUUID(); }
    var bytes = new Uint8Array(16);
    window.crypto.getRandomValues(bytes);
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    var hex = Array.prototype.map.call(bytes, function (b) { return (b + 0x100).toString(16).slice(1); }).join("");
    return hex.slice(0, 8) + "-" + hex.slice(8, 12) + "-" + hex.slice(12, 16) + "-" + hex.slice(16, 20) + "-" +
      hex.slice(20);
  }

  function cookie(name) {
    var found = document.cookie.split(";").map(function (c) { return c.trim(); }).filter(function (c) {
      return c.indexOf(name + "=") === 0;
    })[0];
    return found ? decodeURIComponent(found.slice(name.length + 1)) : "";
  }

  /* A random id for this browser, so the server can see one phone used by several accounts (SHARED_DEVICE). */
  function deviceId() {
    var key = "simasn-presensi-perangkat";
    var id = null;
    try { id = window.localStorage.getItem(key); } catch (e) { id = null; }
    if (!id) {
      id = "pwa-" + uuid4();
      try { window.localStorage.setItem(key, id); } catch (e) { /* private mode: a new id per visit */ }
    }
    return id;
  }

  function getJson(url) {
    return fetch(url, { credentials: "same-origin", cache: "no-store", headers: { "Accept": "application/json" } })
      .then(function (response) {
        if (!response.ok) { throw new Error("HTTP " + response.status); }
        return response.json();
      });
  }

  /* --- clock and network ------------------------------------------------------------------------------ */
  function tickClock() {
    var now = new Date();
    $("clock").textContent = timeOf(now);
    $("clock-date").textContent = now.toLocaleDateString(document.documentElement.lang || "id", {
      weekday: "long", day: "numeric", month: "long", year: "numeric", timeZone: config.time_zone,
    });
  }

  function renderNetwork() {
    var badge = $("net-status");
    var online = navigator.onLine;
    badge.textContent = online ? t("online") : t("offline");
    badge.className = "badge " + (online ? "text-bg-success" : "text-bg-secondary");
  }

  /* --- GPS -------------------------------------------------------------------------------------------- */
  function startGps() {
    if (!navigator.geolocation) {
      $("gps-status").textContent = t("gps_unsupported");
      return;
    }
    navigator.geolocation.watchPosition(function (position) {
      state.position = position;
      state.positionError = null;
      var waiters = state.positionWaiters;
      state.positionWaiters = [];
      waiters.forEach(function (resolve) { resolve(position); });
      renderGps();
    }, function (error) {
      state.positionError = error;
      renderGps();
    }, { enableHighAccuracy: true, maximumAge: 0, timeout: 30000 });
  }

  function renderGps() {
    var status = $("gps-status");
    var detail = $("gps-detail");
    var position = state.position;
    if (!position) {
      var denied = state.positionError && state.positionError.code === 1;
      status.textContent = state.positionError ? t(denied ? "gps_denied" : "gps_unavailable") : t("gps_waiting");
      status.className = "small " + (state.positionError ? "text-danger" : "");
      detail.textContent = "";
      renderGeofence();
      return;
    }
    var c = position.coords;
    var accuracy = Math.round(c.accuracy);
    var low = c.accuracy > config.max_accuracy_m;
    replace(status, [
      el("span", { text: c.latitude.toFixed(6) + ", " + c.longitude.toFixed(6) + " " }),
      el("span", { "class": "badge " + (low ? "text-bg-warning" : "text-bg-light border"), id: "gps-accuracy",
                   text: "± " + accuracy + " m" }),
    ]);
    status.className = "small";
    var age = Math.max(0, Math.round((Date.now() - position.timestamp) / 1000));
    detail.textContent = (low ? t("gps_low_accuracy") + " · " : "") + t("gps_age", { seconds: age });
    renderGeofence();
  }

  /* The last position if it is recent, otherwise the next one (or null after a short wait). */
  function freshPosition() {
    var position = state.position;
    if (position && Date.now() - position.timestamp <= POSITION_MAX_AGE_MS) { return Promise.resolve(position); }
    return new Promise(function (resolve) {
      var done = false;
      function finish(value) { if (!done) { done = true; resolve(value); } }
      state.positionWaiters.push(finish);
      setTimeout(function () { finish(state.position); }, POSITION_WAIT_MS);
    });
  }

  /* --- allowed locations ----------------------------------------------------------------------------- */
  function loadLocations() {
    var today = localDate(new Date());
    return getJson(config.api.locations).then(function (data) {
      var items = Array.isArray(data) ? data : (data.items || data.locations || []);
      state.locations = items;
      state.locationsStaleDate = null;
      // Kept for today only, so an offline reload can still show the distance.
      return Queue.setMeta("lokasi", { owner: config.owner, date: today, items: items }).catch(function () {});
    }).catch(function () {
      return Queue.getMeta("lokasi").then(function (saved) {
        if (saved && saved.owner === config.owner && saved.date === today) {
          state.locations = saved.items;
          state.locationsStaleDate = saved.date;
        } else {
          state.locations = state.locations || "failed";
        }
      }).catch(function () { state.locations = "failed"; });
    }).then(renderGeofence);
  }

  function renderGeofence() {
    var box = $("geofence");
    if (state.locations === null) { box.textContent = t("locations_loading"); return; }
    if (state.locations === "failed") { replace(box, el("span", { "class": "text-danger small", text: t("locations_failed") })); return; }
    if (!state.locations.length) { replace(box, el("span", { "class": "text-warning-emphasis small", text: t("locations_none") })); return; }
    if (!state.position) { box.textContent = ""; return; }
    var c = state.position.coords;
    var best = Geo.nearest(c.latitude, c.longitude, state.locations);
    if (!best) { box.textContent = ""; return; }
    var name = best.location.name || "";
    var nodes = [];
    if (best.inside) {
      nodes.push(el("div", { "class": "alert alert-success py-1 px-2 mb-1", id: "geofence-state", "data-inside": "1" }, [
        el("i", { "class": "bi bi-check-circle-fill", "aria-hidden": "true" }), " ",
        t("inside", { name: name }) + " (" + Geo.formatDistance(best.distance) + ")",
      ]));
    } else {
      nodes.push(el("div", { "class": "alert alert-warning py-1 px-2 mb-1", id: "geofence-state", "data-inside": "0" }, [
        el("i", { "class": "bi bi-exclamation-triangle-fill", "aria-hidden": "true" }), " ",
        t("outside", { name: name, distance: Geo.formatDistance(best.distance), radius: Math.round(best.radius) }),
      ]));
    }
    var note = t("estimate_note");
    if (state.locationsStaleDate) { note = t("locations_offline", { date: state.locationsStaleDate }) + " " + note; }
    nodes.push(el("div", { "class": "small text-muted", text: note }));
    replace(box, nodes);
  }

  /* --- today's record -------------------------------------------------------------------------------- */
  function loadToday() {
    return getJson(config.api.today).then(renderToday).catch(function () {
      replace($("today"), el("span", { "class": "text-muted", text: t("today_failed") }));
    });
  }

  function hhmm(value) { return timeOf(value).slice(0, 5); }

  function renderToday(data) {
    var box = $("today");
    var record = data && data.daily ? data.daily : null;
    if (!record) { replace(box, t("today_none")); suggest(null); return; }
    var nodes = [];
    var codes = record.codes && record.codes.length ? record.codes : (record.status ? [record.status] : []);
    if (codes.length) {
      nodes.push(el("div", { "class": "mb-1", id: "today-status", "data-status": record.status || "" }, codes.map(function (code) {
        return el("span", { "class": "badge text-bg-light border me-1 text-wrap text-start",
                            text: code + (STATUS_LABELS[code] ? " · " + STATUS_LABELS[code] : "") });
      })));
    }
    var schedule = data.schedule || record.schedule;
    if (schedule) {
      nodes.push(el("div", { "class": "text-muted", text: t("schedule", {
        name: schedule.name, start: hhmm(schedule.start), end: hhmm(schedule.end),
        open: hhmm(schedule.checkin_open), close: hhmm(schedule.checkin_close),
      }) }));
    }
    nodes.push(el("div", { text: t("first_in") + ": " + (record.first_in ? timeOf(record.first_in) : "–") + " · " +
                                  t("last_out") + ": " + (record.last_out ? timeOf(record.last_out) : "–") }));
    if (record.late_minutes) { nodes.push(el("div", { "class": "text-danger", text: t("late", { minutes: record.late_minutes }) })); }
    if (record.early_minutes) { nodes.push(el("div", { "class": "text-danger", text: t("early", { minutes: record.early_minutes }) })); }
    var events = data.events || [];
    if (events.length) {
      nodes.push(el("ul", { "class": "mb-0 ps-3 mt-1", id: "today-events" }, events.map(function (event) {
        var text = kindLabel(event.kind) + " " + timeOf(event.server_time);
        if (event.location_name) { text += " · " + event.location_name; }
        var flagged = event.status === "flagged";
        var item = el("li", {}, [text + " "]);
        item.appendChild(el("span", { "class": "badge " + (flagged ? "text-bg-warning" : "text-bg-success"),
                                      text: t(flagged ? "event_flagged" : "event_accepted") }));
        if (flagged && event.flags && event.flags.length) {
          item.appendChild(el("div", { "class": "text-muted", text: event.flags.map(function (code) {
            return FLAG_LABELS[code] || code;
          }).join("; ") }));
        }
        return item;
      })));
    }
    replace(box, nodes);
    suggest(record);
  }

  /* Highlights the button the employee most likely needs next; both stay usable. */
  function suggest(record) {
    var next = record && record.first_in ? "out" : "in";
    $("btn-in").classList.toggle("is-suggested", next === "in");
    $("btn-out").classList.toggle("is-suggested", next === "out");
  }

  /* --- selfie ----------------------------------------------------------------------------------------- */
  function stopCamera() {
    if (state.stream) {
      state.stream.getTracks().forEach(function (track) { track.stop(); });
      state.stream = null;
    }
    $("selfie-video").srcObject = null;
  }

  function openCamera() {
    var status = $("selfie-status");
    if (!navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) {
      status.textContent = t("camera_unsupported");
      return;
    }
    navigator.mediaDevices.getUserMedia({
      video: { facingMode: "user", width: { ideal: 640 }, height: { ideal: 480 } }, audio: false,
    }).then(function (stream) {
      stopCamera();
      state.stream = stream;
      var video = $("selfie-video");
      video.srcObject = stream;
      video.classList.remove("d-none");
      $("selfie-preview").classList.add("d-none");
      $("selfie-frame").classList.remove("d-none");
      $("selfie-shoot").classList.remove("d-none");
      status.textContent = "";
    }).catch(function (error) {
      status.textContent = t(error && error.name === "NotAllowedError" ? "camera_denied" : "camera_unsupported");
    });
  }

  function takePhoto() {
    var video = $("selfie-video");
    if (!state.stream || !video.videoWidth) { return; }
    var scale = Math.min(1, 640 / Math.max(video.videoWidth, video.videoHeight));
    var canvas = $("selfie-canvas");
    canvas.width = Math.round(video.videoWidth * scale);
    canvas.height = Math.round(video.videoHeight * scale);
    canvas.getContext("2d").drawImage(video, 0, 0, canvas.width, canvas.height);
    var dataUrl = canvas.toDataURL("image/jpeg", 0.85);
    state.photo = dataUrl.slice(dataUrl.indexOf(",") + 1);
    stopCamera();
    var preview = $("selfie-preview");
    preview.src = dataUrl;
    preview.classList.remove("d-none");
    video.classList.add("d-none");
    $("selfie-shoot").classList.add("d-none");
    $("selfie-clear").classList.remove("d-none");
    $("selfie-open").classList.remove("d-none");
    $("selfie-status").textContent = t("photo_ready");
  }

  function clearPhoto() {
    state.photo = null;
    stopCamera();
    $("selfie-preview").removeAttribute("src");
    $("selfie-frame").classList.add("d-none");
    $("selfie-shoot").classList.add("d-none");
    $("selfie-clear").classList.add("d-none");
    $("selfie-status").textContent = "";
  }

  /* --- results ---------------------------------------------------------------------------------------- */
  function kindLabel(kind) { return t(kind === "out" ? "kind_out" : "kind_in"); }

  function showResult(nodes, tone, id) {
    var box = el("div", { "class": "alert alert-" + tone + " presensi-result mb-0", id: id || "result-card" }, nodes);
    replace($("result"), box);
  }

  function showAnswer(item, answer, replayed) {
    var flagged = answer.status === "flagged";
    var nodes = [el("div", { "class": "fw-bold" }, [
      el("i", { "class": "bi " + (flagged ? "bi-exclamation-triangle-fill" : "bi-check-circle-fill"), "aria-hidden": "true" }),
      " " + t(flagged ? "flagged" : "accepted") + " — " + kindLabel(item.kind),
    ])];
    if (replayed) { nodes.push(el("div", { "class": "small", text: t("queue_sent", { kind: kindLabel(item.kind), time: timeOf(item.body.client_time) }) })); }
    nodes.push(el("div", { "class": "small", text: t("server_time") + ": " + timeOf(answer.server_time) }));
    if (answer.location) {
      var distance = typeof answer.location.distance_m === "number" ? Geo.formatDistance(answer.location.distance_m) : "";
      nodes.push(el("div", { "class": "small", text: t("at_location", { name: answer.location.name, distance: distance }) }));
    } else {
      nodes.push(el("div", { "class": "small", text: t("no_location") }));
    }
    if (flagged && answer.flags && answer.flags.length) {
      nodes.push(el("ul", { "class": "flag-list small" }, answer.flags.map(function (code) {
        return el("li", { "data-flag": code }, [
          FLAG_LABELS[code] || code, " ", el("span", { "class": "flag-code", text: "(" + code + ")" }),
        ]);
      })));
      nodes.push(el("div", { "class": "small text-muted", text: t("flagged_note") }));
    }
    showResult(nodes, flagged ? "warning" : "success", "result-card");
    $("result-card").setAttribute("data-status", answer.status || "");
    loadToday();
  }

  function showRefusal(item, result) {
    var data = result.data || {};
    var nodes = [el("div", { "class": "fw-bold" }, [
      el("i", { "class": "bi bi-x-octagon-fill", "aria-hidden": "true" }),
      " " + (result.outcome === "conflict" ? t("conflict") : t("rejected") + " — " + kindLabel(item.kind)),
    ])];
    if (result.outcome !== "conflict" && data.detail) { nodes.push(el("div", { "class": "small", text: data.detail })); }
    if (Array.isArray(data.errors) && data.errors.length) {
      nodes.push(el("ul", { "class": "small mb-0" }, data.errors.map(function (e) {
        var where = Array.isArray(e.loc) ? e.loc.filter(function (p) { return p !== "body" && p !== "payload"; }).join(".") : "";
        return el("li", { text: (where ? where + ": " : "") + (e.msg || "") });
      })));
    }
    showResult(nodes, "danger", "result-card");
    $("result-card").setAttribute("data-status", "error");
  }

  function showPending(item, result) {
    var key = result.outcome === "auth" ? "auth" : (result.status >= 500 ? "server_error" : "queued");
    var nodes = [el("div", { "class": "fw-bold" }, [
      el("i", { "class": "bi " + (key === "auth" ? "bi-person-lock" : "bi-cloud-slash"), "aria-hidden": "true" }),
      " " + t(key, { status: result.status }),
    ])];
    if (key === "auth") {
      nodes.push(el("a", { "class": "btn btn-sm btn-outline-dark mt-1", href: config.login_url, text: t("login") }));
    }
    showResult(nodes, key === "queued" ? "info" : "warning", "result-card");
    $("result-card").setAttribute("data-status", key);
  }

  /* --- outbox ----------------------------------------------------------------------------------------- */
  var currentTap = null; // client_id whose answer belongs in the result area

  function onOutcome(item, result) {
    var replayed = item.client_id !== currentTap;
    if (result.outcome === "done") { showAnswer(item, result.data || {}, replayed); }
    else if (result.outcome === "conflict" || result.outcome === "rejected") { showRefusal(item, result); }
    // A background retry that fails again stays quiet, unless the user asked for it or must log in again.
    else if (!replayed || state.manualFlush || result.outcome === "auth") { showPending(item, result); }
    if (!replayed) { currentTap = null; }
  }

  function flush() {
    if (state.flushing) { return state.flushing; }
    state.flushing = Queue.flush({
      url: config.api.checkins,
      owner: config.owner,
      csrf: function (item) { return cookie(config.csrf_cookie) || item.csrf; },
      onOutcome: onOutcome,
    }).catch(function () { return null; }).then(function (summary) {
      state.flushing = null;
      return renderQueue().then(function () {
        if (summary && summary.pending) { requestBackgroundSync(); }
        return summary;
      });
    });
    return state.flushing;
  }

  function renderQueue() {
    return Queue.all().then(function (items) {
      var mine = items.filter(function (item) { return item.owner === config.owner && item.client_id !== currentTap; });
      var others = items.filter(function (item) { return item.owner !== config.owner; }).length;
      var box = $("queue");
      box.classList.toggle("d-none", !mine.length && !others);
      $("queue-text").textContent = mine.length ? t("queue_count", { count: mine.length }) : "";
      $("queue-send").classList.toggle("d-none", !mine.length);
      replace($("queue-list"), mine.map(function (item) {
        return el("li", { text: kindLabel(item.kind) + " · " + t("taken_at", { time: timeOf(item.body.client_time) }) });
      }));
      var other = $("queue-other");
      other.classList.toggle("d-none", !others);
      other.textContent = others ? t("queue_other_owner", { count: others }) : "";
    }).catch(function () {});
  }

  function requestBackgroundSync() {
    if (!("serviceWorker" in navigator)) { return; }
    navigator.serviceWorker.ready.then(function (registration) {
      if (registration.sync) { return registration.sync.register(config.sync_tag); }
      return null;
    }).catch(function () {});
  }

  /* --- check-in --------------------------------------------------------------------------------------- */
  function setButtons(enabled) {
    $("btn-in").disabled = !enabled;
    $("btn-out").disabled = !enabled;
  }

  function checkIn(kind) {
    if (state.sending) { return; }
    // The moment of the tap is what the phone reports, whatever happens to the network afterwards.
    var tapped = new Date();
    var clientId = uuid4();
    state.sending = true;
    setButtons(false);
    showResult([el("span", { "class": "spinner-border spinner-border-sm", "aria-hidden": "true" }), " " + t("sending")], "secondary", "result-card");
    freshPosition().then(function (position) {
      if (!position) {
        showResult([el("div", { "class": "fw-bold", text: t("no_position_on_tap") })], "danger", "result-card");
        $("result-card").setAttribute("data-status", "no-position");
        return null;
      }
      var body = {
        client_id: clientId,
        kind: kind,
        client_time: isoWithOffset(tapped),
        latitude: position.coords.latitude,
        longitude: position.coords.longitude,
        accuracy_m: position.coords.accuracy,
        // A web page cannot see Android's mock-location setting; the server's other checks still apply.
        mock_location: false,
      };
      if (state.photo) { body.photo = state.photo; }
      var item = {
        client_id: clientId, owner: config.owner, kind: kind, body: body, device_id: deviceId(),
        csrf: cookie(config.csrf_cookie), queued_at: tapped.toISOString(), attempts: 0,
      };
      currentTap = clientId;
      return Queue.put(item).then(function () {
        if (state.photo) { clearPhoto(); }
        // A flush already running read the outbox before this item was in it: send after it.
        return (state.flushing || Promise.resolve()).then(flush);
      });
    }).catch(function () {
      showResult([el("div", { "class": "fw-bold", text: t("rejected") })], "danger", "result-card");
    }).then(function () {
      state.sending = false;
      setButtons(true);
    });
  }

  /* --- service worker ---------------------------------------------------------------------------------- */
  function registerWorker() {
    if (!("serviceWorker" in navigator)) { return; }
    navigator.serviceWorker.register(config.sw_url, { scope: config.sw_scope }).catch(function () {});
    navigator.serviceWorker.addEventListener("message", function (event) {
      var data = event.data || {};
      if (data.type === "presensi-outcome" && data.owner === config.owner && data.item) {
        onOutcome(data.item, data.result);
        renderQueue();
      }
    });
  }

  function init() {
    tickClock();
    setInterval(tickClock, 1000);
    setInterval(function () { if (state.position) { renderGps(); } }, 5000);
    renderNetwork();
    window.addEventListener("online", function () { renderNetwork(); flush(); loadLocations(); loadToday(); });
    window.addEventListener("offline", renderNetwork);
    document.addEventListener("visibilitychange", function () {
      if (document.hidden) { stopCamera(); } else if (navigator.onLine) { flush(); }
    });
    $("btn-in").addEventListener("click", function () { checkIn("in"); });
    $("btn-out").addEventListener("click", function () { checkIn("out"); });
    $("queue-send").addEventListener("click", function () {
      state.manualFlush = true;
      (state.flushing || Promise.resolve()).then(flush).then(function () { state.manualFlush = false; });
    });
    $("selfie-open").addEventListener("click", openCamera);
    $("selfie-shoot").addEventListener("click", takePhoto);
    $("selfie-clear").addEventListener("click", clearPhoto);
    setButtons(true);
    startGps();
    registerWorker();
    loadLocations();
    loadToday();
    renderQueue().then(function () { if (navigator.onLine) { flush(); } });
    // `online` does not fire when the network comes back behind a captive portal or a dead Wi-Fi: retry anyway.
    setInterval(function () { if (navigator.onLine && !state.sending) { flush(); } }, RETRY_INTERVAL_MS);
  }

  init();
})();
