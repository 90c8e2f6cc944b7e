/** Walk-forward option parsing and the fold windows. */
import assert from "node:assert/strict";
import fc from "fast-check";
import { InputError } from "../core/errors.ts";
import { parseWalkForward, planFolds } from "./walk_forward.ts";

const DAY = 86_400_000;
const YEAR = { fromMs: Date.UTC(2024, 6, 10), toMs: Date.UTC(2025, 6, 10) };

Deno.test("parseWalkForward reads train, test, step and anchored", () => {
  assert.deepEqual(parseWalkForward("train=180d,test=30d"), {
    trainMs: 180 * DAY,
    testMs: 30 * DAY,
    stepMs: 30 * DAY,
    anchored: false,
  });
  assert.deepEqual(parseWalkForward("train=12w, test=72h, step=4d, anchored"), {
    trainMs: 84 * DAY,
    testMs: 3 * DAY,
    stepMs: 4 * DAY,
    anchored: true,
  });
  for (
    const bad of [
      "",
      "train=10d",
      "test=5d",
      "train=10x,test=5d",
      "train=0d,test=1d",
      "train=9d,test=3d,step=1d",
    ]
  ) {
    assert.throws(() => parseWalkForward(bad), InputError, bad);
  }
});

Deno.test("planFolds tiles the range with test windows that follow and never overlap train", () => {
  fc.assert(
    fc.property(
      fc.integer({ min: 10, max: 200 }),
      fc.integer({ min: 5, max: 60 }),
      fc.integer({ min: 0, max: 30 }),
      (trainDays, testDays, extraStep) => {
        const spec = {
          trainMs: trainDays * DAY,
          testMs: testDays * DAY,
          stepMs: (testDays + extraStep) * DAY,
          anchored: false,
        };
        let folds;
        try {
          folds = planFolds(spec, YEAR);
        } catch (error) {
          assert.ok(error instanceof InputError);
          return;
        }
        assert.ok(folds.length >= 2);
        folds.forEach((fold, k) => {
          assert.equal(fold.trainToMs - fold.trainFromMs, spec.trainMs);
          assert.equal(fold.testFromMs, fold.trainToMs);
          assert.equal(fold.testToMs - fold.testFromMs, spec.testMs);
          assert.equal(fold.trainFromMs, YEAR.fromMs + k * spec.stepMs);
          assert.ok(fold.testToMs <= YEAR.toMs);
          if (k > 0) assert.ok(fold.testFromMs >= folds![k - 1].testToMs);
        });
        // No room for one more fold.
        assert.ok(folds[folds.length - 1].testToMs + spec.stepMs > YEAR.toMs);
      },
    ),
  );
  const tiled = planFolds({
    trainMs: 120 * DAY,
    testMs: 30 * DAY,
    stepMs: 30 * DAY,
    anchored: false,
  }, YEAR);
  assert.equal(tiled.length, 8);
  for (let k = 1; k < tiled.length; k++) assert.equal(tiled[k].testFromMs, tiled[k - 1].testToMs);
});

Deno.test("planFolds with anchored keeps the start and grows the train window", () => {
  const folds = planFolds(
    { trainMs: 90 * DAY, testMs: 30 * DAY, stepMs: 30 * DAY, anchored: true },
    YEAR,
  );
  folds.forEach((fold, k) => {
    assert.equal(fold.trainFromMs, YEAR.fromMs);
    assert.equal(fold.trainToMs - fold.trainFromMs, 90 * DAY + k * 30 * DAY);
    if (k > 0) assert.ok(fold.trainToMs > folds[k - 1].trainToMs);
    assert.equal(fold.testFromMs, fold.trainToMs);
  });
});

Deno.test("planFolds refuses windows longer than the data and fewer than two folds", () => {
  assert.throws(
    () =>
      planFolds({ trainMs: 400 * DAY, testMs: 30 * DAY, stepMs: 30 * DAY, anchored: false }, YEAR),
    /longer than the data/,
  );
  assert.throws(
    () =>
      planFolds({ trainMs: 300 * DAY, testMs: 60 * DAY, stepMs: 60 * DAY, anchored: false }, YEAR),
    /only 1 fold fits/,
  );
});
