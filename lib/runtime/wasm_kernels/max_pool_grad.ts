/**
 * `MaxPoolGrad` for tfjs's wasm backend: each output gradient goes to the first largest
 * input of its window (scan order rows then columns, padding excluded), as tfjs's cpu
 * backend does. One pass over the outputs with all channels of a position at once;
 * tfjs-wasm's own kernel took 48 ms for the U-Net's 3x3/2 stem pool at batch 8.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import type { WasmBackend, WasmKernelArgs } from "./_wasm_ops.ts";

interface _Attrs {
  filterSize: number | [number, number];
  strides: number | [number, number];
  pad: "valid" | "same" | number | tf.backend_util.ExplicitPadding;
  dimRoundingMode?: "floor" | "round" | "ceil";
}

/** The kernel function registered for ("MaxPoolGrad", "wasm"). */
export function maxPoolGradWasm(args: WasmKernelArgs): tf.TensorInfo {
  const backend = args.backend as WasmBackend;
  const { dy, input } = args.inputs as { dy: tf.TensorInfo; input: tf.TensorInfo };
  const attrs = args.attrs as unknown as _Attrs;
  const info = tf.backend_util.computePool2DInfo(
    input.shape as [number, number, number, number],
    attrs.filterSize,
    attrs.strides,
    1,
    attrs.pad,
    attrs.dimRoundingMode,
  );
  const { batchSize: b, inHeight: h, inWidth: w, inChannels: c } = info;
  const { outHeight: oh, outWidth: ow, strideHeight: sh, strideWidth: sw } = info;
  const { filterHeight: fh, filterWidth: fw } = info;
  const { top, left } = info.padInfo;
  const out = backend.makeOutput(input.shape, "float32");
  const x = backend.typedArrayFromHeap(input);
  const g = backend.typedArrayFromHeap(dy);
  const dx = backend.typedArrayFromHeap(out);
  dx.fill(0);
  const best = new Float32Array(c);
  const at = new Int32Array(c);
  for (let i = 0; i < b; i++) {
    for (let oy = 0; oy < oh; oy++) {
      const y0 = oy * sh - top;
      const yFrom = Math.max(0, y0), yTo = Math.min(h, y0 + fh);
      for (let ox = 0; ox < ow; ox++) {
        const x0 = ox * sw - left;
        const xFrom = Math.max(0, x0), xTo = Math.min(w, x0 + fw);
        best.fill(-Infinity);
        at.fill(-1);
        for (let y = yFrom; y < yTo; y++) {
          for (let xx = xFrom; xx < xTo; xx++) {
            const base = ((i * h + y) * w + xx) * c;
            for (let k = 0; k < c; k++) {
              const v = x[base + k];
              if (v > best[k]) {
                best[k] = v;
                at[k] = base + k;
              }
            }
          }
        }
        const from = ((i * oh + oy) * ow + ox) * c;
        for (let k = 0; k < c; k++) if (at[k] >= 0) dx[at[k]] += g[from + k];
      }
    }
  }
  return out;
}

/** Kernel config for tf.registerKernel (replaces tfjs-wasm's slower kernel). */
export const maxPoolGradWasmConfig: tf.KernelConfig = {
  kernelName: "MaxPoolGrad",
  backendName: "wasm",
  kernelFunc: maxPoolGradWasm as unknown as tf.KernelFunc,
};
