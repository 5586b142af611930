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
 * [KH, KW, Cout, Cin], out[i, j, o, c] = w[KH-1-i, KW-1-j, c, o]. With a `phase` of a
 * strided filter, only its taps (qi·sh + ry, qj·sw + rx), rotated the same way:
 * [NY, NX, Cout, Cin], out[a, a2] = w[(NY-1-a)·sh + ry, (NX-1-a2)·sw + rx]. The filter is
 * small, so a plain loop is fine here.
 */
export function flipFilter(
  backend: WasmBackend,
  filter: tf.TensorInfo,
  phase: { sh: number; sw: number; ry: number; rx: number } = { sh: 1, sw: 1, ry: 0, rx: 0 },
): tf.TensorInfo {
  const [kh, kw, cin, cout] = filter.shape;
  const { sh, sw, ry, rx } = phase;
  const ny = Math.ceil((kh - ry) / sh), nx = Math.ceil((kw - rx) / sw); // taps in the phase
  const out = backend.makeOutput([ny, nx, cout, cin], "float32");
  const w = backend.typedArrayFromHeap(filter);
  const r = backend.typedArrayFromHeap(out);
  for (let a = 0; a < ny; a++) {
    for (let a2 = 0; a2 < nx; a2++) {
      const srcBase = (((ny - 1 - a) * sh + ry) * kw + (nx - 1 - a2) * sw + rx) * cin * cout;
      const dstBase = (a * nx + a2) * cout * cin;
      for (let c = 0; c < cin; c++) {
        for (let o = 0; o < cout; o++) r[dstBase + o * cin + c] = w[srcBase + c * cout + o];
      }
    }
  }
  return out;
}
