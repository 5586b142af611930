/**
 * Spectrogram images (RECIPES.md steps 7-9): the log-frequency spectrogram of one window
 * (20 channels x 256 rows x 12 frames) becomes one 256x256 image, each channel a 256x12
 * strip placed left to right from column 8, high frequencies at the top.
 *
 * Variants:
 * - `db`: greyscale dB image, D = 20 log10(|X| + 1e-9) clipped to [minDb, maxDb],
 *   pixel = floor(255 (D - minDb) / (maxDb - minDb));
 * - `db-iq`: RGB = [dB, Re, Im], Re and Im min-max scaled together per channel strip;
 * - `db-polar`: RGB = [dB, |X| min-max scaled per strip, phase mapped from the fixed
 *   range [-pi, pi]] (the original scaled the phase per strip; a fixed range makes a
 *   pixel value mean the same angle in every image).
 *
 * @module
 */
import type { Spectrogram } from "./channel_signal.ts";
import type { RasterImage } from "../image/raster.ts";

/** The image variants of the recipe. */
export type SpectrogramVariant = "db" | "db-iq" | "db-polar";

/** dB bounds per dataset (RECIPES.md step 7), for volts. */
export const DB_BOUNDS: Readonly<Record<string, readonly [number, number]>> = {
  math: [-127.028, -44.068],
  parkinsons: [-120.0675, 2.9085],
  seed: [-119.0125, -5.0875],
  longitudinal: [-130.984, -4.088],
};

/** Options for {@linkcode spectrogramImage}. */
export interface SpectrogramImageOptions {
  /** Lower and upper dB bound, e.g. DB_BOUNDS.math. */
  dbRange: readonly [number, number];
  /** Default "db". */
  variant?: SpectrogramVariant;
  /** Image side in pixels. Default 256 (must equal the spectrogram's row count). */
  size?: number;
}

/**
 * Renders the spectrogram of one window as an image.
 *
 * @example
 * ```ts
 * import { spectrogramImage } from "./spectrogram_image.ts";
 * const shape: [number, number, number] = [20, 256, 12];
 * const n = 20 * 256 * 12;
 * const spec = { re: new Float32Array(n).fill(1e-4), im: new Float32Array(n), shape };
 * const image = spectrogramImage(spec, { dbRange: [-127.028, -44.068] });
 * // |X| = 1e-4 V is -80 dB: floor(255 * 47.028 / 82.96) = 144; columns 0-7 stay black.
 * console.assert(image.width === 256 && image.data[8] === 144 && image.data[0] === 0);
 * ```
 */
export function spectrogramImage(
  spec: Spectrogram,
  options: SpectrogramImageOptions,
): RasterImage {
  const [channels, rows, frames] = spec.shape;
  const size = options.size ?? 256;
  const variant = options.variant ?? "db";
  const [minDb, maxDb] = options.dbRange;
  if (rows !== size) {
    throw new RangeError(
      `Error in spectrogramImage: the spectrogram must have ${size} rows: current value is ${rows}`,
    );
  }
  if (channels * frames > size) {
    throw new RangeError(
      `Error in spectrogramImage: ${channels} channels x ${frames} frames do not fit in ${size} ` +
        `columns`,
    );
  }
  if (!(maxDb > minDb)) {
    throw new RangeError(
      `Cannot render a spectrogram as maxDb must exceed minDb: current value is [${minDb}, ${maxDb}]`,
    );
  }
  const depth = variant === "db" ? 1 : 3;
  const data = new Uint8Array(size * size * depth);
  const left = Math.floor((size - channels * frames) / 2);
  const strip = rows * frames;
  const levels = _dbLevels(minDb, maxDb);
  const { table, threshold, zeros, top, key, lowest, highest } = levels;
  const shift = levels.shift, scratch = _scratch, words = _words, high = _HIGH;
  const specRe = spec.re, specIm = spec.im;
  for (let c = 0; c < channels; c++) {
    const base = c * strip;
    // Joint Re/Im range (db-iq) and |X| range (db-polar) of this channel's strip.
    let lo = Infinity, hi = -Infinity, magLo = Infinity, magHi = -Infinity;
    if (variant !== "db") {
      for (let k = base; k < base + strip; k++) {
        const re = specRe[k], im = specIm[k];
        lo = Math.min(lo, re, im);
        hi = Math.max(hi, re, im);
        const mag = Math.sqrt(re * re + im * im);
        magLo = Math.min(magLo, mag);
        magHi = Math.max(magHi, mag);
      }
    }
    for (let r = 0; r < rows; r++) {
      const y = rows - 1 - r; // flip: row 0 of the image is the highest frequency
      const row = base + r * frames;
      const column = (y * size + left + c * frames) * depth;
      for (let t = 0; t < frames; t++) {
        const re = specRe[row + t], im = specIm[row + t];
        // The dB level of |X|^2 (see _dbLevels), inlined: no logarithm per pixel.
        const power = re * re + im * im;
        let level: number;
        if (power < lowest) level = zeros;
        else if (power >= highest) level = top;
        else {
          scratch[0] = power;
          level = table[(words[high] >>> shift) - key];
          while (power >= threshold[level + 1]) level++;
        }
        const p = column + t * depth;
        data[p] = level;
        if (variant === "db-iq") {
          data[p + 1] = _minMax(re, lo, hi);
          data[p + 2] = _minMax(im, lo, hi);
        } else if (variant === "db-polar") {
          const mag = Math.sqrt(power);
          data[p + 1] = _minMax(mag, magLo, magHi);
          data[p + 2] = Math.min(
            255,
            Math.floor((255 * (Math.atan2(im, re) + Math.PI)) / (2 * Math.PI)),
          );
        }
      }
    }
  }
  return { width: size, height: size, channels: depth as 1 | 3, depth: 8, data };
}

