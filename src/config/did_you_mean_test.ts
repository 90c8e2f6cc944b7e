import assert from "node:assert/strict";
import { closestMatch } from "./did_you_mean.ts";

Deno.test("closestMatch suggests only close candidates", () => {
  const keys = ["stop_loss_pct", "take_profit_pct", "stake_pct"];
  assert.equal(closestMatch("stop_los_pct", keys), "stop_loss_pct");
  assert.equal(closestMatch("STAKE_PCT", keys), "stake_pct");
  assert.equal(closestMatch("balance", keys), undefined);
});
