import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { assertNoTensorLeaks, initBackend } from "../../lib/runtime/mod.ts";
import { tileProbability } from "../../lib/segment/segment_image.ts";
import { assertAllClose } from "../_support/assert_close.ts";

/** A model that is not flip-equivariant: a 3x3 conv with fixed, asymmetric weights. */
function asymmetricModel(): tf.LayersModel {
  const input = tf.input({ shape: [6, 6, 1] });
  const conv = tf.layers.conv2d({
    filters: 1,
    kernelSize: 3,
    padding: "same",
    activation: "sigmoid",
    name: "mask",
    kernelInitializer: tf.initializers.constant({ value: 0 }),
  });
  const out = conv.apply(input) as tf.SymbolicTensor;
  const model = tf.model({ inputs: input, outputs: out });
  conv.setWeights([
    tf.tensor4d([1, 2, 0, -1, 0.5, 3, 0, -2, 1], [3, 3, 1, 1]),
    tf.tensor1d([0.1]),
  ]);
  return model;
}

Deno.test("tileProbability with flips is the mean of the 4 flipped-back predictions", async () => {
  await initBackend({ backend: "cpu" });
  const model = asymmetricModel();
  const tiles = tf.tensor4d(Array.from({ length: 2 * 36 }, (_, i) => ((i * 7) % 11) / 10 - 0.5), [
    2,
    6,
    6,
    1,
  ]);
  // The returned tensor is the caller's; tidy disposes it after reading.
  const averaged = await assertNoTensorLeaks(() =>
    Promise.resolve(tf.tidy(() => tileProbability(model, tiles, { flips: true }).arraySync()))
  );
  const flipped = tileProbability(model, tiles, { flips: true });
  const expected = tf.tidy(() => {
    const p = (x: tf.Tensor4D) => model.predict(x) as tf.Tensor4D;
    return p(tiles)
      .add(tf.reverse(p(tf.reverse(tiles, 2)), 2))
      .add(tf.reverse(p(tf.reverse(tiles, 1)), 1))
      .add(tf.reverse(p(tf.reverse(tiles, [1, 2])), [1, 2]))
      .div(4);
  });
  assertAllClose(flipped.dataSync(), expected.dataSync(), { rtol: 1e-6, atol: 1e-7 });
  assertAllClose(averaged.flat(3), expected.dataSync(), { rtol: 1e-6, atol: 1e-7 });
  // The model is not flip-equivariant, so the average differs from the plain prediction.
  const once = tileProbability(model, tiles);
  assert.notDeepEqual(Array.from(flipped.dataSync()), Array.from(once.dataSync()));
  once.dispose();
  tf.dispose([tiles, flipped, expected]);
  model.dispose();
});
