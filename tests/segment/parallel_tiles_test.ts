/**
 * Whole-field inference split between this thread and a tile worker
 * (lib/segment/parallel_tiles.ts) gives the single thread's probabilities, with and
 * without test-time flips and with an odd number of tiles per batch.
 */
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { initBackend, Rng } from "../../lib/runtime/mod.ts";
import { IMAGENET_NORMALIZATION } from "../../lib/image/normalization.ts";
import { resolveConfig } from "../../lib/config/mod.ts";
import { SEGMENT_SCHEMA } from "../../lib/segment/config_schema.ts";
import { ParallelTiles, startParallelTiles } from "../../lib/segment/parallel_tiles.ts";
import { segmentImage } from "../../lib/segment/segment_image.ts";
import { buildUnet } from "../../lib/segment/unet.ts";

const createWorker = () =>
  new Worker(new URL("../../workers/tile_worker.ts", import.meta.url), { type: "module" });

function field(width: number, height: number) {
  const rng = new Rng(3);
  return {
    width,
    height,
    channels: 3 as const,
    data: Uint8Array.from({ length: width * height * 3 }, () => Math.floor(rng.float() * 256)),
  };
}

for (const tta of [false, true]) {
  Deno.test(`two-thread whole-field inference equals one thread (tta ${tta})`, async () => {
    await initBackend({ backend: "wasm" });
    const model = buildUnet({ inputSize: 32, widths: [4, 8, 8, 8], inputChannels: 3, seed: 7 });
    // 5 x 4 tiles of 24 px resized to 32, 3 per batch: batches of 3 (2 here, 1 there) and 2.
    const config = resolveConfig(SEGMENT_SCHEMA, {
      sets: [
        "infer.tile=24",
        "infer.batch_size=3",
        `infer.tta=${tta}`,
        "infer.min_area=0",
        "infer.threshold=0.5",
      ],
    });
    const image = field(110, 90);
    const options = { infer: config.infer, inputSize: 32, normalization: IMAGENET_NORMALIZATION };
    const single = await segmentImage(model, image, options);
    const parallel = await startParallelTiles(model, true, createWorker);
    assert.ok(parallel instanceof ParallelTiles, "wasm with a worker factory starts the split");
    try {
      const split = await segmentImage(model, image, { ...options, parallel });
      assert.equal(split.probability.length, single.probability.length);
      let maxDiff = 0;
      for (let i = 0; i < single.probability.length; i++) {
        maxDiff = Math.max(maxDiff, Math.abs(split.probability[i] - single.probability[i]));
      }
      assert.equal(maxDiff, 0, `probabilities differ by up to ${maxDiff}`);
      assert.deepEqual(split.mask, single.mask);
    } finally {
      parallel.dispose();
      model.dispose();
    }
  });
}

Deno.test("no tile worker without a factory or when disabled", async () => {
  await initBackend({ backend: "wasm" });
  const model = buildUnet({ inputSize: 32, widths: [4, 8, 8, 8], inputChannels: 1, seed: 7 });
  try {
    assert.equal(await startParallelTiles(model, true, undefined), undefined);
    assert.equal(await startParallelTiles(model, false, createWorker), undefined);
  } finally {
    model.dispose();
  }
  assert.equal(tf.getBackend(), "wasm");
});
