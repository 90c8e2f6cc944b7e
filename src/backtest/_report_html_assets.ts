/** Inline CSS and the chart script of the HTML report (plain browser JavaScript). */

/** Report styles. */
export const REPORT_CSS = `
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; color: #1f2937;
  margin: 24px auto; max-width: 1200px; padding: 0 16px; background: #fff; }
h1 { font-size: 20px; margin: 0 0 4px; } h2 { font-size: 15px; margin: 20px 0 6px; }
.sub { color: #6b7280; margin: 0 0 12px; }
.chart { height: 220px; border: 1px solid #e5e7eb; border-radius: 6px; }
.chart.tall { height: 420px; } .chart.short { height: 160px; }
.columns { display: grid; grid-template-columns: minmax(0, 1fr) minmax(0, 1fr); gap: 24px; }
table { border-collapse: collapse; width: 100%; font-variant-numeric: tabular-nums; }
th, td { padding: 3px 8px; border-bottom: 1px solid #f3f4f6; text-align: right; white-space: nowrap; }
.metrics th { text-align: left; font-weight: normal; color: #4b5563; }
.trades th { background: #f9fafb; position: sticky; top: 0; }
.trades tr.win td:nth-child(7), .trades tr.win td:nth-child(8) { color: #15803d; }
.trades tr.loss td:nth-child(7), .trades tr.loss td:nth-child(8) { color: #b91c1c; }
.pager { display: flex; gap: 8px; align-items: center; margin: 6px 0; }
.pager input { width: 6em; }
pre { background: #f9fafb; padding: 8px; border-radius: 6px; font-size: 12px; overflow: auto; max-height: 520px; }
`;

/** Draws the three charts from the embedded JSON and keeps their time scales in step. */
export const REPORT_SCRIPT = `
(() => {
  const LC = window.LightweightCharts;
  const data = JSON.parse(document.getElementById("report-data").textContent);
  const sec = (ms) => Math.floor(ms / 1000);
  const options = {
    autoSize: true,
    layout: { background: { color: "#ffffff" }, textColor: "#374151" },
    grid: { vertLines: { color: "#f3f4f6" }, horzLines: { color: "#f3f4f6" } },
    timeScale: { timeVisible: true, secondsVisible: false, minBarSpacing: 0.001 },
    rightPriceScale: { borderVisible: false },
  };
  const priceChart = LC.createChart(document.getElementById("price"), options);
  const candles = priceChart.addSeries(LC.CandlestickSeries, {
    upColor: "#16a34a", downColor: "#dc2626", borderVisible: false,
    wickUpColor: "#16a34a", wickDownColor: "#dc2626",
  });
  candles.setData(data.candles.map(([t, o, h, l, c]) => ({ time: sec(t), open: o, high: h, low: l, close: c })));
  const times = data.candles.map((row) => row[0]);
  const snap = (ms) => {
    let lo = 0, hi = times.length - 1;
    while (lo < hi) { const mid = (lo + hi + 1) >> 1; if (times[mid] <= ms) lo = mid; else hi = mid - 1; }
    return sec(times[lo]);
  };
  const markers = [];
  // Labels only while they stay readable; colour and shape carry the meaning anyway.
  const labels = data.trades.length <= 40;
  for (const [entryMs, exitMs, pnl, reason] of data.trades) {
    markers.push({ time: snap(entryMs), position: "belowBar", color: "#2563eb", shape: "arrowUp",
      text: labels ? "buy" : "" });
    markers.push({ time: snap(exitMs), position: "aboveBar", color: pnl >= 0 ? "#16a34a" : "#dc2626",
      shape: "arrowDown", text: labels ? reason.replace("_", " ") : "" });
  }
  markers.sort((a, b) => a.time - b.time);
  LC.createSeriesMarkers(candles, markers);

  const equityChart = LC.createChart(document.getElementById("equity"), options);
  const equity = equityChart.addSeries(LC.AreaSeries, {
    lineColor: "#2563eb", topColor: "rgba(37, 99, 235, 0.28)", bottomColor: "rgba(37, 99, 235, 0.02)", lineWidth: 2,
  });
  equity.setData(data.equity.map(([t, v]) => ({ time: sec(t), value: v })));

  const drawdownChart = LC.createChart(document.getElementById("drawdown"), options);
  const drawdown = drawdownChart.addSeries(LC.BaselineSeries, {
    baseValue: { type: "price", price: 0 }, bottomLineColor: "#dc2626",
    bottomFillColor1: "rgba(220, 38, 38, 0.05)", bottomFillColor2: "rgba(220, 38, 38, 0.35)",
    priceFormat: { type: "custom", formatter: (v) => v.toFixed(2) + " %" },
  });
  let peak = -Infinity;
  drawdown.setData(data.equity.map(([t, v]) => {
    peak = Math.max(peak, v);
    return { time: sec(t), value: (v / peak - 1) * 100 };
  }));

  // The trade table: the first page is in the HTML, the others are drawn from the data.
  const pager = document.getElementById("trade-pager");
  if (pager) {
    const body = document.getElementById("trade-rows");
    const label = document.getElementById("trade-page");
    const input = document.getElementById("trade-page-input");
    const size = data.pageRows;
    const pages = Math.max(1, Math.ceil(data.trades.length / size));
    const num = (v, digits, signed) => {
      const text = v.toLocaleString("en-US", { minimumFractionDigits: digits, maximumFractionDigits: digits });
      return signed && v > 0 ? "+" + text : text;
    };
    const utc = (ms) => new Date(ms).toISOString().slice(0, 16).replace("T", " ");
    let page = 0;
    const show = (next) => {
      page = Math.min(pages - 1, Math.max(0, next));
      const rows = [];
      const end = Math.min(data.trades.length, (page + 1) * size);
      for (let i = page * size; i < end; i++) {
        const [entryMs, exitMs, pnl, reason, entryPrice, exitPrice, amount, pnlPct, fees] = data.trades[i];
        const tr = document.createElement("tr");
        tr.className = pnl >= 0 ? "win" : "loss";
        for (const text of [String(i + 1), utc(entryMs), utc(exitMs), num(entryPrice, 2), num(exitPrice, 2),
          String(amount), num(pnl, 2, true), num(pnlPct, 2, true) + " %", num(fees, 2), reason]) {
          const td = document.createElement("td");
          td.textContent = text;
          tr.appendChild(td);
        }
        rows.push(tr);
      }
      body.replaceChildren(...rows);
      label.textContent = "Trades " + num(page * size + 1, 0) + "–" + num(end, 0) + " of " + num(data.trades.length, 0);
      input.value = String(page + 1);
    };
    for (const button of pager.querySelectorAll("button")) {
      button.addEventListener("click", () => show(page + Number(button.dataset.step)));
    }
    input.addEventListener("change", () => show(Number(input.value) - 1));
  }

  const charts = [priceChart, equityChart, drawdownChart];
  let syncing = false;
  for (const chart of charts) {
    chart.timeScale().fitContent();
    chart.timeScale().subscribeVisibleTimeRangeChange((range) => {
      if (syncing || range === null) return;
      syncing = true;
      for (const other of charts) if (other !== chart) other.timeScale().setVisibleRange(range);
      syncing = false;
    });
  }
})();
`;
