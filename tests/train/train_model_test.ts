import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { MemoryStorage, RunFolder } from "../../lib/io/mod.ts";
import { assertNoTensorLeaks, initBackend, Rng } from "../../lib/runtime/mod.ts";
import { buildClassifier } from "../../lib/classify/mod.ts";
import {
  type ProgressEvent,
  tensorBatchSource,
  trainModel,
  type TrainModelOptions,
} from "../../lib/train/mod.ts";
import { requireWebGpu, SKIP_WEBGPU } from "../_support/webgpu.ts";
import { flatWeights, smallClassifier, syntheticData, TASKS, trainConfig } from "./_synthetic.ts";

Deno.test("a tiny synthetic problem trains above chance on wasm", async () => {
  await initBackend({ backend: "wasm" });
  const train = syntheticData(96, 1);
  const val = syntheticData(48, 2);
  const model = smallClassifier();
  const run = new RunFolder(new MemoryStorage());
  const started = performance.now();
  const result = await trainModel({
    model,
    data: { train: train.source, val: val.source },
    tasks: TASKS,
    config: trainConfig({
      epochs: 6,
      eval_strategy: "epoch",
      best_metric: "bright.balanced_accuracy",
    }),
    runFolder: run,
    rng: new Rng(1),
  });
  const seconds = (performance.now() - started) / 1000;
  const final = result.final!.tasks.bright as { balanced_accuracy: number; n: number };
  assert.equal(final.n, 42, "rows with a missing label are left out");
  assert.ok(final.balanced_accuracy >= 0.8, `balanced accuracy ${final.balanced_accuracy}`);
  assert.ok(seconds < 30, `took ${seconds} s`);
  tf.dispose([train.x, val.x]);
  model.dispose();
});

Deno.test("cnn_1d trains on wasm: 1-D convolutions have gradients there", async () => {
  await initBackend({ backend: "wasm" });
  const tasks = [TASKS[0]];
  const model = buildClassifier({
    backbone: "cnn_1d",
    inputShape: [3, 32],
    tasks,
    seed: 1,
    channels: 4,
    depth: 2,
    layerRepeats: 1,
    embedding: 4,
  });
  const x = tf.randomNormal([8, 3, 32], 0, 1, "float32", 5);
  const source = tensorBatchSource(x, { bright: [0, 1, 0, 1, 0, 1, 0, 1] });
  const before = await flatWeights(model);
  const result = await trainModel({
    model,
    data: { train: source },
    tasks,
    config: trainConfig({ max_steps: 3, eval_strategy: "none", checkpoint_strategy: "none" }),
    runFolder: new RunFolder(new MemoryStorage()),
    rng: new Rng(1),
  });
  assert.equal(result.steps, 3);
  const after = await flatWeights(model);
  assert.ok(after.every(Number.isFinite) && after.some((v, i) => v !== before[i]));
  tf.dispose(x);
  model.dispose();
});

Deno.test({ name: "training steps run on webgpu", ignore: SKIP_WEBGPU }, async () => {
  requireWebGpu();
  await initBackend({ backend: "webgpu" });
  const train = syntheticData(16, 12);
  const model = smallClassifier();
  const before = await flatWeights(model);
  const losses: number[] = [];
  const result = await trainModel({
    model,
    data: { train: train.source, val: train.source },
    tasks: TASKS,
    config: trainConfig({ max_steps: 4, eval_strategy: "none", checkpoint_strategy: "none" }),
    runFolder: new RunFolder(new MemoryStorage()),
    rng: new Rng(1),
    onProgress: (e) => e.metrics?.loss !== undefined && losses.push(e.metrics.loss),
  });
  const after = await flatWeights(model);
  assert.ok(losses.every(Number.isFinite) && after.every(Number.isFinite));
  assert.ok(after.some((v, i) => v !== before[i]));
  assert.ok(Number.isFinite(result.final!.loss));
  model.dispose();
  train.x.dispose();
});

