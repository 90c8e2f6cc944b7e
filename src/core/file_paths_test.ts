import assert from "node:assert/strict";
import fc from "fast-check";
import * as nodePath from "node:path";
import { fileURLToPath } from "node:url";
import { dirname, stem, urlToPath } from "./file_paths.ts";

Deno.test("dirname and stem agree with node:path on POSIX paths", () => {
  const part = fc.stringMatching(/^[a-z.]{1,4}$/);
  const path = fc.tuple(fc.boolean(), fc.array(part, { minLength: 1, maxLength: 4 }), fc.boolean())
    .map(([absolute, parts, trailing]) =>
      `${absolute ? "/" : ""}${parts.join("/")}${trailing ? "/" : ""}`
    );
  fc.assert(fc.property(path, (p) => {
    assert.equal(dirname(p), nodePath.dirname(p), p);
    assert.equal(stem(p), nodePath.basename(p, nodePath.extname(p)), p);
  }));
  for (const p of ["/", "a", "/a", "a/b", "./data/trading.db", "config/x.yaml", ".env", "a//b"]) {
    assert.equal(dirname(p), nodePath.dirname(p), p);
  }
});

Deno.test("urlToPath decodes a file URL as fileURLToPath does", () => {
  for (const url of ["file:///work/main/src/", "file:///tmp/a%20b/c%25d.ts", "file:///"]) {
    assert.equal(urlToPath(new URL(url)), fileURLToPath(url));
  }
});
