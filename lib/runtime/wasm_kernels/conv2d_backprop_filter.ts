/**
 * `Conv2DBackpropFilter` for tfjs's wasm backend, which ships without it (so no conv net
 * could train on wasm at all).
 *
 * For a stride-s convolution with padding, the filter gradient is
 *
 *   dW[i, j, c, o] = sum_{b, y, x} Xp[b, y + i, x + j, c] · G[b, y, x, o]
 *
 * where Xp is the zero-padded input and G is dY spread onto Xp's grid (dY[b, oy, ox] at
 * y = oy·s, x = ox·s, zeros elsewhere). Flattening both over (b, y, x) into n rows turns
 * the shift (i, j) into a row offset i·Wp + j, so each kernel tap is one contiguous row
 * window of Xp (viewed in place, not gathered) and one matrix product:
 *
 *   dW[i, j]^T = G^T [Cout, n] · Xp[off .. off + n) [n, Cin]
 *
 * G^T is formed once (one transpose of dY); every product then takes the wasm backend's
 * fast non-transposed BatchMatMul path (its transposeA path is several times slower).
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import { aliasRows, releaseAlias, Scratch, spreadByStride, type WasmBackend } from "./_wasm_ops.ts";

interface _Attrs {
  strides: number | [number, number];
  pad: "valid" | "same" | number | tf.backend_util.ExplicitPadding;
  dataFormat: "NHWC" | "NCHW";
  dimRoundingMode?: "floor" | "round" | "ceil";
  filterShape: [number, number, number, number];
}

/** The kernel function registered for ("Conv2DBackpropFilter", "wasm"). */
export function conv2dBackpropFilterWasm(
  args: { inputs: tf.NamedTensorInfoMap; backend: unknown; attrs?: tf.NamedAttrMap },
): tf.TensorInfo {
  const backend = args.backend as WasmBackend;
  const { x, dy } = args.inputs as { x: tf.TensorInfo; dy: tf.TensorInfo };
  const attrs = args.attrs as unknown as _Attrs;
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
  );
  const { batchSize: b, inChannels: cin, outChannels: cout, inHeight: h, inWidth: w } = info;
  const { filterHeight: kh, filterWidth: kw, strideHeight: sh, strideWidth: sw } = info;
  const { outHeight: oh, outWidth: ow } = info;
  const { top, left } = info.padInfo;
  // The padded grid must hold every sampled position, (oh-1)·sh + kh - 1 at most.
  const hp = Math.max(h + top, (oh - 1) * sh + kh);
  const wp = Math.max(w + left, (ow - 1) * sw + kw);
  const n = b * hp * wp;
  const scratch = new Scratch(backend);
  try {
    // Xp: [B+1, Hp, Wp, Cin] -> [n + Hp·Wp, Cin]. Padding beyond the input is zeros; the
    // extra all-zero image keeps every shifted row window inside the buffer.
    const xp = scratch.run("PadV2", { x }, {
      paddings: [[0, 1], [top, hp - h - top], [left, wp - w - left], [0, 0]],
      constantValue: 0,
    });
    const xFlat = scratch.run("Reshape", { x: xp }, { shape: [n + hp * wp, cin] });

    if (cin <= _STACKED_TAPS_MAX_CIN && cin * kh * kw * n * 4 <= _STACKED_TAPS_BYTES) {
      return _stackedTaps(scratch, dy, xFlat, { kh, kw, wp, hp, sh, sw, cin, cout, b, n });
    }
    // G^T: dY [B, OH, OW, Cout] -> [Cout, B, OH, OW] -> spread and padded -> [1, Cout, n].
    const dyT = scratch.run("Transpose", { x: dy }, { perm: [3, 0, 1, 2] });
    const planes = scratch.run("Reshape", { x: dyT }, { shape: [cout * b, oh, ow, 1] });
    let spread = spreadByStride(scratch, planes, sh, sw); // [Cout·B, OH·sh, OW·sw, 1]
    const [, spreadH, spreadW] = spread.shape;
    if (spreadH > hp || spreadW > wp) {
      // Stride larger than the kernel: rows past the last sample are zeros; drop them.
      spread = scratch.run("Slice", { x: spread }, {
        begin: [0, 0, 0, 0],
        size: [cout * b, Math.min(spreadH, hp), Math.min(spreadW, wp), 1],
      });
    }
    const grid = scratch.run("PadV2", { x: spread }, {
      paddings: [[0, 0], [0, hp - spread.shape[1]], [0, wp - spread.shape[2]], [0, 0]],
      constantValue: 0,
    });
    const gT = scratch.run("Reshape", { x: grid }, { shape: [1, cout, n] });

    const parts: tf.TensorInfo[] = [];
    for (let i = 0; i < kh; i++) {
      for (let j = 0; j < kw; j++) {
        // Rows off .. off + n of Xp, viewed in place: no copy.
        const window = aliasRows(backend, xFlat, i * wp + j, n); // [1, n, Cin]
        try {
          // [1, Cout, Cin] = G^T · window
          parts.push(scratch.run("BatchMatMul", { a: gT, b: window }, {
            transposeA: false,
            transposeB: false,
          }));
        } finally {
          releaseAlias(backend, window);
        }
      }
    }
    const stacked = parts.length === 1 ? parts[0] : scratch.run("Concat", parts, { axis: 0 });
    const swapped = scratch.run("Transpose", { x: stacked }, { perm: [0, 2, 1] });
    return _reshapeOut(backend, swapped, [kh, kw, cin, cout]);
  } finally {
    scratch.dispose();
  }
}

