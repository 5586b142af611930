/**
 * The original project's log-frequency spectrogram of an EEG window (RECIPES.md, steps 5
 * and 6), on the CPU. A non-uniform DFT: 255 log-spaced frequencies from 1e-3 to 0.5
 * cycles per sample, evaluated on Hann-windowed frames of 511 samples, plus a 0 Hz row.
 *
 * @module
 */
import { type ChannelSignal, signalShape, type Spectrogram } from "./channel_signal.ts";
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

/**
 * The log-frequency spectrogram of every channel of one window (RECIPES.md step 6):
 * dc = sum(x) / sqrt(L); x - mean(x); 511 - (L mod hop) zeros appended; frames of 511
 * samples at 0, hop, 2 hop, ...; each frame times numpy.hanning(511);
 * X_k = 2 sum_n frame[n] exp(-2 pi i f_k n) / sqrt(511) for the 255 log-spaced f_k; row 0
 * is dc (real) in every frame. Output `[channels, 256, frames]` (12 frames for
 * L = 2048, hop 172).
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
  const n = LOG_SPECTROGRAM_FRAME_LENGTH;
  const rows = LOG_SPECTROGRAM_BINS - 1;
  const bins = LOG_SPECTROGRAM_BINS;
  const basis = logSpectrogramBasis();
  const re = new Float32Array(channels * bins * frames);
  const im = new Float32Array(channels * bins * frames);
  const padded = new Float64Array(length + padding);
  const products = new Float64Array(frames * 2 * rows);

  for (let c = 0; c < channels; c++) {
    const x = window[c];
    let sum = 0;
    for (let i = 0; i < length; i++) sum += x[i];
    const mean = sum / length;
    for (let i = 0; i < length; i++) padded[i] = x[i] - mean;
    // [frames, 511] x basis^T [511, 510], four frames per pass over a basis row.
    for (let t0 = 0; t0 < frames; t0 += 4) {
      const s0 = t0 * hop;
      const s1 = Math.min(t0 + 1, frames - 1) * hop;
      const s2 = Math.min(t0 + 2, frames - 1) * hop;
      const s3 = Math.min(t0 + 3, frames - 1) * hop;
      for (let r = 0; r < 2 * rows; r++) {
        const offset = r * n;
        let a0 = 0, a1 = 0, a2 = 0, a3 = 0;
        for (let i = 0; i < n; i++) {
          const b = basis[offset + i];
          a0 += b * padded[s0 + i];
          a1 += b * padded[s1 + i];
          a2 += b * padded[s2 + i];
          a3 += b * padded[s3 + i];
        }
        const sums = [a0, a1, a2, a3];
        for (let j = 0; j < 4 && t0 + j < frames; j++) products[(t0 + j) * 2 * rows + r] = sums[j];
      }
    }
    const dc = sum / Math.sqrt(length);
    const base = c * bins * frames;
    for (let t = 0; t < frames; t++) {
      re[base + t] = dc;
      for (let k = 1; k < bins; k++) {
        re[base + k * frames + t] = products[t * 2 * rows + k - 1];
        im[base + k * frames + t] = products[t * 2 * rows + rows + k - 1];
      }
    }
  }
  return { re, im, shape: [channels, bins, frames] };
}
