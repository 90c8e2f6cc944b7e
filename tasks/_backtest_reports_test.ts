import assert from "node:assert/strict";
import { parseInstanceConfig } from "../src/config/load_instance_config.ts";
import { backtestConfig } from "../src/backtest/backtest_config.ts";
import { formatReportJson } from "../src/backtest/report_json.ts";
import { toColumns } from "../src/backtest/run_backtest.ts";
import { loadSampleCandles } from "../tests/support/sample_candles.ts";
import { writeBacktestReports } from "./_backtest_reports.ts";

Deno.test("reports written over earlier ones replace them whole and leave nothing beside them", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const candles = toColumns(loadSampleCandles("binance_BTC-USDT_1h.csv"));
    const config = (fast: number) =>
      parseInstanceConfig(
        "name: reports-test\nexchange: binance\nsymbol: BTC/USDT\ntimeframe: 1h\n" +
          `strategy:\n  name: sma_cross\n  params: { fast: ${fast}, slow: 30 }\n`,
      );
    const paths = { json: `${dir}/r.json`, html: `${dir}/r.html`, name: "r" };
    // A longer report first, so a shorter one written over it must not keep its tail.
    const long = backtestConfig(config(5), candles).report;
    const short = backtestConfig(config(12), candles).report;
    await writeBacktestReports(long, candles, paths);
    assert.equal(await Deno.readTextFile(paths.json), formatReportJson(long));
    await Deno.writeTextFile(`${dir}/r.json.note`, "unrelated");
    for (const report of [short, short]) {
      assert.deepEqual(await writeBacktestReports(report, candles, paths), [
        paths.json,
        paths.html,
      ]);
      assert.equal(await Deno.readTextFile(paths.json), formatReportJson(report));
    }
    const names = [];
    for await (const entry of Deno.readDir(dir)) names.push(entry.name);
    assert.deepEqual(names.sort(), ["r.html", "r.json", "r.json.note"]);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("a report path that is a symlink or a device is written through, never moved", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const candles = toColumns(loadSampleCandles("binance_BTC-USDT_1h.csv"));
    const config = parseInstanceConfig(
      "name: reports-test\nexchange: binance\nsymbol: BTC/USDT\ntimeframe: 1h\nstrategy:\n  name: sma_cross\n",
    );
    const { report } = backtestConfig(config, candles);
    await Deno.writeTextFile(`${dir}/target.json`, "old");
    await Deno.symlink(`${dir}/target.json`, `${dir}/link.json`);
    await writeBacktestReports(report, candles, {
      json: `${dir}/link.json`,
      html: "/dev/null",
      name: "r",
    });
    assert.ok((await Deno.lstat(`${dir}/link.json`)).isSymlink);
    assert.equal(await Deno.readTextFile(`${dir}/target.json`), formatReportJson(report));
    assert.ok((await Deno.stat("/dev/null")).isCharDevice);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("a report of many equity pieces, each written while the next is made, is the text byte for byte", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const candles = toColumns(loadSampleCandles("binance_BTC-USDT_1m.csv"));
    const config = parseInstanceConfig(
      "name: reports-test\nexchange: binance\nsymbol: BTC/USDT\ntimeframe: 1m\nstrategy:\n  name: sma_cross\n",
    );
    const { report } = backtestConfig(config, candles);
    assert.ok(report.equity.length > 60_000);
    const paths = { json: `${dir}/r.json`, html: `${dir}/r.html`, name: "r" };
    await writeBacktestReports(report, candles, paths);
    assert.equal(await Deno.readTextFile(paths.json), formatReportJson(report));
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("a report write that fails (disk full) rejects with the system's error", async () => {
  const candles = toColumns(loadSampleCandles("binance_BTC-USDT_1h.csv"));
  const config = parseInstanceConfig(
    "name: reports-test\nexchange: binance\nsymbol: BTC/USDT\ntimeframe: 1h\nstrategy:\n  name: sma_cross\n",
  );
  const { report } = backtestConfig(config, candles);
  // /dev/full takes no byte: every write fails with ENOSPC.
  await assert.rejects(
    writeBacktestReports(report, candles, { json: "/dev/full", html: "/dev/null", name: "r" }),
    /No space left on device/,
  );
});
