/**
 * The original project's log-frequency spectrogram of an EEG window (RECIPES.md, steps 5
 * and 6), on the CPU. A non-uniform DFT: 255 log-spaced frequencies from 1e-3 to 0.5
 * cycles per sample, evaluated on Hann-windowed frames of 511 samples, plus a 0 Hz row.
 * {@linkcode logSpectrogram} evaluates it by a non-uniform FFT; the GPU twin
 * (log_spectrogram_gpu.ts) multiplies by {@linkcode logSpectrogramBasis}.
 *
 * @module
 */
import { type ChannelSignal, signalShape, type Spectrogram } from "./channel_signal.ts";
import FFTJS from "fft.js";
import { type PffftComplex, pffftPlan } from "./pffft.ts";
import { hann } from "./window.ts";

/** Samples per frame (N in the recipe). */
export const LOG_SPECTROGRAM_FRAME_LENGTH = 511;
/** Rows of the output: 0 Hz plus 255 log-spaced frequencies. */
export const LOG_SPECTROGRAM_BINS = 256;

/** Options for {@linkcode logSpectrogram} and its GPU twin. */
export interface LogSpectrogramOptions {
  /** Samples between frame starts. Default 172, the recipe's hop for 20 channels. */
  hop?: number;
}

/** Layout of the frames cut from one channel window. */
export interface LogSpectrogramFrames {
  /** Zeros appended after the de-meaned window: 511 - (length mod hop). */
  padding: number;
  /** Frames at 0, hop, 2 hop, ... while start + 511 <= padded length. */
  frames: number;
}

/**
 * The recipe's hop (RECIPES.md step 5): the smallest multiple of `multiple` (4; 8 for
 * SEED) with windowLength / hop <= floor(bins / channels), so that the channel strips
 * (one column per frame) fit side by side into a bins-wide image.
 *
 * @example
 * ```ts
 * import { logSpectrogramHop } from "./log_spectrogram.ts";
 * console.assert(logSpectrogramHop() === 172);
 * console.assert(logSpectrogramHop({ multiple: 8 }) === 176);
 * ```
 */
export function logSpectrogramHop(
  options: { channels?: number; windowLength?: number; bins?: number; multiple?: number } = {},
): number {
  const { channels = 20, windowLength = 2048, bins = LOG_SPECTROGRAM_BINS, multiple = 4 } = options;
  for (const [name, value] of Object.entries({ channels, windowLength, bins, multiple })) {
    if (!Number.isInteger(value) || value < 1) {
      throw new RangeError(
        `Cannot choose the hop as ${name} must be a positive integer: current value is ${value}`,
      );
    }
  }
  const framesPerStrip = Math.floor(bins / channels);
  if (framesPerStrip === 0) {
    throw new RangeError(
      `Cannot choose the hop as ${channels} channels do not fit into ${bins} columns: ` +
        `current value is ${channels}`,
    );
  }
  // windowLength / hop <= framesPerStrip  <=>  hop >= windowLength / framesPerStrip.
  const step = framesPerStrip * multiple;
  return multiple * Math.floor((windowLength + step - 1) / step);
}

/**
 * Padding and frame count for a window of `length` samples.
 *
 * @example
 * ```ts
 * import { logSpectrogramFrames } from "./log_spectrogram.ts";
 * const { padding, frames } = logSpectrogramFrames(2048, { hop: 172 });
 * console.assert(padding === 355 && frames === 12);
 * ```
 */
export function logSpectrogramFrames(
  length: number,
  options: LogSpectrogramOptions = {},
  caller = "logSpectrogramFrames",
): LogSpectrogramFrames {
  const hop = options.hop ?? 172;
  if (!Number.isInteger(hop) || hop < 1) {
    throw new RangeError(
      `Cannot compute the ${caller} frames as hop must be a positive integer: current value is ${hop}`,
    );
  }
  const n = LOG_SPECTROGRAM_FRAME_LENGTH;
  const padding = n - (length % hop);
  if (padding < 0) {
    throw new RangeError(
      `Cannot compute the ${caller} frames as length mod hop must be at most ${n}: ` +
        `current value is ${length % hop} (length ${length}, hop ${hop})`,
    );
  }
  return { padding, frames: Math.floor((length + padding - n) / hop) + 1 };
}

