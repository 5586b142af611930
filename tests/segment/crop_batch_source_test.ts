import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { FileStorage } from "../../app/cli/file_storage.ts";
import { Rng } from "../../lib/runtime/rng.ts";
import { fixedCropSource, randomCropSource } from "../../lib/segment/crop_batch_source.ts";
import { type CropOptions, renderCrop, sampleCrop } from "../../lib/image/crop_sampler.ts";
import { IMAGENET_NORMALIZATION } from "../../lib/image/normalization.ts";
import { loadSegmentationPairs, type SegSample } from "../../lib/segment/seg_dataset.ts";

await tf.setBackend("cpu");
const SEG_DATA = new URL("../../../shared/data/seg/", import.meta.url).pathname;

// Two glomeruli fields (one per subject) and two EM slices: decoding all 24 JPEG fields
// would take ~10 s, and these are enough for batches.
const glomeruliStorage = new FileStorage(`${SEG_DATA}glomeruli`);
const GLOMERULI = await loadSegmentationPairs(
  { storage: glomeruliStorage, dir: "images" },
  { storage: glomeruliStorage, dir: "masks" },
  { include: (ref) => ref.id === "T19_Image0" || ref.id === "T20_Image5" },
);
const emStorage = new FileStorage(`${SEG_DATA}em_mito`);
const EM = await loadSegmentationPairs(
  { storage: emStorage, dir: "raw" },
  { storage: emStorage, dir: "mito" },
  { channels: 1, include: (ref) => ref.id === "02" || ref.id === "03" },
);

/** The normalised range of 8-bit values per channel under the ImageNet statistics. */
function normalisedRange(channels: number): [number, number] {
  const mean = channels === 3 ? IMAGENET_NORMALIZATION.mean : [0.449];
  const std = channels === 3 ? IMAGENET_NORMALIZATION.std : [0.226];
  const lows = mean.map((m, c) => (0 - m) / std[c]), highs = mean.map((m, c) => (1 - m) / std[c]);
  return [Math.min(...lows) - 1e-6, Math.max(...highs) + 1e-6];
}

function checkBatch(x: tf.Tensor, y: tf.Tensor, rows: number, channels: number) {
  assert.deepEqual(x.shape, [rows, 256, 256, channels]);
  assert.deepEqual(y.shape, [rows, 256, 256, 1]);
  assert.equal(x.dtype, "float32");
  const [low, high] = normalisedRange(channels);
  const xs = x.dataSync() as Float32Array, ys = y.dataSync() as Float32Array;
  let min = Infinity, max = -Infinity;
  for (const v of xs) [min, max] = [Math.min(min, v), Math.max(max, v)];
  assert.ok(min >= low && max <= high, `x in [${min}, ${max}], allowed [${low}, ${high}]`);
  assert.ok(ys.every((v) => v === 0 || v === 1), "y is 0/1");
  return { xs, ys, min, max };
}

Deno.test("random crops of real glomeruli: x [4,256,256,3], y [4,256,256,1], no leaks", () => {
  assert.deepEqual(GLOMERULI.map((s) => s.id), ["T19_Image0", "T20_Image5"]);
  const source = randomCropSource(GLOMERULI, { length: 10, seed: 42 });
  assert.equal(source.size, 10);
  assert.deepEqual(Array.from(source.targets("anything")), new Array(10).fill(0));
  const before = tf.memory().numTensors;
  const batch = source.batch([0, 1, 2, 3]);
  assert.equal(tf.memory().numTensors, before + 2);
  assert.deepEqual(batch.targets, {});
  const { ys, min, max } = checkBatch(batch.x, batch.y, 4, 3);
  const positive = ys.reduce((a, b) => a + b, 0) / ys.length;
  console.log(
    `glomeruli batch: x in [${min.toFixed(3)}, ${max.toFixed(3)}], y mean ${positive.toFixed(3)}`,
  );
  // Crops centred on glomeruli 60% of the time hold far more foreground than the fields'
  // 2.8% and 12.1% (make_dataset_goldens.py).
  assert.ok(positive > 0.05, `foreground fraction of the batch ${positive}`);
  tf.dispose([batch.x, batch.y]);
  assert.equal(tf.memory().numTensors, before);
});

