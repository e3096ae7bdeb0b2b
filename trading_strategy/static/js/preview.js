/* The signal preview panel: draws the chart the server's answer carries
 * (#preview-chart-data), shows each clause's values and truth under the pointer, and, in
 * the editor, asks for a fresh preview after each check of a valid text (the previous
 * request is cancelled when a newer edit supersedes it). Without JavaScript the panel's
 * tables and its "Show preview" button still work. */
(function () {
  "use strict";

  var panel = document.querySelector(".preview-panel");
  if (!panel) { return; }
  var chart = null;

  var MARKS = { "1": "\u2713", "0": "\u2717", "-": "\u2013" };
  var EXIT_COLOURS = { exit: "#2962ff", take_profit: "#2962ff", end: "#787b86" };
  var LINE_COLOURS = ["#f57c00", "#7b1fa2", "#00897b", "#c2185b", "#5d4037", "#1976d2"];

  function readData() {
    var node = document.getElementById(panel.dataset.chart || "preview-chart-data");
    if (!node) { return null; }
    try { return JSON.parse(node.textContent); } catch (error) { return null; }
  }

  function points(times, values) {
    var out = [];
    for (var i = 0; i < times.length; i += 1) {
      out.push(values[i] === null ? { time: times[i] } : { time: times[i], value: values[i] });
    }
    return out;
  }

  function seriesByName(data) {
    var named = { open: data.candles[0], high: data.candles[1], low: data.candles[2], close: data.candles[3] };
    data.overlays.forEach(function (line) { named[line.name] = line.values; });
    data.panes.forEach(function (pane) {
      pane.lines.forEach(function (line) { named[line.name] = line.values; });
    });
    return named;
  }

  function operand(side, named, index) {
    if (!side) { return null; }
    if (side.value !== undefined) { return side.value; }
    var values = side.series !== undefined ? named[side.series] : side.values;
    return values ? values[index] : null;
  }

  function number(value) {
    if (value === null || value === undefined) { return "n/a"; }
    return Math.abs(value) >= 1000 ? value.toFixed(2) : String(Number(value.toPrecision(6)));
  }

  function readoutAt(data, named, index, box) {
    box.textContent = "";
    var when = new Date(data.time[index] * 1000).toISOString().replace(".000Z", "Z");
    var heading = document.createElement("strong");
    heading.textContent = when;
    box.appendChild(heading);
    data.clauses.forEach(function (clause) {
      var line = document.createElement("span");
      line.className = "clause";
      line.dataset.role = clause.role;
      var mark = clause.truth.charAt(index) || "-";
      line.dataset.truth = mark;
      var values = clause.left === null ? "only in a trade"
        : number(operand(clause.left, named, index)) + " " + clause.op + " " +
          number(operand(clause.right, named, index));
      line.textContent = clause.role + ": " + clause.text + " \u2192 " + values + " " + MARKS[mark];
      box.appendChild(line);
    });
    box.hidden = false;
  }

  function draw() {
    var data = readData();
    var box = document.getElementById("preview-chart");
    var readout = document.getElementById("preview-readout");
    if (chart) { chart.remove(); chart = null; }
    if (!data || !box || !window.LightweightCharts || data.time.length === 0) { return; }
    var charts = window.LightweightCharts;
    box.hidden = false;
    // A fixed height (the chart fills it, autoSize follows only the width): a height
    // taken from the content would grow with the chart drawn into it.
    box.style.height = (300 + 130 * data.panes.length) + "px";
    chart = charts.createChart(box, {
      layout: { attributionLogo: false },
      timeScale: { timeVisible: true },
      autoSize: true
    });
    var candles = chart.addSeries(charts.CandlestickSeries, {});
    candles.setData(data.time.map(function (time, i) {
      return { time: time, open: data.candles[0][i], high: data.candles[1][i],
               low: data.candles[2][i], close: data.candles[3][i] };
    }));
    data.overlays.forEach(function (line, i) {
      chart.addSeries(charts.LineSeries, { color: LINE_COLOURS[i % LINE_COLOURS.length], lineWidth: 1,
                                           title: line.name, priceLineVisible: false })
        .setData(points(data.time, line.values));
    });
    data.panes.forEach(function (pane, p) {
      pane.lines.forEach(function (line, i) {
        chart.addSeries(charts.LineSeries, { color: LINE_COLOURS[i % LINE_COLOURS.length], lineWidth: 1,
                                             title: line.name, priceLineVisible: false }, p + 1)
          .setData(points(data.time, line.values));
      });
    });
    charts.createSeriesMarkers(candles, data.markers.map(function (marker) {
      var entry = marker.kind === "entry";
      return {
        time: marker.time,
        position: entry ? "belowBar" : "aboveBar",
        shape: entry ? "arrowUp" : "arrowDown",
        color: entry ? "#26a69a" : (EXIT_COLOURS[marker.kind] || "#ef5350"),
        text: entry ? "buy" : marker.kind
      };
    }));
    chart.timeScale().fitContent();
    var named = seriesByName(data);
    var indexOf = {};
    data.time.forEach(function (time, i) { indexOf[time] = i; });
    chart.subscribeCrosshairMove(function (param) {
      if (!readout) { return; }
      if (param.time === undefined || indexOf[param.time] === undefined) { return; }
      readoutAt(data, named, indexOf[param.time], readout);
    });
  }

  /* ---- the editor: a fresh preview after each check of a valid text ----------------- */

  var form = document.getElementById("editor-form");
  var url = panel.dataset.previewUrl;
  var pending = null;
  var timer = null;
  var last = null;

  function results() { return document.getElementById("preview-results"); }

  function field(name) {
    var input = document.querySelector("[name=" + name + "][form=editor-form]");
    return input ? input.value : "";
  }

  function refresh(detail) {
    if (pending) { pending.abort(); }
    pending = new AbortController();
    var body = new FormData();
    body.append("document", detail.document);
    body.append("format", detail.format);
    ["data_source", "start", "end"].forEach(function (name) { body.append(name, field(name)); });
    var token = form.querySelector("input[name=csrfmiddlewaretoken]");
    panel.dataset.state = "loading";
    fetch(url, { method: "POST", body: body, signal: pending.signal, credentials: "same-origin",
                 headers: { "X-CSRFToken": token ? token.value : "" } })
      .then(function (response) {
        if (!response.ok) { throw new Error("HTTP " + response.status); }
        return response.text();
      })
      .then(function (html) {
        // The server's fragment, with its chart data inside: escaped there like any page.
        var holder = document.createElement("div");
        holder.innerHTML = html;
        var fresh = holder.querySelector("#preview-results");
        if (fresh) { results().replaceWith(fresh); }
        panel.dataset.state = "done";
        stale(false);
        draw();
      })
      .catch(function (error) {
        if (error.name === "AbortError") { return; }
        panel.dataset.state = "failed";
      });
  }

  function stale(on) {
    var note = document.getElementById("preview-stale");
    if (note) { note.hidden = !on; }
  }

  function schedule(detail) {
    last = detail;
    window.clearTimeout(timer);
    if (!detail.valid) {
      if (pending) { pending.abort(); }
      stale(true);
      return;
    }
    timer = window.setTimeout(function () { refresh(detail); }, 400);
  }

  if (form && url) {
    var button = document.getElementById("preview-refresh");
    if (button) { button.hidden = true; }
    form.addEventListener("strategy:checked", function (event) { schedule(event.detail); });
    panel.querySelectorAll("select, input").forEach(function (control) {
      control.addEventListener("change", function () {
        var text = document.getElementById("document");
        var format = document.getElementById("format");
        refresh(last || { valid: true, document: text.value, format: format.value });
      });
    });
  } else {
    var choice = document.getElementById("preview-form");
    if (choice) {
      choice.querySelectorAll("select, input").forEach(function (control) {
        control.addEventListener("change", function () { choice.requestSubmit(); });
      });
    }
  }
  draw();
})();
