// Admin dashboard charts: one uPlot chart per catalog chart, fed by the metrics stream.
// Reads its URLs from data-* attributes on #charts; no inline script or style anywhere.
(function () {
  "use strict";

  var root = document.getElementById("charts");
  if (!root || typeof window.uPlot !== "function") {
    return;
  }
  var statusNode = document.getElementById("metrics-status");
  var refreshMs = (parseInt(root.dataset.refreshSeconds, 10) || 5) * 1000;
  var palette = ["#1f5fbf", "#b42318", "#1a7f37", "#9a6700", "#8250df", "#0a7ea4",
                 "#bf3989", "#57606a", "#e16f24", "#116329"];
  var plots = {};  // chart id -> {plot, names}
  var pollTimer = null;
  var source = null;

  function setStatus(text, isError) {
    if (!statusNode) { return; }
    statusNode.textContent = text;
    statusNode.classList.toggle("error", Boolean(isError));
  }

  function formatValue(unit, value) {
    if (value === null || value === undefined) { return "—"; }
    if (unit === "s") {
      return value < 1 ? (value * 1000).toFixed(1) + " ms" : value.toFixed(2) + " s";
    }
    if (unit === "ratio") { return (value * 100).toFixed(2) + " %"; }
    return value.toFixed(2) + " " + unit;
  }

  // Axis ticks: short, without the unit the heading already names (except for time and %).
  function formatTick(unit, value) {
    if (unit === "s" || unit === "ratio") { return formatValue(unit, value); }
    return Math.abs(value) >= 100 ? value.toFixed(0) : String(Math.round(value * 100) / 100);
  }

  function plotWidth(node) {
    return Math.max(node.clientWidth || 0, 320);
  }

  function build(section, chart, timestamps) {
    var container = section.querySelector(".chart-plot");
    var names = chart.series.map(function (s) { return s.name; });
    var options = {
      width: plotWidth(container),
      height: 220,
      scales: { x: { time: true }, y: { range: function (u, min, max) { return [0, max > 0 ? max * 1.1 : 1]; } } },
      axes: [{}, { values: function (u, splits) {
        return splits.map(function (v) { return formatTick(chart.unit, v); });
      }, size: 72 }],
      series: [{}].concat(names.map(function (name, index) {
        return { label: name, stroke: palette[index % palette.length], width: 1.5, spanGaps: false,
                 value: function (u, v) { return formatValue(chart.unit, v); } };
      }))
    };
    while (container.firstChild) { container.removeChild(container.firstChild); }
    var plot = new window.uPlot(options, dataFor(chart, timestamps), container);
    plots[chart.id] = { plot: plot, names: names.join("\u0000"), container: container };
  }

  function dataFor(chart, timestamps) {
    return [timestamps].concat(chart.series.map(function (s) { return s.values; }));
  }

  function render(payload) {
    var timestamps = payload.timestamps || [];
    (payload.charts || []).forEach(function (chart) {
      var section = root.querySelector('[data-chart="' + chart.id + '"]');
      if (!section) { return; }
      var empty = section.querySelector(".chart-empty");
      var hasData = chart.series.length > 0 && timestamps.length > 0;
      if (empty) {
        empty.hidden = hasData;
        empty.textContent = chart.available ? "No data yet: the first points appear after two samples."
                                            : "Not exported yet: no such metric in the registry.";
      }
      if (!hasData) { return; }
      var existing = plots[chart.id];
      var names = chart.series.map(function (s) { return s.name; }).join("\u0000");
      if (existing && existing.names === names) {
        existing.plot.setData(dataFor(chart, timestamps));
      } else {
        if (existing) { existing.plot.destroy(); }
        build(section, chart, timestamps);
      }
    });
    var when = payload.generated_at ? new Date(payload.generated_at * 1000) : new Date();
    setStatus("Updated " + when.toLocaleTimeString() + ".", false);
  }

  function poll() {
    fetch(root.dataset.jsonUrl, { credentials: "same-origin", headers: { "Accept": "application/json" } })
      .then(function (response) {
        if (!response.ok) { throw new Error("HTTP " + response.status); }
        return response.json();
      })
      .then(render)
      .catch(function (error) { setStatus("Could not load metrics (" + error.message + ").", true); });
  }

  function startPolling() {
    if (pollTimer === null) {
      pollTimer = window.setInterval(poll, refreshMs);
    }
  }

  function startStream() {
    if (typeof window.EventSource !== "function") {
      startPolling();
      return;
    }
    var received = false;
    source = new window.EventSource(root.dataset.eventsUrl);
    source.addEventListener("metrics", function (event) {
      received = true;
      try { render(JSON.parse(event.data)); } catch (error) { setStatus("Bad metrics message.", true); }
    });
    source.addEventListener("error", function () {
      if (!received) {
        // The stream cannot open here (WSGI, a proxy): poll the same JSON instead.
        source.close();
        source = null;
        startPolling();
      } else {
        setStatus("Reconnecting…", true);
      }
    });
  }

  window.addEventListener("resize", function () {
    Object.keys(plots).forEach(function (id) {
      var entry = plots[id];
      entry.plot.setSize({ width: plotWidth(entry.container), height: 220 });
    });
  });

  poll();
  startStream();
})();