/**
 * The frequencies of the 256 rows in cycles per sample: 0, then 10^e for e running
 * linearly from -3 to log10(0.5) (as numpy.linspace). Multiply by the sampling rate
 * for Hz.
 *
 * @example
 * ```ts
 * import { logSpectrogramFrequencies } from "./log_spectrogram.ts";
 * const f = logSpectrogramFrequencies();
 * console.assert(f[0] === 0 && Math.abs(f[1] - 1e-3) < 1e-15 && Math.abs(f[255] - 0.5) < 1e-15);
 * ```
 */
export function logSpectrogramFrequencies(): Float64Array {
  const f = new Float64Array(LOG_SPECTROGRAM_BINS);
  const last = Math.log10(0.5);
  const step = (last - -3) / (LOG_SPECTROGRAM_BINS - 2);
  for (let k = 1; k < LOG_SPECTROGRAM_BINS; k++) {
    const exponent = k === LOG_SPECTROGRAM_BINS - 1 ? last : -3 + (k - 1) * step;
    f[k] = 10 ** exponent;
  }
  return f;
}

let _basis: Float64Array | null = null;

/**
 * The non-uniform DFT as a matrix `[510, 511]` (row-major): row k - 1 holds
 * 2 hann[n] cos(2 pi f_k n) / sqrt(511) and row 255 + k - 1 holds
 * -2 hann[n] sin(2 pi f_k n) / sqrt(511), for k = 1..255, so that basis x frame gives
 * [Re X_1..X_255, Im X_1..X_255]. The symmetric Hann window of length 511 is folded in.
 * Computed once and cached.
 *
 * @example
 * ```ts
 * import { logSpectrogramBasis } from "./log_spectrogram.ts";
 * console.assert(logSpectrogramBasis().length === 510 * 511);
 * ```
 */
export function logSpectrogramBasis(): Float64Array {
  if (_basis !== null) return _basis;
  const n = LOG_SPECTROGRAM_FRAME_LENGTH;
  const rows = LOG_SPECTROGRAM_BINS - 1;
  const window = hann(n);
  const f = logSpectrogramFrequencies();
  const basis = new Float64Array(2 * rows * n);
  const gain = 2 / Math.sqrt(n);
  for (let k = 1; k <= rows; k++) {
    for (let i = 0; i < n; i++) {
      const angle = 2 * Math.PI * f[k] * i;
      basis[(k - 1) * n + i] = gain * window[i] * Math.cos(angle);
      basis[(rows + k - 1) * n + i] = -gain * window[i] * Math.sin(angle);
    }
  }
  _basis = basis;
  return basis;
}

// The spectrogram is evaluated as a type-2 non-uniform FFT (Dutt-Rokhlin / FINUFFT
// style) instead of the [510, 511] matrix product: each frame, weighted by the Hann window
// and divided by the kernel's Fourier transform, goes through an FFT of 1024 points (twice
// oversampled; two real frames per complex FFT, as its real and imaginary parts); each
// X_k is then the sum of _W grid values around +-1024 f_k times the "exponential of
// semicircle" kernel, rotated by exp(-2 pi i f_k 255) because the frame is centred on
// n = 255. About 15x fewer operations than the matrix product; the error, about 1e-9 of
// sum |frame| (4e-10 of max |X| on noise), is far below the float32 rounding of the result.

/** Oversampled grid length (the FFT size): twice the frame, a power of two. */
const _M = 1024;
/** Kernel width in grid points (the interpolation below is unrolled for 10). */
const _W = 10;
/** The kernel's shape parameter, FINUFFT's choice for twofold oversampling. */
const _BETA = 2.3 * _W;
/** Centre of a frame: samples n = _CENTRE + j, j in [-255, 255]. */
const _CENTRE = (LOG_SPECTROGRAM_FRAME_LENGTH - 1) / 2;
/** Grid points repeated on either side of [0, _M) (periodically) for the kernel's reach. */
const _WING = _W / 2 + 1;
/** One FFT's grid: Z[l] at 2 (l + _WING), l in [-_WING, _M + _WING). */
const _STRIDE = 2 * (_M + 2 * _WING);
/** FFTs done before their bins are interpolated (12 frames for the recipe: 6 FFTs). */
const _SLOTS = 8;

