/**
 * Training crops with augmentation, done as ONE inverse affine map from each output pixel to
 * source coordinates (flips, quarter turns, a free rotation and a scale compose into one
 * 2x2 matrix), so no intermediate crop is made and the image is resampled once.
 *
 * Geometry: output pixel (i, j) of an S x S crop of the `size` window at (x, y) sits at
 * (u, v) = (j, i) + 0.5 - S/2; scaled by size x scale / S, rotated back, turned back (one
 * quarter turn is numpy's rot90) and flipped to (a, b), it samples the source at
 * (x, y) + size/2 + (a, b) - 0.5. No rotation and size = S give the window's pixels
 * exactly; size = 2S averages 2x2 blocks (half-pixel centres, like cv2.resize).
 *
 * Pixels outside the image are mirrored (half-sample symmetric, scipy.ndimage "reflect"):
 * a crop centred near an edge still shows tissue with consistent mask labels, where zero
 * padding adds black borders that never occur at inference (whole-field tiles lie inside
 * the image) and that the model could learn as a cue.
 *
 * @module
 */
import type { Rng } from "../runtime/rng.ts";
import {
  IMAGENET_NORMALIZATION,
  type ImageNormalization,
  resolveNormalization,
} from "./normalization.ts";
/**
 * An image with its binary mask, in memory (lib/segment's `SegSample` is one): 8-bit HWC
 * pixels and one 0/1 value per pixel.
 */
export interface MaskedImage {
  /** Names the image in error messages. */
  id: string;
  width: number;
  height: number;
  channels: 1 | 3;
  image: Uint8Array;
  mask: Uint8Array;
}

/** Options of {@linkcode sampleCrop}; the defaults are the training recipe. */
export interface CropOptions {
  /** Output side S (the model input). Default 256. */
  inputSize?: number;
  /** Source window side before scale jitter. Default 512. */
  cropSize?: number;
  /** False gives a plain crop: no flips, rotations, scale or photometric jitter. Default true. */
  augment?: boolean;
  /** Chance that the centre is a random foreground pixel (else uniform). Default 0.6. */
  positiveProb?: number;
  /**
   * Shift of a positive crop's window, uniform in +-jitter x half the crop size per axis, so
   * the foreground pixel need not sit at the centre. Default 0 (centred). With large objects
   * (glomeruli fill much of a 512 px crop) centred crops teach a "blob in the middle" prior
   * instead of appearance: after 240 steps every whole-field tile showed a central blob and
   * validation Dice was 0.25; 1 makes positives look like inference tiles, which cut objects
   * anywhere.
   */
  positiveJitter?: number;
  /** Chance of each of the horizontal and vertical flips. Default 0.5. */
  flipProb?: number;
  /** Random quarter turns k in 0..3. Default true. */
  rotate90?: boolean;
  /** Free rotation uniform in +-this many degrees; 0 turns it off. Default 15. */
  rotateDegrees?: number;
  /** Crop side scaled by a factor uniform in [1 - s, 1 + s]. Default 0.15. */
  scaleJitter?: number;
  /** Added value uniform in +-b, in [0, 1] units. Default 0.1. */
  brightness?: number;
  /** Deviation from the crop mean multiplied by a factor uniform in [1 - c, 1 + c]. Default 0.1. */
  contrast?: number;
  /** Normalisation applied last. Default {@linkcode IMAGENET_NORMALIZATION}. */
  norm?: ImageNormalization;
}

/** A square source window; x and y may be negative or run past the image (mirrored). */
export interface CropWindow {
  x: number;
  y: number;
  size: number;
}

/** A window plus the augmentation to apply; missing fields mean "none". */
export interface CropTransform extends CropWindow {
  flipH?: boolean;
  flipV?: boolean;
  /** Counter-clockwise quarter turns, 0..3 (numpy rot90's k). */
  quarterTurns?: number;
  angleDegrees?: number;
  /** Factor on the window side (default 1). */
  scale?: number;
  /** Added in [0, 1] units (default 0). */
  brightness?: number;
  /** Factor around the crop mean (default 1). */
  contrast?: number;
}