/**
 * The path for few input channels (the stem convolution on 1-channel spectrograms): all
 * KH·KW·Cin shifted rows of channel-major Xp stacked into A [KH·KW·Cin, n] (one memcpy
 * each), then one product dW = A · G with G = dY spread on Xp's grid in its natural
 * [n, Cout] layout, so dY is never transposed. Used when A fits in _STACKED_TAPS_BYTES.
 */
function _stackedTaps(
  scratch: Scratch,
  dy: tf.TensorInfo,
  xFlat: tf.TensorInfo,
  d: {
    kh: number;
    kw: number;
    wp: number;
    hp: number;
    sh: number;
    sw: number;
    cin: number;
    cout: number;
    b: number;
    n: number;
  },
): tf.TensorInfo {
  const backend = scratch.backend;
  // Channel-major Xp: [Cin, rows]; for Cin = 1 the layout is already channel-major.
  const rows = xFlat.shape[0];
  const xT = d.cin === 1 ? xFlat : scratch.run("Transpose", { x: xFlat }, { perm: [1, 0] }); // [Cin, rows]
  const taps = d.kh * d.kw * d.cin;
  const a = scratch.keep(backend.makeOutput([1, taps, d.n], "float32"));
  const src = backend.typedArrayFromHeap(xT);
  const dst = backend.typedArrayFromHeap(a);
  for (let i = 0; i < d.kh; i++) {
    for (let j = 0; j < d.kw; j++) {
      const off = i * d.wp + j;
      for (let c = 0; c < d.cin; c++) {
        const row = (i * d.kw + j) * d.cin + c; // [KH, KW, Cin] order
        const start = c * rows + off;
        dst.set(src.subarray(start, start + d.n), row * d.n);
      }
    }
  }
  // G: dY spread by the strides, padded to Xp's grid: [B, Hp, Wp, Cout] -> [1, n, Cout].
  let spread = spreadByStride(scratch, dy, d.sh, d.sw);
  if (spread.shape[1] > d.hp || spread.shape[2] > d.wp) {
    spread = scratch.run("Slice", { x: spread }, {
      begin: [0, 0, 0, 0],
      size: [d.b, Math.min(spread.shape[1], d.hp), Math.min(spread.shape[2], d.wp), d.cout],
    });
  }
  const grid = scratch.run("PadV2", { x: spread }, {
    paddings: [[0, 0], [0, d.hp - spread.shape[1]], [0, d.wp - spread.shape[2]], [0, 0]],
    constantValue: 0,
  });
  const g = scratch.run("Reshape", { x: grid }, { shape: [1, d.n, d.cout] });
  const product = scratch.run("BatchMatMul", { a, b: g }, { transposeA: false, transposeB: false });
  return _reshapeOut(backend, product, [d.kh, d.kw, d.cin, d.cout]);
}

/**
 * Stacked taps pay a transpose of Xp per call; with many input channels that costs more
 * than the per-tap products save, so only few-channel inputs (spectrogram stems) use it.
 */
const _STACKED_TAPS_MAX_CIN = 4;

/** Largest stacked-taps matrix (bytes) before falling back to per-tap products. */
const _STACKED_TAPS_BYTES = 256 * 1024 * 1024;

/** Reshape shares the buffer (ref-counted), so the result outlives the scratch dispose. */
function _reshapeOut(backend: WasmBackend, x: tf.TensorInfo, shape: number[]): tf.TensorInfo {
  const kernel = tf.getKernel("Reshape", "wasm")!;
  return kernel.kernelFunc({ inputs: { x }, backend, attrs: { shape } }) as tf.TensorInfo;
}

/** Kernel config for tf.registerKernel. */
export const conv2dBackpropFilterWasmConfig: tf.KernelConfig = {
  kernelName: "Conv2DBackpropFilter",
  backendName: "wasm",
  kernelFunc: conv2dBackpropFilterWasm as unknown as tf.KernelFunc,
};