Deno.test("the run folder holds run.json, history, summary, model/ and checkpoints", async () => {
  await initBackend({ backend: "cpu" });
  const train = syntheticData(32, 3);
  const val = syntheticData(16, 4);
  const model = smallClassifier();
  const run = new RunFolder(new MemoryStorage(), "runs/a");
  const events: ProgressEvent[] = [];
  const result = await trainModel({
    model,
    data: { train: train.source, val: val.source },
    tasks: TASKS,
    config: trainConfig({
      max_steps: 8,
      eval_strategy: "steps",
      eval_steps: 2,
      checkpoint_strategy: "steps",
      checkpoint_steps: 4,
      checkpoint_total_limit: 2,
      best_metric: "level.mae",
      log_steps: 3,
    }),
    runFolder: run,
    rng: new Rng(2),
    runInfo: { seed: 2, config: { note: "test" } },
    onProgress: (e) => events.push(e),
  });
  assert.equal(result.steps, 8);
  assert.equal(result.stopReason, "completed");

  const info = await run.readRunInfo();
  assert.equal(info.seed, 2);
  assert.deepEqual(info.labels, TASKS.map((t) => ({ ...t })));
  const stats = (info.targetNormalization as Record<string, { mean: number; std: number }>).level;
  assert.ok(stats.mean > 20 && stats.std > 0);

  const history = await run.readHistory();
  const trainLines = history.filter((r) => r.split === "train");
  const valLines = history.filter((r) => r.split === "val");
  assert.deepEqual(trainLines.map((r) => r.step), [3, 6, 8]);
  assert.deepEqual(valLines.map((r) => r.step), [2, 4, 6, 8]);
  assert.ok(trainLines.every((r) => typeof r.lr === "number" && typeof r.grad_norm === "number"));
  assert.deepEqual(Object.keys(trainLines[0].tasks as object), ["bright", "level"]);

  // Best-k by MAE: the two lowest MAEs are kept, and model/ holds the best one.
  const maes = valLines.map((
    r,
  ) => [r.step, (r.tasks as Record<string, { mae: number }>).level.mae]);
  const expectedBest = [...maes].sort((a, b) => (a[1] as number) - (b[1] as number)).slice(0, 2);
  const checkpoints = (await run.listCheckpoints()).map((c) => c.name).sort();
  assert.deepEqual(checkpoints, [...expectedBest.map(([s]) => `best-step-${s}`), "last"].sort());
  const summary = await run.readSummary();
  assert.equal(summary.best_metric, "level.mae");
  assert.equal((summary.best as { step: number }).step, expectedBest[0][0]);
  assert.equal((summary.final as { step: number }).step, 8);
  assert.equal(summary.model_weights, `checkpoints/best-step-${expectedBest[0][0]}`);
  const saved = await run.loadModel();
  const { model: best } = await run.loadCheckpoint(`best-step-${expectedBest[0][0]}`);
  assert.deepEqual(await flatWeights(saved), await flatWeights(best));

  const trainEvents = events.filter((e) => e.message !== "evaluated");
  assert.deepEqual(trainEvents.map((e) => e.done), [1, 2, 3, 4, 5, 6, 7, 8]);
  assert.ok(trainEvents.every((e) => e.total === 8 && Number.isFinite(e.metrics!.loss)));
  assert.ok(trainEvents.slice(1).every((e) => typeof e.etaSeconds === "number"));
  assert.equal(trainEvents[0].metrics!.lr, 0, "warmup starts at 0");
  [saved, best, model].forEach((m) => m.dispose());
  tf.dispose([train.x, val.x]);
});

/** Options shared by the straight and the resumed run. */
function resumeOptions(model: tf.LayersModel, run: RunFolder, data: TrainModelOptions["data"]) {
  return {
    model,
    data,
    tasks: TASKS,
    config: trainConfig({
      max_steps: 12,
      schedule: "cosine" as const,
      eval_strategy: "steps" as const,
      eval_steps: 4,
      checkpoint_strategy: "steps" as const,
      checkpoint_steps: 6,
      early_stopping_patience: 5,
      balanced_sampling_task: "bright",
    }),
    runFolder: run,
    rng: new Rng(11),
  };
}

