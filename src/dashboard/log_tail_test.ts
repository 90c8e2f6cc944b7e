import assert from "node:assert/strict";
import { LogTail } from "./log_tail.ts";
import { formatLogLine } from "./log_line.ts";

Deno.test("LogTail follows appended lines and keeps the last ones", async () => {
  const dir = await Deno.makeTempDir();
  const path = `${dir}/a.jsonl`;
  const tail = new LogTail(path, { maxLines: 3 });
  assert.equal(tail.poll(), null, "absent file: nothing");
  await Deno.writeTextFile(path, "one\ntwo\n");
  assert.deepEqual(tail.poll(), ["one", "two"]);
  assert.equal(tail.poll(), null, "unchanged");
  await Deno.writeTextFile(path, "thr", { append: true });
  assert.deepEqual(tail.poll(), ["one", "two"], "a partial line waits");
  await Deno.writeTextFile(path, "ee\nfour\n", { append: true });
  assert.deepEqual(tail.poll(), ["two", "three", "four"]);
  await Deno.writeTextFile(path, "new\n");
  assert.deepEqual(tail.poll(), ["new"], "a truncated file starts over");
  await Deno.remove(dir, { recursive: true });
});

Deno.test("LogTail reads only the tail of a big file, dropping the cut first line", async () => {
  const dir = await Deno.makeTempDir();
  const path = `${dir}/big.jsonl`;
  const lines = Array.from({ length: 20_000 }, (_, i) => `line ${i}`);
  await Deno.writeTextFile(path, lines.join("\n") + "\n");
  const got = new LogTail(path, { maxLines: 50 }).poll()!;
  assert.deepEqual(got, lines.slice(-50));
  await Deno.remove(dir, { recursive: true });
});

Deno.test("formatLogLine shows time, level, message and properties", () => {
  const line = formatLogLine(
    JSON.stringify({
      "@timestamp": "2024-07-10T12:34:56.000Z",
      level: "WARNING",
      message: "slow",
      properties: { ms: 12 },
    }),
  );
  assert.deepEqual(line, { level: "warning", text: "12:34:56 WARN slow ms=12" });
  assert.deepEqual(formatLogLine("not json"), { level: "", text: "not json" });
});
