// The dashboard's pictures: the occupancy trend and the capacity outlook (Chart.js) and the
// locations map (Leaflet). The figures come from json_script blocks the page renders; every
// picture also has a table with the same figures, so nothing depends on this script.
(function () {
  "use strict";

  // Colour is never the only difference: each target group also has its own dash pattern
  // and point shape.
  const STYLES = [
    { color: "#0b3d78", dash: [], point: "circle" },
    { color: "#b35c00", dash: [8, 4], point: "rectRot" },
    { color: "#2e7d32", dash: [2, 3], point: "triangle" },
  ];
  const LOCALE = document.documentElement.lang === "en" ? "en-GB" : "nl-NL";

  function readJSON(id) {
    const element = document.getElementById(id);
    return element ? JSON.parse(element.textContent) : null;
  }

  function groupDatasets(groups, series) {
    return groups.map((group, index) => {
      const style = STYLES[index % STYLES.length];
      return {
        label: group.label,
        data: series[group.key] || [],
        borderColor: style.color,
        backgroundColor: style.color,
        borderDash: style.dash,
        pointStyle: style.point,
        pointRadius: 3,
        borderWidth: 2,
        tension: 0,
      };
    });
  }

  function lineChart(canvas, labels, datasets, yTitle, yOptions) {
    return new window.Chart(canvas, {
      type: "line",
      data: { labels, datasets },
      options: {
        locale: LOCALE,
        responsive: true,
        maintainAspectRatio: false,
        animation: false,
        interaction: { mode: "index", intersect: false },
        plugins: { legend: { labels: { usePointStyle: true } } },
        scales: {
          x: { ticks: { autoSkip: true, maxRotation: 0 } },
          y: { title: { display: true, text: yTitle }, ...yOptions },
        },
      },
    });
  }

  function sameThresholds(thresholds) {
    const values = Object.values(thresholds).map((pair) => pair.join("/"));
    return values.length > 0 && values.every((value) => value === values[0]);
  }

  function drawTrend(charts) {
    const canvas = document.getElementById("trend-chart");
    if (!canvas) return;
    const labels = charts.trend.labels;
    const datasets = groupDatasets(charts.groups, charts.trend.series);
    // One pair of threshold lines when every target group has the same thresholds.
    if (sameThresholds(charts.thresholds)) {
      const [warning, tipping] = Object.values(charts.thresholds)[0];
      const line = (label, value, color) => ({
        label,
        data: labels.map(() => value),
        borderColor: color,
        backgroundColor: color,
        borderDash: [3, 3],
        borderWidth: 1,
        pointRadius: 0,
        pointStyle: "line",
      });
      const number = (value) => value.toLocaleString(LOCALE);
      datasets.push(line(`${charts.text.warning} (${number(warning)}%)`, warning, "#8a6d00"));
      datasets.push(line(`${charts.text.tipping_point} (${number(tipping)}%)`, tipping, "#b00020"));
    }
    lineChart(canvas, labels, datasets, charts.text.rate_axis, { min: 0, max: 100 });
  }

  function drawOutlook(charts) {
    const canvas = document.getElementById("outlook-chart");
    if (!canvas) return;
    const datasets = groupDatasets(charts.groups, charts.outlook.series);
    lineChart(canvas, charts.outlook.labels, datasets, charts.text.places_axis, {
      beginAtZero: true,
    });
  }

  function popupContent(location, text) {
    // Built from DOM nodes, not HTML strings: names come from user input.
    const box = document.createElement("div");
    const title = document.createElement("strong");
    title.textContent = location.name;
    box.append(title);
    const number = (value) => (value || 0).toLocaleString(LOCALE);
    const lines = [
      `${location.municipality} · ${location.target_group}`,
      location.upcoming
        ? `${location.status}: ${number(location.places)} ${text.places_planned}`
        : `${number(location.places)} ${text.places}, ${number(location.occupied)} ${text.occupied}`,
    ];
    for (const text of lines) {
      const line = document.createElement("div");
      line.textContent = text;
      box.append(line);
    }
    return box;
  }

  function say(element, message) {
    const fallback = element.querySelector(".dashboard-map__fallback");
    if (fallback && message) fallback.textContent = message;
  }

  function loadMap(config) {
    // The points come after the page, from their own endpoint (cached, ETag-validated: the
    // browser revalidates its copy with If-None-Match and usually gets a 304).
    const element = document.getElementById("dashboard-map");
    if (!element || !window.L || !element.dataset.url) return;
    const text = (config && config.text) || {};
    fetch(element.dataset.url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then((response) => {
        if (!response.ok) throw new Error(String(response.status));
        return response.json();
      })
      .then((locations) => {
        if (locations.length === 0) {
          say(element, text.none);
          element.classList.add("dashboard-map--empty");
          return;
        }
        drawMap(element, locations, config, text);
        element.dataset.loaded = String(locations.length);
      })
      .catch(() => say(element, text.failed));
  }

  function drawMap(element, locations, config, text) {
    const fallback = element.querySelector(".dashboard-map__fallback");
    if (fallback) fallback.remove();
    const L = window.L;
    const map = L.map(element, { scrollWheelZoom: false, zoomSnap: 0.25 });
    const tiles = config && config.tileUrl;
    if (tiles) {
      L.tileLayer(config.tileUrl, { attribution: config.attribution || "", maxZoom: 18 })
        // Offline or blocked: a map without its tiles still names the municipalities.
        .on("tileerror", () => labelMunicipalities())
        .addTo(map);
    }
    const groups = [...new Set(locations.map((location) => location.target_group))];
    const points = [];
    const byMunicipality = new Map();
    for (const location of locations) {
      const style = STYLES[groups.indexOf(location.target_group) % STYLES.length];
      const latlng = [location.lat, location.lon];
      L.circleMarker(latlng, {
        radius: 5 + Math.sqrt(location.places || 0) * 0.9,
        color: style.color,
        weight: 2,
        fillColor: style.color,
        fillOpacity: location.upcoming ? 0.1 : 0.35,
        dashArray: location.upcoming ? "4 4" : null,
      })
        .bindPopup(popupContent(location, text))
        .addTo(map);
      points.push(latlng);
      const entry = byMunicipality.get(location.municipality) || { lat: 0, lon: 0, n: 0 };
      entry.lat += location.lat;
      entry.lon += location.lon;
      entry.n += 1;
      byMunicipality.set(location.municipality, entry);
    }
    map.fitBounds(points, { padding: [40, 40], maxZoom: 12 });
    let labelled = false;
    function labelMunicipalities() {
      // The municipality names on a plain background, once, instead of the tiles.
      if (labelled) return;
      labelled = true;
      element.classList.add("dashboard-map--blank");
      for (const [name, entry] of byMunicipality) {
        const label = document.createElement("span");
        label.textContent = name;
        L.tooltip({
          permanent: true,
          direction: "top",
          offset: [0, -8],
          className: "dashboard-map__label",
        })
          .setLatLng([entry.lat / entry.n, entry.lon / entry.n])
          .setContent(label)
          .addTo(map);
      }
    }
    if (!tiles) labelMunicipalities();
  }

  document.addEventListener("DOMContentLoaded", () => {
    const charts = readJSON("dashboard-charts");
    if (charts && window.Chart) {
      drawTrend(charts);
      drawOutlook(charts);
    }
    loadMap(readJSON("dashboard-map-config"));
  });
})();
