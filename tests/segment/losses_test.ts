/**
 * The segmentation losses against PyTorch goldens (values and autograd gradients, from
 * tests/segment/make_loss_goldens.py), exact small cases, shape errors and leaks.
 */
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import {
  binaryCrossEntropy,
  segmentationLoss,
  type SegmentationLossName,
  softDiceLoss,
  tverskyLoss,
} from "../../lib/segment/losses.ts";
import { assertNoTensorLeaks, initBackend } from "../../lib/runtime/mod.ts";
import { assertAllClose } from "../_support/assert_close.ts";

interface Golden {
  shape: [number, number, number];
  truth: number[];
  sigmoid: number[];
  softmax: number[];
  cases: {
    loss: SegmentationLossName;
    options: Record<string, number>;
    pred: "sigmoid" | "softmax";
    value: number;
    grad: number[];
  }[];
}

const GOLDEN: Golden = JSON.parse(
  await Deno.readTextFile(new URL("./fixtures/loss_goldens.json", import.meta.url)),
);

function inputs(pred: "sigmoid" | "softmax"): { p: tf.Tensor4D; t: tf.Tensor4D } {
  const [b, h, w] = GOLDEN.shape;
  const channels = pred === "sigmoid" ? 1 : 2;
  return {
    p: tf.tensor4d(GOLDEN[pred], [b, h, w, channels]),
    t: tf.tensor4d(GOLDEN.truth, [b, h, w, 1]),
  };
}

for (const backend of ["cpu", "wasm"] as const) {
  for (const c of GOLDEN.cases) {
    const label = `${c.loss} ${JSON.stringify(c.options)} on ${c.pred} probabilities (${backend})`;
    Deno.test(`${label}: value and gradient equal PyTorch's`, async () => {
      await initBackend({ backend });
      const { p, t } = inputs(c.pred);
      const loss = segmentationLoss(c.loss, c.options);
      const { value, grad } = await assertNoTensorLeaks(async () => {
        const { value, grad } = tf.valueAndGrad((x: tf.Tensor) => loss(x, t))(p);
        const out = { value: (await value.data())[0], grad: await grad.data() };
        tf.dispose([value, grad]);
        return out;
      }, { label });
      // float32 sums of 90-180 terms in a different order than PyTorch's: a few ulps.
      assertAllClose([value], [c.value], { rtol: 1e-5, atol: 1e-6, label: `${label} value` });
      assertAllClose(grad, c.grad, { rtol: 1e-4, atol: 1e-7, label: `${label} gradient` });
      tf.dispose([p, t]);
    });
  }
}

Deno.test("losses: exact answers on hand-made masks", async () => {
  await initBackend({ backend: "cpu" });
  const t = tf.tensor4d([1, 1, 0, 0, 0, 0, 0, 0], [2, 2, 2, 1]); // image 2 empty
  const p = tf.tensor4d([1, 0, 0, 0, 0, 0, 0, 0], [2, 2, 2, 1]); // image 2 empty too
  // Per image: image 1 Dice loss 1 - (2 + 1) / (1 + 2 + 1) = 0.25; image 2: 1 - 1/1 = 0.
  const image = { reduction: "image" as const };
  assert.equal(softDiceLoss(p, t, image).dataSync()[0], 0.125);
  // Over the batch (the default): the same sums, as image 2 adds nothing: 0.25.
  assert.equal(softDiceLoss(p, t).dataSync()[0], 0.25);
  // smooth 0 and a perfect image: loss 0 exactly.
  assert.equal(softDiceLoss(t.slice(0, 1), t.slice(0, 1), { smooth: 0 }).dataSync()[0], 0);
  // Tversky image 1: TP 1, FP 0, FN 1 -> 1 - (1 + 1) / (1 + 0.7 + 1) = 0.259259...
  const tv = tverskyLoss(p, t, { alpha: 0.3, beta: 0.7, ...image }).dataSync()[0];
  assert.ok(Math.abs(tv - (1 - 2 / 2.7) / 2) < 1e-7, `tversky ${tv}`);
  const tvBatch = tverskyLoss(p, t, { alpha: 0.3, beta: 0.7 }).dataSync()[0];
  assert.ok(Math.abs(tvBatch - (1 - 2 / 2.7)) < 1e-7, `tversky over the batch ${tvBatch}`);
  // BCE of a confident wrong pixel is clipped at -log(1e-7 in float32).
  const bce = binaryCrossEntropy(tf.tensor4d([0], [1, 1, 1, 1]), tf.tensor4d([1], [1, 1, 1, 1]));
  assert.ok(Math.abs(bce.dataSync()[0] - -Math.log(Math.fround(1e-7))) < 1e-5);
  // Two-channel softmax input reads channel 1 as the foreground.
  const two = tf.stack([tf.sub(1, p), p], 3).squeeze([4]) as tf.Tensor4D;
  assert.equal(softDiceLoss(two, t, image).dataSync()[0], 0.125);
  tf.dispose([t, p, two]);
});

Deno.test("losses: shape and option errors name the op", () => {
  const p = tf.zeros([1, 4, 4, 3]);
  const t = tf.zeros([1, 4, 4, 1]);
  assert.throws(
    () => softDiceLoss(p, t),
    (e: Error) =>
      e instanceof TypeError && /Error in softDiceLoss: pred must be \[B, H, W, 1 or 2\]/.test(
        e.message,
      ),
  );
  assert.throws(
    () => binaryCrossEntropy(tf.zeros([1, 4, 4, 1]), tf.zeros([1, 4, 5, 1])),
    /Error in binaryCrossEntropy: truth must be \[B, H, W, 1\] = \[1, 4, 4, 1\]/,
  );
  assert.throws(
    () => tverskyLoss(t, t, { alpha: -1 }),
    /Cannot compute tverskyLoss as alpha must be a finite number >= 0: current value is -1/,
  );
  assert.throws(
    () => segmentationLoss("focal" as SegmentationLossName),
    /Cannot make a segmentation loss as the name must be one of bce, dice/,
  );
  tf.dispose([p, t]);
});
