/**
 * Changing the sampling rate of multichannel EEG: `decimate` (IIR anti-aliasing, as the
 * original project's preprocessing) and `resamplePoly` (polyphase FIR), each equal to
 * its scipy.signal namesake with scipy's defaults.
 *
 * @module
 */
import { type ChannelSignal, signalShape } from "./channel_signal.ts";
import { cheby1Sos, firwinLowpass } from "./filter_design.ts";
import { sosfiltfiltChannels, sosfiltInPlace } from "./sosfiltfilt.ts";

/** Options for {@linkcode decimate}. */
export interface DecimateOptions {
  /** Chebyshev type I filter order (scipy's n); must be even. Default 8. */
  order?: number;
  /** Filter forwards and backwards (no phase shift). Default true, as scipy. */
  zeroPhase?: boolean;
}

function _checkFactor(value: number, name: string, caller: string): void {
  if (!Number.isInteger(value) || value < 1) {
    throw new RangeError(
      `Cannot ${caller} as ${name} must be a positive integer: current value is ${value}`,
    );
  }
}

/**
 * Low-pass filters every channel and keeps every q-th sample, as
 * `scipy.signal.decimate(x, q, zero_phase=True)` (scipy 1.10): an order-8 Chebyshev
 * type I filter with 0.05 dB ripple and cut-off 0.8 / q of Nyquist, as second-order
 * sections (`cheby1(8, 0.05, 0.8 / q, output="sos")`), applied by `sosfiltfilt` with
 * odd padding of 27 samples, then samples 0, q, 2q, ... Output length ceil(n / q).
 *
 * Channels must be longer than the padding (27 samples for order 8).
 *
 * @example
 * ```ts
 * import { decimate } from "./resample.ts";
 * const x = Float32Array.from({ length: 500 }, (_, n) => Math.cos((2 * Math.PI * 5 * n) / 500));
 * const [y] = decimate([x], 4); // 500 Hz -> 125 Hz; 5 Hz passes (within the 0.05 dB ripple)
 * console.assert(y.length === 125 && Math.abs(y[25] - 1) < 0.01);
 * ```
 */
export function decimate(
  signal: ChannelSignal,
  q: number,
  options: DecimateOptions = {},
): Float32Array[] {
  signalShape(signal, "decimate");
  _checkFactor(q, "the factor q", "decimate");
  const sos = cheby1Sos({ order: options.order ?? 8, rippleDb: 0.05, cutoff: 0.8 / q });
  if (options.zeroPhase ?? true) {
    // All channels at once (two at a time in WebAssembly SIMD; the same values), keeping
    // every q-th sample.
    return sosfiltfiltChannels(sos, signal, { every: q }).map((y) => Float32Array.from(y));
  }
  return signal.map((channel) => {
    // scipy's zero_phase=False: sosfilt from zero state.
    const filtered = Float64Array.from(channel);
    sosfiltInPlace(sos, filtered);
    const out = new Float32Array(Math.ceil(channel.length / q));
    for (let i = 0; i < out.length; i++) out[i] = filtered[i * q];
    return out;
  });
}

/** Options for {@linkcode resamplePoly}. */
export interface ResamplePolyOptions {
  /** Upsampling factor. */
  up: number;
  /** Downsampling factor. */
  down: number;
  /** Kaiser window beta of the FIR design. Default 5.0, as scipy. */
  kaiserBeta?: number;
}

/**
 * Resamples every channel by up / down with a polyphase FIR filter, as
 * `scipy.signal.resample_poly(x, up, down, window=("kaiser", 5.0), padtype="constant")`:
 * factors reduced by their gcd, a low-pass FIR of 2 * 10 * max(up, down) + 1 taps with
 * cut-off 1 / max(up, down) of Nyquist (firwin), gain up, zero padding outside the
 * signal, output length ceil(n * up / down).
 *
 * @example
 * ```ts
 * import { resamplePoly } from "./resample.ts";
 * const x = new Float32Array(400).fill(1);
 * const [y] = resamplePoly([x], { up: 5, down: 8 }); // 200 Hz -> 125 Hz
 * console.assert(y.length === 250 && Math.abs(y[125] - 1) < 1e-3);
 * ```
 */
export function resamplePoly(signal: ChannelSignal, options: ResamplePolyOptions): Float32Array[] {
  const [, samples] = signalShape(signal, "resamplePoly");
  _checkFactor(options.up, "up", "resample");
  _checkFactor(options.down, "down", "resample");
  const g = _gcd(options.up, options.down);
  const up = options.up / g;
  const down = options.down / g;
  if (up === 1 && down === 1) return signal.map((channel) => Float32Array.from(channel));
  const outLength = Math.ceil((samples * up) / down);
  // 1. The filter, gain up, zero-padded in front so that output samples fall on the
  //    centre of the filter (scipy's n_pre_pad / n_pre_remove).
  const maxRate = Math.max(up, down);
  const halfLength = 10 * maxRate;
  const taps = firwinLowpass(2 * halfLength + 1, 1 / maxRate, { kaiserBeta: options.kaiserBeta });
  const prePad = down - (halfLength % down);
  const preRemove = Math.floor((halfLength + prePad) / down);
  let postPad = 0;
  while (
    _upfirdnLength(taps.length + prePad + postPad, samples, up, down) < outLength + preRemove
  ) {
    postPad++;
  }
  const h = new Float64Array(prePad + taps.length + postPad);
  for (let i = 0; i < taps.length; i++) h[prePad + i] = taps[i] * up;
  // 2. upfirdn: y[m] = sum_i x[i] h[m down - i up], only the kept outputs.
  return signal.map((channel) => {
    const out = new Float32Array(outLength);
    for (let j = 0; j < outLength; j++) {
      const p = (j + preRemove) * down;
      const iHigh = Math.min(samples - 1, Math.floor(p / up));
      const iLow = Math.max(0, Math.ceil((p - h.length + 1) / up));
      let sum = 0;
      for (let i = iLow; i <= iHigh; i++) sum += channel[i] * h[p - i * up];
      out[j] = sum;
    }
    return out;
  });
}

function _upfirdnLength(filterLength: number, samples: number, up: number, down: number): number {
  return Math.floor(((samples - 1) * up + filterLength - 1) / down) + 1;
}

function _gcd(a: number, b: number): number {
  while (b !== 0) [a, b] = [b, a % b];
  return a;
}
