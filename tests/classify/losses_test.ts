import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import {
  crossEntropyLoss,
  focalLoss,
  huberLoss,
  multiTaskLoss,
  targetNormalization,
  targetStats,
  taskWeights,
} from "../../lib/classify/mod.ts";
import type { LabelSpec } from "../../lib/data/mod.ts";
import { assertNoTensorLeaks, initBackend } from "../../lib/runtime/mod.ts";

await initBackend({ backend: "cpu" });

const PROBS = [[0.7, 0.2, 0.1], [0.25, 0.5, 0.25], [0.05, 0.15, 0.8], [0.6, 0.3, 0.1]];

async function value(scalar: tf.Scalar): Promise<number> {
  const v = (await scalar.data())[0];
  scalar.dispose();
  return v;
}

/** -Σ_k α_k y_k (1 - p_k)^γ log p_k averaged over labelled rows, in float64. */
function focalReference(
  probs: number[][],
  labels: number[],
  { smoothing = 0, gamma = 0, alpha = [1, 1, 1] }: {
    smoothing?: number;
    gamma?: number;
    alpha?: number[];
  },
): number {
  let sum = 0;
  let count = 0;
  probs.forEach((row, i) => {
    if (labels[i] === -1) return;
    count++;
    row.forEach((p, k) => {
      const y = (k === labels[i] ? 1 - smoothing : 0) + smoothing / row.length;
      sum -= alpha[k] * y * (1 - p) ** gamma * Math.log(p);
    });
  });
  return count ? sum / count : 0;
}

function near(actual: number, expected: number, label: string, tol = 1e-6): void {
  assert.ok(Math.abs(actual - expected) <= tol, `${label}: ${actual} vs ${expected}`);
}

Deno.test("cross-entropy with label smoothing equals the hand computation", async () => {
  await assertNoTensorLeaks(async () => {
    const probs = tf.tensor2d(PROBS);
    // Row 0 by hand: y = [0.9 + 0.1/3, 0.1/3, 0.1/3].
    const row0 = -((0.9 + 0.1 / 3) * Math.log(0.7) + (0.1 / 3) * Math.log(0.2) +
      (0.1 / 3) * Math.log(0.1));
    const one = tf.tensor2d([PROBS[0]]);
    near(await value(crossEntropyLoss(one, [0], { labelSmoothing: 0.1 })), row0, "row 0");
    near(
      await value(crossEntropyLoss(probs, [0, 1, 2, 0])),
      focalReference(PROBS, [0, 1, 2, 0], {}),
      "plain",
    );
    near(
      await value(crossEntropyLoss(probs, [0, 1, 2, 0], { labelSmoothing: 0.2 })),
      focalReference(PROBS, [0, 1, 2, 0], { smoothing: 0.2 }),
      "smoothed",
    );
    tf.dispose([probs, one]);
  });
});

Deno.test("focal loss: gamma 0 is cross-entropy; alpha and gamma are applied", async () => {
  await assertNoTensorLeaks(async () => {
    const probs = tf.tensor2d(PROBS);
    const labels = [2, 1, 2, 0];
    for (const smoothing of [0, 0.1]) {
      near(
        await value(focalLoss(probs, labels, { gamma: 0, alpha: 1, labelSmoothing: smoothing })),
        await value(crossEntropyLoss(probs, labels, { labelSmoothing: smoothing })),
        `gamma 0, smoothing ${smoothing}`,
      );
    }
    const focal = await value(focalLoss(probs, labels, { gamma: 2, alpha: 0.25 }));
    near(focal, focalReference(PROBS, labels, { gamma: 2, alpha: [0.25, 0.25, 0.25] }), "gamma 2");
    assert.ok(
      focal < 0.25 * (await value(crossEntropyLoss(probs, labels))),
      "down-weights easy rows",
    );
    near(
      await value(
        focalLoss(probs, labels, { gamma: 1.5, alpha: [0.2, 0.3, 0.5], labelSmoothing: 0.1 }),
      ),
      focalReference(PROBS, labels, { gamma: 1.5, alpha: [0.2, 0.3, 0.5], smoothing: 0.1 }),
      "per-class alpha",
    );
    assert.throws(() => focalLoss(probs, labels, { alpha: [1, 1] }), /3 of them/);
    assert.throws(() => focalLoss(probs, labels, { gamma: -1 }), RangeError);
    tf.dispose(probs);
  });
});