/** What {@linkcode sampleCrop} drew: the transform, its centre pixel, and how it was chosen. */
export interface CropDraw extends Required<CropTransform> {
  centerX: number;
  centerY: number;
  /** True when the centre was drawn among the foreground pixels. */
  positive: boolean;
}

/** Where a crop is written: `image` S*S*C normalised values (HWC), `mask` S*S 0/1 values. */
export interface CropOutput {
  image: Float32Array;
  mask: Float32Array;
}

/**
 * Draws one augmented training crop of `sample` into `out` and returns what was drawn. The
 * centre is, with probability `positiveProb`, a foreground pixel picked uniformly (a sample
 * without foreground always gets a uniform centre), else a pixel uniform over the image.
 * The same rng state gives the same crop.
 *
 * @example
 * ```ts
 * import { Rng } from "../runtime/rng.ts";
 * import { sampleCrop } from "./crop_sampler.ts";
 * const sample = { id: "a", subject: "all", width: 4, height: 4, channels: 1 as const,
 *   image: new Uint8Array(16).fill(255), mask: new Uint8Array(16).fill(1) };
 * const out = { image: new Float32Array(4), mask: new Float32Array(4) };
 * const draw = sampleCrop(sample, new Rng(0), { inputSize: 2, cropSize: 2, positiveProb: 1 }, out);
 * console.assert(draw.positive && out.mask.every((m) => m === 1));
 * ```
 */
export function sampleCrop(
  sample: MaskedImage,
  rng: Rng,
  options: CropOptions,
  out: CropOutput,
): CropDraw {
  const cropSize = _positiveInt(options.cropSize ?? 512, "cropSize");
  const p = (name: keyof CropOptions, fallback: number, max = Infinity) => {
    const value = (options[name] as number | undefined) ?? fallback;
    if (!(value >= 0 && value <= max)) {
      throw new RangeError(
        `Cannot sample a crop as ${name} must be in [0, ${max}]: current value is ${value}`,
      );
    }
    return value;
  };
  const positiveProb = p("positiveProb", 0.6, 1);
  const foreground = _foregroundIndices(sample.mask);
  const positive = rng.float() < positiveProb && foreground.length > 0;
  const index = positive
    ? foreground[rng.int(foreground.length)]
    : rng.int(sample.width * sample.height);
  let centerX = index % sample.width, centerY = (index - centerX) / sample.width;
  const half = Math.floor(cropSize / 2);
  // Moves the window so the chosen foreground pixel lands anywhere within jitter x half a
  // crop of its centre (no draws at 0, so crops without jitter are unchanged).
  const jitter = p("positiveJitter", 0, 1);
  if (positive && jitter > 0) {
    const reach = jitter * half;
    centerX += Math.round((2 * rng.float() - 1) * reach);
    centerY += Math.round((2 * rng.float() - 1) * reach);
  }
  const at = { x: centerX - half, y: centerY - half, size: cropSize, centerX, centerY };
  const draw: CropDraw = { ..._IDENTITY, ..._NO_CHANGE, ...at, positive };
  if (options.augment ?? true) {
    const flipProb = p("flipProb", 0.5, 1), rotateDegrees = p("rotateDegrees", 15, 180);
    const scaleJitter = p("scaleJitter", 0.15, 0.99), brightness = p("brightness", 0.1, 1);
    const contrast = p("contrast", 0.1, 1);
    const symmetric = () => 2 * rng.float() - 1;
    draw.flipH = rng.float() < flipProb;
    draw.flipV = rng.float() < flipProb;
    if (options.rotate90 ?? true) draw.quarterTurns = rng.int(4);
    if (rotateDegrees > 0) draw.angleDegrees = symmetric() * rotateDegrees;
    if (scaleJitter > 0) draw.scale = 1 + symmetric() * scaleJitter;
    if (brightness > 0) draw.brightness = symmetric() * brightness;
    if (contrast > 0) draw.contrast = 1 + symmetric() * contrast;
  }
  renderCrop(sample, draw, options, out);
  return draw;
}

