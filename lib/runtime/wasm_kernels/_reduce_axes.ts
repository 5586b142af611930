/**
 * Reductions over a block of neighbouring axes that keeps some axis after it (a bias
 * gradient sums [B, H, W, C] over B, H, W; global average pooling averages over H, W),
 * done as one pass over the wasm heap. tfjs-wasm's Sum and Mean first transpose the
 * reduced axes innermost with its Transpose, which moves one value at a time (0.36 s of a
 * 4.8 s conv-net train step went to one bias gradient's Sum).
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import type { WasmBackend, WasmKernelArgs } from "./_wasm_ops.ts";

/** x viewed as [outer, mid, inner], reduced over mid; outShape keeps keepDims in mind. */
export interface MiddleReduction {
  outer: number;
  mid: number;
  inner: number;
  outShape: number[];
}

/**
 * The [outer, mid, inner] view when `axis` names one contiguous block of axes with at
 * least one axis after it (inner > 1), or null when the reduction is another kind (the
 * wasm kernel handles innermost reductions without a transpose).
 */
export function middleReduction(
  shape: readonly number[],
  axis: number | number[] | null | undefined,
  keepDims: boolean,
): MiddleReduction | null {
  if (axis === null || axis === undefined) return null; // every axis: innermost
  const rank = shape.length;
  const axes = [
    ...new Set((Array.isArray(axis) ? axis : [axis]).map((a) => (a < 0 ? a + rank : a))),
  ]
    .sort((a, b) => a - b);
  // Empty tensors keep tfjs's own conventions (its Mean of nothing is 0).
  if (shape.includes(0) || axes.length === 0 || axes[0] < 0 || axes[axes.length - 1] >= rank) {
    return null;
  }
  for (let i = 1; i < axes.length; i++) if (axes[i] !== axes[i - 1] + 1) return null;
  const first = axes[0], last = axes[axes.length - 1];
  if (last === rank - 1) return null;
  const size = (from: number, to: number) => shape.slice(from, to).reduce((a, b) => a * b, 1);
  const inner = size(last + 1, rank);
  if (inner <= 1) return null;
  const outShape = keepDims
    ? shape.map((d, i) => (i >= first && i <= last ? 1 : d))
    : shape.filter((_, i) => i < first || i > last);
  return { outer: size(0, first), mid: size(first, last + 1), inner, outShape };
}

/**
 * out[o, i] = scale · sum_m x[o, m, i] for float32 x, accumulated in float64 (one
 * accumulator per output value of the current o).
 */
export function reduceMiddle(
  backend: WasmBackend,
  x: tf.TensorInfo,
  plan: MiddleReduction,
  scale: number,
): tf.TensorInfo {
  const { outer, mid, inner } = plan;
  const out = backend.makeOutput(plan.outShape, "float32");
  const src = backend.typedArrayFromHeap(x);
  const dst = backend.typedArrayFromHeap(out);
  const acc = new Float64Array(inner);
  for (let o = 0; o < outer; o++) {
    acc.fill(0);
    let at = o * mid * inner;
    for (let m = 0; m < mid; m++, at += inner) {
      for (let i = 0; i < inner; i++) acc[i] += src[at + i];
    }
    for (let i = 0; i < inner; i++) dst[o * inner + i] = acc[i] * scale;
  }
  return out;
}

/**
 * A Sum- or Mean-like kernel: reductions {@linkcode middleReduction} accepts are done by
 * {@linkcode reduceMiddle} scaled by `scaleOf(plan)`, all others by `original`.
 */
export function middleReductionKernel(
  scaleOf: (plan: MiddleReduction) => number,
): (original: tf.KernelFunc) => tf.KernelFunc {
  return (original) =>
    ((args: WasmKernelArgs) => {
      const { x } = args.inputs as { x: tf.TensorInfo };
      const { axis, keepDims } = args.attrs as unknown as {
        axis: number | number[] | null;
        keepDims: boolean;
      };
      const plan = x.dtype === "float32" ? middleReduction(x.shape, axis, keepDims) : null;
      if (plan === null) return original(args as unknown as Parameters<tf.KernelFunc>[0]);
      return reduceMiddle(args.backend as WasmBackend, x, plan, scaleOf(plan));
    }) as unknown as tf.KernelFunc;
}
