/**
 * Window functions, as scipy.signal.windows and numpy define them.
 *
 * A symmetric window of length M is the classic one (`numpy.hanning(M)`,
 * `scipy.signal.windows.hann(M)`); a periodic window is the first M points of the
 * symmetric window of length M + 1, the variant that FFT-based spectral analysis uses
 * (`scipy.signal.get_window("hann", M)`, whose `fftbins=True` default asks for it).
 *
 * @module
 */

/** Names accepted wherever a window is chosen by name ("boxcar" is scipy's name). */
export type WindowName = "hann" | "hamming" | "rectangular" | "boxcar";

/** A window given by name, or its samples. */
export type WindowSpec = WindowName | Float64Array | Float32Array;

/** Options shared by the window functions. */
export interface WindowOptions {
  /**
   * Periodic (true) or symmetric (false) variant. Default false for the named functions,
   * as numpy and scipy.signal.windows; {@linkcode getWindow} defaults to true.
   */
  periodic?: boolean;
}

const _WINDOW_NAMES: readonly WindowName[] = ["hann", "hamming", "rectangular", "boxcar"];

function _checkLength(length: number, caller: string): void {
  if (!Number.isInteger(length) || length < 0) {
    throw new RangeError(
      `Cannot build the ${caller} window as its length must be a non-negative integer: ` +
        `current value is ${length}`,
    );
  }
}

/** w[n] = alpha - (1 - alpha) cos(2 pi n / (M - 1)) (symmetric) or /M (periodic). */
function _cosineWindow(
  length: number,
  alpha: number,
  options: WindowOptions,
  caller: string,
): Float64Array {
  _checkLength(length, caller);
  const w = new Float64Array(length);
  if (length === 1) {
    w[0] = 1;
    return w;
  }
  const denominator = options.periodic === true ? length : length - 1;
  for (let n = 0; n < length; n++) {
    w[n] = alpha - (1 - alpha) * Math.cos((2 * Math.PI * n) / denominator);
  }
  return w;
}

/**
 * The Hann window: 0.5 - 0.5 cos(2 pi n / (M - 1)), symmetric by default
 * (`numpy.hanning(M)`); `{ periodic: true }` gives `scipy.signal.get_window("hann", M)`.
 *
 * @example
 * ```ts
 * import { hann } from "./window.ts";
 * const expected = [0, 0.5, 1, 0.5, 0];
 * console.assert(hann(5).every((w, n) => Math.abs(w - expected[n]) < 1e-15));
 * console.assert(Math.abs(hann(4, { periodic: true })[2] - 1) < 1e-15);
 * ```
 */
export function hann(length: number, options: WindowOptions = {}): Float64Array {
  return _cosineWindow(length, 0.5, options, "hann");
}

/**
 * The Hamming window: 0.54 - 0.46 cos(2 pi n / (M - 1)), symmetric by default
 * (`numpy.hamming(M)`); `{ periodic: true }` gives `scipy.signal.get_window("hamming", M)`.
 *
 * @example
 * ```ts
 * import { hamming } from "./window.ts";
 * const w = hamming(5);
 * console.assert(Math.abs(w[0] - 0.08) < 1e-12 && Math.abs(w[2] - 1) < 1e-12);
 * ```
 */
export function hamming(length: number, options: WindowOptions = {}): Float64Array {
  return _cosineWindow(length, 0.54, options, "hamming");
}

/**
 * The rectangular (boxcar) window: all ones; periodic and symmetric coincide.
 *
 * @example
 * ```ts
 * import { rectangular } from "./window.ts";
 * console.assert(rectangular(3).join() === "1,1,1");
 * ```
 */
export function rectangular(length: number, _options: WindowOptions = {}): Float64Array {
  _checkLength(length, "rectangular");
  return new Float64Array(length).fill(1);
}

/** I0, the modified Bessel function of the first kind of order 0 (power series). */
function _besselI0(x: number): number {
  const quarterX2 = (x * x) / 4;
  let term = 1;
  let sum = 1;
  for (let k = 1; k < 500 && term > 1e-17 * sum; k++) {
    term *= quarterX2 / (k * k);
    sum += term;
  }
  return sum;
}

/**
 * The Kaiser window I0(beta sqrt(1 - (2n/(M-1) - 1)^2)) / I0(beta), symmetric by default
 * (`scipy.signal.windows.kaiser(M, beta)`), as used by FIR design in
 * {@linkcode getWindow}'s callers such as resampling.
 *
 * @example
 * ```ts
 * import { kaiser } from "./window.ts";
 * const w = kaiser(5, 5);
 * console.assert(Math.abs(w[2] - 1) < 1e-15 && Math.abs(w[0] - 1 / 27.239871823604442) < 1e-12);
 * ```
 */
export function kaiser(length: number, beta: number, options: WindowOptions = {}): Float64Array {
  _checkLength(length, "kaiser");
  if (!Number.isFinite(beta)) {
    throw new RangeError(
      `Cannot build the kaiser window as beta must be finite: current value is ${beta}`,
    );
  }
  if (length === 1) return new Float64Array([1]);
  const m = options.periodic === true ? length + 1 : length;
  const alpha = (m - 1) / 2;
  const i0Beta = _besselI0(beta);
  const w = new Float64Array(length);
  for (let n = 0; n < length; n++) {
    const r = (n - alpha) / alpha;
    w[n] = _besselI0(beta * Math.sqrt(Math.max(0, 1 - r * r))) / i0Beta;
  }
  return w;
}

/**
 * A window by name or by samples, periodic by default as `scipy.signal.get_window`
 * (which STFTs use). Given samples, checks their length and returns a float64 copy.
 *
 * @example
 * ```ts
 * import { getWindow } from "./window.ts";
 * const close = (a: Float64Array, b: number[]) => a.every((v, i) => Math.abs(v - b[i]) < 1e-15);
 * console.assert(close(getWindow("hann", 4), [0, 0.5, 1, 0.5]));
 * console.assert(close(getWindow("hann", 5, { periodic: false }), [0, 0.5, 1, 0.5, 0]));
 * ```
 */
export function getWindow(
  window: WindowSpec,
  length: number,
  options: WindowOptions = {},
): Float64Array {
  const resolved = { periodic: options.periodic ?? true };
  if (typeof window !== "string") {
    if (window.length !== length) {
      throw new RangeError(
        `Cannot use the window as its length must equal ${length}: current value is ${window.length}`,
      );
    }
    return Float64Array.from(window);
  }
  switch (window) {
    case "hann":
      return hann(length, resolved);
    case "hamming":
      return hamming(length, resolved);
    case "rectangular":
    case "boxcar":
      return rectangular(length, resolved);
    default:
      throw new RangeError(
        `Cannot build the window as its name must be one of ${_WINDOW_NAMES.join(", ")}: ` +
          `current value is "${window}"`,
      );
  }
}