/**
 * Renders one crop with a given transform (no randomness): `sampleCrop` after its draw, and
 * validation crops over {@linkcode fixedCrops} windows. Image bilinear, mask bilinear then
 * > 0.5; then brightness and contrast (when set) in [0, 1] units, clamped to [0, 1]; then
 * normalisation.
 *
 * @example
 * ```ts
 * import { renderCrop } from "./crop_sampler.ts";
 * const sample = { id: "a", subject: "all", width: 2, height: 1, channels: 1 as const,
 *   image: new Uint8Array([0, 255]), mask: new Uint8Array([0, 1]) };
 * const out = { image: new Float32Array(1), mask: new Float32Array(1) };
 * renderCrop(sample, { x: 1, y: 0, size: 1 }, { inputSize: 1, norm: { mean: [0], std: [1] } }, out);
 * console.assert(out.image[0] === 1 && out.mask[0] === 1);
 * ```
 */
export function renderCrop(
  sample: MaskedImage,
  transform: CropTransform,
  options: { inputSize?: number; norm?: ImageNormalization },
  out: CropOutput,
): void {
  const S = _positiveInt(options.inputSize ?? 256, "inputSize");
  const { width: W, height: H, channels: C, image, mask } = sample;
  if (image.length !== W * H * C || mask.length !== W * H) {
    throw new RangeError(
      `Cannot crop sample "${sample.id}" as image and mask must hold ${W}x${H}x${C} and ` +
        `${W}x${H} values: current value is ${image.length} and ${mask.length}`,
    );
  }
  if (out.image.length !== S * S * C || out.mask.length !== S * S) {
    throw new RangeError(
      `Cannot crop sample "${sample.id}" as the output must hold ${S}x${S}x${C} and ${S}x${S} ` +
        `values: current value is ${out.image.length} and ${out.mask.length}`,
    );
  }
  const { mean, std } = resolveNormalization(options.norm ?? IMAGENET_NORMALIZATION, C);
  // The linear part: output offsets (u, v) -> source offsets (a, b), built from the inverse
  // steps in reverse order of the forward augmentation (flip, quarter turns, rotate, scale).
  const factor = (_positiveInt(transform.size, "size") * (transform.scale ?? 1)) / S;
  const angle = ((transform.angleDegrees ?? 0) * Math.PI) / 180;
  const cos = angle === 0 ? 1 : Math.cos(angle), sin = angle === 0 ? 0 : Math.sin(angle);
  const toSource = (u: number, v: number): [number, number] => {
    let a = (cos * u + sin * v) * factor, b = (-sin * u + cos * v) * factor;
    for (let k = 0; k < ((transform.quarterTurns ?? 0) & 3); k++) [a, b] = [-b, a];
    return [transform.flipH ? -a : a, transform.flipV ? -b : b];
  };
  const [m00, m10] = toSource(1, 0), [m01, m11] = toSource(0, 1);
  const originX = transform.x + transform.size / 2 - 0.5;
  const originY = transform.y + transform.size / 2 - 0.5;
  const img = out.image, msk = out.mask;
  let sum = 0;
  for (let i = 0; i < S; i++) {
    const v = i + 0.5 - S / 2;
    for (let j = 0; j < S; j++) {
      const u = j + 0.5 - S / 2;
      const xs = originX + m00 * u + m01 * v, ys = originY + m10 * u + m11 * v;
      const fx0 = Math.floor(xs), fy0 = Math.floor(ys);
      const fx = xs - fx0, fy = ys - fy0;
      const x0 = _reflect(fx0, W), x1 = _reflect(fx0 + 1, W);
      const r0 = _reflect(fy0, H) * W, r1 = _reflect(fy0 + 1, H) * W;
      const w00 = (1 - fy) * (1 - fx), w01 = (1 - fy) * fx, w10 = fy * (1 - fx), w11 = fy * fx;
      const p00 = r0 + x0, p01 = r0 + x1, p10 = r1 + x0, p11 = r1 + x1, o = i * S + j;
      const m = w00 * mask[p00] + w01 * mask[p01] + w10 * mask[p10] + w11 * mask[p11];
      msk[o] = m > 0.5 ? 1 : 0;
      for (let c = 0; c < C; c++) {
        const value = w00 * image[p00 * C + c] + w01 * image[p01 * C + c] +
          w10 * image[p10 * C + c] + w11 * image[p11 * C + c];
        img[o * C + c] = value;
        sum += value;
      }
    }
  }
  const brightness = transform.brightness ?? 0, contrast = transform.contrast ?? 1;
  const jitter = brightness !== 0 || contrast !== 1;
  const cropMean = sum / img.length / 255;
  for (let o = 0; o < img.length; o += C) {
    for (let c = 0; c < C; c++) {
      let value = img[o + c] / 255;
      if (jitter) {
        value = Math.min(1, Math.max(0, (value - cropMean) * contrast + cropMean + brightness));
      }
      img[o + c] = (value - mean[c]) / std[c];
    }
  }
}

