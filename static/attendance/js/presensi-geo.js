/* Distance to the allowed locations, for display only: the server measures again and decides. */
(function (root) {
  "use strict";
  var EARTH_RADIUS_M = 6371008.8; // mean Earth radius (IUGG), the same constant the server uses

  function toRad(deg) { return deg * Math.PI / 180; }

  function haversine(lat1, lon1, lat2, lon2) {
    var dLat = toRad(lat2 - lat1);
    var dLon = toRad(lon2 - lon1);
    var a = Math.pow(Math.sin(dLat / 2), 2) +
      Math.cos(toRad(lat1)) * Math.cos(toRad(lat2)) * Math.pow(Math.sin(dLon / 2), 2);
    return 2 * EARTH_RADIUS_M * Math.asin(Math.min(1, Math.sqrt(a)));
  }

  function coords(loc) {
    return {
      lat: loc.latitude !== undefined ? loc.latitude : loc.lat,
      lon: loc.longitude !== undefined ? loc.longitude : loc.lon,
      radius: loc.radius_m !== undefined ? loc.radius_m : loc.radius,
    };
  }

  /* The location whose edge is closest: being inside any circle wins over a nearer centre. */
  function nearest(lat, lon, locations) {
    var best = null;
    (locations || []).forEach(function (loc) {
      var c = coords(loc);
      if (typeof c.lat !== "number" || typeof c.lon !== "number") { return; }
      var distance = haversine(lat, lon, c.lat, c.lon);
      var radius = typeof c.radius === "number" ? c.radius : 0;
      var gap = distance - radius;
      if (best === null || gap < best.gap) {
        best = { location: loc, distance: distance, radius: radius, gap: gap, inside: distance <= radius };
      }
    });
    return best;
  }

  function formatDistance(metres) {
    if (metres < 1000) { return Math.round(metres) + " m"; }
    return (metres / 1000).toFixed(metres < 10000 ? 1 : 0).replace(".", ",") + " km";
  }

  root.PresensiGeo = { haversine: haversine, nearest: nearest, formatDistance: formatDistance };
})(typeof self !== "undefined" ? self : this);
