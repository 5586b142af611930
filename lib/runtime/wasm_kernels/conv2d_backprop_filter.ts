/**
 * `Conv2DBackpropFilter` for tfjs's wasm backend, which ships without it (so no conv net
 * could train on wasm). Built from the backend's own fast kernels, never JS loops:
 *
 *   dW[kh, kw, :, :] = X(kh, kw)^T · dY
 *
 * where X(kh, kw) is the padded input sampled at the kernel offset (kh, kw) with the
 * conv's strides ([B·OH·OW, Cin], one strided slice) and dY is the output gradient
 * reshaped to [B·OH·OW, Cout]. That is the im2col product split into KH·KW slices, so
 * peak extra memory is one [B·OH·OW, Cin] slice rather than the whole im2col matrix.
 * Each product runs in the wasm backend's BatchMatMul (XNNPACK-style SIMD kernels).
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";

type _Backend = tf.KernelBackend & { disposeData(dataId: object): boolean };
type _Attrs = Record<string, unknown>;

function _run(
  name: string,
  backend: _Backend,
  inputs: Record<string, tf.TensorInfo | tf.TensorInfo[]>,
  attrs: _Attrs,
): tf.TensorInfo {
  const kernel = tf.getKernel(name, "wasm");
  if (kernel === undefined) {
    throw new Error(`Cannot compute Conv2DBackpropFilter on wasm as its ${name} kernel is missing`);
  }
  return kernel.kernelFunc({
    inputs: inputs as tf.NamedTensorInfoMap,
    backend,
    attrs: attrs as tf.NamedAttrMap,
  }) as tf.TensorInfo;
}

/** The kernel function registered for ("Conv2DBackpropFilter", "wasm"). */
export function conv2dBackpropFilterWasm(
  args: { inputs: tf.NamedTensorInfoMap; backend: unknown; attrs?: tf.NamedAttrMap },
): tf.TensorInfo {
  const backend = args.backend as _Backend;
  const { x, dy } = args.inputs as { x: tf.TensorInfo; dy: tf.TensorInfo };
  const attrs = (args.attrs ?? {}) as {
    strides: number | [number, number];
    pad: "valid" | "same" | number | tf.backend_util.ExplicitPadding;
    dataFormat: "NHWC" | "NCHW";
    dimRoundingMode?: "floor" | "round" | "ceil";
    filterShape: [number, number, number, number];
  };
  if (attrs.dataFormat === "NCHW") {
    throw new Error(
      "Cannot compute Conv2DBackpropFilter on wasm as only NHWC is supported: current value is NCHW",
    );
  }
  const info = tf.backend_util.computeConv2DInfo(
    x.shape as [number, number, number, number],
    attrs.filterShape,
    attrs.strides,
    1,
    attrs.pad,
    attrs.dimRoundingMode,
    false,
    "channelsLast",
  );
  const { batchSize: B, inChannels: cin, outChannels: cout } = info;
  const { filterHeight: kh, filterWidth: kw, strideHeight: sh, strideWidth: sw } = info;
  const { outHeight: oh, outWidth: ow, inHeight: h, inWidth: w } = info;
  const { top, left } = info.padInfo;
  const temps: tf.TensorInfo[] = [];
  const keep = (t: tf.TensorInfo) => (temps.push(t), t);
  try {
    // Pad so that every sampled position exists: rows top .. (oh-1)*sh + kh - 1.
    const bottom = Math.max(0, (oh - 1) * sh + kh - (h + top));
    const right = Math.max(0, (ow - 1) * sw + kw - (w + left));
    const padded = top || left || bottom || right
      ? keep(_run("PadV2", backend, { x }, {
        paddings: [[0, 0], [top, bottom], [left, right], [0, 0]],
        constantValue: 0,
      }))
      : x;
    const n = B * oh * ow;
    const dy3 = keep(_run("Reshape", backend, { x: dy }, { shape: [1, n, cout] }));
    const parts: tf.TensorInfo[] = [];
    for (let i = 0; i < kh; i++) {
      for (let j = 0; j < kw; j++) {
        // [B, OH, OW, Cin]: input rows i, i+sh, ... and columns j, j+sw, ...
        const sampled = keep(_run("StridedSlice", backend, { x: padded }, {
          begin: [0, i, j, 0],
          end: [B, i + (oh - 1) * sh + 1, j + (ow - 1) * sw + 1, cin],
          strides: [1, sh, sw, 1],
          beginMask: 0,
          endMask: 0,
          ellipsisMask: 0,
          newAxisMask: 0,
          shrinkAxisMask: 0,
        }));
        const cols = keep(_run("Reshape", backend, { x: sampled }, { shape: [1, n, cin] }));
        // [1, Cin, Cout] = cols^T · dY
        parts.push(keep(_run("BatchMatMul", backend, { a: cols, b: dy3 }, {
          transposeA: true,
          transposeB: false,
        })));
      }
    }
    const stacked = parts.length === 1
      ? parts[0]
      : keep(_run("Concat", backend, parts as unknown as Record<string, tf.TensorInfo>, {
        axis: 0,
      }));
    return _run("Reshape", backend, { x: stacked }, { shape: [kh, kw, cin, cout] });
  } finally {
    // Reshape on wasm shares the data buffer (ref-counted); disposeData drops our refs.
    for (const t of temps) backend.disposeData(t.dataId);
  }
}

/** Kernel config for tf.registerKernel. */
export const conv2dBackpropFilterWasmConfig: tf.KernelConfig = {
  kernelName: "Conv2DBackpropFilter",
  backendName: "wasm",
  kernelFunc: conv2dBackpropFilterWasm as unknown as tf.KernelFunc,
};
