/**
 * A faster `Conv2DBackpropInput` (the input gradient of conv2d, also conv2dTranspose) for
 * tfjs's wasm backend. Its own kernel is a direct loop that runs about 8x slower than the
 * forward convolution (measured: 6.8 s vs 0.86 s for [16, 256, 256, 32] with 3x3x32x32).
 *
 * The input gradient is a full correlation of the stride-spread output gradient with the
 * filter rotated by 180 degrees and its channels swapped:
 *
 *   dX[b, y, x, c] = sum_{i, j, o} S[b, y + top - i, x + left - j, o] · W[i, j, c, o]
 *                  = valid-conv2d(pad(S), flip(W))[b, y, x, c]
 *
 * where S is dY spread by the strides (dY at rows 0, s, 2s, ...). That is one forward
 * Conv2D, which the wasm backend runs through XNNPACK.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import {
  flipFilter,
  Scratch,
  spreadByStride,
  type WasmBackend,
  type WasmKernelArgs,
} from "./_wasm_ops.ts";

interface _Attrs {
  strides: number | [number, number];
  pad: "valid" | "same" | number | tf.backend_util.ExplicitPadding;
  dataFormat: "NHWC" | "NCHW";
  dimRoundingMode?: "floor" | "round" | "ceil";
  inputShape: [number, number, number, number];
}

/** The kernel function registered for ("Conv2DBackpropInput", "wasm"). */
export function conv2dBackpropInputWasm(
  args: WasmKernelArgs,
): tf.TensorInfo {
  const backend = args.backend as WasmBackend;
  const { dy, filter } = args.inputs as { dy: tf.TensorInfo; filter: tf.TensorInfo };
  const attrs = args.attrs as unknown as _Attrs;
  if (attrs.dataFormat === "NCHW") {
    throw new Error(
      "Cannot compute Conv2DBackpropInput on wasm as only NHWC is supported: current value is NCHW",
    );
  }
  const info = tf.backend_util.computeConv2DInfo(
    attrs.inputShape,
    filter.shape as [number, number, number, number],
    attrs.strides,
    1,
    attrs.pad,
    attrs.dimRoundingMode,
  );
  const { inHeight: h, inWidth: w, filterHeight: kh, filterWidth: kw } = info;
  const { strideHeight: sh, strideWidth: sw } = info;
  const { top, left } = info.padInfo;
  const scratch = new Scratch(backend);
  try {
    let spread = spreadByStride(scratch, dy, sh, sw); // [B, OH·sh, OW·sw, Cout]
    // Pad so that a valid correlation with a KH x KW filter yields exactly H x W rows:
    // before = KH-1-top, after = H + KH - 1 - before - spreadH (negative means crop).
    let [, sH, sW] = spread.shape;
    let padTop = kh - 1 - top, padLeft = kw - 1 - left;
    let padBottom = h + kh - 1 - padTop - sH, padRight = w + kw - 1 - padLeft - sW;
    if (padTop < 0 || padLeft < 0 || padBottom < 0 || padRight < 0) {
      const cropTop = Math.max(0, -padTop), cropLeft = Math.max(0, -padLeft);
      const keepH = sH - cropTop - Math.max(0, -padBottom);
      const keepW = sW - cropLeft - Math.max(0, -padRight);
      spread = scratch.run("Slice", { x: spread }, {
        begin: [0, cropTop, cropLeft, 0],
        size: [spread.shape[0], keepH, keepW, spread.shape[3]],
      });
      [, sH, sW] = spread.shape;
      padTop = Math.max(0, padTop);
      padLeft = Math.max(0, padLeft);
      padBottom = h + kh - 1 - padTop - sH;
      padRight = w + kw - 1 - padLeft - sW;
    }
    const flipped = scratch.keep(flipFilter(backend, filter)); // [KH, KW, Cout, Cin]
    const conv = tf.getKernel("Conv2D", "wasm")!;
    return conv.kernelFunc({
      inputs: { x: spread, filter: flipped },
      backend,
      attrs: {
        strides: [1, 1],
        pad: [[0, 0], [padTop, padBottom], [padLeft, padRight], [0, 0]],
        dataFormat: "NHWC",
        dilations: [1, 1],
        dimRoundingMode: undefined,
      } as unknown as tf.NamedAttrMap,
    }) as tf.TensorInfo;
  } finally {
    scratch.dispose();
  }
}

/** Kernel config for tf.registerKernel (replaces tfjs-wasm's slower kernel). */
export const conv2dBackpropInputWasmConfig: tf.KernelConfig = {
  kernelName: "Conv2DBackpropInput",
  backendName: "wasm",
  kernelFunc: conv2dBackpropInputWasm as unknown as tf.KernelFunc,
};
