/**
 * Parity of classifier training across backends: the same seed, batch and targets give the
 * same per-step losses and the same weights on cpu (the reference), wasm and webgpu.
 *
 * The model is a tiny cnn_light (32x32x1, 4 stem channels, one block, embedding 8, seeded
 * dropout 0.2) with two heads: a 2-class task and a regression task. Three AdamW steps
 * run exactly as lib/train/train_model.ts runs them: set the dropout step, take
 * `tf.variableGrads` of `multiTaskLoss`, then `AdamW.applyGradients`. Initial weights and
 * dropout masks are drawn in JavaScript from seeds (glorotUniform, tf.dropout's seeded
 * randomUniform), so every backend starts from the same numbers and drops the same units;
 * only float32 rounding (summation order in convs, matmuls, reductions; erf/exp kernels)
 * differs between backends.
 *
 * @module
 */
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import type { LabelSpec } from "../../lib/data/labels.ts";
import { buildClassifier } from "../../lib/classify/build_classifier.ts";
import { multiTaskLoss } from "../../lib/classify/losses.ts";
import { setDropoutStep } from "../../lib/nn/seeded_dropout.ts";
import { assertNoTensorLeaks, type BackendName, Rng } from "../../lib/runtime/mod.ts";
import { AdamW } from "../../lib/train/adamw.ts";
import { assertAllClose } from "../_support/assert_close.ts";
import * as parity from "../_support/parity.ts";

const BATCH = 4;
const INPUT_SHAPE = [32, 32, 1]; // [H, W, C]
const STEPS = 3;
const LEARNING_RATE = 1e-3;
const TASKS: LabelSpec[] = [
  {
    name: "state",
    kind: "classification",
    classes: ["rest", "task"],
    column: "state",
    description: "",
  },
  { name: "age", kind: "regression", column: "age", description: "" },
];

/**
 * Tolerances against the cpu run, with float32 (eps ≈ 1.2e-7) everywhere.
 *
 * Losses: each backend sums the same terms in a different order (tiled matmuls, im2col
 * convs, tree reductions in GroupNorm's moments), which costs a few ulps per layer; through
 * ~10 layers and 3 steps that stays well under 1e-5 relative, so rtol 1e-4 leaves a 10x
 * margin while still catching any real kernel difference (a wrong mask, a wrong gradient
 * kernel or a missing bias correction changes the loss by 1e-3 or more).
 *
 * Weights: AdamW's first steps move every weight by about lr·m̂/√v̂ ≈ lr·sign(g), whatever
 * the gradient's size, so the update normalises away the gradient's magnitude but not its
 * relative error; after 3 steps a weight differs by at most ~3·lr·(relative gradient error)
 * plus rounding of the weight itself. rtol 1e-3 covers the rounding of the weights; atol
 * 1e-5 (= 1% of one step of lr 1e-3) covers the weights whose gradient is ~0 (e.g. a bias
 * whose gradient cancels across the batch), where a few-ulp gradient difference can flip a
 * large fraction of Adam's normalised step.
 *
 * Measured here (lavapipe for webgpu): losses differ from cpu by <= 8.3e-8 relative (wasm:
 * bit-identical), weights by <= 9e-8 absolute; so both bounds have a margin of >= 100x, while
 * one wrong step (a weight off by lr = 1e-3) or a different dropout mask still fails.
 */
const LOSS_TOLERANCE = { rtol: 1e-4, atol: 1e-6 };
const WEIGHT_TOLERANCE = { rtol: 1e-3, atol: 1e-5 };

interface TrainRun {
  /** Total loss at each step, before that step's update. */
  losses: number[];
  /** Per-task loss at each step, `[step][task]`. */
  taskLosses: number[][];
  /** Each trainable weight after the last step, by weight name without uniquifying suffix. */
  weights: Map<string, Float32Array>;
}

