/**
 * Linear-frequency short-time Fourier transform on the CPU, equal to
 * `scipy.signal.stft` (see {@link ./stft_params.ts} for the parameter names).
 *
 * @module
 */
import { type ChannelSignal, signalShape, type Spectrogram } from "./channel_signal.ts";
import { Fft } from "./fft.ts";
import { pffftPlan } from "./pffft.ts";
import { planStft, type StftOptions } from "./stft_params.ts";

export type { StftOptions } from "./stft_params.ts";

/** An STFT `[channels, bins, frames]` with its axes. */
export interface StftResult extends Spectrogram {
  /** Frequency of each bin in Hz (cycles per sample when sampleRateHz is 1). */
  frequenciesHz: Float64Array;
  /** Centre of each frame in seconds, relative to the first sample. */
  timesSeconds: Float64Array;
}

/** Frames per block: spectra are computed into a block, then written frame-contiguous. */
const _BLOCK = 16;

/**
 * The STFT of every channel, as `scipy.signal.stft(x, fs, window, nperseg, noverlap,
 * nfft, detrend=False, return_onesided, boundary, padded, scaling)` with
 * nperseg = frameLength, noverlap = frameLength - hop, nfft = fftLength. Output layout
 * is scipy's: `[channels, bins, frames]`.
 *
 * Two real frames go through one complex FFT (as real and imaginary parts) and are
 * separated by conjugate symmetry; arithmetic is float64, the result float32.
 *
 * @example
 * ```ts
 * import { stft } from "./stft.ts";
 * // A 0.125 cycles/sample cosine peaks in bin 0.125 * 64 = 8.
 * const x = Float32Array.from({ length: 512 }, (_, n) => Math.cos(2 * Math.PI * 0.125 * n));
 * const { re, im, shape: [, bins, frames] } = stft([x], { frameLength: 64, hop: 16 });
 * const t = 10;
 * const magnitude = (k: number) => Math.hypot(re[k * frames + t], im[k * frames + t]);
 * console.assert(bins === 33 && magnitude(8) > 10 * magnitude(5));
 * ```
 */
export function stft(signal: ChannelSignal, options: StftOptions = {}): StftResult {
  const [channels, samples] = signalShape(signal, "stft");
  const plan = planStft(samples, options, "stft");
  const { hop, fftLength: n, bins, frames } = plan;
  const fft = new Fft(n);
  // Single-precision PFFFT where it supports the length (the result is float32 anyway).
  const pffft = pffftPlan(n);
  const forward = (input: Float64Array, output: Float64Array) =>
    pffft === null ? fft.forward(input, output) : pffft.transform(output, input);
  // The scaling is linear: fold it into the window.
  const window = plan.window.map((w) => w * plan.scale);
  const re = new Float32Array(channels * bins * frames);
  const im = new Float32Array(channels * bins * frames);
  const extended = new Float64Array(plan.padStart + samples + plan.padEnd);
  const packed = new Float64Array(2 * n); // zero beyond frameLength: FFT zero-padding
  const spectrum = new Float64Array(2 * n);
  const blockRe = new Float64Array(_BLOCK * bins);
  const blockIm = new Float64Array(_BLOCK * bins);

  for (let c = 0; c < channels; c++) {
    extended.set(signal[c], plan.padStart);
    for (let t0 = 0; t0 < frames; t0 += _BLOCK) {
      const count = Math.min(_BLOCK, frames - t0);
      for (let j = 0; j < count; j += 2) {
        // Frame a -> real part, frame b -> imaginary part: z = a + i b.
        const startA = (t0 + j) * hop;
        if (j + 1 < count) {
          _packPair(window, extended, startA, startA + hop, packed);
          forward(packed, spectrum);
          _separatePair(spectrum, n, bins, j * bins, blockRe, blockIm);
        } else {
          _packPair(window, extended, startA, -1, packed);
          forward(packed, spectrum);
          _copySingle(spectrum, bins, j * bins, blockRe, blockIm);
        }
      }
      for (let k = 0; k < bins; k++) {
        const base = (c * bins + k) * frames + t0;
        for (let j = 0; j < count; j++) {
          re[base + j] = blockRe[j * bins + k];
          im[base + j] = blockIm[j * bins + k];
        }
      }
    }
  }
  return {
    re,
    im,
    shape: [channels, bins, frames],
    frequenciesHz: plan.frequenciesHz,
    timesSeconds: plan.timesSeconds,
  };
}

/** packed[2i] = w[i] x[a + i], packed[2i + 1] = w[i] x[b + i] (0 when b < 0). */
function _packPair(
  window: Float64Array,
  x: Float64Array,
  startA: number,
  startB: number,
  packed: Float64Array,
): void {
  const length = window.length;
  if (startB < 0) {
    for (let i = 0; i < length; i++) {
      packed[2 * i] = window[i] * x[startA + i];
      packed[2 * i + 1] = 0;
    }
    return;
  }
  for (let i = 0; i < length; i++) {
    const w = window[i];
    packed[2 * i] = w * x[startA + i];
    packed[2 * i + 1] = w * x[startB + i];
  }
}

/** A_k = (Z_k + conj Z_(n-k)) / 2 and B_k = (Z_k - conj Z_(n-k)) / 2i, into the block. */
function _separatePair(
  spectrum: Float64Array,
  n: number,
  bins: number,
  offset: number,
  blockRe: Float64Array,
  blockIm: Float64Array,
): void {
  blockRe[offset] = spectrum[0];
  blockIm[offset] = 0;
  blockRe[offset + bins] = spectrum[1];
  blockIm[offset + bins] = 0;
  for (let k = 1; k < bins; k++) {
    const mirror = 2 * (n - k);
    const zr = spectrum[2 * k];
    const zi = spectrum[2 * k + 1];
    const wr = spectrum[mirror];
    const wi = spectrum[mirror + 1];
    blockRe[offset + k] = 0.5 * (zr + wr);
    blockIm[offset + k] = 0.5 * (zi - wi);
    blockRe[offset + bins + k] = 0.5 * (zi + wi);
    blockIm[offset + bins + k] = 0.5 * (wr - zr);
  }
}

/** A frame packed alone (imaginary part zero): its spectrum as is. */
function _copySingle(
  spectrum: Float64Array,
  bins: number,
  offset: number,
  blockRe: Float64Array,
  blockIm: Float64Array,
): void {
  for (let k = 0; k < bins; k++) {
    blockRe[offset + k] = spectrum[2 * k];
    blockIm[offset + k] = spectrum[2 * k + 1];
  }
}
