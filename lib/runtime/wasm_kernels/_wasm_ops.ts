/**
 * Private helpers for our wasm kernels: calling the wasm backend's own kernels, collecting
 * their intermediates, and small moves done directly on the wasm heap.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";

/** The parts of tfjs-backend-wasm's BackendWasm that our kernels use. */
export interface WasmBackend extends tf.KernelBackend {
  disposeData(dataId: object, force?: boolean): boolean;
  makeOutput(shape: number[], dtype: tf.DataType, memoryOffset?: number): tf.TensorInfo;
  typedArrayFromHeap(info: tf.TensorInfo): Float32Array;
}

/** What tfjs passes a kernel function (the backend is the wasm one for our kernels). */
export interface WasmKernelArgs {
  inputs: tf.NamedTensorInfoMap;
  backend: unknown;
  attrs?: tf.NamedAttrMap;
}

/** Runs one of the wasm backend's registered kernels on TensorInfos. */
export function runWasmKernel(
  name: string,
  backend: WasmBackend,
  inputs: Record<string, tf.TensorInfo> | tf.TensorInfo[],
  attrs: Record<string, unknown> = {},
): tf.TensorInfo {
  const kernel = tf.getKernel(name, "wasm");
  if (kernel === undefined) {
    throw new Error(`Cannot run a wasm kernel as ${name} is not registered for wasm`);
  }
  return kernel.kernelFunc({
    inputs: inputs as unknown as tf.NamedTensorInfoMap,
    backend,
    attrs: attrs as tf.NamedAttrMap,
  }) as tf.TensorInfo;
}

/** Collects intermediate TensorInfos and frees them in one place. */
export class Scratch {
  #items: tf.TensorInfo[] = [];
  constructor(readonly backend: WasmBackend) {}
  keep(info: tf.TensorInfo): tf.TensorInfo {
    this.#items.push(info);
    return info;
  }
  run(name: string, inputs: Record<string, tf.TensorInfo> | tf.TensorInfo[], attrs = {}) {
    return this.keep(runWasmKernel(name, this.backend, inputs, attrs));
  }
  /** Frees one kept item early (large temporaries inside loops). */
  free(info: tf.TensorInfo): void {
    const i = this.#items.indexOf(info);
    if (i >= 0) this.#items.splice(i, 1);
    this.backend.disposeData(info.dataId);
  }
  dispose(): void {
    for (const info of this.#items) this.backend.disposeData(info.dataId);
    this.#items = [];
  }
}

/**
 * Filter [KH, KW, Cin, Cout] -> rotated by 180 degrees and with channels swapped:
 * [KH, KW, Cout, Cin], out[i, j, o, c] = w[KH-1-i, KW-1-j, c, o]. The filter is small, so a
 * plain loop is fine here.
 */
export function flipFilter(backend: WasmBackend, filter: tf.TensorInfo): tf.TensorInfo {
  const [kh, kw, cin, cout] = filter.shape;
  const out = backend.makeOutput([kh, kw, cout, cin], "float32");
  const w = backend.typedArrayFromHeap(filter);
  const r = backend.typedArrayFromHeap(out);
  for (let i = 0; i < kh; i++) {
    for (let j = 0; j < kw; j++) {
      const srcBase = ((kh - 1 - i) * kw + (kw - 1 - j)) * cin * cout;
      const dstBase = (i * kw + j) * cout * cin;
      for (let c = 0; c < cin; c++) {
        for (let o = 0; o < cout; o++) r[dstBase + o * cin + c] = w[srcBase + c * cout + o];
      }
    }
  }
  return out;
}

/**
 * [B, H, W, C] -> [B, H*s, W*s, C] with x at rows/columns 0, s, 2s, ... and zeros
 * elsewhere (the "transposed" layout of a stride-s convolution's output gradient).
 */
export function spreadByStride(
  scratch: Scratch,
  x: tf.TensorInfo,
  sh: number,
  sw: number,
): tf.TensorInfo {
  if (sh === 1 && sw === 1) return x;
  const [b, h, w, c] = x.shape;
  const six = scratch.run("Reshape", { x }, { shape: [b, h, 1, w, 1, c] });
  const padded = scratch.run("PadV2", { x: six }, {
    paddings: [[0, 0], [0, 0], [0, sh - 1], [0, 0], [0, sw - 1], [0, 0]],
    constantValue: 0,
  });
  return scratch.run("Reshape", { x: padded }, { shape: [b, h * sh, w * sw, c] });
}