/** A float64 scratch value and its two 32-bit words, to read the exponent of |X|^2. */
const _scratch = new Float64Array(1);
const _words = new Uint32Array(_scratch.buffer);
/** Index of the word holding sign, exponent and the top 20 mantissa bits. */
const _HIGH = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1 ? 1 : 0;

/**
 * The dB level floor(255 (clip(20 log10(|X| + 1e-9), minDb, maxDb) - minDb) / (maxDb -
 * minDb)) as a function of the power P = |X|^2, without a logarithm: the level is the
 * number of thresholds threshold[p] = (10^((minDb + p / scale) / 20) - 1e-9)^2,
 * p = 1..top, that P reaches. A table indexed by the exponent and the leading mantissa
 * bits of P (buckets much narrower than the gaps between thresholds) gives the count at
 * the bucket's lower edge; comparisons with the next thresholds settle the rest.
 */
interface _DbLevels {
  minDb: number;
  maxDb: number;
  /** Level at the lower edge of each bucket, from bucket `key` on. */
  table: Uint8Array;
  /** threshold[p] for p = 1..top; threshold[top + 1] = Infinity. */
  threshold: Float64Array;
  /** Right shift of the high word that leaves the bucket key. */
  shift: number;
  /** Key of the first bucket. */
  key: number;
  /** Smallest positive threshold (Infinity when none); below it the level is `zeros`. */
  lowest: number;
  /** Thresholds equal to 0 (reached by every P). */
  zeros: number;
  /** The top level, floor(scale (maxDb - minDb)), and its threshold. */
  top: number;
  highest: number;
}

let _levels: _DbLevels | null = null;

function _keyOf(power: number, shift: number): number {
  _scratch[0] = power;
  return _words[_HIGH] >>> shift;
}

function _dbLevels(minDb: number, maxDb: number): _DbLevels {
  if (_levels !== null && _levels.minDb === minDb && _levels.maxDb === maxDb) return _levels;
  const scale = 255 / (maxDb - minDb);
  const top = Math.floor(scale * (maxDb - minDb));
  const threshold = new Float64Array(top + 2);
  let zeros = 0;
  for (let p = 1; p <= top; p++) {
    const magnitude = Math.max(10 ** ((minDb + p / scale) / 20) - 1e-9, 0);
    threshold[p] = magnitude * magnitude;
    if (threshold[p] === 0) zeros++;
  }
  threshold[top + 1] = Infinity;
  const lowest = zeros < top ? threshold[zeros + 1] : Infinity;
  const highest = threshold[top];
  // Bucket width 2^-bits octaves of P, at most 1/32 of the narrowest gap between
  // thresholds, log2(10) / (10 scale) octaves: few buckets hold a threshold, so the
  // comparison below rarely goes both ways (a bucket holding several would still work).
  const bits = Math.max(0, Math.min(20, Math.ceil(Math.log2((10 * scale) / Math.log2(10))) + 5));
  const shift = 20 - bits;
  let table = new Uint8Array(0), key = 0;
  if (lowest < highest) {
    key = _keyOf(lowest, shift);
    table = new Uint8Array(_keyOf(highest, shift) - key + 1);
    let level = zeros;
    for (let b = 0; b < table.length; b++) {
      _words[1 - _HIGH] = 0;
      _words[_HIGH] = (key + b) << shift;
      const edge = _scratch[0];
      while (level < top && threshold[level + 1] <= edge) level++;
      table[b] = level;
    }
  }
  _levels = { minDb, maxDb, table, threshold, shift, key, lowest, zeros, top, highest };
  return _levels;
}

function _minMax(v: number, lo: number, hi: number): number {
  return hi > lo ? Math.min(255, Math.floor((255 * (v - lo)) / (hi - lo))) : 0;
}
