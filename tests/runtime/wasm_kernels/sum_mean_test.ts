import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { assertNoTensorLeaks, initBackend, Rng } from "../../../lib/runtime/mod.ts";
import { middleReduction } from "../../../lib/runtime/wasm_kernels/_reduce_axes.ts";
import { assertAllClose } from "../../_support/assert_close.ts";

/** Shapes and axes: leading and middle blocks (ours), innermost and split ones (tfjs-wasm's). */
const CASES: { shape: number[]; axis: number | number[] | null; keepDims: boolean }[] = [
  { shape: [4, 9, 7, 5], axis: [0, 1, 2], keepDims: false }, // a conv bias gradient
  { shape: [4, 9, 7, 5], axis: [1, 2], keepDims: false }, // global average pooling
  { shape: [4, 9, 7, 5], axis: [1, 2], keepDims: true },
  { shape: [4, 9, 7, 5], axis: [-3, -2], keepDims: false }, // negative axes
  { shape: [6, 3], axis: 0, keepDims: false }, // a dense bias gradient
  { shape: [2, 3, 4, 5, 6], axis: [2, 1], keepDims: true }, // unsorted
  { shape: [4, 9, 7, 5], axis: [3], keepDims: false }, // innermost: tfjs-wasm
  { shape: [4, 9, 7, 5], axis: [0, 2], keepDims: false }, // not contiguous: tfjs-wasm
  { shape: [4, 9, 7, 5], axis: [0, 1, 2, 3], keepDims: true }, // all: tfjs-wasm
  { shape: [0, 3], axis: 0, keepDims: false }, // empty
  { shape: [2, 4, 4, 3], axis: null, keepDims: false }, // every axis (tf.sum(x)): tfjs-wasm
];

async function reduce(op: "sum" | "mean", c: (typeof CASES)[number], seed: number) {
  const rng = new Rng(seed);
  const size = c.shape.reduce((a, b) => a * b, 1);
  const x = tf.tensor(Float32Array.from({ length: size }, () => rng.normal()), c.shape);
  const y = tf[op](x, c.axis ?? undefined, c.keepDims);
  const out = { shape: y.shape, values: (await y.data()) as Float32Array };
  tf.dispose([x, y]);
  return out;
}

for (const op of ["sum", "mean"] as const) {
  for (const [i, c] of CASES.entries()) {
    const label = `${op} of [${c.shape}] over ${JSON.stringify(c.axis)} keepDims ${c.keepDims}`;
    Deno.test(`wasm ${label} equals cpu`, async () => {
      await initBackend({ backend: "cpu" });
      const expected = await reduce(op, c, 10 + i);
      await initBackend({ backend: "wasm" });
      const got = await assertNoTensorLeaks(() => reduce(op, c, 10 + i), { label });
      assert.deepEqual(got.shape, expected.shape);
      assertAllClose(got.values, expected.values, { rtol: 1e-5, atol: 1e-5, label });
    });
  }
}

Deno.test("middleReduction takes only a contiguous block of axes with an axis after it", () => {
  assert.deepEqual(middleReduction([2, 3, 4, 5], [0, 1, 2], false), {
    outer: 1,
    mid: 24,
    inner: 5,
    outShape: [5],
  });
  assert.deepEqual(middleReduction([2, 3, 4, 5], [1, 2], true), {
    outer: 2,
    mid: 12,
    inner: 5,
    outShape: [2, 1, 1, 5],
  });
  assert.equal(middleReduction([2, 3, 4, 5], [3], false), null);
  assert.equal(middleReduction([2, 3, 4, 5], [0, 2], false), null);
  assert.equal(middleReduction([2, 3, 4, 1], [1, 2], false), null); // inner of 1: innermost
  assert.equal(middleReduction([2, 3, 4, 5], null, false), null); // every axis
});