Deno.test("a killed run resumed from `last` ends where an uninterrupted run does", async () => {
  await initBackend({ backend: "cpu" });
  const train = syntheticData(40, 5); // 5 steps per epoch: the resume lands mid-epoch
  const val = syntheticData(16, 6);
  const data = { train: train.source, val: val.source };

  const straight = smallClassifier(3);
  const straightRun = new RunFolder(new MemoryStorage());
  await trainModel(resumeOptions(straight, straightRun, data));

  const storage = new MemoryStorage();
  const killed = smallClassifier(3);
  await assert.rejects(
    trainModel({
      ...resumeOptions(killed, new RunFolder(storage), data),
      onProgress: (e) => {
        if (e.done === 9) throw new Error("killed");
      },
    }),
    /killed/,
  );
  killed.dispose();

  const resumed = smallClassifier(3);
  // The batch order comes from the checkpoint's RNG state, whatever state `rng` is in.
  const result = await trainModel({
    ...resumeOptions(resumed, new RunFolder(storage), data),
    rng: new Rng(12345),
    resume: true,
  });
  assert.equal(result.resumedFrom, 6);
  assert.equal(result.steps, 12);
  const a = await flatWeights(straight);
  const b = await flatWeights(resumed);
  const worst = Math.max(...a.map((v, i) => Math.abs(v - b[i])));
  assert.ok(worst <= 1e-5, `resumed weights differ by ${worst}`);

  // The history reads like one run: lines of the killed run after step 6 were dropped.
  const strip = (r: Record<string, unknown>) => JSON.stringify({ ...r, grad_norm: 0 });
  const straightHistory = (await straightRun.readHistory()).map(strip);
  const resumedHistory = (await new RunFolder(storage).readHistory()).map(strip);
  assert.deepEqual(resumedHistory, straightHistory);
  const summaries = [await straightRun.readSummary(), await new RunFolder(storage).readSummary()];
  assert.deepEqual(summaries[1].best, summaries[0].best);
  straight.dispose();
  resumed.dispose();
  tf.dispose([train.x, val.x]);
});

Deno.test("early stopping stops once the metric stops improving", async () => {
  await initBackend({ backend: "cpu" });
  const train = syntheticData(16, 7);
  const storage = new MemoryStorage();
  const options = (model: tf.LayersModel) => ({
    model,
    data: { train: train.source, val: train.source },
    tasks: TASKS,
    // lr 0: the loss never improves after the first evaluation.
    config: trainConfig({
      lr: 0,
      max_steps: 100,
      eval_strategy: "steps",
      eval_steps: 2,
      early_stopping_patience: 2,
    }),
    runFolder: new RunFolder(storage),
    rng: new Rng(1),
  });
  const model = smallClassifier();
  const result = await trainModel(options(model));
  assert.equal(result.stopReason, "early_stopping");
  assert.equal(result.steps, 6);
  assert.equal(result.best!.step, 2);
  // Resuming a run that stopped early takes no further steps.
  const again = smallClassifier();
  const resumed = await trainModel({ ...options(again), resume: true });
  assert.deepEqual([resumed.stopReason, resumed.steps, resumed.best!.step], [
    "early_stopping",
    6,
    2,
  ]);
  again.dispose();
  model.dispose();
  train.x.dispose();
});

Deno.test("an abort signal stops after the step and saves `last`", async () => {
  await initBackend({ backend: "cpu" });
  const train = syntheticData(16, 8);
  const model = smallClassifier();
  const run = new RunFolder(new MemoryStorage());
  const controller = new AbortController();
  const result = await trainModel({
    model,
    data: { train: train.source },
    tasks: TASKS,
    config: trainConfig({ max_steps: 50, eval_strategy: "none" }),
    runFolder: run,
    rng: new Rng(1),
    signal: controller.signal,
    onProgress: (e) => e.done === 3 && controller.abort(),
  });
  assert.deepEqual([result.stopReason, result.steps, result.final], ["aborted", 3, undefined]);
  assert.deepEqual((await run.listCheckpoints()).map((c) => [c.name, c.step]), [["last", 3]]);
  assert.equal((await run.readSummary()).model_weights, "final");
  model.dispose();
  train.x.dispose();
});

