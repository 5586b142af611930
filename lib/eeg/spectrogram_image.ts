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
  const scale = 255 / (maxDb - minDb);
  for (let c = 0; c < channels; c++) {
    const base = c * strip;
    // Joint Re/Im range (db-iq) and |X| range (db-polar) of this channel's strip.
    let lo = Infinity, hi = -Infinity, magLo = Infinity, magHi = -Infinity;
    if (variant !== "db") {
      for (let k = base; k < base + strip; k++) {
        const re = spec.re[k], im = spec.im[k];
        lo = Math.min(lo, re, im);
        hi = Math.max(hi, re, im);
        const mag = Math.hypot(re, im);
        magLo = Math.min(magLo, mag);
        magHi = Math.max(magHi, mag);
      }
    }
    for (let r = 0; r < rows; r++) {
      const y = rows - 1 - r; // flip: row 0 of the image is the highest frequency
      for (let t = 0; t < frames; t++) {
        const k = base + r * frames + t;
        const re = spec.re[k], im = spec.im[k];
        const mag = Math.hypot(re, im);
        const db = Math.min(maxDb, Math.max(minDb, 20 * Math.log10(mag + 1e-9)));
        const p = (y * size + left + c * frames + t) * depth;
        data[p] = Math.floor(scale * (db - minDb));
        if (variant === "db-iq") {
          data[p + 1] = _minMax(re, lo, hi);
          data[p + 2] = _minMax(im, lo, hi);
        } else if (variant === "db-polar") {
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

function _minMax(v: number, lo: number, hi: number): number {
  return hi > lo ? Math.min(255, Math.floor((255 * (v - lo)) / (hi - lo))) : 0;
}
