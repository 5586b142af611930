/**
 * Data-parallel gradients (two shards, one in a module worker) equal the full batch's
 * single-thread gradients, and a timing print of one demo-size step on wasm.
 */
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { buildClassifier, multiTaskLoss } from "../../lib/classify/mod.ts";
import type { MultiTaskLossOptions } from "../../lib/classify/losses.ts";
import type { LabelSpec } from "../../lib/data/mod.ts";
import { MemoryStorage, RunFolder } from "../../lib/io/mod.ts";
import { initBackend, Rng } from "../../lib/runtime/mod.ts";
import type { Batch } from "../../lib/train/batch_source.ts";
import { DataParallelGradients } from "../../lib/train/data_parallel.ts";
import { taskOutputIndices } from "../../lib/train/evaluate_model.ts";
import { planTraining, trainModel } from "../../lib/train/mod.ts";
import { flatWeights, syntheticData, TASKS as SYNTHETIC, trainConfig } from "./_synthetic.ts";

const TASKS: LabelSpec[] = [
  { name: "kind", kind: "classification", classes: ["a", "b", "c"], column: "k", description: "" },
  { name: "level", kind: "regression", column: "l", description: "" },
];
const LOSS: MultiTaskLossOptions = {
  labelSmoothing: 0.1,
  weights: { kind: 0.7, level: 0.3 },
  normalization: { level: { mean: 2, std: 3 } },
};

const createWorker = () =>
  new Worker(new URL("../../workers/gradient_worker.ts", import.meta.url), { type: "module" });

function model(inputShape: number[], extra: Record<string, unknown> = {}): tf.LayersModel {
  return buildClassifier({
    backbone: "cnn_light",
    inputShape,
    tasks: TASKS,
    seed: 3,
    channels: 4,
    depth: 1,
    layerRepeats: 1,
    embedding: 8,
    dropout: 0,
    ...extra,
  });
}

function batchOf(rows: number, inputShape: number[]): Batch {
  return {
    x: tf.randomUniform([rows, ...inputShape], 0, 1, "float32", 7),
    // Missing labels spread unevenly over the two halves: the shards' per-task weights
    // must account for them.
    targets: {
      kind: Array.from({ length: rows }, (_, i) => (i === 1 || i === 2 ? -1 : i % 3)),
      level: Array.from({ length: rows }, (_, i) => (i === rows - 1 ? NaN : i * 0.7 - 1)),
    },
  };
}

/** The loop's single-thread computation (train_model.ts step 3). */
function fullGradients(m: tf.LayersModel, batch: Batch) {
  const index = taskOutputIndices(m, TASKS);
  const params = m.trainableWeights.map((w) => w.read() as tf.Variable);
  return tf.variableGrads(() => {
    const out = m.apply(batch.x, { training: true }) as tf.Tensor[];
    const { total, perTask } = multiTaskLoss(
      TASKS.map((t) => out[index[t.name]]),
      batch.targets,
      TASKS,
      LOSS,
    );
    tf.dispose(Object.values(perTask));
    return total;
  }, params);
}

function relativeError(a: tf.Tensor, b: tf.Tensor): number {
  return tf.tidy(() => {
    const diff = a.sub(b).norm().dataSync()[0];
    const scale = b.norm().dataSync()[0];
    return scale === 0 ? diff : diff / scale;
  });
}

Deno.test("data-parallel gradients equal the full batch's (cpu both sides)", async () => {
  await initBackend({ backend: "cpu" });
  const m = model([32, 32, 1]);
  const batch = batchOf(8, [32, 32, 1]);
  const parallel = new DataParallelGradients({
    model: m,
    tasks: TASKS,
    lossOptions: LOSS,
    createWorker,
    backend: "cpu",
  });
  try {
    const before = tf.memory().numTensors;
    const expected = fullGradients(m, batch);
    const actual = await parallel.compute(batch, 0);
    assert.deepEqual(Object.keys(actual.grads).sort(), Object.keys(expected.grads).sort());
    const lossError = relativeError(actual.value, expected.value);
    assert.ok(lossError < 1e-5, `loss relative error ${lossError}`);
    for (const [name, grad] of Object.entries(expected.grads)) {
      assert.deepEqual(actual.grads[name].shape, grad.shape);
      const error = relativeError(actual.grads[name], grad);
      assert.ok(error < 1e-5, `${name}: relative error ${error}`);
    }
    // Per-task losses are the full batch's masked means.
    const index = taskOutputIndices(m, TASKS);
    const out = m.apply(batch.x, { training: true }) as tf.Tensor[];
    const full = multiTaskLoss(TASKS.map((t) => out[index[t.name]]), batch.targets, TASKS, LOSS);
    for (const t of TASKS) {
      const error = relativeError(actual.perTask[t.name], full.perTask[t.name]);
      assert.ok(error < 1e-5, `${t.name} loss: relative error ${error}`);
    }
    tf.dispose([...out, full.total, ...Object.values(full.perTask)]);
    tf.dispose([expected.value, ...Object.values(expected.grads)]);
    tf.dispose([actual.value, ...Object.values(actual.grads), ...Object.values(actual.perTask)]);
    assert.equal(tf.memory().numTensors, before, "no tensor leaks");
  } finally {
    parallel.dispose();
    tf.dispose(batch.x);
    m.dispose();
  }
});

