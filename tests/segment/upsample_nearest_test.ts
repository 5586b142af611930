/**
 * upsampleNearest2x: values equal resizeNearestNeighbor's, the gradient equals the exact
 * 2x2 block sums on cpu and wasm, and the layer survives save/load.
 */
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { upsampleNearest2x, upsampleNearest2xLayer } from "../../lib/segment/upsample_nearest.ts";
import { assertNoTensorLeaks, initBackend, Rng } from "../../lib/runtime/mod.ts";
import { assertAllClose } from "../_support/assert_close.ts";
import { reloadModel } from "../_support/reload_model.ts";

const SHAPE: [number, number, number, number] = [3, 5, 4, 2]; // [B, H, W, C]

function fixedInputs(): { x: tf.Tensor4D; dy: tf.Tensor4D } {
  const rng = new Rng(11);
  const [b, h, w, c] = SHAPE;
  const values = (n: number) => Float32Array.from({ length: n }, () => rng.normal());
  return {
    x: tf.tensor4d(values(b * h * w * c), SHAPE),
    dy: tf.tensor4d(values(b * 4 * h * w * c), [b, 2 * h, 2 * w, c]),
  };
}

/** dx[b, i, j, c] = sum of dy over the 2x2 block (2i..2i+1, 2j..2j+1), in float64. */
function blockSums(dy: Float32Array): Float64Array {
  const [b, h, w, c] = SHAPE;
  const out = new Float64Array(b * h * w * c);
  for (let n = 0; n < b; n++) {
    for (let i = 0; i < 2 * h; i++) {
      for (let j = 0; j < 2 * w; j++) {
        for (let k = 0; k < c; k++) {
          const from = ((n * 2 * h + i) * 2 * w + j) * c + k;
          out[((n * h + (i >> 1)) * w + (j >> 1)) * c + k] += dy[from];
        }
      }
    }
  }
  return out;
}

for (const backend of ["cpu", "wasm"] as const) {
  Deno.test(`upsampleNearest2x: values and gradient (${backend})`, async () => {
    await initBackend({ backend });
    const { x, dy } = fixedInputs();
    await assertNoTensorLeaks(async () => {
      const y = upsampleNearest2x(x);
      const expected = tf.image.resizeNearestNeighbor(x, [10, 8]);
      assert.deepEqual(Array.from(await y.data()), Array.from(await expected.data()));
      const grad = tf.grad((v: tf.Tensor) => upsampleNearest2x(v as tf.Tensor4D).mul(dy).sum())(x);
      assertAllClose(await grad.data(), blockSums(await dy.data() as Float32Array), {
        rtol: 1e-6,
        atol: 1e-6,
        label: `gradient on ${backend}`,
      });
      tf.dispose([y, expected, grad]);
    });
    tf.dispose([x, dy]);
  });
}

Deno.test("tfjs-cpu's own ResizeNearestNeighborGrad is still wrong for batch > 1", async () => {
  // The reason lib/segment/upsample_nearest.ts exists. If this fails, tfjs fixed the kernel
  // and the U-Net could go back to tf.layers.upSampling2d.
  await initBackend({ backend: "cpu" });
  const { x, dy } = fixedInputs();
  const grad = tf.grad((v: tf.Tensor) =>
    tf.image.resizeNearestNeighbor(v as tf.Tensor4D, [10, 8]).mul(dy).sum()
  )(x);
  const got = (await grad.data()) as Float32Array;
  const expected = blockSums((await dy.data()) as Float32Array);
  const perImage = got.length / SHAPE[0];
  const worst = (from: number, to: number) =>
    got.slice(from, to).reduce((m, v, i) => Math.max(m, Math.abs(v - expected[from + i])), 0);
  assert.ok(worst(0, perImage) < 1e-5, "the first image is right");
  assert.ok(worst(perImage, got.length) > 0.1, "tfjs-cpu's ResizeNearestNeighborGrad now agrees");
  tf.dispose([x, dy, grad]);
});

Deno.test("upsampleNearest2x: the layer saves and loads", async () => {
  await initBackend({ backend: "cpu" });
  const input = tf.input({ shape: [3, 3, 2] });
  const output = upsampleNearest2xLayer({ name: "up" }).apply(input) as tf.SymbolicTensor;
  const model = tf.model({ inputs: input, outputs: output });
  const loaded = await reloadModel(model);
  assert.equal(loaded.getLayer("up").getClassName(), "UpsampleNearest2x");
  const x = tf.range(0, 18).reshape([1, 3, 3, 2]);
  const y = loaded.predict(x) as tf.Tensor;
  assert.deepEqual(y.shape, [1, 6, 6, 2]);
  assert.deepEqual(Array.from(y.dataSync().slice(0, 8)), [0, 1, 0, 1, 2, 3, 2, 3]);
  assert.throws(
    () => upsampleNearest2x(tf.zeros([2, 2]) as unknown as tf.Tensor4D),
    /must be \[B, H, W, C\]/,
  );
  tf.dispose([x, y]);
  model.dispose();
  loaded.dispose();
});