Deno.test("Huber loss: both branches and a configurable delta", async () => {
  await assertNoTensorLeaks(async () => {
    const predictions = tf.tensor2d([[0.5], [-3], [1.5]]);
    // |a| = 0.5, 3, 1.5 -> delta 1: 0.125, 2.5, 1.0; delta 2: 0.125, 4, 1.125.
    near(
      await value(huberLoss(predictions, [0, 0, 0], { delta: 1 })),
      (0.125 + 2.5 + 1) / 3,
      "delta 1",
    );
    near(
      await value(huberLoss(predictions, [0, 0, 0], { delta: 2 })),
      (0.125 + 4 + 1.125) / 3,
      "delta 2",
    );
    near(await value(huberLoss(predictions, [1, NaN, 1.5])), 0.125 / 2, "NaN rows left out");
    assert.throws(() => huberLoss(predictions, [0, 0]), /\[B\] or \[B, 1\]/);
    predictions.dispose();
  });
});

Deno.test("masking: missing rows are left out; a task with none gives 0 and zero gradient", async () => {
  await assertNoTensorLeaks(async () => {
    const probs = tf.tensor2d(PROBS);
    near(
      await value(crossEntropyLoss(probs, [-1, 1, -1, 0])),
      focalReference(PROBS, [-1, 1, -1, 0], {}),
      "mean over present rows",
    );
    assert.equal(await value(crossEntropyLoss(probs, [-1, -1, -1, -1])), 0);
    const grad = tf.grad((p: tf.Tensor) => crossEntropyLoss(p, [-1, -1, -1, -1]))(probs);
    assert.ok(Array.from(await grad.data()).every((g) => g === 0));
    const predictions = tf.tensor1d([1, 2]);
    const huberGrad = tf.grad((p: tf.Tensor) => huberLoss(p, [NaN, NaN]))(predictions);
    assert.deepEqual(Array.from(await huberGrad.data()), [0, 0]);
    assert.throws(() => crossEntropyLoss(probs, [0, 3, 0, 0]), /\[0, 3\) or -1.*row 1 is 3/);
    tf.dispose([probs, grad, predictions, huberGrad]);
  });
});

const TASKS: LabelSpec[] = [
  {
    name: "gender",
    kind: "classification",
    classes: ["F", "M"],
    column: "gender",
    description: "",
  },
  {
    name: "health",
    kind: "classification",
    classes: ["HC", "PD", "X"],
    column: "h",
    description: "",
  },
  { name: "age", kind: "regression", column: "age", description: "" },
];

Deno.test("multi-task loss: weights, regression normalisation, an absent task adds 0", async () => {
  await assertNoTensorLeaks(async () => {
    const gender = tf.tensor2d([[0.8, 0.2], [0.3, 0.7]]);
    const health = tf.tensor2d(PROBS.slice(0, 2));
    const age = tf.tensor2d([[1], [-0.5]]); // standardised predictions
    const targets = { gender: [0, 1], health: [-1, -1], age: [40, NaN] };
    const normalization = { age: { mean: 30, std: 10 } }; // 40 -> 1: zero error
    const options = { labelSmoothing: 0, normalization };
    const genderCe = -(Math.log(0.8) + Math.log(0.7)) / 2;

    const { total, perTask } = multiTaskLoss([gender, health, age], targets, TASKS, options);
    near(await value(perTask.gender), genderCe, "gender");
    assert.equal(await value(perTask.health), 0);
    near(await value(perTask.age), 0, "age");
    near(await value(total), genderCe / 3, "1/3 each by default");

    const weighted = multiTaskLoss([gender, health, age], { ...targets, age: [30, NaN] }, TASKS, {
      ...options,
      weights: { gender: 2, age: 0.05 },
    });
    near(await value(weighted.total), 2 * genderCe + 0.05 * 0.5, "gender 2, age 0.05 (|a| = 1)");
    tf.dispose(Object.values(weighted.perTask));

    assert.throws(() => multiTaskLoss([gender], targets, TASKS), /one output per task/);
    assert.throws(
      () => multiTaskLoss([gender, health, age], { gender: [0, 1] }, TASKS),
      /"health" is missing/,
    );
    tf.dispose([gender, health, age]);
  });
  assert.deepEqual(taskWeights(TASKS), { gender: 1 / 3, health: 1 / 3, age: 1 / 3 });
  assert.throws(() => taskWeights(TASKS, { gendr: 1 }), /must name a task/);
  assert.throws(() => taskWeights(TASKS, { age: -1 }), />= 0/);
});

Deno.test("regression target statistics come from the present training rows", () => {
  assert.deepEqual(targetStats([20, NaN, 40, 30]), { mean: 30, std: Math.sqrt(200 / 3) });
  assert.deepEqual(targetStats([5, 5]), { mean: 5, std: 1 }, "zero spread -> std 1");
  assert.deepEqual(targetStats([NaN]), { mean: 0, std: 1 });
  const stats = targetNormalization(TASKS, (name) => (name === "age" ? [10, 20, NaN] : [0, 1]));
  assert.deepEqual(stats, { age: { mean: 15, std: 5 } });
});