interface _Plan {
  /** The grid FFT: PFFFT (single precision, WebAssembly SIMD) where available, else fft.js. */
  fft: FFTJS;
  pffft: PffftComplex | null;
  /** 2 hann[n] / sqrt(511) / kernelFt((n - 255) / _M), n = 0..510. */
  weight: Float64Array;
  /** Offset in a grid of each bin's first kernel tap at +f (taps go up from it) ... */
  first: Int32Array;
  /** ... and at -f (taps go down from it). */
  mirror: Int32Array;
  /** Kernel values, _W per bin. */
  taps: Float64Array;
  /** cos and sin of 2 pi f_k 255 (the centring rotation), halved. */
  cos: Float64Array;
  sin: Float64Array;
  /** The imaginary row of the last bin (f = 0.5) of {@linkcode logSpectrogramBasis}. */
  nyquist: Float64Array;
  /** FFT input (complex, interleaved). */
  input: Float64Array;
  /** _SLOTS grids, _STRIDE apart, and the views the FFT writes. */
  grids: Float64Array;
  views: Float64Array[];
}

let _plan: _Plan | null = null;

/** The kernel exp(beta (sqrt(1 - (2 s / _W)^2) - 1)) for |s| < _W / 2, in grid units. */
function _kernel(s: number): number {
  const z = (2 * s) / _W;
  return z * z < 1 ? Math.exp(_BETA * (Math.sqrt(1 - z * z) - 1)) : 0;
}

/**
 * The kernel's Fourier transform at xi (cycles per grid point): the integral of
 * kernel(s) cos(2 pi s xi) over s, with s = (_W / 2) sin(theta), by the trapezoidal rule
 * (the integrand in theta is smooth and vanishes like exp(-beta) at the ends, so the rule
 * converges fast: 100 steps agree with 400 to 2e-14 relative, 50 to 8e-14). Few steps
 * matter because a fresh worker runs this in V8's interpreter before anything is optimised.
 */
function _kernelFt(xi: number): number {
  const steps = 100;
  const h = Math.PI / 2 / steps;
  let sum = 0;
  for (let i = 0; i <= steps; i++) {
    const theta = i * h;
    const value = Math.exp(_BETA * (Math.cos(theta) - 1)) *
      Math.cos(Math.PI * _W * xi * Math.sin(theta)) * Math.cos(theta);
    sum += i === 0 || i === steps ? value / 2 : value;
  }
  return _W * h * sum;
}

/** The plan, computed once. */
function _nufftPlan(): _Plan {
  if (_plan === null) {
    const n = LOG_SPECTROGRAM_FRAME_LENGTH;
    const rows = LOG_SPECTROGRAM_BINS - 1;
    const window = hann(n);
    const gain = 2 / Math.sqrt(n);
    const weight = new Float64Array(n);
    // The transform is even in xi: samples _CENTRE - j and _CENTRE + j share one value.
    for (let j = 0; j <= _CENTRE; j++) {
      const ft = _kernelFt(j / _M);
      weight[_CENTRE - j] = (gain * window[_CENTRE - j]) / ft;
      weight[_CENTRE + j] = (gain * window[_CENTRE + j]) / ft;
    }
    const f = logSpectrogramFrequencies();
    const first = new Int32Array(rows);
    const mirror = new Int32Array(rows);
    const taps = new Float64Array(rows * _W);
    const cos = new Float64Array(rows);
    const sin = new Float64Array(rows);
    for (let k = 0; k < rows; k++) {
      // Taps l0 .. l0 + _W - 1 around u = _M f (l0 >= -3 and l0 + _W - 1 <= 517 here), and
      // their mirror images -l0 .. -l0 - _W + 1, i.e. _M - l0 ... modulo _M.
      const u = _M * f[k + 1];
      const l0 = Math.floor(u - _W / 2) + 1;
      first[k] = 2 * (l0 + _WING);
      mirror[k] = 2 * (_M - l0 + _WING);
      for (let j = 0; j < _W; j++) taps[k * _W + j] = _kernel(u - (l0 + j));
      const angle = 2 * Math.PI * f[k + 1] * _CENTRE;
      cos[k] = 0.5 * Math.cos(angle);
      sin[k] = 0.5 * Math.sin(angle);
    }
    // At f = 0.5, sin(2 pi f n) is 0 but for rounding, and so is Im X: the sign of that
    // rounding noise decides the phase (db-polar) of the top image row, so it is
    // computed from the same basis row as the matrix product (and numpy).
    const nyquist = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const angle = 2 * Math.PI * f[rows] * i;
      nyquist[i] = -gain * window[i] * Math.sin(angle);
    }
    const fft = new FFTJS(_M);
    const input = new Float64Array(2 * _M);
    const grids = new Float64Array(_SLOTS * _STRIDE);
    const views = Array.from(
      { length: _SLOTS },
      (_, s) => grids.subarray(s * _STRIDE + 2 * _WING, s * _STRIDE + 2 * (_WING + _M)),
    );
    const pffft = pffftPlan(_M);
    _plan = { fft, pffft, weight, first, mirror, taps, cos, sin, nyquist, input, grids, views };
  }
  return _plan;
}

