import assert from "node:assert/strict";
import { createProgressBar, formatEta, formatMetrics } from "../../app/cli/progress.ts";
import { EtaEstimator } from "../../lib/train/progress.ts";

Deno.test("formatEta and formatMetrics are compact and readable", () => {
  assert.equal(formatEta(undefined), "--");
  assert.equal(formatEta(42.4), "42s");
  assert.equal(formatEta(185), "3m05s");
  assert.equal(formatEta(3720), "1h02m");
  assert.equal(formatMetrics({ loss: 0.41234, lr: 0.0002 }), "loss 0.412 lr 2.0e-4");
});

Deno.test("the bar draws job, counts, ETA and metrics from progress events", () => {
  const chunks: string[] = [];
  const stream = {
    isTTY: false,
    columns: 120,
    write(chunk: string) {
      chunks.push(chunk);
      return true;
    },
    cursorTo() {},
    clearLine() {},
    moveCursor() {},
    on() {},
    removeListener() {},
  };
  // deno-lint-ignore no-explicit-any
  const bar = createProgressBar({ stream: stream as any, noTty: true });
  bar.listener({ job: "train", done: 0, total: 10 });
  bar.listener({ job: "train", done: 5, total: 10, etaSeconds: 65, metrics: { loss: 0.5 } });
  bar.stop();
  const text = chunks.join("");
  assert.match(text, /train \|/);
  assert.match(text, /5\/10 ETA 1m05s loss 0\.500/);
});

Deno.test("EtaEstimator extrapolates the smoothed rate", () => {
  let now = 0;
  const eta = new EtaEstimator(100, { now: () => now, smoothing: 0.5 });
  assert.equal(eta.etaSeconds(), undefined);
  now = 10;
  eta.update(10); // 1 s per unit
  assert.equal(eta.etaSeconds(), 90);
  now = 40;
  eta.update(20); // 3 s per unit, smoothed to 2 s per unit
  assert.equal(eta.etaSeconds(), 160);
});
