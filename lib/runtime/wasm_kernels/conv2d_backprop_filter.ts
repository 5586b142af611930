/**
 * `Conv2DBackpropFilter` for tfjs's wasm backend, which ships without it (so no conv net
 * could train on wasm at all).
 *
 * For a stride-s convolution with padding, the filter gradient is
 *
 *   dW[i, j, c, o] = sum_{b, oy, ox} Xp[b, oy·sh + i, ox·sw + j, c] · dY[b, oy, ox, o]
 *
 * where Xp is the zero-padded input. Split the taps by phase: i = qi·sh + ri with
 * 0 <= ri < sh (and j likewise). Tap (i, j) then reads the phase image
 * P[ri, rj][b, u, v] = Xp[b, u·sh + ri, v·sw + rj] at (oy + qi, ox + qj): a stride-1 shift.
 * Flattening (b, u, v) over a phase grid of Hq x Wq positions turns that shift into an
 * offset qi·Wq + qj, so with each phase image stored channel-major (PT [Cin, rows]) a tap's
 * rows are Cin contiguous runs, and over a run of positions p0 .. p0 + P
 *
 *   dW[i, j] [Cin, Cout] += PT[:, p0 + off .. p0 + off + P) [Cin, P] · G[p0 .. p0 + P) [P, Cout]
 *
 * where G is dY laid on the phase grid (zeros where the grid is wider than dY). For stride 1
 * there is one phase and the grid is Xp's; for stride 2 the phases hold a quarter of the
 * positions each, so no product multiplies the zeros a stride-spread dY would hold.
 *
 * The positions are taken in chunks: per chunk the taps' runs are stacked into
 * A [taps·Cin, P] (memcpys) and one BatchMatMul (XNNPACK) gives the chunk's [taps·Cin, Cout]
 * part, summed here in float64. P is chosen so the chunk of G, which XNNPACK packs as the
 * product's weights, stays in the core's L2 cache: the whole-grid product (P = all
 * positions) streamed A and G from memory once per tile of the output and ran at a
 * third of the forward convolution's speed. The padding and transposes are single
 * passes over the wasm heap: tfjs-wasm's PadV2 and Transpose move one value at a time.
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

/** The phase grid: Hq x Wq positions per image, b images. */
interface _Grid {
  b: number;
  hq: number;
  wq: number;
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
  const { batchSize: b, inChannels: cin, outChannels: cout } = info;
  const { filterHeight: kh, filterWidth: kw, strideHeight: sh, strideWidth: sw } = info;
  const { outHeight: oh, outWidth: ow } = info;
  // Tap i reads phase row oy + floor(i / sh), so the grid needs oh + floor((kh-1)/sh) rows.
  const grid: _Grid = { b, hq: oh + Math.floor((kh - 1) / sh), wq: ow + Math.floor((kw - 1) / sw) };
  const n = b * grid.hq * grid.wq;
  const taps = kh * kw;
  const scratch = new Scratch(backend);
  try {
    // One channel-major phase image per (ri, rj) that some tap reads.
    const phases: tf.TensorInfo[] = [];
    for (let ri = 0; ri < Math.min(sh, kh); ri++) {
      for (let rj = 0; rj < Math.min(sw, kw); rj++) {
        phases[ri * sw + rj] = scratch.keep(
          _phaseChannelMajor(backend, x, info, grid, ri, rj),
        );
      }
    }
    const g = scratch.keep(_outputGradOnGrid(backend, dy, grid)); // [n, Cout]
    const rows = (b + 1) * grid.hq * grid.wq; // a phase image's row length
    const chunk = Math.min(n, _chunkPositions(cout));
    const a = scratch.keep(backend.makeOutput([1, taps * cin, chunk], "float32"));
    const sum = new Float64Array(taps * cin * cout);
    for (let p0 = 0; p0 < n; p0 += chunk) {
      const p = Math.min(chunk, n - p0);
      // The last chunk may be shorter: its own A (the matmul reads A's shape).
      const aChunk = p === chunk
        ? a
        : scratch.keep(backend.makeOutput([1, taps * cin, p], "float32"));
      // A fresh tensor each chunk: XNNPACK's operator (and its packed weights) is cached
      // by the weights' tensor id, and disposing the tensor drops it.
      const gChunk = backend.makeOutput([1, p, cout], "float32");
      // Views after makeOutput: allocation may have grown (and detached) the heap.
      backend.typedArrayFromHeap(gChunk).set(
        backend.typedArrayFromHeap(g).subarray(p0 * cout, (p0 + p) * cout),
      );
      const dst = backend.typedArrayFromHeap(aChunk);
      for (let i = 0; i < kh; i++) {
        for (let j = 0; j < kw; j++) {
          const src = backend.typedArrayFromHeap(phases[(i % sh) * sw + (j % sw)]);
          const off = p0 + Math.floor(i / sh) * grid.wq + Math.floor(j / sw);
          const tap = i * kw + j;
          for (let c = 0; c < cin; c++) {
            const from = c * rows + off;
            dst.set(src.subarray(from, from + p), (tap * cin + c) * p);
          }
        }
      }
      const part = scratch.run("BatchMatMul", { a: aChunk, b: gChunk }, {
        transposeA: false,
        transposeB: false,
      }); // [1, taps·Cin, Cout], rows in [KH, KW, Cin] order
      backend.disposeData(gChunk.dataId);
      const values = backend.typedArrayFromHeap(part);
      for (let k = 0; k < sum.length; k++) sum[k] += values[k];
      scratch.free(part);
      if (aChunk !== a) scratch.free(aChunk);
    }
    const out = backend.makeOutput([kh, kw, cin, cout], "float32");
    backend.typedArrayFromHeap(out).set(sum);
    return out;
  } finally {
    scratch.dispose();
  }
}