/** The fixed batch: inputs ~ N(0, 1), class labels in {0, 1}, regression targets ~ N(0, 1). */
function _batch(): { x: Float32Array; targets: Record<string, number[]> } {
  const rng = new Rng(20241122);
  const size = BATCH * INPUT_SHAPE.reduce((a, b) => a * b, 1);
  const x = Float32Array.from({ length: size }, () => rng.normal());
  const state = Array.from({ length: BATCH }, (_, i) => i % 2); // both classes present
  const age = Array.from({ length: BATCH }, () => rng.normal());
  return { x, targets: { state, age } };
}

/** Builds the model on `backend` and trains it STEPS steps on the fixed batch. */
async function _train(backend: BackendName): Promise<TrainRun> {
  await parity.useBackend(backend);
  const { x: values, targets } = _batch();
  return await assertNoTensorLeaks(async () => {
    const model = buildClassifier({
      backbone: "cnn_light",
      inputShape: INPUT_SHAPE,
      channels: 4,
      depth: 1,
      layerRepeats: 1,
      embedding: 8,
      dropout: 0.2,
      pooling: "global",
      tasks: TASKS,
      seed: 7,
    });
    const params = model.trainableWeights.map((w) => w.read() as tf.Variable);
    const optimizer = new AdamW(params, { learningRate: LEARNING_RATE, weightDecay: 0.01 });
    const x = tf.tensor4d(values, [BATCH, ...INPUT_SHAPE] as [number, number, number, number]);
    const losses: number[] = [];
    const taskLosses: number[][] = [];
    try {
      for (let step = 0; step < STEPS; step++) {
        setDropoutStep(model, step);
        let perTask: Record<string, tf.Scalar> = {};
        const { value, grads } = tf.variableGrads(() => {
          const outputs = model.apply(x, { training: true }) as tf.Tensor[]; // [B, K] each
          const loss = multiTaskLoss(outputs, targets, TASKS);
          Object.values(loss.perTask).forEach((t) => tf.keep(t));
          perTask = loss.perTask;
          return loss.total;
        }, params);
        optimizer.applyGradients(grads);
        losses.push((await value.data())[0]);
        taskLosses.push(
          await Promise.all(TASKS.map(async (t) => (await perTask[t.name].data())[0])),
        );
        tf.dispose([value, ...Object.values(grads), ...Object.values(perTask)]);
      }
      // Layer names are fixed by buildClassifier; strip tfjs's "_1" uniquifying suffixes.
      return { losses, taskLosses, weights: await parity.readWeights(model) };
    } finally {
      x.dispose();
      optimizer.dispose();
      model.dispose();
    }
  }, { label: `classifier training on ${backend}` });
}

const _reference = parity.cpuReference(_train);

function _assertMatchesCpu(got: TrainRun, ref: TrainRun, backend: string): void {
  parity.assertLossesMatch(got.losses, ref.losses, backend, LOSS_TOLERANCE);
  for (let step = 0; step < STEPS; step++) {
    assertAllClose(got.taskLosses[step], ref.taskLosses[step], {
      ...LOSS_TOLERANCE,
      label: `${backend} per-task loss at step ${step}`,
    });
  }
  parity.assertWeightsMatch(got.weights, ref.weights, backend, WEIGHT_TOLERANCE);
}

Deno.test("classifier training on cpu: losses are finite, change, and weights move", async () => {
  const ref = await _reference();
  assert.equal(ref.losses.length, STEPS);
  assert.ok(ref.losses.every(Number.isFinite), `losses ${ref.losses}`);
  // The masks differ per step and the weights change, so the losses must too.
  assert.notEqual(ref.losses[0], ref.losses[1]);
  assert.notEqual(ref.losses[1], ref.losses[2]);
  assert.ok(ref.weights.size > 10, `only ${ref.weights.size} weights`);
});

parity.registerTests({
  what: "classifier",
  train: _train,
  reference: _reference,
  assertMatches: _assertMatchesCpu,
});
