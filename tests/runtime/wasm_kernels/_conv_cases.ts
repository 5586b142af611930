/** Shared cases for the conv gradient kernels: shapes, strides and every padding form. */
import * as tf from "@tensorflow/tfjs";
import { Rng } from "../../../lib/runtime/mod.ts";

export interface ConvCase {
  x: [number, number, number, number]; // [B, H, W, Cin]
  filter: [number, number, number, number]; // [KH, KW, Cin, Cout]
  strides: number | [number, number];
  pad: "same" | "valid" | number | [[0, 0], [number, number], [number, number], [0, 0]];
}

export const CONV_CASES: ConvCase[] = [
  { x: [2, 9, 11, 3], filter: [3, 3, 3, 4], strides: 1, pad: "same" },
  { x: [2, 9, 11, 3], filter: [3, 3, 3, 4], strides: 1, pad: "valid" },
  { x: [1, 16, 16, 1], filter: [5, 5, 1, 8], strides: 1, pad: "same" },
  { x: [3, 13, 10, 2], filter: [3, 3, 2, 5], strides: 2, pad: "same" },
  { x: [3, 13, 10, 2], filter: [3, 2, 2, 5], strides: [2, 3], pad: "valid" },
  { x: [2, 8, 8, 4], filter: [1, 1, 4, 6], strides: 1, pad: "valid" },
  { x: [2, 12, 12, 3], filter: [4, 4, 3, 2], strides: 2, pad: "same" }, // even kernel
  { x: [1, 10, 7, 2], filter: [3, 3, 2, 3], strides: 1, pad: 2 },
  { x: [2, 7, 9, 2], filter: [3, 3, 2, 3], strides: [1, 2], pad: [[0, 0], [1, 2], [0, 1], [0, 0]] },
  { x: [2, 9, 9, 3], filter: [1, 1, 3, 4], strides: 2, pad: "valid" }, // stride > kernel
  { x: [2, 10, 9, 3], filter: [2, 2, 3, 4], strides: 3, pad: "same" }, // stride > kernel
  { x: [2, 11, 9, 8], filter: [3, 3, 8, 5], strides: 2, pad: "same" }, // per-tap path
  { x: [4, 32, 32, 16], filter: [3, 3, 16, 32], strides: 1, pad: "same" },
  // Many chunks of positions, with a short last one; a 7x7 stride-2 stem.
  { x: [4, 80, 90, 3], filter: [7, 7, 3, 16], strides: 2, pad: "same" },
  { x: [2, 70, 50, 5], filter: [3, 3, 5, 64], strides: 1, pad: "same" },
];

/**
 * Gradient of sum(conv2d(x, w) * r) for a fixed random r, with respect to the filter
 * ("filter": exercises Conv2DBackpropFilter) or the input ("input": Conv2DBackpropInput).
 */
export async function convGradient(
  c: ConvCase,
  seed: number,
  wrt: "filter" | "input",
): Promise<Float32Array> {
  const rng = new Rng(seed);
  const values = (shape: number[]) =>
    Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => rng.normal());
  const x = tf.tensor4d(values(c.x), c.x);
  const w = tf.tensor4d(values(c.filter), c.filter);
  const outShape = tf.tidy(() => tf.conv2d(x, w, c.strides, c.pad).shape);
  const r = tf.tensor(values(outShape), outShape);
  const grad = wrt === "filter"
    ? tf.grad((f: tf.Tensor) => tf.conv2d(x, f as tf.Tensor4D, c.strides, c.pad).mul(r).sum())(w)
    : tf.grad((v: tf.Tensor) => tf.conv2d(v as tf.Tensor4D, w, c.strides, c.pad).mul(r).sum())(x);
  const out = (await grad.data()) as Float32Array;
  tf.dispose([x, w, r, grad]);
  return out;
}

/** A readable test name for a case. */
export function caseLabel(c: ConvCase): string {
  return `x ${c.x} filter ${c.filter} strides ${c.strides} pad ${JSON.stringify(c.pad)}`;
}