Deno.test("row r is a fixed function of (seed, r) and crops sample r % n", () => {
  const crop: CropOptions = { inputSize: 32, cropSize: 64 };
  const source = randomCropSource(EM, { length: 6, seed: 7, crop });
  const before = tf.memory().numTensors;
  const all = source.batch([0, 1, 2, 3, 4, 5]);
  const again = source.batch([5, 2]);
  const xs = all.x.dataSync(), ys = all.y.dataSync();
  const row = 32 * 32;
  assert.deepEqual(again.x.dataSync().subarray(row, 2 * row), xs.subarray(2 * row, 3 * row));
  assert.deepEqual(again.y.dataSync().subarray(0, row), ys.subarray(5 * row, 6 * row));
  for (let r = 0; r < 6; r++) {
    const out = { image: new Float32Array(row), mask: new Float32Array(row) };
    sampleCrop(EM[r % 2], new Rng(7).fork(`crop-${r}`), crop, out);
    assert.deepEqual(xs.subarray(r * row, (r + 1) * row), out.image, `row ${r}`);
    assert.deepEqual(ys.subarray(r * row, (r + 1) * row), out.mask, `row ${r}`);
  }
  const other = randomCropSource(EM, { length: 6, seed: 8, crop }).batch([0]);
  assert.notDeepEqual(other.x.dataSync(), xs.subarray(0, row), "another seed, another crop");
  tf.dispose([all.x, all.y, again.x, again.y, other.x, other.y]);
  assert.equal(tf.memory().numTensors, before);
});

Deno.test("fixed crops of real EM slices: a 512 grid of each 1024 slice, rendered plainly", () => {
  const source = fixedCropSource(EM, { cropSize: 512, inputSize: 256 });
  assert.equal(source.size, 8);
  assert.deepEqual(source.crops.map((c) => `${c.id}@${c.x},${c.y}`), [
    "02@0,0",
    "02@512,0",
    "02@0,512",
    "02@512,512",
    "03@0,0",
    "03@512,0",
    "03@0,512",
    "03@512,512",
  ]);
  const before = tf.memory().numTensors;
  const batch = source.batch([0, 1, 2, 3]);
  const { ys } = checkBatch(batch.x, batch.y, 4, 1);
  // The four windows tile slice 02 exactly, so the 2x-downscaled masks keep about its
  // foreground fraction (0.0599 in numpy; bilinear > 0.5 moves only boundary pixels).
  const fraction = ys.reduce((a, b) => a + b, 0) / ys.length;
  assert.ok(Math.abs(fraction - 0.05987739562988281) < 0.003, `foreground ${fraction}`);
  const out = { image: new Float32Array(256 * 256), mask: new Float32Array(256 * 256) };
  renderCrop(EM[1], { x: 512, y: 0, size: 512 }, { inputSize: 256 }, out);
  const last = source.batch([5]);
  assert.deepEqual(last.x.dataSync(), out.image);
  assert.deepEqual(last.y.dataSync(), out.mask);
  assert.deepEqual(Array.from(source.targets("x")), new Array(8).fill(0));
  tf.dispose([batch.x, batch.y, last.x, last.y]);
  assert.equal(tf.memory().numTensors, before);
});

Deno.test("bad sources and indices give named errors and leak nothing", () => {
  const before = tf.memory().numTensors;
  const grey = EM[0] as SegSample;
  assert.throws(
    () => randomCropSource([GLOMERULI[0], grey], { length: 2, seed: 0 }),
    /Cannot make randomCropSource as all samples must have the same channels \(3, "T19_Image0"\): current value is 1 for "02"/,
  );
  assert.throws(
    () => randomCropSource([], { length: 2, seed: 0 }),
    /Cannot make randomCropSource as it needs at least one sample: current value is 0/,
  );
  assert.throws(
    () => randomCropSource(EM, { length: 0, seed: 0 }),
    /Cannot make a random crop source as length must be a positive integer: current value is 0/,
  );
  const source = randomCropSource(EM, { length: 3, seed: 0 });
  assert.throws(
    () => source.batch([0, 3]),
    /Cannot read a batch as indices must be integers in \[0, 3\): current value is 3/,
  );
  assert.equal(tf.memory().numTensors, before);
});
