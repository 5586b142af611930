import * as tf from "@tensorflow/tfjs";
import { assertNoTensorLeaks, initBackend, Rng } from "../../../lib/runtime/mod.ts";
import { assertAllClose } from "../../_support/assert_close.ts";

/** Pool shapes: the U-Net stem's 3x3/2 "same", "valid", even windows, odd sizes, ties. */
const CASES: {
  x: [number, number, number, number];
  size: number | [number, number];
  strides: number | [number, number];
  pad: "same" | "valid" | number;
  ties?: boolean;
}[] = [
  { x: [2, 16, 16, 5], size: 3, strides: 2, pad: "same" },
  { x: [2, 15, 13, 3], size: 3, strides: 2, pad: "same" },
  { x: [1, 9, 10, 2], size: 2, strides: 2, pad: "valid" },
  { x: [2, 8, 8, 4], size: [3, 2], strides: [1, 2], pad: "valid" },
  { x: [1, 7, 7, 3], size: 3, strides: 1, pad: 1 },
  // Rounded values: many equal maxima, where the first in scan order must win.
  { x: [2, 10, 10, 3], size: 3, strides: 2, pad: "same", ties: true },
];

async function poolGradient(c: (typeof CASES)[number], seed: number): Promise<Float32Array> {
  const rng = new Rng(seed);
  const size = c.x.reduce((a, b) => a * b, 1);
  const values = Float32Array.from({ length: size }, () => {
    const v = rng.normal();
    return c.ties ? Math.round(v) : v;
  });
  const x = tf.tensor4d(values, c.x);
  const outShape = tf.tidy(() => tf.maxPool(x, c.size, c.strides, c.pad).shape);
  const r = tf.tensor(
    Float32Array.from({ length: outShape.reduce((a, b) => a * b, 1) }, () => rng.normal()),
    outShape,
  );
  const dx = tf.grad((v: tf.Tensor) =>
    tf.maxPool(v as tf.Tensor4D, c.size, c.strides, c.pad).mul(r).sum()
  )(x);
  const out = (await dx.data()) as Float32Array;
  tf.dispose([x, r, dx]);
  return out;
}

for (const [i, c] of CASES.entries()) {
  const label = `x ${c.x} size ${c.size} strides ${c.strides} pad ${c.pad}${c.ties ? " ties" : ""}`;
  Deno.test(`wasm MaxPoolGrad equals cpu: ${label}`, async () => {
    await initBackend({ backend: "cpu" });
    const expected = await poolGradient(c, 50 + i);
    await initBackend({ backend: "wasm" });
    const got = await assertNoTensorLeaks(() => poolGradient(c, 50 + i), { label });
    assertAllClose(got, expected, { rtol: 1e-6, atol: 1e-6, label });
  });
}
