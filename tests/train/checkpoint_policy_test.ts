import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { MemoryStorage, RunFolder } from "../../lib/io/mod.ts";
import { initBackend, Rng } from "../../lib/runtime/mod.ts";
import { BestCheckpoints, EarlyStopping, EpochSampler } from "../../lib/train/mod.ts";

await initBackend({ backend: "cpu" });

function tinyModel(): tf.Sequential {
  return tf.sequential({ layers: [tf.layers.dense({ units: 1, inputShape: [1] })] });
}

async function bestNames(run: RunFolder): Promise<string[]> {
  return (await run.listCheckpoints()).map((c) => c.name).filter((n) => n.startsWith("best"));
}

Deno.test("best-k keeps the lowest MAE, not the highest", async () => {
  const run = new RunFolder(new MemoryStorage());
  const model = tinyModel();
  const best = new BestCheckpoints(run, { metric: "age.mae", direction: "min", limit: 2 });
  const maes: [number, number][] = [[10, 5.0], [20, 4.0], [30, 6.0], [40, 3.5], [50, 4.0], [
    60,
    NaN,
  ]];
  const kept = [];
  for (const [step, mae] of maes) kept.push(await best.consider(model, step, mae));
  assert.deepEqual(kept, [true, true, false, true, false, false]);
  assert.deepEqual(best.ranking(), [
    { name: "best-step-40", step: 40, value: 3.5 },
    { name: "best-step-20", step: 20, value: 4.0 },
  ]);
  assert.deepEqual(await bestNames(run), ["best-step-20", "best-step-40"]);
  const info = (await run.listCheckpoints()).find((c) => c.name === "best-step-40")!;
  assert.deepEqual([info.extra.metric, info.extra.value, info.hasOptimizerState], [
    "age.mae",
    3.5,
    false,
  ]);
  model.dispose();
});

Deno.test("best-k keeps the highest balanced accuracy; ties keep the earlier", async () => {
  const run = new RunFolder(new MemoryStorage());
  const model = tinyModel();
  const best = new BestCheckpoints(run, {
    metric: "gender.balanced_accuracy",
    direction: "max",
    limit: 2,
  });
  for (const [step, acc] of [[1, 0.6], [2, 0.8], [3, 0.7], [4, 0.8], [5, 0.9]]) {
    await best.consider(model, step, acc);
  }
  assert.deepEqual(best.ranking().map((c) => [c.step, c.value]), [[5, 0.9], [2, 0.8]]);
  assert.deepEqual(await bestNames(run), ["best-step-2", "best-step-5"]);

  // Resuming at step 4 drops checkpoints saved after it, and ranks what is left.
  const resumed = new BestCheckpoints(run, {
    metric: "gender.balanced_accuracy",
    direction: "max",
    limit: 2,
  });
  await resumed.load(4);
  assert.deepEqual(resumed.ranking().map((c) => c.step), [2]);
  assert.deepEqual(await bestNames(run), ["best-step-2"]);

  const none = new BestCheckpoints(run, { metric: "loss", direction: "min", limit: 0 });
  assert.equal(await none.consider(model, 9, 0.1), false);
  assert.throws(
    () => new BestCheckpoints(run, { metric: "loss", direction: "min", limit: -1 }),
    RangeError,
  );
  model.dispose();
});

Deno.test("early stopping counts evaluations without improvement", () => {
  const byLoss = new EarlyStopping({ patience: 2, direction: "min", minDelta: 0.01 });
  const stops = [1.0, 0.8, 0.795, 0.9, 0.7, 0.71, 0.72].map((v) => byLoss.update(v));
  assert.deepEqual(stops, [false, false, false, true, false, false, true]);
  const byAccuracy = new EarlyStopping({ patience: 1, direction: "max" });
  assert.deepEqual([0.5, 0.6, 0.6].map((v) => byAccuracy.update(v)), [false, false, true]);
  const never = new EarlyStopping({ patience: 0, direction: "min" });
  assert.ok([1, 2, 3, 4].every((v) => !never.update(v)));
  const restored = new EarlyStopping({ patience: 2, direction: "min" });
  restored.restore({ best: 0.5, badEvaluations: 1 });
  assert.equal(restored.update(0.6), true);
});

Deno.test("epoch sampler: each epoch a permutation; replays from its state", () => {
  const sampler = new EpochSampler(10, new Rng(3), { batchSize: 4 });
  assert.equal(sampler.stepsPerEpoch, 3);
  const epoch = (s: EpochSampler, e: number) => [0, 1, 2].map((b) => s.batchAt(e * 3 + b));
  const e0 = epoch(sampler, 0);
  assert.deepEqual(e0.map((b) => b.length), [4, 4, 2]);
  assert.deepEqual(e0.flat().sort((a, b) => a - b), [...Array(10).keys()]);
  const e1 = epoch(sampler, 1);
  assert.notDeepEqual(e1, e0);
  const state = sampler.state();
  assert.equal(state.epoch, 1);
  const e2 = epoch(sampler, 2);
  const replay = new EpochSampler(10, new Rng(999), { batchSize: 4 });
  replay.restore(state);
  assert.deepEqual(replay.batchAt(5), e1[2]);
  assert.deepEqual(epoch(replay, 2), e2);
  assert.throws(() => sampler.batchAt(0), /go back/);
});

Deno.test("class-balanced sampling draws each class about equally often", () => {
  // 90 rows of class 0, 10 of class 1, 20 unlabelled.
  const targets = [...new Array(90).fill(0), ...new Array(10).fill(1), ...new Array(20).fill(-1)];
  const sampler = new EpochSampler(targets.length, new Rng(5), {
    batchSize: 40,
    balanceTargets: targets,
  });
  const counts = { 0: 0, 1: 0, [-1]: 0 } as Record<number, number>;
  for (let step = 0; step < 3 * 50; step++) {
    for (const i of sampler.batchAt(step)) counts[targets[i]]++;
  }
  const total = 50 * 120;
  assert.ok(Math.abs(counts[0] / total - 50 / 120) < 0.03, JSON.stringify(counts));
  assert.ok(Math.abs(counts[1] / total - 50 / 120) < 0.03, JSON.stringify(counts));
  assert.ok(Math.abs(counts[-1] / total - 20 / 120) < 0.03, JSON.stringify(counts));
});
