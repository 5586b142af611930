import assert from "node:assert/strict";
import { learningRateAt, type LrSchedule } from "../../lib/train/mod.ts";

const BASE: LrSchedule = { schedule: "cosine", lr: 2e-4, warmupSteps: 100, totalSteps: 1100 };

function near(actual: number, expected: number, label: string): void {
  assert.ok(Math.abs(actual - expected) <= 1e-15, `${label}: ${actual} vs ${expected}`);
}

Deno.test("warmup rises linearly from 0 to lr, for every schedule", () => {
  for (const schedule of ["constant", "linear", "cosine"] as const) {
    const s = { ...BASE, schedule };
    assert.equal(learningRateAt(0, s), 0, schedule);
    near(learningRateAt(25, s), 0.5e-4, `${schedule} step 25`);
    near(learningRateAt(99, s), 2e-4 * 0.99, `${schedule} step 99`);
    assert.equal(learningRateAt(100, s), 2e-4, `${schedule} peak`);
  }
});

Deno.test("constant, linear and cosine decay at key steps", () => {
  // After warmup, progress p = (step - 100) / 1000.
  assert.equal(learningRateAt(1100, { ...BASE, schedule: "constant" }), 2e-4);
  const linear = { ...BASE, schedule: "linear" as const };
  near(learningRateAt(350, linear), 2e-4 * 0.75, "linear p = 0.25");
  near(learningRateAt(600, linear), 1e-4, "linear p = 0.5");
  assert.equal(learningRateAt(1100, linear), 0);
  near(learningRateAt(350, BASE), 2e-4 * 0.5 * (1 + Math.cos(Math.PI / 4)), "cosine p = 0.25");
  near(learningRateAt(600, BASE), 1e-4, "cosine p = 0.5");
  near(learningRateAt(1100, BASE), 0, "cosine end");
  near(learningRateAt(5000, BASE), 0, "past the end stays at the floor");
});

Deno.test("min_lr_ratio sets the floor of linear and cosine decay", () => {
  const cosine = { ...BASE, minLrRatio: 0.1 };
  assert.equal(learningRateAt(1100, cosine), 2e-5);
  near(learningRateAt(600, cosine), 2e-4 * (0.1 + 0.9 * 0.5), "cosine midpoint");
  const linear = { ...BASE, schedule: "linear" as const, minLrRatio: 0.25 };
  near(learningRateAt(1100, linear), 5e-5, "linear end");
  near(learningRateAt(600, linear), 2e-4 * (0.25 + 0.75 * 0.5), "linear midpoint");
  assert.equal(learningRateAt(1100, { ...BASE, schedule: "constant", minLrRatio: 0.5 }), 2e-4);
  near(learningRateAt(50, cosine), 1e-4, "warmup ignores the floor");
});

Deno.test("no warmup and bad inputs", () => {
  assert.equal(learningRateAt(0, { ...BASE, warmupSteps: 0 }), 2e-4);
  assert.throws(() => learningRateAt(-1, BASE), /non-negative integer/);
  assert.throws(() => learningRateAt(1.5, BASE), RangeError);
  assert.throws(() => learningRateAt(1, { ...BASE, minLrRatio: 2 }), /\[0, 1\]/);
  assert.throws(
    () => learningRateAt(1, { ...BASE, schedule: "step" as "cosine" }),
    /constant, linear, cosine: current value is "step"/,
  );
});