/**
 * The log-frequency spectrogram of every channel of one window (RECIPES.md step 6):
 * dc = sum(x) / sqrt(L); x - mean(x); 511 - (L mod hop) zeros appended; frames of 511
 * samples at 0, hop, 2 hop, ...; each frame times numpy.hanning(511);
 * X_k = 2 sum_n frame[n] exp(-2 pi i f_k n) / sqrt(511) for the 255 log-spaced f_k; row 0
 * is dc (real) in every frame. Output `[channels, 256, frames]` (12 frames for
 * L = 2048, hop 172). Computed in float64 by a non-uniform FFT whose error (about 1e-9
 * of the frame's sum of |samples|) is below the float32 rounding of the result.
 *
 * @example
 * ```ts
 * import { logSpectrogram } from "./log_spectrogram.ts";
 * const x = Float32Array.from({ length: 2048 }, (_, n) => 1 + Math.sin(0.2 * n));
 * const { re, shape } = logSpectrogram([x], { hop: 172 });
 * console.assert(shape.join() === "1,256,12");
 * console.assert(Math.abs(re[0] - 2048 / Math.sqrt(2048)) < 0.1); // dc, frame 0
 * ```
 */
export function logSpectrogram(
  window: ChannelSignal,
  options: LogSpectrogramOptions = {},
): Spectrogram {
  const [channels, length] = signalShape(window, "logSpectrogram");
  const { padding, frames } = logSpectrogramFrames(length, options, "logSpectrogram");
  const hop = options.hop ?? 172;
  const rows = LOG_SPECTROGRAM_BINS - 1;
  const bins = LOG_SPECTROGRAM_BINS;
  const { fft, pffft, weight, first, mirror, taps, cos, sin, nyquist, input, grids, views } =
    _nufftPlan();
  const re = new Float32Array(channels * bins * frames);
  const im = new Float32Array(channels * bins * frames);
  const padded = new Float64Array(length + padding);
  const wrap = 2 * (_M - _CENTRE);

  for (let c = 0; c < channels; c++) {
    const x = window[c];
    let sum = 0;
    for (let i = 0; i < length; i++) sum += x[i];
    const mean = sum / length;
    for (let i = 0; i < length; i++) padded[i] = x[i] - mean;
    const dc = sum / Math.sqrt(length);
    const base = c * bins * frames;
    for (let t = 0; t < frames; t++) re[base + t] = dc;
    // Two frames per FFT, but one when a sample is not finite (a NaN would spill into the
    // other frame of a pair; the all-zero frames of the padding stay 0, as in the matrix
    // product).
    const per = Number.isFinite(sum) ? 2 : 1;
    for (let t0 = 0; t0 < frames; t0 += per * _SLOTS) {
      const slots = Math.min(_SLOTS, Math.ceil((frames - t0) / per));
      // 1. Each slot's grid: the FFT of frame a (real parts) and frame b (imaginary
      //    parts, or zeros), weighted and centred (sample _CENTRE + j at index j mod _M),
      //    then the wings by periodicity.
      for (let slot = 0; slot < slots; slot++) {
        const ta = t0 + per * slot;
        const pair = per === 2 && ta + 1 < frames ? 1 : 0;
        const sa = ta * hop, sb = (ta + pair) * hop;
        for (let i = 0, q = wrap; i < _CENTRE; i++, q += 2) {
          input[q] = weight[i] * padded[sa + i];
          input[q + 1] = pair * weight[i] * padded[sb + i];
        }
        for (let i = _CENTRE, q = 0; i < LOG_SPECTROGRAM_FRAME_LENGTH; i++, q += 2) {
          input[q] = weight[i] * padded[sa + i];
          input[q + 1] = pair * weight[i] * padded[sb + i];
        }
        // PFFFT in single precision where available: the result is float32 anyway (its
        // error, about 1e-7 of the largest bin, is that of float32 rounding).
        if (pffft !== null) pffft.transform(views[slot], input);
        else fft.transform(views[slot], input);
        const g = slot * _STRIDE + 2 * _WING;
        for (let l = 1; l <= _WING; l++) {
          grids[g - 2 * l] = grids[g + 2 * (_M - l)];
          grids[g - 2 * l + 1] = grids[g + 2 * (_M - l) + 1];
          grids[g + 2 * (_M + l - 1)] = grids[g + 2 * (l - 1)];
          grids[g + 2 * (_M + l - 1) + 1] = grids[g + 2 * (l - 1) + 1];
        }
      }
      // 2. Each bin from _W grid points at +f (S+) and at -f (S-):
      //    2 X_a = S+ + conj(S-), 2 X_b = (S+ - conj(S-)) / i; then the centring rotation
      //    (cos and sin are halved).
      for (let k = 0; k < rows; k++) {
        const q = k * _W;
        const w0 = taps[q], w1 = taps[q + 1], w2 = taps[q + 2], w3 = taps[q + 3];
        const w4 = taps[q + 4], w5 = taps[q + 5], w6 = taps[q + 6], w7 = taps[q + 7];
        const w8 = taps[q + 8], w9 = taps[q + 9];
        const ck = cos[k], sk = sin[k];
        const o = base + (k + 1) * frames + t0;
        for (let slot = 0, p = first[k], m = mirror[k]; slot < slots; slot++) {
          const pr = w0 * grids[p] + w1 * grids[p + 2] + w2 * grids[p + 4] +
            w3 * grids[p + 6] + w4 * grids[p + 8] + w5 * grids[p + 10] + w6 * grids[p + 12] +
            w7 * grids[p + 14] + w8 * grids[p + 16] + w9 * grids[p + 18];
          const pi = w0 * grids[p + 1] + w1 * grids[p + 3] + w2 * grids[p + 5] +
            w3 * grids[p + 7] + w4 * grids[p + 9] + w5 * grids[p + 11] + w6 * grids[p + 13] +
            w7 * grids[p + 15] + w8 * grids[p + 17] + w9 * grids[p + 19];
          const mr = w0 * grids[m] + w1 * grids[m - 2] + w2 * grids[m - 4] +
            w3 * grids[m - 6] + w4 * grids[m - 8] + w5 * grids[m - 10] + w6 * grids[m - 12] +
            w7 * grids[m - 14] + w8 * grids[m - 16] + w9 * grids[m - 18];
          const mi = w0 * grids[m + 1] + w1 * grids[m - 1] + w2 * grids[m - 3] +
            w3 * grids[m - 5] + w4 * grids[m - 7] + w5 * grids[m - 9] + w6 * grids[m - 11] +
            w7 * grids[m - 13] + w8 * grids[m - 15] + w9 * grids[m - 17];
          const oa = o + per * slot;
          const ar = pr + mr, ai = pi - mi;
          re[oa] = ar * ck + ai * sk;
          im[oa] = ai * ck - ar * sk;
          if (per === 2 && t0 + per * slot + 1 < frames) {
            const br = pi + mi, bi = mr - pr;
            re[oa + 1] = br * ck + bi * sk;
            im[oa + 1] = bi * ck - br * sk;
          }
          p += _STRIDE;
          m += _STRIDE;
        }
      }
      // 3. Im X at f = 0.5 from the matrix product's row (see _Plan.nyquist), in four
      //    partial sums (the order barely matters next to the row's own rounding).
      const block = Math.min(per * _SLOTS, frames - t0);
      for (let b = 0, o = base + rows * frames + t0; b < block; b++) {
        const s = (t0 + b) * hop;
        let s0 = 0, s1 = 0, s2 = 0, s3 = 0, i = 0;
        for (; i + 3 < LOG_SPECTROGRAM_FRAME_LENGTH; i += 4) {
          s0 += nyquist[i] * padded[s + i];
          s1 += nyquist[i + 1] * padded[s + i + 1];
          s2 += nyquist[i + 2] * padded[s + i + 2];
          s3 += nyquist[i + 3] * padded[s + i + 3];
        }
        for (; i < LOG_SPECTROGRAM_FRAME_LENGTH; i++) s0 += nyquist[i] * padded[s + i];
        im[o + b] = s0 + s1 + (s2 + s3);
      }
    }
  }
  return { re, im, shape: [channels, bins, frames] };
}