/**
 * The deterministic validation windows of a sample: a grid of `cropSize` windows at
 * `stride` (default `cropSize`, non-overlapping) whose last row and column are shifted
 * flush to the image's edge, so the grid covers the image. A side shorter than `cropSize`
 * gets one window at 0 (its overhang is mirrored when rendered). Row-major order.
 *
 * @example
 * ```ts
 * import { fixedCrops } from "./crop_sampler.ts";
 * const windows = fixedCrops({ width: 1200, height: 512 }, { cropSize: 512 });
 * console.assert(windows.map((w) => w.x).join() === "0,512,688");
 * ```
 */
export function fixedCrops(
  sample: { width: number; height: number },
  options: { cropSize?: number; stride?: number },
): CropWindow[] {
  const size = _positiveInt(options.cropSize ?? 512, "cropSize");
  const stride = _positiveInt(options.stride ?? size, "stride");
  const starts = (length: number): number[] => {
    if (length <= size) return [0];
    const result: number[] = [];
    for (let p = 0; p + size < length; p += stride) result.push(p);
    result.push(length - size);
    return result;
  };
  const xs = starts(sample.width);
  return starts(sample.height).flatMap((y) => xs.map((x) => ({ x, y, size })));
}

/** Half-sample symmetric index: ... 1 0 | 0 1 ... n-1 | n-1 n-2 ... */
function _reflect(i: number, n: number): number {
  if (i >= 0 && i < n) return i;
  const m = ((i % (2 * n)) + 2 * n) % (2 * n);
  return m < n ? m : 2 * n - 1 - m;
}

/** The transform fields of a draw without augmentation. */
const _IDENTITY = { flipH: false, flipV: false, quarterTurns: 0, angleDegrees: 0 } as const;
const _NO_CHANGE = { scale: 1, brightness: 0, contrast: 1 } as const;
const _foregroundCache = new WeakMap<Uint8Array, Uint32Array>();

/** Indices of the mask's 1 pixels, computed once per mask array (masks are not mutated). */
function _foregroundIndices(mask: Uint8Array): Uint32Array {
  let indices = _foregroundCache.get(mask);
  if (indices === undefined) {
    let count = 0;
    for (let i = 0; i < mask.length; i++) count += mask[i] !== 0 ? 1 : 0;
    indices = new Uint32Array(count);
    for (let i = 0, k = 0; i < mask.length; i++) if (mask[i] !== 0) indices[k++] = i;
    _foregroundCache.set(mask, indices);
  }
  return indices;
}

function _positiveInt(value: number, name: string): number {
  if (!Number.isInteger(value) || value <= 0) {
    throw new RangeError(
      `Cannot make a crop as ${name} must be a positive integer: current value is ${value}`,
    );
  }
  return value;
}
