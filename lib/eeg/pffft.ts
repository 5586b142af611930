/**
 * Complex FFTs through PFFFT (Julien Pommier's SIMD FFT, the WebAssembly SIMD build of npm
 * @echogarden/pffft-wasm, embedded in _pffft_wasm.ts): single precision, about 2.5-3x
 * faster than fft.js for 256 and 1024 points on this project's machines. Used where the
 * results are float32 anyway (the STFT and the log-frequency spectrogram); everything that
 * needs float64 stays on fft.js.
 *
 * The module is instantiated on first use, synchronously (see _load). Where WebAssembly SIMD
 * is missing, {@linkcode pffftAvailable} is false and callers fall back to fft.js.
 *
 * @module
 */
import { PFFFT_WASM_BASE64 } from "./_pffft_wasm.ts";

/** The exports of pffft.wasm this file uses, by their role (the build minifies names). */
interface _Pffft {
  memory: WebAssembly.Memory;
  alignedMalloc(bytes: number): number;
  /** pffft_new_setup(N, PFFFT_REAL = 0 | PFFFT_COMPLEX = 1): 0 when N is not supported. */
  newSetup(n: number, type: number): number;
  /** pffft_transform_ordered(setup, in, out, work, PFFFT_FORWARD = 0 | PFFFT_BACKWARD = 1). */
  transformOrdered(setup: number, input: number, output: number, work: number, dir: number): void;
}