/** Mean ms of one step's gradients (batch 16, demo-size model), single thread vs two. */
async function timeStep(side: number): Promise<{ single: number; dual: number }> {
  await initBackend({ backend: "wasm" });
  const shape = [side, side, 1];
  const m = model(shape, {
    channels: 8,
    depth: 2,
    layerRepeats: 1,
    embedding: 32,
    pooling: "rows",
    dropout: 0.43,
  });
  const batch = batchOf(16, shape);
  const parallel = new DataParallelGradients({
    model: m,
    tasks: TASKS,
    lossOptions: LOSS,
    createWorker,
    backend: "wasm",
  });
  try {
    await parallel.ready();
    const steps = 3;
    const time = async (f: () => Promise<void>) => {
      await f(); // warm-up
      const started = performance.now();
      for (let i = 0; i < steps; i++) await f();
      return (performance.now() - started) / steps;
    };
    const single = await time(async () => {
      const { value, grads } = fullGradients(m, batch);
      await value.data();
      tf.dispose([value, ...Object.values(grads)]);
    });
    const dual = await time(async () => {
      const { value, grads, perTask } = await parallel.compute(batch, 1);
      await value.data();
      tf.dispose([value, ...Object.values(grads), ...Object.values(perTask)]);
    });
    console.log(
      `one step, batch 16 of [${shape}] on wasm: single thread ${single.toFixed(0)} ms, ` +
        `data-parallel ${dual.toFixed(0)} ms (speed-up ${(single / dual).toFixed(2)}x)`,
    );
    return { single, dual };
  } finally {
    parallel.dispose();
    tf.dispose(batch.x);
    m.dispose();
  }
}

// Timings are printed, not asserted: the speed-up depends on the host (cores, caches,
// memory bandwidth).
Deno.test("timing: one demo-size step on wasm, single thread vs data-parallel", async () => {
  await timeStep(256);
  await timeStep(64);
});

Deno.test("trainModel with data-parallel gradients ends where the single-thread run does", async () => {
  await initBackend({ backend: "cpu" });
  const data = syntheticData(32, 1);
  const build = () =>
    buildClassifier({
      backbone: "cnn_light",
      inputShape: [8, 8, 1],
      tasks: SYNTHETIC,
      seed: 1,
      channels: 4,
      depth: 1,
      layerRepeats: 1,
      embedding: 8,
      dropout: 0,
    });
  const config = trainConfig({ max_steps: 4, eval_strategy: "none" });
  const run = async (model: tf.LayersModel, parallel?: DataParallelGradients) => {
    await trainModel({
      model,
      data: { train: data.source },
      tasks: SYNTHETIC,
      config,
      runFolder: new RunFolder(new MemoryStorage()),
      rng: new Rng(1),
      gradients: parallel && ((batch, step) => parallel.compute(batch, step)),
    });
    return await flatWeights(model);
  };
  const single = build();
  const dual = build();
  // The loss options the loop's plan uses: the synthetic data's target statistics.
  const plan = planTraining(config, SYNTHETIC, data.source);
  const parallel = new DataParallelGradients({
    model: dual,
    tasks: SYNTHETIC,
    lossOptions: plan.loss,
    createWorker,
    backend: "cpu",
  });
  try {
    const expected = await run(single);
    const actual = await run(dual, parallel);
    const error = Math.sqrt(expected.reduce((s, e, i) => s + (e - actual[i]) ** 2, 0)) /
      Math.sqrt(expected.reduce((s, e) => s + e * e, 0));
    assert.ok(error < 1e-5, `weights relative error ${error}`);
  } finally {
    parallel.dispose();
    tf.dispose(data.x);
    single.dispose();
    dual.dispose();
  }
});
