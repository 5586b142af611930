/**
 * Data-parallel gradients of the U-Net's mask loss (lib/train/data_parallel.ts, objective
 * kind "mask"): exact for losses that are means over images, the documented mean of the
 * two halves' ratios for a batch-wide Dice.
 */
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { initBackend } from "../../lib/runtime/mod.ts";
import { segmentationLoss, type SegmentationLossOptions } from "../../lib/segment/losses.ts";
import { buildUnet } from "../../lib/segment/unet.ts";
import type { Batch } from "../../lib/train/batch_source.ts";
import { DataParallelGradients } from "../../lib/train/data_parallel.ts";

const SIZE = 32;

const createWorker = () =>
  new Worker(new URL("../../workers/gradient_worker.ts", import.meta.url), { type: "module" });

function unet(): tf.LayersModel {
  return buildUnet({ inputSize: SIZE, widths: [4, 8, 8, 8], inputChannels: 1, seed: 5 });
}

/**
 * 4 images and masks: the first half with large square masks, the second with a small
 * one and an empty one, so the halves' Dice ratios differ from the batch's.
 */
function maskBatch(): Batch {
  const x = tf.randomUniform([4, SIZE, SIZE, 1], 0, 1, "float32", 11);
  const masks = new Float32Array(4 * SIZE * SIZE);
  const square = (image: number, from: number, to: number) => {
    for (let r = from; r < to; r++) {
      for (let c = from; c < to; c++) masks[image * SIZE * SIZE + r * SIZE + c] = 1;
    }
  };
  square(0, 4, 24);
  square(1, 8, 30);
  square(2, 12, 16);
  return { x, y: tf.tensor4d(masks, [4, SIZE, SIZE, 1]), targets: {} };
}

/** The loop's single-thread step 3 with the mask objective. */
function fullGradients(m: tf.LayersModel, batch: Batch, options: SegmentationLossOptions) {
  const loss = segmentationLoss("bce_dice", options);
  const params = m.trainableWeights.map((w) => w.read() as tf.Variable);
  return tf.variableGrads(
    () => loss(m.apply(batch.x, { training: true }) as tf.Tensor, batch.y!),
    params,
  );
}

/** ||a - b|| / ||b||, and max |a - b| over the elements. */
function errors(a: tf.Tensor, b: tf.Tensor): { relative: number; maxAbs: number } {
  return tf.tidy(() => {
    const diff = a.sub(b);
    const scale = b.norm().dataSync()[0];
    const norm = diff.norm().dataSync()[0];
    return { relative: scale === 0 ? norm : norm / scale, maxAbs: diff.abs().max().dataSync()[0] };
  });
}

function parallelFor(m: tf.LayersModel, options: SegmentationLossOptions) {
  return new DataParallelGradients({
    model: m,
    objective: { kind: "mask", loss: "bce_dice", lossOptions: options },
    createWorker,
    backend: "wasm",
  });
}

Deno.test("mask data-parallel gradients equal the full batch's with reduction image (wasm)", async () => {
  await initBackend({ backend: "wasm" });
  const m = unet();
  const batch = maskBatch();
  const options: SegmentationLossOptions = { reduction: "image" };
  const parallel = parallelFor(m, options);
  try {
    await parallel.ready();
    const before = tf.memory().numTensors;
    const expected = fullGradients(m, batch, options);
    const actual = await parallel.compute(batch, 0);
    assert.deepEqual(Object.keys(actual.grads).sort(), Object.keys(expected.grads).sort());
    const loss = errors(actual.value, expected.value);
    assert.ok(loss.relative < 1e-4, `loss relative error ${loss.relative}`);
    assert.ok(errors(actual.perTask.mask, expected.value).relative < 1e-4, "perTask.mask");
    let worst = { relative: 0, maxAbs: 0 };
    for (const [name, grad] of Object.entries(expected.grads)) {
      assert.deepEqual(actual.grads[name].shape, grad.shape);
      const error = errors(actual.grads[name], grad);
      assert.ok(error.relative < 1e-4, `${name}: relative error ${error.relative}`);
      worst = {
        relative: Math.max(worst.relative, error.relative),
        maxAbs: Math.max(worst.maxAbs, error.maxAbs),
      };
    }
    console.log(
      `${Object.keys(expected.grads).length} gradients: worst relative error ` +
        `${worst.relative.toExponential(2)}, max |difference| ${worst.maxAbs.toExponential(2)}; ` +
        `loss difference ${loss.maxAbs.toExponential(2)}`,
    );
    tf.dispose([expected.value, ...Object.values(expected.grads)]);
    tf.dispose([actual.value, ...Object.values(actual.grads), ...Object.values(actual.perTask)]);
    assert.equal(tf.memory().numTensors, before, "no tensor leaks");
  } finally {
    parallel.dispose();
    tf.dispose([batch.x, batch.y!]);
    m.dispose();
  }
});

Deno.test("with reduction batch the Dice term is the mean of the two halves' ratios", async () => {
  await initBackend({ backend: "wasm" });
  const m = unet();
  const batch = maskBatch();
  const options: SegmentationLossOptions = { reduction: "batch" };
  const parallel = parallelFor(m, options);
  try {
    const actual = await parallel.compute(batch, 0);
    const value = actual.value.dataSync()[0];
    assert.ok(Number.isFinite(value));
    for (const g of Object.values(actual.grads)) assert.ok(g.isFinite().all().dataSync()[0]);
    // What the doc says: each half's batch-wide loss, weighted by its share of the rows.
    const loss = segmentationLoss("bce_dice", options);
    const [whole, halves] = tf.tidy(() => {
      const pred = m.apply(batch.x, { training: true }) as tf.Tensor;
      const half = (start: number) =>
        loss(pred.slice(start, 2), batch.y!.slice(start, 2)).dataSync()[0] / 2;
      return [loss(pred, batch.y!).dataSync()[0], half(0) + half(2)];
    });
    assert.ok(Math.abs(value - halves) < 1e-4 * halves, `${value} vs halves ${halves}`);
    assert.ok(Math.abs(value - whole) > 1e-3, `${value} vs the batch's ${whole}`);
    console.log(
      `reduction batch: two-thread loss ${value.toFixed(5)}, one-thread ${whole.toFixed(5)}`,
    );
    tf.dispose([actual.value, ...Object.values(actual.grads), ...Object.values(actual.perTask)]);
  } finally {
    parallel.dispose();
    tf.dispose([batch.x, batch.y!]);
    m.dispose();
  }
});

Deno.test("DataParallelGradients needs an objective or tasks and lossOptions, and masks", async () => {
  await initBackend({ backend: "cpu" });
  const m = unet();
  let started = 0;
  try {
    assert.throws(
      () =>
        new DataParallelGradients({ model: m, createWorker: () => (started++, createWorker()) }),
      /must give either objective or both tasks and lossOptions: current value gives none/,
    );
    assert.equal(started, 0);
    const parallel = new DataParallelGradients({
      model: m,
      objective: { kind: "mask", loss: "bce", lossOptions: {} },
      createWorker,
      backend: "cpu",
    });
    const x = tf.zeros([2, SIZE, SIZE, 1]);
    try {
      await assert.rejects(parallel.compute({ x, targets: {} }, 0), /batch\.y must be masks/);
    } finally {
      parallel.dispose();
      x.dispose();
    }
  } finally {
    m.dispose();
  }
});
