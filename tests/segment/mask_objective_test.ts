import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { assertNoTensorLeaks, initBackend } from "../../lib/runtime/mod.ts";
import { foregroundProbability, maskObjective } from "../../lib/segment/mask_objective.ts";
import { confusionCounts, segmentationMetrics } from "../../lib/segment/metrics.ts";
import { segmentationLoss } from "../../lib/segment/losses.ts";
import type { BatchSource } from "../../lib/train/batch_source.ts";

/** A "model" whose output is its input: the probabilities are whatever x holds. */
function identityModel(size: number): tf.LayersModel {
  const input = tf.input({ shape: [size, size, 1] });
  const out = tf.layers.activation({ activation: "linear", name: "mask" }).apply(input);
  return tf.model({ inputs: input, outputs: out as tf.SymbolicTensor });
}

/** Rows of probabilities and masks, served with y. */
function source(probs: Float32Array, masks: Float32Array, rows: number, size: number): BatchSource {
  const per = size * size;
  return {
    size: rows,
    targets: () => new Float32Array(rows),
    batch(indices) {
      const pick = (a: Float32Array) => {
        const out = new Float32Array(indices.length * per);
        indices.forEach((r, i) => out.set(a.subarray(r * per, (r + 1) * per), i * per));
        return tf.tensor4d(out, [indices.length, size, size, 1]);
      };
      return { x: pick(probs), y: pick(masks), targets: {} };
    },
  };
}

Deno.test("maskObjective's evaluation equals metrics.ts on the same pixels, pooled and per crop", async () => {
  await initBackend({ backend: "cpu" });
  const size = 8, rows = 5;
  const probs = Float32Array.from({ length: rows * 64 }, (_, i) => ((i * 37) % 101) / 100);
  const masks = Float32Array.from({ length: rows * 64 }, (_, i) => ((i * 13) % 7 < 3 ? 1 : 0));
  masks.fill(0, 3 * 64, 4 * 64); // crop 3: empty truth
  const model = identityModel(size);
  const loss = segmentationLoss("bce_dice");
  const objective = maskObjective({ loss, threshold: 0.5, batchSize: 2 });
  const result = await assertNoTensorLeaks(() =>
    objective.evaluate(model, source(probs, masks, rows, size))
  );
  const mask = result.tasks.mask as unknown as Record<string, number>;
  const pooled = segmentationMetrics(confusionCounts(probs, masks, { threshold: 0.5 }));
  for (const key of ["dice", "iou", "precision", "recall", "pixel_accuracy", "specificity"]) {
    assert.ok(Math.abs(mask[key] - pooled[key as keyof typeof pooled]) < 1e-12, key);
  }
  let diceSum = 0;
  for (let r = 0; r < rows; r++) {
    const part = (a: Float32Array) => a.subarray(r * 64, (r + 1) * 64);
    diceSum += segmentationMetrics(confusionCounts(part(probs), part(masks))).dice;
  }
  assert.ok(Math.abs(mask.mean_dice - diceSum / rows) < 1e-12);
  assert.equal(mask.n, rows);
  // The loss is the mean over crops of each batch's loss, weighted by the batch's rows.
  const batchLoss = (from: number, to: number) => {
    const p = tf.tensor4d(probs.subarray(from * 64, to * 64), [to - from, 8, 8, 1]);
    const t = tf.tensor4d(masks.subarray(from * 64, to * 64), [to - from, 8, 8, 1]);
    const v = loss(p, t).dataSync()[0];
    tf.dispose([p, t]);
    return v * (to - from);
  };
  const expected = (batchLoss(0, 2) + batchLoss(2, 4) + batchLoss(4, 5)) / rows;
  assert.ok(Math.abs(result.loss - expected) < 1e-6, `${result.loss} vs ${expected}`);
  model.dispose();
});

Deno.test("foregroundProbability reads channel 1 of a softmax output and checks shapes", () => {
  const two = tf.tensor4d([0.2, 0.8, 0.9, 0.1], [1, 1, 2, 2]);
  const fg = foregroundProbability(two);
  assert.deepEqual(Array.from(fg.dataSync()), [0.800000011920929, 0.10000000149011612]);
  assert.throws(() => foregroundProbability(tf.zeros([1, 2, 2, 3])), /\[B, H, W, 1 or 2\]/);
  tf.dispose([two, fg]);
});
