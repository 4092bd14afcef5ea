/* The finance area's charts: Chart.js (vendored) fed by the page's JSON (json_script), no inline script or style.
 *
 * Readable without colour: every series has its own fill pattern as well as its own colour (Okabe–Ito palette,
 * safe for colour-blind readers), and each chart has a table of the same numbers beside it. With
 * prefers-reduced-motion, charts appear without animation. */
(function () {
  "use strict";

  var source = document.getElementById("finance-charts");
  if (!source || typeof window.Chart === "undefined") {
    return;
  }
  var configs = JSON.parse(source.textContent);
  var lang = document.documentElement.lang || "tr";
  var reduceMotion = window.matchMedia && window.matchMedia("(prefers-reduced-motion: reduce)").matches;
  var COLOURS = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00"];
  var PATTERNS = ["solid", "diagonal", "dots", "cross", "horizontal", "vertical"];

  function formatter(unit) {
    var digits = unit === "money" ? 2 : 0;
    var format = new Intl.NumberFormat(lang, { minimumFractionDigits: digits, maximumFractionDigits: digits });
    return function (value) {
      return format.format(value);
    };
  }

  function pattern(colour, kind) {
    if (kind === "solid") {
      return colour;
    }
    var size = 10;
    var tile = document.createElement("canvas");
    tile.width = size;
    tile.height = size;
    var ctx = tile.getContext("2d");
    ctx.fillStyle = colour;
    ctx.fillRect(0, 0, size, size);
    ctx.strokeStyle = "rgba(255, 255, 255, 0.85)";
    ctx.fillStyle = "rgba(255, 255, 255, 0.85)";
    ctx.lineWidth = 2;
    ctx.beginPath();
    if (kind === "diagonal") {
      ctx.moveTo(0, size);
      ctx.lineTo(size, 0);
      ctx.moveTo(-size / 2, size / 2);
      ctx.lineTo(size / 2, -size / 2);
      ctx.moveTo(size / 2, size * 1.5);
      ctx.lineTo(size * 1.5, size / 2);
      ctx.stroke();
    } else if (kind === "dots") {
      ctx.arc(size / 2, size / 2, 2, 0, 2 * Math.PI);
      ctx.fill();
    } else if (kind === "cross") {
      ctx.moveTo(0, 0);
      ctx.lineTo(size, size);
      ctx.moveTo(size, 0);
      ctx.lineTo(0, size);
      ctx.stroke();
    } else if (kind === "horizontal") {
      ctx.moveTo(0, size / 2);
      ctx.lineTo(size, size / 2);
      ctx.stroke();
    } else {
      ctx.moveTo(size / 2, 0);
      ctx.lineTo(size / 2, size);
      ctx.stroke();
    }
    return tile.getContext("2d").createPattern(tile, "repeat") || colour;
  }

  // Marks a canvas once Chart.js has drawn it (the browser test waits for it).
  var drawnMarker = {
    id: "financeDrawn",
    afterRender: function (chart) {
      chart.canvas.setAttribute("data-rendered", "true");
    },
  };

  function build(config) {
    var canvas = document.querySelector('canvas[data-chart="' + config.id + '"]');
    if (!canvas) {
      return null;
    }
    var format = formatter(config.unit);
    var valueAxis = config.horizontal ? "x" : "y";
    var labelAxis = config.horizontal ? "y" : "x";
    var scales = {};
    scales[valueAxis] = {
      stacked: config.stacked,
      beginAtZero: true,
      // Counts are whole numbers: no 0.5 steps on the axis.
      ticks: { precision: config.unit === "money" ? 2 : 0, callback: function (value) { return format(value); } },
    };
    scales[labelAxis] = { stacked: config.stacked, ticks: { autoSkip: true } };
    var datasets = config.datasets.map(function (dataset, index) {
      var colour = COLOURS[index % COLOURS.length];
      return {
        label: dataset.label,
        data: dataset.data,
        backgroundColor: pattern(colour, PATTERNS[index % PATTERNS.length]),
        borderColor: "#212529",
        borderWidth: 1,
        maxBarThickness: 48,
      };
    });
    return new window.Chart(canvas, {
      type: config.kind,
      data: { labels: config.labels, datasets: datasets },
      plugins: [drawnMarker],
      options: {
        responsive: true,
        maintainAspectRatio: false,
        indexAxis: config.horizontal ? "y" : "x",
        animation: reduceMotion ? false : { duration: 300 },
        scales: scales,
        plugins: {
          legend: { display: datasets.length > 1, labels: { boxWidth: 24, boxHeight: 14 } },
          tooltip: {
            callbacks: {
              label: function (item) {
                return item.dataset.label + ": " + format(item.raw);
              },
            },
          },
        },
      },
    });
  }

  configs.forEach(build);
})();
