/**
 * Parity of U-Net training across backends: the same seed, batch and masks give the same
 * per-step losses and the same weights on cpu (the reference), wasm and webgpu.
 *
 * The model is a tiny U-Net (32x32x3, resnet18 encoder with widths [4, 8, 8, 8],
 * GroupNorm, nearest-upsampling decoder, sigmoid head). Three AdamW steps run exactly as
 * lib/train/train_model.ts runs them: take `tf.variableGrads` of `bceDiceLoss` of the
 * model's training-mode output, then `AdamW.applyGradients`. Initial weights are drawn in
 * JavaScript from the seed, and the network has no dropout and no batch statistics, so
 * every backend starts from the same numbers; only float32 rounding (summation order in
 * convs, GroupNorm's moments, the loss's reductions) differs between backends. The
 * decoder's upsampling is lib/segment/upsample_nearest.ts, whose gradient is right on
 * every backend (tfjs-backend-cpu's ResizeNearestNeighborGrad is wrong for batch > 1, so
 * batch 2 here would catch a model that went back to `tf.layers.upSampling2d`).
 *
 * @module
 */
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { bceDiceLoss } from "../../lib/segment/losses.ts";
import { buildUnet } from "../../lib/segment/unet.ts";
import { assertNoTensorLeaks, type BackendName, Rng } from "../../lib/runtime/mod.ts";
import { AdamW } from "../../lib/train/adamw.ts";
import * as parity from "../_support/parity.ts";

const BATCH = 2;
const SIZE = 32;
const CHANNELS = 3;
const STEPS = 3;
const LEARNING_RATE = 1e-3;

/**
 * Tolerances against the cpu run, with float32 (eps ≈ 1.2e-7) everywhere.
 *
 * Losses: each backend sums the same terms in a different order (XNNPACK or im2col
 * convs, tree reductions in GroupNorm's moments and in the loss's means over 2x32x32
 * pixels), which costs a few ulps per layer; through the U-Net's ~60 layers and 3 steps
 * that stays under 1e-5 relative, so rtol 1e-4 leaves a margin while still catching any
 * real kernel difference: with cpu's wrong ResizeNearestNeighborGrad in the decoder
 * (`tf.image.resizeNearestNeighbor` in place of upsample_nearest.ts), the losses of steps
 * 1 and 2 differ from the right ones by 6e-3 and 9e-3 relative.
 *
 * Weights: AdamW's first steps move every weight by about lr·m̂/√v̂ ≈ lr·sign(g), whatever
 * the gradient's size, so a weight whose gradient is ~0 moves by up to lr per step in a
 * direction set by its rounding error. GroupNorm makes many such gradients (a GroupNorm
 * removes its input's mean and scale per group, so the conv before it gets almost none
 * along those directions, and a beta whose gradient cancels across the batch gets ~0), and
 * the tiny model's ~12.5k weights all move at once; so here, unlike in the classifier
 * test, in most runs a few weights differ by 1e-5 to 1.5e-4 (up to 15% of one step).
 * atol 2e-4 (20% of one step of lr 1e-3) covers those, rtol 1e-3 covers gammas ≈ 1; a
 * wrong gradient still fails by far (cpu's wrong ResizeNearestNeighborGrad: weights off
 * by up to 6e-3, 500x the bound).
 *
 * Measured here (lavapipe for webgpu), seed 11: losses differ from cpu by <= 3.6e-6
 * relative on wasm (its convs round differently from the first forward pass) and <= 8.6e-8
 * on webgpu; weights by <= 1.2e-5 absolute on either (a GroupNorm gamma ≈ 1; 99% of weights
 * by <= 7.3e-7), at most 2% of the weight bound. Over seeds 1 to 11: losses <= 5.5e-6
 * relative, weights <= 1.5e-4 absolute (again a gamma ≈ 1) and <= 21% of the bound; the
 * classifier test's atol 1e-5 fails 2 of those 11 seeds (a beta ≈ -7.7e-4 off by 3.6e-5).
 */
const LOSS_TOLERANCE = { rtol: 1e-4, atol: 1e-6 };
const WEIGHT_TOLERANCE = { rtol: 1e-3, atol: 2e-4 };

interface TrainRun {
  /** BCE + Dice loss at each step, before that step's update. */
  losses: number[];
  /** Each trainable weight after the last step, by weight name. */
  weights: Map<string, Float32Array>;
}

/** The fixed batch: images ~ N(0, 1) `[B, S, S, 3]`, masks 0/1 `[B, S, S, 1]` (~30% fg). */
function _batch(): { x: Float32Array; y: Float32Array } {
  const rng = new Rng(20241123);
  const x = Float32Array.from({ length: BATCH * SIZE * SIZE * CHANNELS }, () => rng.normal());
  const y = Float32Array.from({ length: BATCH * SIZE * SIZE }, () => (rng.float() < 0.3 ? 1 : 0));
  return { x, y };
}

/** Builds the U-Net on `backend` and trains it STEPS steps on the fixed batch. */
async function _train(backend: BackendName): Promise<TrainRun> {
  await parity.useBackend(backend);
  const batch = _batch();
  return await assertNoTensorLeaks(async () => {
    const model = buildUnet({
      inputSize: SIZE,
      inputChannels: CHANNELS,
      encoder: "resnet18",
      widths: [4, 8, 8, 8],
      decoder: "upsample",
      output: "sigmoid",
      norm: "group",
      seed: 11,
    });
    const params = model.trainableWeights.map((w) => w.read() as tf.Variable);
    const optimizer = new AdamW(params, { learningRate: LEARNING_RATE, weightDecay: 0.01 });
    const x = tf.tensor4d(batch.x, [BATCH, SIZE, SIZE, CHANNELS]);
    const y = tf.tensor4d(batch.y, [BATCH, SIZE, SIZE, 1]);
    const losses: number[] = [];
    try {
      for (let step = 0; step < STEPS; step++) {
        const { value, grads } = tf.variableGrads(() => {
          const pred = model.apply(x, { training: true }) as tf.Tensor; // [B, S, S, 1]
          return bceDiceLoss(pred, y);
        }, params);
        optimizer.applyGradients(grads);
        losses.push((await value.data())[0]);
        tf.dispose([value, ...Object.values(grads)]);
      }
      // Layer names are fixed by buildUnet; originalName has no uniquifying suffix.
      return { losses, weights: await parity.readWeights(model) };
    } finally {
      tf.dispose([x, y]);
      optimizer.dispose();
      model.dispose();
    }
  }, { label: `U-Net training on ${backend}` });
}

const _reference = parity.cpuReference(_train);

function _assertMatchesCpu(got: TrainRun, ref: TrainRun, backend: string): void {
  parity.assertLossesMatch(got.losses, ref.losses, backend, LOSS_TOLERANCE);
  parity.assertWeightsMatch(got.weights, ref.weights, backend, WEIGHT_TOLERANCE);
}

Deno.test("U-Net training on cpu: losses are finite and fall", async () => {
  const ref = await _reference();
  assert.equal(ref.losses.length, STEPS);
  assert.ok(ref.losses.every(Number.isFinite), `losses ${ref.losses}`);
  // Same batch every step: AdamW must lower the loss on it.
  assert.ok(ref.losses[2] < ref.losses[0], `losses ${ref.losses}`);
  assert.ok(ref.weights.size > 40, `only ${ref.weights.size} weights`);
});

parity.registerTests({
  what: "U-Net",
  train: _train,
  reference: _reference,
  assertMatches: _assertMatchesCpu,
});