Deno.test("no tensors leak across a training run", async () => {
  await initBackend({ backend: "cpu" });
  const train = syntheticData(24, 9);
  const val = syntheticData(8, 10);
  const storage = new MemoryStorage();
  const options = (model: tf.LayersModel) => ({
    model,
    data: { train: train.source, val: val.source },
    tasks: TASKS,
    config: trainConfig({
      max_steps: 6,
      optimizer: "sgd" as const,
      eval_strategy: "steps" as const,
      eval_steps: 2,
      checkpoint_strategy: "steps" as const,
      checkpoint_steps: 3,
    }),
    runFolder: new RunFolder(storage),
    rng: new Rng(4),
  });
  await assertNoTensorLeaks(async () => {
    const model = smallClassifier();
    await trainModel(options(model));
    model.dispose();
  });
  await assertNoTensorLeaks(async () => {
    const model = smallClassifier();
    await trainModel({ ...options(model), resume: true }); // resumes a finished run
    model.dispose();
  });
  tf.dispose([train.x, val.x]);
});

Deno.test("config mistakes fail before training", async () => {
  await initBackend({ backend: "cpu" });
  const train = syntheticData(8, 1);
  const model = smallClassifier();
  const attempt = (overrides: Parameters<typeof trainConfig>[0]) =>
    trainModel({
      model,
      data: { train: train.source },
      tasks: TASKS,
      config: trainConfig(overrides),
      runFolder: new RunFolder(new MemoryStorage()),
      rng: new Rng(1),
    });
  await assert.rejects(attempt({ best_metric: "level.accuracy" }), /metrics: loss, mae, rmse/);
  await assert.rejects(attempt({ best_metric: "bright.f2" }), /one of loss, mae/);
  await assert.rejects(attempt({ best_metric: "age.mae" }), /task of bright, level/);
  await assert.rejects(attempt({ balanced_sampling_task: "level" }), /classification task/);
  await assert.rejects(attempt({ task_weights: { brigth: 1 } }), /must name a task/);
  model.dispose();
  train.x.dispose();
});

Deno.test("paramLrScale freezes a variable at 0 and scales the step of the others", async () => {
  await initBackend({ backend: "cpu" });
  const tasks = [TASKS[0]];
  const x = tf.randomNormal([8, 3, 32], 0, 1, "float32", 5);
  const source = tensorBatchSource(x, { bright: [0, 1, 0, 1, 0, 1, 0, 1] });
  const build = () =>
    buildClassifier({
      backbone: "cnn_1d",
      inputShape: [3, 32],
      tasks,
      seed: 1,
      channels: 4,
      depth: 1,
      layerRepeats: 1,
      embedding: 4,
    });
  // One AdamW step moves every weight by about lr (|m̂/√v̂| = 1 on step 1), so the change
  // of a weight shows the rate it got. Weight decay off, no clipping.
  const config = trainConfig({
    max_steps: 1,
    eval_strategy: "none",
    checkpoint_strategy: "none",
    warmup_steps: 0,
    schedule: "constant",
    lr: 1e-2,
    weight_decay: 0,
    grad_clip_norm: 0,
  });
  // Variable names differ between two builds (tfjs makes them unique), so scale by position.
  const runWith = async (scale?: (index: number) => number) => {
    const model = build();
    const names = model.trainableWeights.map((w) => (w.read() as tf.Variable).name);
    const before = await Promise.all(model.trainableWeights.map((w) => w.read().data()));
    await trainModel({
      model,
      data: { train: source },
      tasks,
      config,
      runFolder: new RunFolder(new MemoryStorage()),
      rng: new Rng(1),
      paramLrScale: scale && ((name) => scale(names.indexOf(name))),
    });
    const after = await Promise.all(model.trainableWeights.map((w) => w.read().data()));
    model.dispose();
    return names.map((name, i) => ({
      name,
      maxChange: Math.max(...after[i].map((v, j) => Math.abs(v - before[i][j]))),
    }));
  };
  const plain = await runWith();
  const scaled = await runWith((index) => (index === 0 ? 0 : 0.5));
  assert.equal(scaled[0].maxChange, 0, "the frozen variable did not move");
  for (let i = 1; i < plain.length; i++) {
    if (plain[i].maxChange < 1e-4) continue; // e.g. a bias whose gradient is ~0
    const ratio = scaled[i].maxChange / plain[i].maxChange;
    assert.ok(Math.abs(ratio - 0.5) < 0.05, `${plain[i].name}: ratio ${ratio}`);
  }
  tf.dispose(x);
});
