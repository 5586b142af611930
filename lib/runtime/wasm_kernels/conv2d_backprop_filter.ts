/**
 * `Conv2DBackpropFilter` for tfjs's wasm backend, which ships without it (so no conv net
 * could train on wasm at all).
 *
 * For a stride-s convolution with padding, the filter gradient is
 *
 *   dW[i, j, c, o] = sum_{b, y, x} Xp[b, y + i, x + j, c] · G[b, y, x, o]
 *
 * where Xp is the zero-padded input and G is dY spread onto Xp's grid (dY[b, oy, ox] at
 * y = oy·s, x = ox·s, zeros elsewhere). Flattening both over (b, y, x) into n positions
 * turns the shift (i, j) into an offset i·Wp + j, so with Xp stored channel-major
 * (XpT [Cin, rows]) each tap's rows are Cin contiguous runs of n values, and
 *
 *   dW[i, j] [Cin, Cout] = XpT[:, off .. off + n) [Cin, n] · G [n, Cout]
 *
 * Taps are stacked into A [taps·Cin, n] (memcpys) in groups that fit a byte budget, one
 * BatchMatMul per group. G is the same right-hand operand for every group, so the wasm
 * backend (XNNPACK) packs it once; an operand that changes per product (as a per-tap view
 * of Xp on the right did) is repacked every time, which cost more than the products. The
 * padding, transposes and spreading are single passes over the wasm heap here: tfjs-wasm's
 * PadV2 and Transpose move one value at a time (about 2.5 s for one 16x256x256x32 layer).
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import { Scratch, type WasmBackend, type WasmKernelArgs } from "./_wasm_ops.ts";

interface _Attrs {
  strides: number | [number, number];
  pad: "valid" | "same" | number | tf.backend_util.ExplicitPadding;
  dataFormat: "NHWC" | "NCHW";
  dimRoundingMode?: "floor" | "round" | "ceil";
  filterShape: [number, number, number, number];
}

/** The kernel function registered for ("Conv2DBackpropFilter", "wasm"). */
export function conv2dBackpropFilterWasm(
  args: WasmKernelArgs,
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
    // XpT: [Cin, rows], rows = (B + 1)·Hp·Wp; the extra all-zero image keeps every
    // shifted window inside the buffer.
    const xT = scratch.keep(_paddedChannelMajor(backend, x, { b, h, w, cin, hp, wp, top, left }));
    const rows = (b + 1) * hp * wp;
    const g = scratch.keep(_spreadGrid(backend, dy, { b, oh, ow, cout, hp, wp, sh, sw })); // [1, n, Cout]
    const taps = kh * kw;
    const perGroup = Math.max(1, Math.floor(_GROUP_BYTES / (4 * cin * n)));
    const parts: tf.TensorInfo[] = [];
    for (let t0 = 0; t0 < taps; t0 += perGroup) {
      const count = Math.min(perGroup, taps - t0);
      const a = scratch.keep(backend.makeOutput([1, count * cin, n], "float32"));
      // Views after makeOutput: allocation may have grown (and detached) the heap.
      const src = backend.typedArrayFromHeap(xT);
      const dst = backend.typedArrayFromHeap(a);
      for (let t = 0; t < count; t++) {
        const tap = t0 + t, off = Math.floor(tap / kw) * wp + (tap % kw);
        for (let c = 0; c < cin; c++) {
          const from = c * rows + off;
          dst.set(src.subarray(from, from + n), (t * cin + c) * n);
        }
      }
      // [1, count·Cin, Cout], rows in [KH, KW, Cin] order.
      parts.push(scratch.run("BatchMatMul", { a, b: g }, { transposeA: false, transposeB: false }));
      scratch.free(a);
    }
    const stacked = parts.length === 1 ? parts[0] : scratch.run("Concat", parts, { axis: 1 });
    return _reshapeOut(backend, stacked, [kh, kw, cin, cout]);
  } finally {
    scratch.dispose();
  }
}

/**
 * XpT [Cin, (B + 1)·Hp·Wp]: x zero-padded (at rows top.., columns left.. of each padded
 * image, plus one all-zero image after the last) and stored channel-major, in one pass.
 */
function _paddedChannelMajor(
  backend: WasmBackend,
  x: tf.TensorInfo,
  d: {
    b: number;
    h: number;
    w: number;
    cin: number;
    hp: number;
    wp: number;
    top: number;
    left: number;
  },
): tf.TensorInfo {
  const rows = (d.b + 1) * d.hp * d.wp, cin = d.cin;
  const out = backend.makeOutput([cin, rows], "float32");
  const src = backend.typedArrayFromHeap(x);
  const dst = backend.typedArrayFromHeap(out);
  dst.fill(0);
  if (cin === 1) {
    for (let i = 0; i < d.b; i++) {
      for (let y = 0; y < d.h; y++) {
        const from = (i * d.h + y) * d.w;
        dst.set(src.subarray(from, from + d.w), (i * d.hp + d.top + y) * d.wp + d.left);
      }
    }
    return out;
  }
  for (let i = 0; i < d.b; i++) {
    for (let y = 0; y < d.h; y++) {
      for (let xx = 0; xx < d.w; xx++) {
        const from = ((i * d.h + y) * d.w + xx) * cin;
        const to = (i * d.hp + d.top + y) * d.wp + d.left + xx;
        for (let c = 0; c < cin; c++) dst[c * rows + to] = src[from + c];
      }
    }
  }
  return out;
}

/**
 * G [1, n, Cout]: dY [B, OH, OW, Cout] spread by the strides onto the padded grid, dY[b, oy,
 * ox] at grid position (b, oy · sh, ox · sw) (positions past the grid dropped), zeros
 * elsewhere. Runs of Cout values are copied whole.
 */
function _spreadGrid(
  backend: WasmBackend,
  dy: tf.TensorInfo,
  d: {
    b: number;
    oh: number;
    ow: number;
    cout: number;
    hp: number;
    wp: number;
    sh: number;
    sw: number;
  },
): tf.TensorInfo {
  const n = d.b * d.hp * d.wp, cout = d.cout;
  const out = backend.makeOutput([1, n, cout], "float32");
  const src = backend.typedArrayFromHeap(dy);
  const dst = backend.typedArrayFromHeap(out);
  dst.fill(0);
  const rows = Math.min(d.oh, Math.ceil(d.hp / d.sh));
  const cols = Math.min(d.ow, Math.ceil(d.wp / d.sw));
  for (let i = 0; i < d.b; i++) {
    for (let oy = 0; oy < rows; oy++) {
      const rowFrom = (i * d.oh + oy) * d.ow * cout;
      const rowTo = (i * d.hp + oy * d.sh) * d.wp * cout;
      if (d.sw === 1) {
        // Stride 1 across: the whole row of cols positions is one run.
        dst.set(src.subarray(rowFrom, rowFrom + cols * cout), rowTo);
        continue;
      }
      for (let ox = 0; ox < cols; ox++) {
        const from = rowFrom + ox * cout, to = rowTo + ox * d.sw * cout;
        for (let o = 0; o < cout; o++) dst[to + o] = src[from + o];
      }
    }
  }
  return out;
}

/**
 * Bytes of stacked taps A per product: small inputs stack all taps into one product, a
 * 16x256x256x32 layer one tap per product.
 */
const _GROUP_BYTES = 256 * 1024 * 1024;

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
