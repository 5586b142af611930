/**
 * Connected regions of a binary mask: labelling (as scipy.ndimage.label), per-region
 * area, bounding box, padded crop and centroid, and removal of small regions.
 *
 * @module
 */

/** An axis-aligned rectangle in pixels; x, y is the top-left corner. */
export interface PixelRect {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** One connected region of a mask. */
export interface Region {
  /** Its label in {@linkcode labelComponents}' numbering (1-based, raster order). */
  label: number;
  /** Number of pixels. */
  area: number;
  /** The tightest box holding every pixel. */
  bbox: PixelRect;
  /** The box grown by `padding` on each side, clipped to the image. */
  crop: PixelRect;
  /** Mean pixel coordinates (pixel centres at integer coordinates, as ndimage.center_of_mass). */
  centroid: { x: number; y: number };
}

/** Options for {@linkcode labelComponents}. */
export interface LabelOptions {
  /** 8 (diagonal neighbours connect, the default) or 4. */
  connectivity?: 4 | 8;
}

/** Options for {@linkcode extractRegions} and {@linkcode labelRegions}. */
export interface RegionOptions extends LabelOptions {
  /** Regions with fewer pixels are dropped. Default 64. */
  minArea?: number;
  /** Pixels added on each side of the bounding box for `crop`. Default 0. */
  padding?: number;
}

/** A labelled mask: 0 background, 1..count the regions in raster order of first pixel. */
export interface Labeling {
  labels: Int32Array;
  count: number;
}

function _checkMask(mask: Uint8Array, width: number, height: number, caller: string): void {
  if (!Number.isInteger(width) || !Number.isInteger(height) || width <= 0 || height <= 0) {
    throw new RangeError(
      `Cannot ${caller} as width and height must be positive integers: ` +
        `current value is ${width}x${height}`,
    );
  }
  if (mask.length !== width * height) {
    throw new RangeError(
      `Cannot ${caller} as the mask must hold ${width}x${height} values: ` +
        `current value is ${mask.length}`,
    );
  }
}

function _checkCount(value: number, name: string, caller: string): void {
  if (!Number.isInteger(value) || value < 0) {
    throw new RangeError(
      `Cannot ${caller} as ${name} must be a non-negative integer: current value is ${value}`,
    );
  }
}

function _find(parent: Int32Array, a: number): number {
  while (parent[a] !== a) {
    parent[a] = parent[parent[a]]; // path halving
    a = parent[a];
  }
  return a;
}

/**
 * Labels the connected components of a mask (non-zero = foreground) with a two-pass
 * union-find. Labels are numbered 1..count in raster order of each component's first
 * pixel (top to bottom, then left to right), as `scipy.ndimage.label` with
 * `structure=np.ones((3, 3))` (connectivity 8) or its default cross (connectivity 4).
 *
 * @example
 * ```ts
 * import { labelComponents } from "./regions.ts";
 * const mask = new Uint8Array([
 *   1, 0, 0,
 *   0, 1, 0,
 *   0, 0, 1,
 * ]);
 * console.assert(labelComponents(mask, 3, 3).count === 1); // diagonal neighbours connect
 * console.assert(labelComponents(mask, 3, 3, { connectivity: 4 }).count === 3);
 * ```
 */
export function labelComponents(
  mask: Uint8Array,
  width: number,
  height: number,
  options: LabelOptions = {},
): Labeling {
  const connectivity = options.connectivity ?? 8;
  _checkMask(mask, width, height, "label components");
  if (connectivity !== 4 && connectivity !== 8) {
    throw new RangeError(
      `Cannot label components as connectivity must be 4 or 8: current value is ${connectivity}`,
    );
  }
  const diagonal = connectivity === 8;
  const labels = new Int32Array(width * height);
  // At most one provisional label per two pixels (a checkerboard under 4-connectivity).
  const parent = new Int32Array(Math.ceil((width * height) / 2) + 2);
  let next = 1;
  // Joins the sets of two provisional labels (0 = none); returns the one to use.
  const link = (a: number, b: number): number => {
    if (b === 0 || a === b) return a;
    if (a === 0) return b;
    const ra = _find(parent, a), rb = _find(parent, b);
    if (ra < rb) parent[rb] = ra;
    else parent[ra] = rb;
    return ra < rb ? ra : rb;
  };
  // Pass 1: provisional labels from the already-visited neighbours (W, NW, N, NE).
  for (let y = 0; y < height; y++) {
    const row = y * width;
    for (let x = 0; x < width; x++) {
      const i = row + x;
      if (mask[i] === 0) continue;
      let label = x > 0 ? labels[i - 1] : 0;
      if (y > 0) {
        label = link(label, labels[i - width]);
        if (diagonal && x > 0) label = link(label, labels[i - width - 1]);
        if (diagonal && x + 1 < width) label = link(label, labels[i - width + 1]);
      }
      if (label === 0) {
        label = next++;
        parent[label] = label;
      }
      labels[i] = label;
    }
  }
  // Pass 2: resolve to roots and number the roots in order of first appearance.
  const final = new Int32Array(next);
  let count = 0;
  for (let i = 0; i < labels.length; i++) {
    if (labels[i] === 0) continue;
    const root = _find(parent, labels[i]);
    if (final[root] === 0) final[root] = ++count;
    labels[i] = final[root];
  }
  return { labels, count };
}

/**
 * Describes the labelled regions with at least `minArea` pixels (default 64), in label
 * order (raster order of first pixel).
 *
 * @example
 * ```ts
 * import { describeRegions, labelComponents } from "./regions.ts";
 * const mask = new Uint8Array([0, 1, 1, 0, 1, 1]);
 * const [region] = describeRegions(labelComponents(mask, 3, 2), 3, 2, { minArea: 1, padding: 1 });
 * console.assert(region.area === 4 && region.bbox.x === 1 && region.crop.x === 0 && region.crop.width === 3);
 * ```
 */
export function describeRegions(
  labeling: Labeling,
  width: number,
  height: number,
  options: Omit<RegionOptions, "connectivity"> = {},
): Region[] {
  const { labels, count } = labeling;
  const minArea = options.minArea ?? 64, padding = options.padding ?? 0;
  _checkCount(minArea, "minArea", "describe regions");
  _checkCount(padding, "padding", "describe regions");
  if (labels.length !== width * height) {
    throw new RangeError(
      `Cannot describe regions as the labels must hold ${width}x${height} values: ` +
        `current value is ${labels.length}`,
    );
  }
  const area = new Float64Array(count + 1), sumX = new Float64Array(count + 1);
  const sumY = new Float64Array(count + 1);
  const minX = new Int32Array(count + 1).fill(width), minY = new Int32Array(count + 1).fill(height);
  const maxX = new Int32Array(count + 1).fill(-1), maxY = new Int32Array(count + 1).fill(-1);
  for (let y = 0, i = 0; y < height; y++) {
    for (let x = 0; x < width; x++, i++) {
      const l = labels[i];
      if (l === 0) continue;
      area[l]++;
      sumX[l] += x;
      sumY[l] += y;
      if (x < minX[l]) minX[l] = x;
      if (x > maxX[l]) maxX[l] = x;
      if (y < minY[l]) minY[l] = y;
      if (y > maxY[l]) maxY[l] = y;
    }
  }
  const regions: Region[] = [];
  for (let l = 1; l <= count; l++) {
    if (area[l] < minArea || area[l] === 0) continue;
    const x0 = Math.max(0, minX[l] - padding), y0 = Math.max(0, minY[l] - padding);
    const x1 = Math.min(width - 1, maxX[l] + padding), y1 = Math.min(height - 1, maxY[l] + padding);
    regions.push({
      label: l,
      area: area[l],
      bbox: { x: minX[l], y: minY[l], width: maxX[l] - minX[l] + 1, height: maxY[l] - minY[l] + 1 },
      crop: { x: x0, y: y0, width: x1 - x0 + 1, height: y1 - y0 + 1 },
      centroid: { x: sumX[l] / area[l], y: sumY[l] / area[l] },
    });
  }
  return regions;
}

/**
 * Labels a mask and describes its regions of at least `minArea` pixels: the labels
 * (for per-pixel work such as quantify.ts's `quantifyRegions`) and the regions together.
 *
 * @example
 * ```ts
 * import { labelRegions } from "./regions.ts";
 * const { labels, count, regions } = labelRegions(new Uint8Array([1, 0, 1, 1]), 4, 1, { minArea: 2 });
 * console.assert(count === 2 && regions.length === 1 && regions[0].label === 2 && labels[3] === 2);
 * ```
 */
export function labelRegions(
  mask: Uint8Array,
  width: number,
  height: number,
  options: RegionOptions = {},
): Labeling & { regions: Region[] } {
  const labeling = labelComponents(mask, width, height, options);
  return { ...labeling, regions: describeRegions(labeling, width, height, options) };
}

/**
 * The regions of a mask with at least `minArea` pixels (default 64; 8-connected unless
 * `connectivity: 4`), sorted by the raster order (y, then x) of their first pixel, each
 * with a crop box padded by `padding` pixels (default 0) and clipped to the image.
 *
 * @example
 * ```ts
 * import { extractRegions } from "./regions.ts";
 * const mask = new Uint8Array(100 * 100);
 * for (let y = 10; y < 30; y++) mask.fill(1, y * 100 + 5, y * 100 + 25); // a 20x20 square
 * mask[99 * 100 + 99] = 1; // a 1-pixel speck: dropped
 * const regions = extractRegions(mask, 100, 100, { padding: 8 });
 * console.assert(regions.length === 1 && regions[0].area === 400);
 * console.assert(regions[0].crop.x === 0 && regions[0].crop.width === 33);
 * ```
 */
export function extractRegions(
  mask: Uint8Array,
  width: number,
  height: number,
  options: RegionOptions = {},
): Region[] {
  return labelRegions(mask, width, height, options).regions;
}

/**
 * A 0/1 copy of the mask without the connected regions smaller than `minArea` pixels.
 *
 * @example
 * ```ts
 * import { removeSmallRegions } from "./regions.ts";
 * const kept = removeSmallRegions(new Uint8Array([255, 0, 255, 255]), 4, 1, 2);
 * console.assert(kept.join() === "0,0,1,1");
 * ```
 */
export function removeSmallRegions(
  mask: Uint8Array,
  width: number,
  height: number,
  minArea: number,
  options: LabelOptions = {},
): Uint8Array {
  _checkCount(minArea, "minArea", "remove small regions");
  const { labels, count } = labelComponents(mask, width, height, options);
  const area = new Float64Array(count + 1);
  for (let i = 0; i < labels.length; i++) area[labels[i]]++;
  const out = new Uint8Array(labels.length);
  for (let i = 0; i < labels.length; i++) {
    const l = labels[i];
    if (l !== 0 && area[l] >= minArea) out[i] = 1;
  }
  return out;
}
