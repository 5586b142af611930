import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { assertNoTensorLeaks, initBackend, Rng } from "../../../lib/runtime/mod.ts";
import { assertAllClose } from "../../_support/assert_close.ts";

interface Case {
  x: [number, number, number, number]; // [B, H, W, Cin]
  filter: [number, number, number, number]; // [KH, KW, Cin, Cout]
  strides: number | [number, number];
  pad: "same" | "valid" | number | [[0, 0], [number, number], [number, number], [0, 0]];
}

const CASES: Case[] = [
  { x: [2, 9, 11, 3], filter: [3, 3, 3, 4], strides: 1, pad: "same" },
  { x: [2, 9, 11, 3], filter: [3, 3, 3, 4], strides: 1, pad: "valid" },
  { x: [1, 16, 16, 1], filter: [5, 5, 1, 8], strides: 1, pad: "same" },
  { x: [3, 13, 10, 2], filter: [3, 3, 2, 5], strides: 2, pad: "same" },
  { x: [3, 13, 10, 2], filter: [3, 2, 2, 5], strides: [2, 3], pad: "valid" },
  { x: [2, 8, 8, 4], filter: [1, 1, 4, 6], strides: 1, pad: "valid" },
  { x: [2, 12, 12, 3], filter: [4, 4, 3, 2], strides: 2, pad: "same" }, // even kernel
  { x: [1, 10, 7, 2], filter: [3, 3, 2, 3], strides: 1, pad: 2 },
  { x: [2, 7, 9, 2], filter: [3, 3, 2, 3], strides: [1, 2], pad: [[0, 0], [1, 2], [0, 1], [0, 0]] },
  { x: [4, 32, 32, 16], filter: [3, 3, 16, 32], strides: 1, pad: "same" },
];

/** dL/dW of sum(conv2d(x, w) * r) for a fixed random r: exercises Conv2DBackpropFilter. */
async function filterGradient(c: Case, seed: number): Promise<Float32Array> {
  const rng = new Rng(seed);
  const values = (shape: number[]) =>
    Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => rng.normal());
  const x = tf.tensor4d(values(c.x), c.x);
  const w = tf.tensor4d(values(c.filter), c.filter);
  const outShape = tf.tidy(() => tf.conv2d(x, w, c.strides, c.pad).shape);
  const r = tf.tensor(values(outShape), outShape);
  const grad = tf.grad((filter: tf.Tensor) =>
    tf.conv2d(x, filter as tf.Tensor4D, c.strides, c.pad).mul(r).sum()
  )(w);
  const out = (await grad.data()) as Float32Array;
  tf.dispose([x, w, r, grad]);
  return out;
}

for (const [i, c] of CASES.entries()) {
  const label = `x ${c.x} filter ${c.filter} strides ${c.strides} pad ${JSON.stringify(c.pad)}`;
  Deno.test(`wasm Conv2DBackpropFilter equals cpu: ${label}`, async () => {
    await initBackend({ backend: "cpu" });
    const expected = await filterGradient(c, 100 + i);
    await initBackend({ backend: "wasm" });
    const got = await assertNoTensorLeaks(() => filterGradient(c, 100 + i), { label });
    // Sums over B·OH·OW terms of unit normals: scale atol with sqrt(terms).
    const terms = expected.length > 0 ? c.x[0] * c.x[1] * c.x[2] : 1;
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
