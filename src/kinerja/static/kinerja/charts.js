/* Kinerja's dashboard charts, drawn with the vendored Chartist (docs/dependencies.md) from the
   JSON the view writes with json_script (web/dashboard_charts.py). Every text written on a chart
   comes from the server, already formatted (Rp 1.443.040.145, 40,64 %) and translated; the
   numbers only set lengths. Readable without colour: hatched against solid bars, a line with
   diamond markers against a dashed reference line, a legend in words and the value written on
   every bar and point. The tables under the charts hold the same figures, so without
   JavaScript the page loses nothing but the drawing. No build step, no framework. */
(function () {
  "use strict";
  var source = document.getElementById("kinerja-charts");
  var Chartist = window.Chartist;
  if (!source || !Chartist) { return; }
  var charts = JSON.parse(source.textContent);
  var SVG = "http://www.w3.org/2000/svg";
  var number = new Intl.NumberFormat("id-ID", { maximumFractionDigits: 2 });
  var BAR = 22;  // bar thickness, px
  var MARK = 7;  // half the width of a diamond marker, px
  /* On a narrow screen the value goes above its bar instead of after it. */
  var NARROW = "(max-width: 640px)";
  var WIDE = { gap: 2, row: 2 * BAR + 26, right: 230 };
  var SLIM = { gap: 20, row: 2 * BAR + 76, right: 24 };

  function svg(name, attributes, parent) {
    var node = document.createElementNS(SVG, name);
    Object.keys(attributes).forEach(function (key) { node.setAttribute(key, attributes[key]); });
    if (parent) { parent.appendChild(node); }
    return node;
  }

  function diamond(x, y, r) {
    return "M" + x + "," + (y - r) + "L" + (x + r) + "," + y + "L" + x + "," + (y + r) +
      "L" + (x - r) + "," + y + "Z";
  }

  /* The hatching of the cash-plan bars, once per page, for the chart and its legend. */
  function definePatterns() {
    var holder = svg("svg", { "class": "kin-defs", width: 0, height: 0, "aria-hidden": "true",
      focusable: "false" }, document.body);
    var pattern = svg("pattern", { id: "kin-hatch", width: 6, height: 6,
      patternUnits: "userSpaceOnUse", patternTransform: "rotate(45)" }, svg("defs", {}, holder));
    svg("rect", { width: 6, height: 6, fill: "#fff" }, pattern);
    svg("line", { x1: 1.5, y1: 0, x2: 1.5, y2: 6, stroke: "#4a79a8", "stroke-width": 3 }, pattern);
  }

  /* A legend in words, each entry with a small drawing of what it names. */
  function legend(container, entries) {
    var list = document.createElement("ul");
    list.className = "kin-legend";
    entries.forEach(function (entry) {
      var item = document.createElement("li");
      var key = svg("svg", { width: 30, height: 16, "aria-hidden": "true", "class": entry.className },
        item);
      if (entry.kind === "bar") {
        svg("rect", { x: 1, y: 2, width: 28, height: 12, "class": "kin-bar" }, key);
      } else if (entry.kind === "point") {
        svg("line", { x1: 0, y1: 8, x2: 30, y2: 8, "class": "ct-line" }, key);
        svg("path", { d: diamond(15, 8, 6), "class": "kin-point" }, key);
      } else {
        svg("line", { x1: 0, y1: 8, x2: 30, y2: 8, "class": "kin-ref" }, key);
      }
      item.appendChild(document.createTextNode(entry.name));
      list.appendChild(item);
    });
    container.appendChild(list);
  }

  function plot(container) {
    var area = document.createElement("div");
    area.className = "kin-plot";
    container.appendChild(area);
    return area;
  }

  function text(group, attributes, className, content) {
    return group.elem("text", attributes, className).text(content);
  }

  /* Horizontal bars, TW I at the top, the plan above the realisation of each quarter. */
  function budget(container, data) {
    container.hidden = false;
    legend(container, data.series.map(function (s) {
      return { kind: "bar", className: s.className, name: s.name };
    }));
    var rows = data.labels.length;
    function layout(size) {
      return { height: (rows * size.row + 44) + "px", seriesBarDistance: BAR + size.gap,
        chartPadding: { top: size.gap + 4, right: size.right, bottom: 16, left: 4 } };
    }
    var chart = new Chartist.BarChart(plot(container), {
      labels: data.labels.slice().reverse(),
      series: data.series.slice().reverse().map(function (s) {
        return { name: s.name, className: s.className, data: s.data.slice().reverse() };
      })
    }, Object.assign(layout(WIDE), {
      horizontalBars: true,
      low: 0,
      axisY: { offset: 80, showGrid: false },
      axisX: { scaleMinSpace: 70, labelInterpolationFnc: function (value) {
        return number.format(value / data.axis.divisor);
      } }
    }), [[NARROW, layout(SLIM)]]);
    chart.on("draw", function (d) {
      if (d.type !== "bar") { return; }
      var x = Math.min(d.x1, d.x2);
      var width = Math.max(Math.abs(d.x2 - d.x1), 1);
      d.element.replace(new Chartist.Svg("rect", { x: x, y: d.y1 - BAR / 2, width: width,
        height: BAR }, "kin-bar"));
      var after = !window.matchMedia(NARROW).matches;
      text(d.group, after ? { x: x + width + 6, y: d.y1, "dominant-baseline": "central" }
        : { x: x, y: d.y1 - BAR / 2 - 5 }, "kin-value", d.meta);
    });
    chart.on("created", function (d) {
      text(d.svg, { x: d.chartRect.x2, y: d.chartRect.y1 + 40, "text-anchor": "end" },
        "kin-axis-title", data.axis.title);
    });
    var note = document.createElement("p");
    note.className = "kin-note";
    note.textContent = data.note;
    container.appendChild(note);
  }

  /* A line over the year's four quarters with a dashed line at 100 %. */
  function trend(container, data) {
    container.hidden = false;
    var series = data.series[0];
    legend(container, [
      { kind: "point", className: series.className, name: series.name },
      { kind: "reference", className: "", name: data.reference.name }
    ]);
    var values = series.data.map(function (p) { return p.value; })
      .filter(function (v) { return v !== null; });
    var chart = new Chartist.LineChart(plot(container), {
      labels: data.labels,
      series: [{ name: series.name, className: series.className, data: series.data }]
    }, {
      height: "240px",
      fullWidth: true,
      lineSmooth: false,
      low: Math.min.apply(null, [0].concat(values)),
      high: Math.max.apply(null, [120].concat(values.map(function (v) { return v * 1.1; }))),
      chartPadding: { top: 24, right: 48, bottom: 4, left: 4 },
      axisX: { offset: 28 },
      axisY: { offset: 56, onlyInteger: true, scaleMinSpace: 28,
        labelInterpolationFnc: function (value) { return number.format(value) + " %"; } }
    });
    var placed = [];  // the value labels drawn so far, to keep neighbours apart
    chart.on("draw", function (d) {
      if (d.type !== "point") { return; }
      d.element.replace(new Chartist.Svg("path", { d: diamond(d.x, d.y, MARK) }, "kin-point"));
      var first = d.index === 0;
      var label = text(d.group, { x: first ? d.x + MARK + 2 : d.x, y: d.y - MARK - 6,
        "text-anchor": first ? "start" : "middle" }, "kin-value", d.meta);
      var box = label.getNode().getBBox();
      var last = placed[placed.length - 1];
      if (last && box.x < last.x + last.width + 4 && box.y < last.y + last.height) {
        label.attr({ y: d.y + MARK + 16 });  // too close to the previous one: below the point
        box = label.getNode().getBBox();
      }
      placed.push(box);
    });
    chart.on("created", function (d) {
      placed = [];
      var y = d.chartRect.y1 - d.axisY.projectValue(data.reference.value);
      d.svg.elem("line", { x1: d.chartRect.x1, x2: d.chartRect.x2, y1: y, y2: y }, "kin-ref", true);
    });
  }

  definePatterns();
  var draw = { budget: budget, trend: trend };
  Array.prototype.forEach.call(document.querySelectorAll("[data-chart]"), function (container) {
    var name = container.getAttribute("data-chart");
    if (charts[name] && draw[name]) { draw[name](container, charts[name]); }
  });
})();
