/**
 * Input normalisation of the segmentation model: 8-bit pixels are scaled to [0, 1], then
 * each channel has its mean subtracted and is divided by its standard deviation. The
 * original Endotheliosis Quantifier trained with the ImageNet statistics (RECIPES.md,
 * "Segmentation"); its inference forgot to normalise, a defect this module exists to avoid:
 * training and inference both call {@linkcode normalizeImage} with the object stored in
 * run.json.
 *
 * @module
 */

/** Per-channel statistics in [0, 1] units: `(value / 255 - mean[c]) / std[c]`. */
export interface ImageNormalization {
  /** One mean per channel, or a single value used for every channel. */
  mean: readonly number[];
  /** One standard deviation per channel (> 0), or a single value for every channel. */
  std: readonly number[];
}

/**
 * The ImageNet RGB statistics (torchvision's), what the model is trained with; store this
 * object in run.json so inference normalises the same way.
 *
 * For grey (1-channel) images the RGB values are averaged: mean 0.449 and std 0.226 (see
 * {@linkcode resolveNormalization}).
 *
 * @example
 * ```ts
 * import { IMAGENET_NORMALIZATION } from "./normalization.ts";
 * console.assert(IMAGENET_NORMALIZATION.mean[0] === 0.485 && IMAGENET_NORMALIZATION.std[2] === 0.225);
 * ```
 */
export const IMAGENET_NORMALIZATION: ImageNormalization = Object.freeze({
  mean: Object.freeze([0.485, 0.456, 0.406]),
  std: Object.freeze([0.229, 0.224, 0.225]),
});

/**
 * The per-channel mean and std for an image with `channels` channels: a single value is used
 * for every channel, and 3-channel statistics are averaged for a grey image (so the ImageNet
 * statistics give mean (0.485 + 0.456 + 0.406) / 3 = 0.449 and std 0.226 for grey).
 *
 * @example
 * ```ts
 * import { IMAGENET_NORMALIZATION, resolveNormalization } from "./normalization.ts";
 * const grey = resolveNormalization(IMAGENET_NORMALIZATION, 1);
 * console.assert(Math.abs(grey.mean[0] - 0.449) < 1e-12 && Math.abs(grey.std[0] - 0.226) < 1e-12);
 * ```
 */
export function resolveNormalization(
  norm: ImageNormalization,
  channels: number,
): { mean: number[]; std: number[] } {
  const mean = _perChannel(norm.mean, channels, "mean");
  const std = _perChannel(norm.std, channels, "std");
  for (const s of std) {
    if (!(s > 0) || !Number.isFinite(s)) {
      throw new RangeError(
        `Cannot normalise an image as every std must be a finite number > 0: current value is ${
          JSON.stringify(norm.std)
        }`,
      );
    }
  }
  if (mean.some((m) => !Number.isFinite(m))) {
    throw new RangeError(
      `Cannot normalise an image as every mean must be finite: current value is ${
        JSON.stringify(norm.mean)
      }`,
    );
  }
  return { mean, std };
}

/**
 * Normalises 8-bit interleaved pixels (HWC) to float32: `(u8 / 255 - mean[c]) / std[c]`,
 * computed in float64 and rounded once to float32.
 *
 * @param u8 `width * height * channels` values.
 * @param channels values per pixel (1 grey, 3 RGB).
 * @param norm statistics; default {@linkcode IMAGENET_NORMALIZATION}.
 * @param out where to write (length `u8.length`); a new array when omitted.
 *
 * @example
 * ```ts
 * import { normalizeImage } from "./normalization.ts";
 * const out = normalizeImage(new Uint8Array([0, 255]), 1, { mean: [0.5], std: [0.5] });
 * console.assert(out[0] === -1 && out[1] === 1);
 * ```
 */
export function normalizeImage(
  u8: Uint8Array,
  channels: number,
  norm: ImageNormalization = IMAGENET_NORMALIZATION,
  out?: Float32Array,
): Float32Array {
  if (!Number.isInteger(channels) || channels < 1 || u8.length % channels !== 0) {
    throw new RangeError(
      `Cannot normalise an image as its length must be a multiple of channels (${channels}): ` +
        `current value is ${u8.length}`,
    );
  }
  const result = out ?? new Float32Array(u8.length);
  if (result.length !== u8.length) {
    throw new RangeError(
      `Cannot normalise an image as the output must hold ${u8.length} values: current value is ${result.length}`,
    );
  }
  const { mean, std } = resolveNormalization(norm, channels);
  // One 256-entry table per channel: the same float64 formula as the crop sampler uses.
  const tables = mean.map((m, c) =>
    Float32Array.from({ length: 256 }, (_, v) => (v / 255 - m) / std[c])
  );
  for (let c = 0; c < channels; c++) {
    const table = tables[c];
    for (let i = c; i < u8.length; i += channels) result[i] = table[u8[i]];
  }
  return result;
}

function _perChannel(values: readonly number[], channels: number, what: string): number[] {
  if (!Array.isArray(values) || values.length === 0) {
    throw new TypeError(
      `Cannot normalise an image as ${what} must be a non-empty array of numbers: current value is ${
        JSON.stringify(values)
      }`,
    );
  }
  if (values.length === channels) return [...values];
  if (values.length === 1) return Array(channels).fill(values[0]);
  if (channels === 1) return [values.reduce((a, b) => a + b, 0) / values.length];
  throw new RangeError(
    `Cannot normalise a ${channels}-channel image as ${what} must have 1 or ${channels} values: ` +
      `current value is ${JSON.stringify(values)}`,
  );
}
