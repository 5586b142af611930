import * as tf from "@tensorflow/tfjs";
import assert from "node:assert/strict";
import { inputConv2d } from "../../lib/nn/input_conv2d.ts";
import { initBackend } from "../../lib/runtime/mod.ts";
import { assertAllClose } from "../_support/assert_close.ts";
import { reloadModel } from "../_support/reload_model.ts";

for (const [strides, padding] of [[1, "same"], [2, "same"], [2, "valid"]] as const) {
  Deno.test(`InputConv2D equals tf.layers.conv2d (stride ${strides}, ${padding}): output and kernel gradient`, async () => {
    await initBackend({ backend: "cpu" });
    const x = tf.randomNormal([2, 9, 10, 3], 0, 1, "float32", 5);
    const ours = inputConv2d({ filters: 4, kernelSize: 3, strides, padding });
    const theirs = tf.layers.conv2d({
      filters: 4,
      kernelSize: 3,
      strides,
      padding,
      useBias: false,
    });
    ours.build(x.shape);
    theirs.build(x.shape);
    theirs.setWeights(ours.getWeights());
    const yOurs = ours.apply(x) as tf.Tensor, yTheirs = theirs.apply(x) as tf.Tensor;
    assert.deepEqual(yOurs.shape, yTheirs.shape);
    assert.deepEqual(ours.computeOutputShape(x.shape), yOurs.shape);
    assertAllClose(await yOurs.data(), await yTheirs.data(), { rtol: 1e-6, atol: 1e-6 });
    const gradOf = (layer: tf.layers.Layer) =>
      tf.variableGrads(
        () => tf.sum(tf.square(layer.apply(x) as tf.Tensor)) as tf.Scalar,
        layer.trainableWeights.map((v) => v.read() as tf.Variable),
      );
    const [g1, g2] = [gradOf(ours), gradOf(theirs)];
    assertAllClose(
      await Object.values(g1.grads)[0].data(),
      await Object.values(g2.grads)[0].data(),
      { rtol: 1e-5, atol: 1e-5 },
    );
    tf.dispose([
      x,
      yOurs,
      yTheirs,
      g1.value,
      g2.value,
      ...Object.values(g1.grads),
      ...Object.values(g2.grads),
    ]);
  });
}

Deno.test("a model with an InputConv2D survives a save/load round trip", async () => {
  await initBackend({ backend: "cpu" });
  const model = tf.sequential({
    layers: [
      inputConv2d({
        filters: 2,
        kernelSize: 3,
        strides: 2,
        padding: "same",
        inputShape: [6, 6, 1],
      }),
    ],
  });
  const loaded = await reloadModel(model);
  const x = tf.randomNormal([1, 6, 6, 1], 0, 1, "float32", 3);
  const [a, b] = [model.predict(x) as tf.Tensor, loaded.predict(x) as tf.Tensor];
  assert.deepEqual(await a.data(), await b.data());
  tf.dispose([x, a, b]);
  model.dispose();
  loaded.dispose();
});
