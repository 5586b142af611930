import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { assertNoTensorLeaks, initBackend } from "../../../lib/runtime/mod.ts";
import { assertAllClose } from "../../_support/assert_close.ts";
import { caseLabel, CONV_CASES, convGradient } from "./_conv_cases.ts";

for (const [i, c] of CONV_CASES.entries()) {
  const label = caseLabel(c);
  Deno.test(`wasm Conv2DBackpropFilter equals cpu: ${label}`, async () => {
    await initBackend({ backend: "cpu" });
    const expected = await convGradient(c, 100 + i, "filter");
    await initBackend({ backend: "wasm" });
    const got = await assertNoTensorLeaks(() => convGradient(c, 100 + i, "filter"), { label });
    // Each value sums up to B·OH·OW (filter) or KH·KW·Cout (input) products of unit normals:
    // float32 rounding grows like sqrt(terms), so atol scales with it.
    const terms = c.x[0] * c.x[1] * c.x[2];
    assertAllClose(got, expected, { rtol: 1e-4, atol: 1e-5 * Math.sqrt(terms), label });
  });
}

Deno.test("wasm can now take a full train step of a small conv net", async () => {
  await initBackend({ backend: "wasm" });
  const model = tf.sequential({
    layers: [
      tf.layers.conv2d({ inputShape: [16, 16, 1], filters: 4, kernelSize: 3, padding: "same" }),
      tf.layers.averagePooling2d({ poolSize: 2 }),
      tf.layers.conv2d({ filters: 4, kernelSize: 3, strides: 2 }),
      tf.layers.flatten(),
      tf.layers.dense({ units: 2, activation: "softmax" }),
    ],
  });
  model.compile({ optimizer: tf.train.adam(1e-2), loss: "categoricalCrossentropy" });
  const x = tf.randomNormal([8, 16, 16, 1], 0, 1, "float32", 1);
  const y = tf.oneHot(tf.tensor1d([0, 1, 0, 1, 0, 1, 0, 1], "int32"), 2);
  const history = await model.fit(x, y, { epochs: 5, batchSize: 8, verbose: 0 });
  const losses = history.history.loss as number[];
  assert.ok(losses.every(Number.isFinite));
  assert.ok(losses[4] < losses[0], `loss did not fall: ${losses}`);
  tf.dispose([x, y]);
  model.dispose();
});