/**
 * Phase image (ri, rj) of the zero-padded x, channel-major: [Cin, (B + 1)·Hq·Wq] with
 * value [c, (b·Hq + u)·Wq + v] = Xp[b, u·sh + ri, v·sw + rj, c] (zero outside x), plus one
 * all-zero image after the last so every shifted run stays inside the buffer.
 */
function _phaseChannelMajor(
  backend: WasmBackend,
  x: tf.TensorInfo,
  info: tf.backend_util.Conv2DInfo,
  grid: _Grid,
  ri: number,
  rj: number,
): tf.TensorInfo {
  const { inHeight: h, inWidth: w, inChannels: cin, strideHeight: sh, strideWidth: sw } = info;
  const { top, left } = info.padInfo;
  const { b, hq, wq } = grid;
  const rows = (b + 1) * hq * wq;
  const out = backend.makeOutput([cin, rows], "float32");
  const src = backend.typedArrayFromHeap(x);
  const dst = backend.typedArrayFromHeap(out);
  dst.fill(0);
  // Grid columns v whose input column v·sw + rj - left lies inside x.
  const v0 = Math.max(0, Math.ceil((left - rj) / sw));
  const v1 = Math.min(wq, Math.floor((w - 1 + left - rj) / sw) + 1);
  for (let i = 0; i < b; i++) {
    for (let u = 0; u < hq; u++) {
      const y = u * sh + ri - top;
      if (y < 0 || y >= h) continue;
      const rowTo = (i * hq + u) * wq;
      const rowFrom = (i * h + y) * w;
      if (cin === 1 && sw === 1) {
        const from = rowFrom + v0 + rj - left;
        dst.set(src.subarray(from, from + v1 - v0), rowTo + v0);
        continue;
      }
      for (let v = v0; v < v1; v++) {
        const from = (rowFrom + v * sw + rj - left) * cin;
        const to = rowTo + v;
        for (let c = 0; c < cin; c++) dst[c * rows + to] = src[from + c];
      }
    }
  }
  return out;
}

/**
 * G [B·Hq·Wq, Cout]: dY [B, OH, OW, Cout] at grid position (b, oy, ox), zeros in the grid's
 * extra rows and columns. Each row of dY is one run.
 */
function _outputGradOnGrid(backend: WasmBackend, dy: tf.TensorInfo, grid: _Grid): tf.TensorInfo {
  const [, oh, ow, cout] = dy.shape;
  const { b, hq, wq } = grid;
  const out = backend.makeOutput([b * hq * wq, cout], "float32");
  const src = backend.typedArrayFromHeap(dy);
  const dst = backend.typedArrayFromHeap(out);
  dst.fill(0);
  for (let i = 0; i < b; i++) {
    for (let oy = 0; oy < oh; oy++) {
      const from = (i * oh + oy) * ow * cout;
      dst.set(src.subarray(from, from + ow * cout), (i * hq + oy) * wq * cout);
    }
  }
  return out;
}

/**
 * Positions per chunk: the chunk of G (P x Cout floats) within about 256 KiB, half of a
 * core's L2 on the machines measured, and at least 1024 so the product outweighs the
 * per-call cost.
 */
function _chunkPositions(cout: number): number {
  return Math.max(1024, Math.floor(_CHUNK_BYTES / (4 * cout)));
}

const _CHUNK_BYTES = 256 * 1024;

/** Kernel config for tf.registerKernel. */
export const conv2dBackpropFilterWasmConfig: tf.KernelConfig = {
  kernelName: "Conv2DBackpropFilter",
  backendName: "wasm",
  kernelFunc: conv2dBackpropFilterWasm as unknown as tf.KernelFunc,
};
