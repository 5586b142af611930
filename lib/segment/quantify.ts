/**
 * Per-region numbers of a segmented field: area, box fill, mean intensity and the
 * "openness" of a glomerulus (how much of it is bright, open capillary lumen) with the
 * endotheliosis grade derived from it.
 *
 * @module
 */
import type { PixelRect, Region } from "./regions.ts";

/** A single-channel image, row-major (e.g. 8-bit grey from RGB). */
export interface GreyImage {
  grey: ArrayLike<number>;
  width: number;
  height: number;
}

/** Options for {@linkcode quantifyRegions}. */
export interface QuantifyOptions {
  /** A pixel is open when its grey value is >= this x the image's maximum. Default 0.85. */
  opennessFraction?: number;
  /** Openness cut-offs of grades 0, 1 and 2 (descending); below the last is grade 3. Default [0.6, 0.4, 0.2]. */
  gradeThresholds?: readonly [number, number, number];
}

/** The numbers of one region. Snake-case keys: they go to JSON reports as-is. */
export interface RegionQuantification {
  /** The region's label in the labelling it came from. */
  label: number;
  /** Pixels. */
  area: number;
  bbox: PixelRect;
  /** area / (bbox width x bbox height). */
  fill_fraction: number;
  /** Mean grey value over the region's pixels, in the image's units. */
  mean_intensity: number;
  /** Fraction of the region's pixels with grey >= opennessFraction x the image maximum. */
  openness: number;
  /** 0 (open) to 3 (closed), from openness and gradeThresholds. */
  grade: 0 | 1 | 2 | 3;
  /** Always true: openness and grade are a heuristic, not a validated pathology score. */
  heuristic: true;
  /** What the heuristic is, in words, for reports. */
  note: string;
}

const DEFAULT_THRESHOLDS: readonly [number, number, number] = [0.6, 0.4, 0.2];

function _checkThresholds(thresholds: readonly number[]): void {
  const ok = thresholds.length === 3 &&
    thresholds.every((t) => Number.isFinite(t) && t >= 0 && t <= 1) &&
    thresholds[0] > thresholds[1] && thresholds[1] > thresholds[2];
  if (!ok) {
    throw new RangeError(
      "Cannot grade openness as gradeThresholds must be 3 descending values in [0, 1]: " +
        `current value is [${thresholds}]`,
    );
  }
}

/**
 * The endotheliosis grade of an openness: 0 if >= thresholds[0] (default 0.6), 1 if
 * >= thresholds[1] (0.4), 2 if >= thresholds[2] (0.2), else 3.
 *
 * @example
 * ```ts
 * import { gradeOpenness } from "./quantify.ts";
 * console.assert(gradeOpenness(0.6) === 0 && gradeOpenness(0.45) === 1 && gradeOpenness(0.1) === 3);
 * ```
 */
export function gradeOpenness(
  openness: number,
  thresholds: readonly [number, number, number] = DEFAULT_THRESHOLDS,
): 0 | 1 | 2 | 3 {
  _checkThresholds(thresholds);
  if (openness >= thresholds[0]) return 0;
  if (openness >= thresholds[1]) return 1;
  if (openness >= thresholds[2]) return 2;
  return 3;
}

/**
 * Quantifies each region of a labelling (e.g. from `labelRegions` in regions.ts) on a
 * grey image: area, bounding box, fill fraction, mean intensity, openness and grade.
 * Openness counts a pixel as open when its grey value is at least `opennessFraction`
 * (0.85) times the maximum grey value of the whole image, as the Endotheliosis
 * Quantifier did. Results follow the order of `segmentation.regions`.
 *
 * @example
 * ```ts
 * import { labelRegions } from "./regions.ts";
 * import { quantifyRegions } from "./quantify.ts";
 * const mask = new Uint8Array([1, 1, 0, 1, 1, 0]); // a 2x2 region in a 3x2 image
 * const grey = new Uint8Array([250, 100, 200, 220, 100, 0]); // maximum 250, open from 212.5
 * const [q] = quantifyRegions({ grey, width: 3, height: 2 }, labelRegions(mask, 3, 2, { minArea: 1 }));
 * console.assert(q.area === 4 && q.openness === 0.5 && q.grade === 1 && q.mean_intensity === 167.5);
 * ```
 */
export function quantifyRegions(
  image: GreyImage,
  segmentation: { labels: Int32Array; regions: readonly Region[] },
  options: QuantifyOptions = {},
): RegionQuantification[] {
  const { grey, width, height } = image;
  const { labels, regions } = segmentation;
  const fraction = options.opennessFraction ?? 0.85;
  const thresholds = options.gradeThresholds ?? DEFAULT_THRESHOLDS;
  _checkThresholds(thresholds);
  if (!(fraction > 0 && fraction <= 1)) {
    throw new RangeError(
      `Cannot quantify regions as opennessFraction must be in (0, 1]: current value is ${fraction}`,
    );
  }
  if (grey.length !== width * height || labels.length !== width * height) {
    throw new RangeError(
      `Cannot quantify regions as the grey image and the labels must hold ${width}x${height} ` +
        `values: current value is ${grey.length} and ${labels.length}`,
    );
  }
  let max = -Infinity;
  for (let i = 0; i < grey.length; i++) if (grey[i] > max) max = grey[i];
  if (!(max > 0 && Number.isFinite(max))) {
    throw new RangeError(
      `Cannot quantify regions as the image's maximum grey value must be positive and finite: ` +
        `current value is ${max}`,
    );
  }
  const openFrom = fraction * max;
  // Slot of each label among `regions` (-1: not quantified, e.g. below minArea).
  const maxLabel = regions.reduce((m, r) => Math.max(m, r.label), 0);
  const slotOf = new Int32Array(maxLabel + 1).fill(-1);
  regions.forEach((r, slot) => (slotOf[r.label] = slot));
  const count = new Float64Array(regions.length);
  const sum = new Float64Array(regions.length);
  const open = new Float64Array(regions.length);
  for (let i = 0; i < labels.length; i++) {
    const l = labels[i];
    if (l === 0 || l >= slotOf.length) continue;
    const slot = slotOf[l];
    if (slot < 0) continue;
    const v = grey[i];
    count[slot]++;
    sum[slot] += v;
    if (v >= openFrom) open[slot]++;
  }
  const note = `heuristic: openness = fraction of pixels with grey >= ${fraction} x image max ` +
    `(${max}); grade 0 if >= ${thresholds[0]}, 1 if >= ${thresholds[1]}, ` +
    `2 if >= ${thresholds[2]}, else 3`;
  return regions.map((r, slot) => {
    if (count[slot] !== r.area) {
      throw new RangeError(
        `Cannot quantify region ${r.label} as its area must match its labelled pixels: ` +
          `current value is ${r.area} vs ${count[slot]} pixels`,
      );
    }
    const openness = open[slot] / count[slot];
    return {
      label: r.label,
      area: r.area,
      bbox: { ...r.bbox },
      fill_fraction: r.area / (r.bbox.width * r.bbox.height),
      mean_intensity: sum[slot] / count[slot],
      openness,
      grade: gradeOpenness(openness, thresholds),
      heuristic: true,
      note,
    };
  });
}