function _decodeBase64(text: string): Uint8Array<ArrayBuffer> {
  const binary = atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

/** The imports pffft.wasm needs, bound to its memory once that exists. */
function _imports(memory: () => WebAssembly.Memory): WebAssembly.Imports {
  // What Emscripten's glue (dist/simd/pffft.js, wasmImports) provides, by minified name:
  // a = __assert_fail, b = emscripten_resize_heap, c = _emscripten_memcpy_js.
  return {
    a: {
      a: () => {
        throw new Error("PFFFT: internal assertion failed");
      },
      b: (requested: number) => {
        const missing = (requested >>> 0) - memory().buffer.byteLength;
        if (missing <= 0) return 1;
        try {
          memory().grow(Math.ceil(missing / 65536));
          return 1;
        } catch {
          return 0;
        }
      },
      c: (dest: number, src: number, count: number) => {
        new Uint8Array(memory().buffer).copyWithin(dest, src, src + count);
      },
    },
  };
}

/** Wraps an instance: calls its constructors and names the exports by role. */
function _wrap(
  instance: WebAssembly.Instance,
  onMemory: (memory: WebAssembly.Memory) => void,
): _Pffft {
  // The glue's export map (wasmExports[...]): d memory, e __wasm_call_ctors,
  // f pffft_aligned_malloc, k pffft_new_setup, p pffft_transform_ordered.
  const e = instance.exports as Record<string, unknown>;
  const memory = e.d as WebAssembly.Memory;
  onMemory(memory); // before the constructors, which may already call the imports
  (e.e as () => void)();
  return {
    memory,
    alignedMalloc: e.f as _Pffft["alignedMalloc"],
    newSetup: e.k as _Pffft["newSetup"],
    transformOrdered: e.p as _Pffft["transformOrdered"],
  };
}

/**
 * The module, instantiated on first use. Synchronously, so that importing this file never
 * waits (a top-level await here delayed module workers' message handlers, and messages sent
 * to them meanwhile were lost). Where synchronous compilation is refused (a browser's main
 * thread, for modules over 4 KB) it compiles in the background and fft.js serves until then;
 * where WebAssembly SIMD is missing it stays unavailable.
 */
let _pffft: _Pffft | null | undefined;

function _load(): _Pffft | null {
  if (_pffft !== undefined) return _pffft;
  let memory: WebAssembly.Memory | null = null;
  const imports = _imports(() => memory!);
  const bytes = _decodeBase64(PFFFT_WASM_BASE64);
  try {
    const instance = new WebAssembly.Instance(new WebAssembly.Module(bytes), imports);
    _pffft = _wrap(instance, (m) => memory = m);
  } catch (error) {
    _pffft = null;
    if (error instanceof RangeError) {
      // Synchronous compilation refused: try again in the background.
      WebAssembly.instantiate(bytes, imports).then(
        (result) => {
          _pffft = _wrap(result.instance, (m) => memory = m);
        },
        () => {},
      );
    }
  }
  return _pffft;
}

/** Whether PFFFT loaded (WebAssembly SIMD available). */
export function pffftAvailable(): boolean {
  return _load() !== null;
}

/** Complex lengths PFFFT supports: multiples of 16 whose other factors are 2, 3 and 5. */
export function pffftSupports(n: number): boolean {
  if (!Number.isInteger(n) || n < 16 || n % 16 !== 0) return false;
  let m = n;
  for (const p of [2, 3, 5]) while (m % p === 0) m /= p;
  return m === 1;
}

/**
 * A forward complex DFT of one length, X_k = sum_n x_n exp(-2 pi i k n / N), on interleaved
 * float64 arrays `[re0, im0, re1, im1, ...]`, computed in single precision. Plans live as
 * long as the program (their WebAssembly memory is never freed), so keep one per length.
 *
 * @example
 * ```ts
 * import { PffftComplex, pffftAvailable } from "./pffft.ts";
 * if (pffftAvailable()) {
 *   const fft = new PffftComplex(16);
 *   const x = new Float64Array(32);
 *   x[0] = 1; // an impulse: every bin is 1
 *   const X = new Float64Array(32);
 *   fft.transform(X, x);
 *   console.assert(X.every((v, i) => Math.abs(v - (i % 2 === 0 ? 1 : 0)) < 1e-6));
 * }
 * ```
 */
export class PffftComplex {
  /** The transform length N. */
  readonly size: number;
  #pffft: _Pffft;
  #setup: number;
  #input: number;
  #output: number;
  #work: number;
  #inView: Float32Array;
  #outView: Float32Array;

  constructor(size: number) {
    const pffft = _load();
    if (pffft === null) {
      throw new Error("Cannot use PFFFT as WebAssembly SIMD must be available: it is not");
    }
    if (!pffftSupports(size)) {
      throw new RangeError(
        `Cannot plan a PFFFT transform as its length must be a multiple of 16 with no prime ` +
          `factors but 2, 3 and 5: current value is ${size}`,
      );
    }
    this.size = size;
    this.#pffft = pffft;
    this.#setup = pffft.newSetup(size, 1);
    this.#input = pffft.alignedMalloc(8 * size);
    this.#output = pffft.alignedMalloc(8 * size);
    this.#work = pffft.alignedMalloc(8 * size);
    if (this.#setup === 0 || this.#input === 0 || this.#output === 0 || this.#work === 0) {
      throw new RangeError(`Cannot plan a PFFFT transform of length ${size}: out of memory`);
    }
    this.#inView = this.#outView = new Float32Array(0); // set by #refresh()
    this.#refresh();
  }

  /** The plan's input buffer in WebAssembly memory: 2N float32 values to fill before {@linkcode run}. */
  get input(): Float32Array {
    this.#refresh();
    return this.#inView;
  }

  /** The plan's output buffer: 2N float32 values, valid after {@linkcode run}. */
  get output(): Float32Array {
    this.#refresh();
    return this.#outView;
  }

  /** Transforms {@linkcode input} into {@linkcode output}. */
  run(): void {
    this.#pffft.transformOrdered(this.#setup, this.#input, this.#output, this.#work, 0);
  }

  /**
   * Forward DFT of `input` (2N values) into `output` (2N values): float64 to float32 and
   * back by native typed-array copies, the transform in single precision.
   */
  transform(output: Float64Array, input: Float64Array): void {
    this.#refresh();
    this.#inView.set(input);
    this.run();
    output.set(this.#outView);
  }

  /** Renews the buffer views when memory growth (a later plan's allocation) replaced it. */
  #refresh(): void {
    if (this.#inView.buffer === this.#pffft.memory.buffer) return;
    const heap = new Float32Array(this.#pffft.memory.buffer);
    this.#inView = heap.subarray(this.#input >> 2, (this.#input >> 2) + 2 * this.size);
    this.#outView = heap.subarray(this.#output >> 2, (this.#output >> 2) + 2 * this.size);
  }
}

/** Plans by length, shared by every caller (their WebAssembly memory is never freed). */
const _plans = new Map<number, PffftComplex>();

/**
 * The shared plan for complex length `n`, or null where PFFFT is unavailable or does not
 * support `n` (callers then use fft.js).
 */
export function pffftPlan(n: number): PffftComplex | null {
  if (!pffftAvailable() || !pffftSupports(n)) return null;
  let plan = _plans.get(n);
  if (plan === undefined) _plans.set(n, plan = new PffftComplex(n));
  return plan;
}
